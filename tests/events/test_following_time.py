"""Events that follow time: what a past or cancelled event stops offering, what a past one
gains (materials), "All roles", and the week page's calendar and save the date."""

import datetime
import html
import json
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from events import calendars
from events.models import Event, EventMaterial, EventStatus
from iecmh_site.vocabulary import Role
from tests.factories import event_form_data, make_campaign, make_event

pytestmark = pytest.mark.django_db

REGISTER = "https://example.org/register"
JOIN = "https://meet.example.org/room"
CALENDAR_LINKS = ["Add to your calendar", ".ics", "calendar.google.com", "outlook.live.com"]


@pytest.fixture
def late_october(local):
    """The afternoon of Wednesday, October 22, 2025."""
    with time_machine.travel(local(2025, 10, 22, 15), tick=False):
        yield


def online_event(local, day, **fields):
    return make_event(
        "Panel",
        start=local(2025, 10, day, 10),
        format=Event.Format.ONLINE,
        joining_url=JOIN,
        registration_url=REGISTER,
        **fields,
    )


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def json_ld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', text_of(response), re.S
    )
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


# ---- the event page ----


def test_an_upcoming_event_invites_to_register_join_and_add_it(client, local, late_october):
    event = online_event(local, 29)
    text = text_of(client.get(event.get_absolute_url()))
    assert all(link in text for link in CALENDAR_LINKS)
    assert f'href="{REGISTER}"' in text and "join the event online" in text


def test_a_past_event_has_no_calendar_buttons_nor_ways_to_join(client, local, late_october):
    event = online_event(local, 21)
    text = text_of(client.get(event.get_absolute_url()))
    assert "This event has taken place." in text
    assert not any(link in text for link in CALENDAR_LINKS)
    assert REGISTER not in text.split("</head>")[1]  # the JSON-LD offer may keep it
    assert JOIN not in text.split("</head>")[1]
    assert "join the event online" not in text and "Register" not in text
    assert "Tuesday, October 21, 2025, 10 a.m. to 11 a.m. EDT" in text


def test_an_event_in_progress_still_invites(client, local):
    event = online_event(local, 22)
    with time_machine.travel(local(2025, 10, 22, 10, 30), tick=False):
        text = text_of(client.get(event.get_absolute_url()))
    assert "Add to your calendar" in text and "join the event online" in text


def test_a_cancelled_event_has_no_calendar_buttons_nor_ways_to_join(client, local, late_october):
    event = online_event(local, 29, event_status=EventStatus.CANCELLED, status_note="Ill.")
    text = text_of(client.get(event.get_absolute_url()))
    assert "This event is cancelled." in text
    assert not any(link in text for link in CALENDAR_LINKS)
    assert "join the event online" not in text and "Register" not in text


# ---- materials ----


def add_materials(event):
    EventMaterial.objects.create(
        event=event,
        kind="slides",
        title="Slides of the panel",
        url="https://example.org/s",
        order=2,
    )
    EventMaterial.objects.create(
        event=event, kind="recording", title="Recording", url="https://video.example.org/1"
    )


def test_materials_show_once_the_event_is_over(client, local):
    event = online_event(local, 22)
    add_materials(event)
    with time_machine.travel(local(2025, 10, 22, 10, 30), tick=False):
        during = client.get(event.get_absolute_url())
    assert "Materials" not in text_of(during) and "video.example.org" not in text_of(during)
    assert "recordedIn" not in json_ld(during)

    with time_machine.travel(local(2025, 10, 22, 11, 1), tick=False):
        after = client.get(event.get_absolute_url())
    text = text_of(after)
    section = text.split('id="materials-heading"')[1]
    assert section.index("Recording") < section.index("Slides of the panel")  # in their order
    assert 'href="https://video.example.org/1"' in section and "(slides)" in section
    # schema.org has a property for a recording only.
    assert json_ld(after)["recordedIn"] == {
        "@type": "CreativeWork",
        "name": "Recording",
        "url": "https://video.example.org/1",
    }


def test_materials_are_https_links_only(local):
    event = online_event(local, 22)
    material = EventMaterial(event=event, title="Slides", url="http://example.org/slides")
    with pytest.raises(ValidationError) as excinfo:
        material.full_clean()
    assert excinfo.value.message_dict["url"] == ["Enter an https:// address."]


