"""The events pages, calendars and JSON-LD under /es/: Spanish interface, dates and content,
English (marked so) where an event is not yet translated."""

import datetime
import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
import time_machine

from tests.factories import make_campaign, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://iecmh.example.org"


@pytest.fixture
def now(local):
    with time_machine.travel(local(2026, 12, 1, 9), tick=False):
        yield


@pytest.fixture
def translated(local, now):
    return make_event(
        "Reflective supervision basics",
        title_es="Introducción a la supervisión reflexiva",
        summary="An introduction for new supervisors.",
        summary_es="Una introducción para nuevos supervisores.",
        description="<p>Bring a case to discuss.</p>",
        description_es="<p>Traiga un caso para conversar.</p>",
        start=local(2026, 12, 7, 12),
        format="hybrid",
        registration_url="https://register.example.org/rs",
        training_hours=1.5,
    )


@pytest.fixture
def untranslated(local, now):
    return make_event("Only in English", start=local(2026, 12, 8, 10))


def json_ld(response) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert match, "no JSON-LD script"
    return json.loads(match.group(1))


def link(response, text: str) -> str:
    """The href of the link whose text is ``text``."""
    match = re.search(rf'<a [^>]*href="([^"]+)"[^>]*>{re.escape(text)}</a>', response.text)
    assert match, f"no link {text!r}"
    return html.unescape(match.group(1))


def test_spanish_list_shows_spanish_interface_and_dates(client, translated):
    response = client.get("/es/events/")
    assert response.status_code == 200
    assert '<html lang="es">' in response.text
    assert "<h1>Próximos eventos</h1>" in response.text
    assert "1 próximo evento" in response.text
    assert "Filtrar eventos" in response.text
    assert "Todos los tipos" in response.text  # the filter form's choices
    assert "Capacitación" in response.text  # the event's kind
    assert "lunes, 7 de diciembre de 2026, de 12:00 a 13:00 EST" in response.text
    assert "1,5 horas de formación" in response.text
    assert "Introducción a la supervisión reflexiva" in response.text
    # The subscription address is the Spanish feed.
    assert "https://iecmh.example.org/es/events/calendar.ics" in response.text
    assert "Upcoming events" not in response.text


def test_spanish_list_counts_with_plurals(client, translated, untranslated):
    response = client.get("/es/events/?format=hybrid")
    assert "Se encontró 1 próximo evento" in response.text
    assert "<title>Se encontró 1 evento: Eventos" in response.text
    response = client.get("/es/events/")
    assert "2 próximos eventos" in response.text


def test_professional_development_in_spanish(client, translated):
    response = client.get("/es/professional-development/")
    assert "Oportunidades de desarrollo profesional" in response.text
    assert "Capacitaciones para su función" in response.text
    assert 'href="/es/events/past/?kind=training"' in response.text


def test_translated_event_in_spanish_under_es_and_english_at_the_english_url(client, translated):
    spanish = client.get(f"/es/events/{translated.slug}/")
    assert spanish.status_code == 200
    assert "<h1>Introducción a la supervisión reflexiva</h1>" in spanish.text
    assert "Una introducción para nuevos supervisores." in spanish.text
    assert "Traiga un caso para conversar." in spanish.text
    assert "lunes, 7 de diciembre de 2026, de 12:00 a 13:00 EST" in spanish.text
    assert "(hora de Massachusetts)" in spanish.text
    assert "<dt>Cuándo</dt>" in spanish.text
    assert "Agregar a su calendario" in spanish.text
    assert "untranslated-note" not in spanish.text
    article = spanish.text.split("<article")[1].split("</article>")[0]
    assert ' lang="en"' not in article
    # Links from a Spanish page stay in Spanish.
    assert 'href="/es/events/"' in spanish.text
    assert f'href="/es/events/{translated.slug}.ics"' in spanish.text

    english = client.get(f"/events/{translated.slug}/")
    assert "<h1>Reflective supervision basics</h1>" in english.text
    assert "Bring a case to discuss." in english.text
    assert "Monday, December 7, 2026, noon to 1 p.m. EST" in english.text
    assert "Introducción" not in english.text


