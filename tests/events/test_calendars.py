import datetime
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
import time_machine

from events import calendars
from events.models import Event, EventStatus
from tests.factories import make_event

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def feed(client, url="/events/calendar.ics", **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar):
    return {str(component["SUMMARY"]): component for component in calendar.walk("VEVENT")}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://iecmh.example.org"


@pytest.fixture
def now(local):
    with time_machine.travel(local(2025, 10, 1, 9), tick=False):
        yield


def test_feed_parses_with_the_right_utc_instants_and_a_time_zone(client, local, now):
    panel = make_event("Panel", start=local(2025, 10, 22, 10), format="online")
    make_event("Winter", start=local(2025, 12, 3, 10))
    make_event("Draft", start=local(2025, 10, 23, 10), publish_at=None)
    make_event("Long ago", start=local(2025, 6, 1, 10))
    calendar = feed(client)
    events = vevents(calendar)
    assert set(events) == {"Panel", "Winter"}
    panel_ics = events["Panel"]
    assert panel_ics.start.astimezone(UTC) == datetime.datetime(2025, 10, 22, 14, tzinfo=UTC)
    assert panel_ics.end.astimezone(UTC) == datetime.datetime(2025, 10, 22, 15, tzinfo=UTC)
    # Standard time in December: 10 a.m. is 15:00 UTC.
    assert events["Winter"].start.astimezone(UTC) == datetime.datetime(2025, 12, 3, 15, tzinfo=UTC)
    assert panel_ics["DTSTART"].params["TZID"] == "America/New_York"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert str(panel_ics["URL"]) == f"https://iecmh.example.org/events/{panel.slug}/"
    assert panel_ics["STATUS"] == "CONFIRMED"
    assert "DTSTAMP" in panel_ics
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar


def test_uids_are_stable_across_edits_and_sequence_goes_up(client, local, now):
    event = make_event("Before", start=local(2025, 10, 22, 10))
    before = vevents(feed(client))["Before"]
    event.title = "After"
    event.slug = "after"
    event.start, event.end = local(2025, 10, 22, 11), local(2025, 10, 22, 12)
    with time_machine.travel(local(2025, 10, 1, 9, 5), tick=False):
        event.save()
    after = vevents(feed(client))["After"]
    assert str(after["UID"]) == str(before["UID"]) == f"event-{event.pk}@iecmh.example.org"
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after["DTSTAMP"].dt > before["DTSTAMP"].dt


def test_cancelled_events_stay_in_the_feed_as_cancelled(client, local, now):
    make_event(
        "Off", start=local(2025, 10, 22, 10), event_status=EventStatus.CANCELLED, status_note="Ill."
    )
    make_event("Later", start=local(2025, 10, 23, 10), event_status=EventStatus.POSTPONED)
    events = vevents(feed(client))
    assert events["Off"]["STATUS"] == "CANCELLED"
    assert events["Off"]["SEQUENCE"] == 0
    assert "Cancelled: Ill." in str(events["Off"]["DESCRIPTION"])
    assert events["Later"]["STATUS"] == "TENTATIVE"


def test_all_day_events_are_dates(client, local, now):
    make_event(
        "Proclamation", start=local(2025, 10, 20, 0), end=local(2025, 10, 20, 23), all_day=True
    )
    event = vevents(feed(client))["Proclamation"]
    assert event["DTSTART"].dt == datetime.date(2025, 10, 20)
    assert event["DTEND"].dt == datetime.date(2025, 10, 21)


def test_feeds_filtered_by_kind(client, local, now):
    make_event("Training", start=local(2025, 10, 22, 10))
    make_event("Week", start=local(2025, 10, 22, 12), kind=Event.Kind.CBW)
    assert set(vevents(feed(client, "/events/calendar/training.ics"))) == {"Training"}
    assert set(vevents(feed(client, "/events/calendar.ics?kind=cbw"))) == {"Week"}
    # Garbage in the query string is ignored; an unknown kind in the path is not found.
    assert set(vevents(feed(client, "/events/calendar.ics?kind=<x>"))) == {"Training", "Week"}
    assert client.get("/events/calendar/nonsense.ics").status_code == 404