def test_the_event_page_reads_all_its_materials_in_one_query(client, local, late_october):
    def queries_with(count):
        event = online_event(local, 21, slug=f"panel-{count}")
        EventMaterial.objects.bulk_create(
            EventMaterial(event=event, title=f"Part {n}", url=f"https://example.org/{n}")
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(event.get_absolute_url()).status_code == 200
        return len(queries)

    queries_with(0)  # once-per-process lookups (content types) out of the way
    assert queries_with(1) == queries_with(30)


def test_staff_add_materials_in_the_event_form_and_they_are_in_its_history(staff_client, local):
    event = online_event(local, 21)
    data = event_form_data(event) | {
        "materials-TOTAL_FORMS": "1",
        "materials-0-kind": "recording",
        "materials-0-title_en": "Recording of the panel",
        "materials-0-url": "video.example.org/panel",  # typed without its scheme
        "materials-0-order": "0",
    }
    response = staff_client.post(event.get_admin_url(), data)
    assert response.status_code == 302, response.context["errors"]
    (material,) = event.materials.all()
    assert material.url == "https://video.example.org/panel"
    version = Version.objects.get_for_object(event).first()
    assert Version.objects.get_for_object(material).get().revision == version.revision


# ---- roles ----


def test_an_event_for_the_five_roles_says_all_roles(client, late_october, local):
    make_event("For everyone", start=local(2025, 10, 29, 10), roles=Role.objects.all())
    two = Role.objects.filter(slug__in=["pediatricians", "home-visitors"])
    make_event("For two", start=local(2025, 10, 30, 10), roles=two)
    cards = text_of(client.get("/events/")).split('class="grid plain-list event-list"')[1]
    everyone, for_two = cards.split("For two</a>")
    assert "All roles" in everyone and "Pediatricians" not in everyone
    assert "Pediatricians" in for_two and "Home visitors" in for_two
    assert "All roles</li>" not in for_two
    detail = text_of(client.get("/events/for-everyone/"))
    assert "<dd>All roles</dd>" in detail and "Family partners" not in detail.split("<main")[1]


# ---- training hours ----


def test_training_hours_are_written_as_numbers(client, late_october, local):
    make_event("Half", start=local(2025, 10, 29, 10), training_hours="1.50")
    make_event("One", start=local(2025, 10, 30, 10), training_hours="1.00")
    text = text_of(client.get("/professional-development/"))
    assert "1.5 training hours" in text and "1 training hour;" not in text
    assert re.search(r"\b1 training hour\b(?!s)", text)
    assert "1.50" not in text and "1.00" not in text
    assert "<dd>1.5</dd>" in text_of(client.get("/events/half/"))


# ---- calendars ----


def test_calendar_texts_carry_massachusetts_time(local):
    event = make_event("Panel", start=local(2025, 12, 3, 10), hours=2)
    description = calendars.plain_description(event)
    assert "When: Wednesday, December 3, 2025, 10 a.m. to noon EST" in description


# ---- the week page ----


def test_the_week_page_links_its_subscribable_calendar(client, local, settings):
    settings.SITE_URL = "https://www.example.org"
    make_campaign(how_to_join="<p>Join the virtual panel.</p>")
    with time_machine.travel(local(2025, 10, 1, 9), tick=False):
        text = text_of(client.get("/celebrate-babies-week/"))
    assert "Subscribe to the week’s calendar" in text
    assert 'href="webcal://www.example.org/events/calendar/cbw.ics"' in text
    assert "https://www.example.org/events/calendar/cbw.ics" in text
    assert "How to join" in text and "Join the virtual panel." in text


def test_once_the_week_is_over_its_invitations_go(client, local):
    make_campaign(how_to_join="<p>Join the virtual panel.</p>")
    with time_machine.travel(local(2025, 11, 3, 9), tick=False):
        text = text_of(client.get("/celebrate-babies-week/2025/"))
    assert "How to join" not in text and "Join the virtual panel." not in text
    assert "Subscribe to the week’s calendar" not in text and "webcal://" not in text
    assert "announced for this day yet" not in text and "No activity this day." in text


def test_the_week_page_saves_the_date_once_next_year_is_published(client, local):
    make_campaign(2025)
    next_year = make_campaign(2026, start_date=datetime.date(2026, 10, 19), publish_at=None)
    with time_machine.travel(local(2025, 11, 3, 9), tick=False):
        assert "Save the date" not in text_of(client.get("/celebrate-babies-week/2025/"))
        next_year.publish_at = local(2025, 11, 1, 9)
        next_year.save()
        text = text_of(client.get("/celebrate-babies-week/2025/"))
        assert "Save the date:" in text
        assert "Celebrate Babies Week 2026</a> is" in text
        assert "Monday, October 19 to Friday, October 23, 2026" in text
    with time_machine.travel(local(2027, 1, 4, 9), tick=False):  # the next week is over too
        assert "Save the date" not in text_of(client.get("/celebrate-babies-week/2025/"))


def test_the_week_dates_are_us_dates(client, local):
    make_campaign()
    with time_machine.travel(local(2025, 10, 1, 9), tick=False):
        text = text_of(client.get("/celebrate-babies-week/"))
    assert "Monday, October 20 to Friday, October 24, 2025" in text
    assert ">Wednesday, October 22, 2025</time></h3>" in text