def test_untranslated_event_under_es_says_so_and_marks_its_english(client, untranslated):
    response = client.get(f"/es/events/{untranslated.slug}/")
    assert response.status_code == 200
    assert "untranslated-note" in response.text
    assert '<h1 lang="en">Only in English</h1>' in response.text
    assert '<p class="lead" lang="en">What Only in English is about.</p>' in response.text
    # The interface around it is still Spanish.
    assert "<dt>Dónde</dt>" in response.text
    # In the list too, the English title is marked.
    listing = client.get("/es/events/")
    assert 'lang="en">Only in English</a>' in listing.text
    # At the English address there is no note.
    assert "untranslated-note" not in client.get(untranslated.get_absolute_url()).text


def test_ics_from_the_spanish_page_is_in_spanish(client, translated):
    page = client.get(f"/es/events/{translated.slug}/")
    ics_url = re.search(r'href="([^"]+)" download>Descargar \.ics', page.text).group(1)
    assert ics_url == f"/es/events/{translated.slug}.ics"
    response = client.get(ics_url)
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Introducción a la supervisión reflexiva"
    assert event["SUMMARY"].params["LANGUAGE"] == "es"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Una introducción para nuevos supervisores.")
    assert "Cuándo: lunes, 7 de diciembre de 2026, de 12:00 a 13:00 EST" in description
    assert "Traiga un caso para conversar." in description
    assert "Inscríbase: https://register.example.org/rs" in description
    assert f"Detalles: https://iecmh.example.org/es/events/{translated.slug}/" in description
    assert str(event["URL"]) == f"https://iecmh.example.org/es/events/{translated.slug}/"

    english = client.get(translated.get_ics_url())
    event = icalendar.Calendar.from_ical(english.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Reflective supervision basics"
    assert event["SUMMARY"].params["LANGUAGE"] == "en"
    assert "When: Monday, December 7, 2026, noon to 1 p.m. EST" in str(event["DESCRIPTION"])


def test_untranslated_event_in_the_spanish_ics_is_declared_english(client, untranslated):
    response = client.get(f"/es/events/{untranslated.slug}.ics")
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Only in English"
    assert event["SUMMARY"].params["LANGUAGE"] == "en"
    assert "Cuándo: martes, 8 de diciembre de 2026, de 10:00 a 11:00 EST" in str(
        event["DESCRIPTION"]
    )


def test_spanish_feed_carries_spanish_titles(client, translated):
    response = client.get("/es/events/calendar.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Eventos de IECMH Workforce Partnership"
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert summaries == ["Introducción a la supervisión reflexiva"]
    kind = icalendar.Calendar.from_ical(client.get("/es/events/calendar/training.ics").content)
    assert str(kind["X-WR-CALNAME"]).endswith(": Capacitación")


def test_google_and_outlook_links_from_the_spanish_page(client, translated):
    page = client.get(f"/es/events/{translated.slug}/")
    google = parse_qs(urlsplit(link(page, "Google Calendar")).query)
    assert google["text"] == ["Introducción a la supervisión reflexiva"]
    assert "Cuándo: lunes, 7 de diciembre de 2026, de 12:00 a 13:00 EST" in google["details"][0]
    assert google["location"][0].startswith("MSPCC, Boston; En línea")
    for text in ("Outlook.com", "Outlook (trabajo o escuela)"):
        outlook = parse_qs(urlsplit(link(page, text)).query)
        assert outlook["subject"] == ["Introducción a la supervisión reflexiva"]
        assert outlook["body"][0].startswith("Una introducción para nuevos supervisores.")
    english = client.get(translated.get_absolute_url())
    google = parse_qs(urlsplit(link(english, "Google Calendar")).query)
    assert google["text"] == ["Reflective supervision basics"]


def test_event_json_ld_declares_its_language(client, translated, untranslated):
    spanish = json_ld(client.get(f"/es/events/{translated.slug}/"))
    assert spanish["inLanguage"] == "es"
    assert spanish["name"] == "Introducción a la supervisión reflexiva"
    assert spanish["url"] == f"https://iecmh.example.org/es/events/{translated.slug}/"
    assert json_ld(client.get(translated.get_absolute_url()))["inLanguage"] == "en"
    fallback = json_ld(client.get(f"/es/events/{untranslated.slug}/"))
    assert fallback["inLanguage"] == "en"
    assert fallback["name"] == "Only in English"


def test_week_in_spanish_with_json_ld(client, local, now):
    campaign = make_campaign(
        2026,
        start_date=datetime.date(2026, 12, 7),
        theme="Every baby",
        theme_es="Cada bebé",
        summary="A week for babies.",
        summary_es="Una semana para los bebés.",
    )
    activity = make_event(
        "Panel",
        title_es="Panel virtual",
        kind="cbw",
        campaign=campaign,
        start=local(2026, 12, 9, 10),
    )
    response = client.get("/es/celebrate-babies-week/")
    assert response.status_code == 200
    assert "<h2>Día por día</h2>" in response.text
    assert "del lunes, 7 al viernes, 11 de diciembre de 2026" in response.text
    assert "miércoles, 9 de diciembre de 2026" in response.text
    assert "Cada bebé" in response.text
    assert "Panel virtual" in response.text
    assert "untranslated-note" not in response.text
    data = json_ld(response)
    assert data["inLanguage"] == "es"
    assert data["description"] == "Una semana para los bebés."
    assert data["subEvent"] == [
        {
            "@type": "Event",
            "name": "Panel virtual",
            "url": f"https://iecmh.example.org/es/events/{activity.slug}/",
            "startDate": "2026-12-09T10:00:00-05:00",
            "inLanguage": "es",
        }
    ]
    english = client.get("/celebrate-babies-week/")
    assert "<h2>Day by day</h2>" in english.text
    assert json_ld(english)["inLanguage"] == "en"


def test_untranslated_week_under_es(client, now):
    make_campaign(2026, start_date=datetime.date(2026, 12, 7), theme="Every baby")
    response = client.get("/es/celebrate-babies-week/")
    assert "untranslated-note" in response.text
    assert '<strong lang="en">Every baby</strong>' in response.text
    assert json_ld(response)["inLanguage"] == "en"


def test_status_note_in_spanish_or_marked_english(client, now, local):
    from events.models import EventStatus

    cancelled = make_event(
        "Off", start=local(2026, 12, 9, 10), event_status=EventStatus.CANCELLED, status_note="Ill."
    )
    response = client.get(f"/es/events/{cancelled.slug}/")
    assert '<strong>Este evento se canceló.</strong> <span lang="en">Ill.</span>' in response.text
    cancelled.title_es, cancelled.status_note_es = "Cancelado", "La formadora está enferma."
    cancelled.save()
    response = client.get(f"/es/events/{cancelled.slug}/")
    assert (
        "<strong>Este evento se canceló.</strong> La formadora está enferma.</p>" in response.text
    )


def test_the_roles_an_event_is_for_are_named_in_spanish(client, local, now):
    from iecmh_site.vocabulary import Role

    make_event(
        "For visitors",
        slug="for-visitors",
        start=local(2026, 12, 9, 10),
        roles=[Role.objects.get(slug="home-visitors")],
    )

    listing = client.get("/es/events/").content.decode()
    assert '<li class="tag">Visitadores domiciliarios</li>' in listing
    assert "Home visitors<" not in listing
    trainings = client.get("/es/professional-development/").text
    assert ">Visitadores domiciliarios</a>" in trainings  # the role filter links
    detail = client.get("/es/events/for-visitors/")
    assert "<li>Visitadores domiciliarios</li>" in detail.text
    assert json_ld(detail)["audience"] == [
        {"@type": "Audience", "audienceType": "Visitadores domiciliarios"}
    ]