def test_feed_answers_conditional_requests(client, local, now):
    event = make_event("Panel", start=local(2025, 10, 22, 10))
    first = client.get("/events/calendar.ics")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get("/events/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert (
        client.get("/events/calendar.ics", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    )
    with time_machine.travel(local(2025, 10, 1, 9, 5), tick=False):
        event.title = "Panel, new title"
        event.save()
    again = client.get("/events/calendar.ics", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    event.delete()
    assert client.get("/events/calendar.ics", HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 200


def test_the_kept_feed_follows_every_change_to_what_it_shows(client, local, now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.views import FEED_PAST_DAYS

    panel = make_event("Panel", start=local(2025, 10, 22, 10))
    make_event("Launch", start=local(2025, 10, 2, 10), publish_at=local(2025, 10, 1, 12))
    assert set(vevents(feed(client))) == {"Panel"}
    with CaptureQueriesContext(connection) as queries:
        assert set(vevents(feed(client))) == {"Panel"}
    assert len(queries) == 2  # which events, as last edited; the body itself is kept

    # Saved (not yet committed, so the page cache's generation has not moved): still seen.
    with time_machine.travel(local(2025, 10, 1, 9, 5), tick=False):
        panel.title = "Panel, new title"
        panel.save()
        assert set(vevents(feed(client))) == {"Panel, new title"}
    # An event published at its scheduled time joins it; one long past leaves it.
    with time_machine.travel(local(2025, 10, 1, 12, 1), tick=False):
        assert set(vevents(feed(client))) == {"Panel, new title", "Launch"}
    later = local(2025, 10, 2, 11) + datetime.timedelta(days=FEED_PAST_DAYS + 1)
    with time_machine.travel(later, tick=False):
        assert set(vevents(feed(client))) == {"Panel, new title"}


def test_saving_other_content_does_not_make_the_feed_again(
    client, local, now, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.factories import make_page

    make_event("Panel", start=local(2025, 10, 22, 10))
    made = []
    build = calendars.build_calendar
    monkeypatch.setattr(
        calendars, "build_calendar", lambda *a, **kw: made.append(1) or build(*a, **kw)
    )
    feed(client)
    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        make_page("Our Work")

    assert set(vevents(feed(client))) == {"Panel"}
    assert len(made) == 1  # 500 events took seconds to make again after every save
    assert "Panel" in vevents(feed(client, "/es/events/calendar.ics"))
    assert len(made) == 2  # each language has its own


def test_saving_one_event_makes_only_that_events_text_again(
    client, local, now, monkeypatch, django_capture_on_commit_callbacks
):
    panel = make_event("Panel", start=local(2025, 10, 22, 10))
    make_event("Winter", start=local(2025, 12, 3, 10))
    make_event("Spring", start=local(2026, 3, 4, 10))
    made = []
    entry = calendars.event_entry
    monkeypatch.setattr(
        calendars, "event_entry", lambda event: made.append(event.title) or entry(event)
    )
    feed(client)
    assert sorted(made) == ["Panel", "Spring", "Winter"]

    made.clear()
    with (
        time_machine.travel(local(2025, 10, 1, 9, 5), tick=False),
        django_capture_on_commit_callbacks(execute=True),  # as the admin's save commits
    ):
        panel.title = "Panel, new title"
        panel.save()
    shown = vevents(feed(client))

    assert set(shown) == {"Panel, new title", "Spring", "Winter"}
    assert made == ["Panel, new title"]  # 500 events took over a second to make again
    assert str(shown["Winter"]["URL"]) == "https://iecmh.example.org/events/winter/"
    made.clear()
    spanish = vevents(feed(client, "/es/events/calendar.ics"))
    assert len(made) == 3  # each language has its own texts
    assert str(spanish["Winter"]["URL"]) == "https://iecmh.example.org/es/events/winter/"


def test_single_event_download(client, local, now):
    event = make_event("Panel", start=local(2025, 10, 22, 10))
    response = client.get(f"/events/{event.slug}.ics")
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert (
        client.get(f"/events/{event.slug}.ics", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )
    (component,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert component.start.astimezone(UTC) == datetime.datetime(2025, 10, 22, 14, tzinfo=UTC)
    draft = make_event("Draft", publish_at=None)
    assert client.get(f"/events/{draft.slug}.ics").status_code == 404


def test_every_download_defines_its_time_zone_before_its_event(client, local, now):
    # The zone's text is worked out once per process: the second download (in winter) must
    # carry the same whole definition, summer time and all, ahead of its event.
    downloads = [
        client.get(f"/events/{make_event(title, start=start).slug}.ics").content
        for title, start in [("Autumn", local(2025, 10, 22, 10)), ("Winter", local(2026, 1, 7, 10))]
    ]
    zones = [ics[ics.index(b"BEGIN:VTIMEZONE") : ics.index(b"END:VTIMEZONE")] for ics in downloads]
    assert zones[0] == zones[1]
    assert all(part in zones[0] for part in (b"TZID:America/New_York", b"BEGIN:DAYLIGHT"))
    assert all(ics.index(b"END:VTIMEZONE") < ics.index(b"BEGIN:VEVENT") for ics in downloads)
    starts = [
        icalendar.Calendar.from_ical(ics).walk("VEVENT")[0].start.astimezone(UTC)
        for ics in downloads
    ]
    assert starts == [
        datetime.datetime(2025, 10, 22, 14, tzinfo=UTC),
        datetime.datetime(2026, 1, 7, 15, tzinfo=UTC),
    ]


def test_a_zone_icalendar_does_not_know_is_left_out_and_the_calendar_still_reads():
    entry = b"BEGIN:VEVENT\r\nUID:x@example.org\r\nSUMMARY:Somewhere\r\nEND:VEVENT\r\n"
    content = calendars.build_calendar([(entry, ("Nowhere/Unknown",))], name="Test")
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar.walk("VTIMEZONE") == []
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Somewhere"]


def test_google_calendar_link_dates(local):
    event = make_event("Panel", start=local(2025, 10, 22, 10), format="online")
    query = parse_qs(urlsplit(calendars.google_calendar_url(event)).query)
    assert query["dates"] == ["20251022T140000Z/20251022T150000Z"]
    assert query["text"] == ["Panel"] and query["ctz"] == ["America/New_York"]
    winter = make_event("Winter", start=local(2025, 12, 3, 10))
    query = parse_qs(urlsplit(calendars.google_calendar_url(winter)).query)
    assert query["dates"] == ["20251203T150000Z/20251203T160000Z"]
    day = make_event("Day", start=local(2025, 10, 20, 0), end=local(2025, 10, 21, 23), all_day=True)
    query = parse_qs(urlsplit(calendars.google_calendar_url(day)).query)
    assert query["dates"] == ["20251020/20251022"]


def test_outlook_link_dates(local):
    event = make_event("Panel", start=local(2025, 10, 22, 10))
    query = parse_qs(urlsplit(calendars.outlook_calendar_url(event)).query)
    assert query["startdt"] == ["2025-10-22T14:00:00Z"]
    assert query["enddt"] == ["2025-10-22T15:00:00Z"]
    assert calendars.outlook_calendar_url(event, work=True).startswith(
        "https://outlook.office.com/"
    )


def test_titles_with_line_breaks_and_control_characters_still_make_calendars(client, now):
    event = make_event("Line one\r\nline two\x00\x07", summary="A\u2028summary\x1b here")

    assert event.title == "Line one line two"  # one line, whatever came in
    for url in [f"/events/{event.slug}.ics", "/events/calendar.ics", event.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
    calendar = icalendar.Calendar.from_ical(client.get("/events/calendar.ics").content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Line one line two"]
