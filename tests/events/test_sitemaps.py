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
