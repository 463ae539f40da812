import pytest

from events import search
from tests.factories import make_campaign, make_event

pytestmark = pytest.mark.django_db


def test_search_finds_published_events_and_campaigns_only():
    make_event("Reflective supervision basics")
    make_event("Reflective draft", publish_at=None)
    make_campaign(theme="Reflective moments")
    hits = search.search("reflective")
    assert {(hit.title, hit.kind) for hit in hits} == {
        ("Reflective supervision basics", "Event"),
        ("Celebrate Babies Week 2025", "Celebrate Babies Week"),
    }
    assert search.search("   ") == []
