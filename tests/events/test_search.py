"""What the site search holds for an event and a Celebrate Babies Week (events/search.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from events.models import Event, EventStatus
from events.search import campaign_documents, event_documents, search_events
from iecmh_site import dates, search
from iecmh_site.vocabulary import Role
from tests.factories import make_campaign, make_event

pytestmark = pytest.mark.django_db


def test_an_event_document_says_what_it_is_who_it_is_for_and_its_week(local):
    campaign = make_campaign()
    event = make_event(
        "Virtual panel",
        kind=Event.Kind.WEBINAR,
        campaign=campaign,
        format=Event.Format.ONLINE,
        start=local(2025, 10, 22, 10),
        description="<p>Four speakers.</p>",
        roles=[Role.objects.get(slug="pediatricians")],
        event_status=EventStatus.POSTPONED,
    )

    (document,) = event_documents(search_events().get(pk=event.pk))

    assert document.keywords == (
        "Webinar. Professional development training. Online. Postponed. Pediatricians. "
        "Celebrate Babies Week 2025"
    )
    assert document.body == "Four speakers."
    assert document.label == "Webinar, postponed"
    assert document.when_text == event.when
    assert document.date.isoformat() == "2025-10-22"


def test_a_week_is_found_by_its_name_theme_and_description():
    campaign = make_campaign(theme="Every baby counts", description="<p>Join the panel.</p>")

    (document,) = campaign_documents(campaign)

    assert (document.title, document.url) == (
        "Celebrate Babies Week 2025",
        "/celebrate-babies-week/2025/",
    )
    assert document.keywords == "Celebrate Babies Week. Every baby counts. 2025"
    assert document.summary == "Every baby counts"  # without a summary, its theme
    assert "Join the panel." in document.body


def test_visitors_find_published_events_and_weeks_in_one_group():
    make_event("Reflective supervision basics")
    make_event("Reflective draft", publish_at=None)
    make_campaign(theme="Reflective moments")

    (group,) = search.search("reflective", user=AnonymousUser()).groups

    assert group.kind.name == "events"
    assert {(hit.title, hit.label) for hit in group.hits} == {
        ("Reflective supervision basics", "Training"),
        ("Celebrate Babies Week 2025", "Celebrate Babies Week"),
    }


def test_a_translated_event_has_a_spanish_document_with_spanish_dates(local):
    event = make_event(
        "Virtual panel",
        title_es="Panel virtual",
        summary_es="Cuatro ponentes.",
        description_es="<p>Preguntas del público.</p>",
        start=local(2025, 10, 22, 10),
    )

    english, spanish = event_documents(search_events().get(pk=event.pk))

    assert (english.language, english.title, english.url) == (
        "en",
        "Virtual panel",
        f"/events/{event.slug}/",
    )
    assert (spanish.language, spanish.title, spanish.url) == (
        "es",
        "Panel virtual",
        f"/es/events/{event.slug}/",
    )
    assert spanish.summary == "Cuatro ponentes."
    assert spanish.body.startswith("Preguntas del público.")
    assert spanish.when_text == dates.when(event.start, event.end, language="es")
    assert spanish.when_text != english.when_text


def test_a_translated_week_has_a_spanish_document():
    campaign = make_campaign(
        theme="Every baby counts",
        theme_es="Cada bebé cuenta",
        summary="A week for babies.",
        summary_es="Una semana para los bebés.",
    )

    english, spanish = campaign_documents(campaign)

    assert (english.language, english.url) == ("en", "/celebrate-babies-week/2025/")
    assert (spanish.language, spanish.url) == ("es", "/es/celebrate-babies-week/2025/")
    assert spanish.summary == "Una semana para los bebés."
    assert "Cada bebé cuenta" in spanish.keywords
    assert spanish.when_text == dates.date_range(
        campaign.start_date, campaign.end_date, language="es"
    )
