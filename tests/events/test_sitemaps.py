import pytest

from events import sitemaps
from tests.factories import make_campaign, make_event

pytestmark = pytest.mark.django_db


def test_sitemaps_list_public_items_with_lastmod():
    event = make_event("Public")
    make_event("Draft", publish_at=None)
    campaign = make_campaign()
    assert list(sitemaps.EventSitemap().items()) == [event]
    assert sitemaps.EventSitemap().lastmod(event) == event.updated_at
    assert list(sitemaps.CampaignSitemap().items()) == [campaign]
    lists = sitemaps.EventListSitemap()
    assert [lists.location(name) for name in lists.items()] == [
        "/events/",
        "/events/past/",
        "/celebrate-babies-week/",
        "/professional-development/",
    ]


def test_a_sitemap_page_is_made_again_only_when_what_it_lists_changes(
    client, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from django.contrib.sitemaps import Sitemap

    from tests.factories import make_page

    settings.PAGE_CACHE_SECONDS = 300
    event = make_event("Panel")
    made = []
    urls = Sitemap._urls
    monkeypatch.setattr(Sitemap, "_urls", lambda *args: made.append(1) or urls(*args))
    client.get("/sitemap-events.xml")
    assert len(made) == 1

    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        make_page("Our Work")
    assert "/events/panel/" in client.get("/sitemap-events.xml").text
    assert len(made) == 1  # 250 events' addresses took 70 ms to make again after every save

    with django_capture_on_commit_callbacks(execute=True):
        event.slug = "panel-moved"
        event.save()
    listing = client.get("/sitemap-events.xml").text
    assert "/events/panel-moved/" in listing and "/events/panel/" not in listing
    assert len(made) == 2
