"""The contracts the integrator wires: search, sitemaps, demo data, the home partial."""

import io

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory

from events import demo, search, sitemaps
from events.models import Campaign, Event, PublishStatus
from tests.factories import make_campaign, make_event

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.events.urls")]


def test_search_finds_published_events_and_campaigns_only():
    make_event("Reflective supervision basics")
    make_event("Reflective draft", publish_status=PublishStatus.DRAFT)
    make_campaign(theme="Reflective moments")
    hits = search.search("reflective")
    assert {(hit.title, hit.kind) for hit in hits} == {
        ("Reflective supervision basics", "Event"),
        ("Celebrate Babies Week 2025", "Celebrate Babies Week"),
    }
    assert search.search("   ") == []


def test_sitemaps_list_public_items_with_lastmod():
    event = make_event("Public")
    make_event("Draft", publish_status=PublishStatus.DRAFT)
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


def test_demo_seed_is_idempotent_and_complete(local):
    with time_machine.travel(local(2026, 11, 25, 9), tick=False):
        demo.seed(stdout=io.StringIO())
        Event.objects.filter(slug="celebrate-babies-week-2025-virtual-panel").update(title="Edited")
        demo.seed(stdout=io.StringIO())
        campaign = Campaign.objects.get(year=2025)
        days = sorted({e.local_start.strftime("%A") for e in campaign.events.published()})
        assert days == sorted(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
        panel = Event.objects.get(slug="celebrate-babies-week-2025-virtual-panel")
        assert panel.title == "Edited"  # never overwritten
        assert panel.when == "Wednesday 22 October 2025, 10 a.m. to 11 a.m. EDT"
        trainings = Event.objects.published().trainings()
        assert trainings.upcoming().filter(format="in-person").exists()
        assert trainings.upcoming().filter(format="online").exists()
        assert trainings.past().exists()
        assert Event.objects.filter(status=Event.Status.CANCELLED).count() == 1
        assert Event.objects.count() == 11


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
