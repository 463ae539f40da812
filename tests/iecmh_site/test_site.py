"""Site-wide views: home, search across apps, sitemaps and robots.txt."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from events.models import Campaign, Event
from tests.factories import make_campaign, make_event, make_page, make_report

pytestmark = pytest.mark.django_db


def test_search_finds_a_page_by_a_word_in_its_body(client):
    make_page("Training", body="<p>Pathways to the endorsement credential.</p>")
    make_page("Unrelated", body="<p>Nothing to see.</p>")

    response = client.get("/search/", {"q": "endorsement"})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/training/">Training</a>' in html
    assert "Unrelated" not in html
    assert "1 result for" in html


def test_search_ignores_drafts(client):
    make_page("Hidden", publish_at=None, body="<p>endorsement</p>")

    html = client.get("/search/", {"q": "endorsement"}).content.decode()

    assert "0 results" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 5000},
        {"q": "\x01\x7f<script>"},
        {"q": "' OR 1=1 --"},
        {"q": "!!! & | :*"},
        {"q": "training", "page": "999999"},
        {"q": "training", "page": "-1"},
        {"q": "training", "page": "abc"},
    ],
)
def test_absurd_queries_are_answered_gracefully(client, params):
    make_page("Training", body="<p>training</p>")

    response = client.get("/search/", params)

    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_search_results_are_paginated(client):
    for i in range(23):
        make_page(f"Training {i}", body="<p>reflective practice</p>")

    all_kinds = client.get("/search/", {"q": "reflective"}).content.decode()
    first = client.get("/search/", {"q": "reflective", "kind": "pages"}).content.decode()
    third = client.get("/search/", {"q": "reflective", "kind": "pages", "page": 3}).content.decode()

    # Every kind: the best few of each, and a link to the whole group, a page at a time.
    assert "23 results" in all_kinds
    assert all_kinds.count('class="card"') == 5
    assert "All 23 pages for “reflective”" in all_kinds
    assert "Page 1 of 3" in first
    assert third.count('class="card"') == 3


def test_sitemap_lists_exactly_the_public_pages(client, tree, read_sitemap):
    make_page("Draft page", publish_at=None)
    make_page("Future page", publish_at=timezone.now() + timedelta(days=3))

    xml = read_sitemap()

    for path in ["/the-efforts/", "/the-efforts/training/", "/the-efforts/policy-and-advocacy/"]:
        assert f"{path}</loc>" in xml
    assert "draft-page" not in xml
    assert "future-page" not in xml
    assert "<lastmod>" in xml


def test_the_sitemap_is_kept_until_a_save_or_a_scheduled_publication(
    client, read_sitemap, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_page("Our Work")
    assert "/our-work/</loc>" in read_sitemap()
    with CaptureQueriesContext(connection) as queries:
        assert "/our-work/</loc>" in read_sitemap()
    assert len(queries) == 0

    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        make_page("The Need")
    assert "/the-need/</loc>" in read_sitemap()

    make_page("Coming", publish_at=timezone.now() + timedelta(seconds=30))
    assert "/coming/</loc>" not in read_sitemap()
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert "/coming/</loc>" in read_sitemap()


def test_a_large_sitemap_is_an_index_of_pages_of_bounded_size(
    client, read_sitemap, settings, monkeypatch
):
    from iecmh_site import site

    settings.SITE_URL = "https://iecmh.example"
    for number in range(5):
        make_report(f"Report {number}", slug=f"report-{number}")
    monkeypatch.setattr(site, "SITEMAP_PAGE_SIZE", 2)

    index = client.get("/sitemap.xml").text
    first = client.get("/sitemap-reports.xml").text
    everything = read_sitemap()

    assert "<sitemapindex" in index
    for page in ["/sitemap-reports.xml", "/sitemap-reports.xml?p=2", "/sitemap-reports.xml?p=3"]:
        assert f"<loc>https://iecmh.example{page}</loc>" in index
    assert "/sitemap-reports.xml?p=4" not in index
    assert first.count("<url>") == 4  # two reports, each in English and in Spanish
    for number in range(5):
        assert f"<loc>https://iecmh.example/reports/report-{number}/</loc>" in everything
        assert f"<loc>https://iecmh.example/es/reports/report-{number}/</loc>" in everything
    # A page past the last, junk or an unknown section: not found, never a 500.
    junk_pages = ["?p=99", "?p=x", "?p=%C2%B2", "?p=" + "9" * 5000]  # "²" is a digit to isdigit()
    for junk in [*(f"/sitemap-reports.xml{page}" for page in junk_pages), "/sitemap-nope.xml"]:
        assert client.get(junk).status_code == 404, junk


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, settings):
    body = client.get("/robots.txt").content.decode()

    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in body
    assert "Disallow: /admin/" in body
    # The private and endless paths in both languages.
    for private in ["/newsletter/confirm/", "/search/"]:
        assert f"Disallow: {private}\n" in body
        assert f"Disallow: /es{private}\n" in body


def test_home_page_shows_efforts_and_roles(client, tree):
    html = client.get("/").content.decode()

    assert "Growing the infant and early childhood mental health workforce" in html
    assert '<a href="/the-efforts/training/">Training</a>' in html
    assert "Home visitors" in html
    assert "Early education and care practitioners" in html


def test_home_page_announces_the_newest_featured_report(client):
    from tests.factories import make_report

    make_report("Older featured", featured=True, publication_date=datetime.date(2023, 1, 1))
    make_report("A Mapping of Workforce Assets and Needs", featured=True)
    make_report("Not featured", featured=False)

    html = client.get("/").content.decode()

    assert "New release" in html
    assert "A Mapping of Workforce Assets and Needs" in html
    assert "Read the report" in html
    assert "Older featured" not in html


def test_a_draft_section_hides_its_whole_branch_everywhere(client, tree, read_sitemap):
    efforts, _training = tree
    efforts.publish_at = None
    efforts.save()

    sitemap = read_sitemap()
    search = client.get("/search/", {"q": "reflective"}).content.decode()
    home = client.get("/").content.decode()

    assert client.get("/the-efforts/training/").status_code == 404
    assert "/the-efforts/" not in sitemap
    assert "0 results" in search
    assert "/the-efforts/training/" not in home


def test_home_partial(local):
    campaign = make_campaign()
    make_event("Next training", start=local(2026, 12, 2, 10))
    request = RequestFactory().get("/")
    with time_machine.travel(local(2026, 11, 25, 9), tick=False):
        trainings = Event.objects.published().upcoming().trainings()[:3]
        text = render_to_string(
            "events/includes/_home_events.html",
            {"campaign": Campaign.objects.current_or_next(), "trainings": trainings},
            request=request,
        )
    assert "Look back" in text and campaign.get_absolute_url() in text
    assert "Next training" in text and "EST" in text
    empty = render_to_string(
        "events/includes/_home_events.html", {"campaign": None, "trainings": []}, request=request
    )
    assert "New trainings will be announced here." in empty


def test_new_release_partial(tagged_pdf):
    report = make_report("The mapping", pdf=tagged_pdf, featured=True)

    html = render_to_string("reports/includes/_new_release.html", {"report": report})

    assert "New release" in html
    assert "Read the report" in html
    assert report.get_absolute_url() in html
    assert report.cover_picture.src in html
