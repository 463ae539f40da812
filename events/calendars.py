"""iCalendar feeds and "add to calendar" links for events (RFC 5545 via the icalendar library)."""

import functools
from collections.abc import Iterable
from datetime import UTC, timedelta
from urllib.parse import urlencode, urlsplit

import icalendar
from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext

from events.models import LOCAL_TZ, Event, EventStatus
from iecmh_site.translating import is_translated

PRODID = "-//IECMH Workforce Partnership//Events//EN"
UTC_FORMAT = "%Y%m%dT%H%M%SZ"


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def webcal_url(path: str) -> str:
    """The address a calendar app opens as a subscription (Apple Calendar, Outlook)."""
    return "webcal://" + absolute_url(path).split("://", 1)[1]


def event_uid(event: Event) -> str:
    """Stable across edits (title, slug and dates may all change): built from the primary key."""
    return f"event-{event.pk}@{site_host()}"


def plain_description(event: Event) -> str:
    # The calendar shows the time in the reader's own zone; the text keeps Massachusetts time.
    # Written in the active language (the page or feed it comes from); the event's own text
    # falls back to English until it is translated.
    parts = [event.summary, gettext("When: %(when)s") % {"when": event.when}]
    if event.status_note and not event.is_going_ahead:
        parts.insert(0, f"{event.get_event_status_display()}: {event.status_note}")
    body = strip_tags(event.description or "").strip()
    if body:
        parts.append(body)
    if event.joining_url:
        parts.append(gettext("Join online: %(url)s") % {"url": event.joining_url})
    if event.registration_url:
        parts.append(gettext("Register: %(url)s") % {"url": event.registration_url})
    details = absolute_url(event.get_absolute_url())
    parts.append(gettext("Details: %(url)s") % {"url": details})
    return "\n\n".join(parts)


def location_text(event: Event) -> str:
    location = event.location_text
    if event.is_online and event.joining_url:
        online = gettext("Online")
        location = location.replace(online, f"{online}: {event.joining_url}")
    return location


def content_language(item) -> str:
    """The language of an event's (or a week's) own text as served now: the active language
    once the item is translated into it, English until then."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if is_translated(item, language) else settings.LANGUAGE_CODE


def _all_day_dates(event: Event):
    first = event.local_start.date()
    # DTEND of an all-day event is the day after the last day (exclusive).
    return first, max(event.local_end.date(), first) + timedelta(days=1)


def vevent(event: Event) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", event.updated_at)
    component.add("created", event.created_at)
    component.add("last-modified", event.updated_at)
    component.add("sequence", event.sequence)
    language = {"LANGUAGE": content_language(event)}
    component.add("summary", event.title, parameters=language)
    if event.all_day:
        first, after_last = _all_day_dates(event)
        component.add("dtstart", first)
        component.add("dtend", after_last)
    else:
        component.add("dtstart", event.start.astimezone(LOCAL_TZ))
        component.add("dtend", event.end.astimezone(LOCAL_TZ))
    component.add("description", plain_description(event), parameters=language)
    location = location_text(event)
    if location:
        component.add("location", location)
    component.add("url", absolute_url(event.get_absolute_url()))
    status = {
        EventStatus.GOING_AHEAD: "CONFIRMED",
        EventStatus.CANCELLED: "CANCELLED",
        EventStatus.POSTPONED: "TENTATIVE",
    }[event.event_status]
    component.add("status", status)
    component.add("categories", [str(event.get_kind_display())])
    component.add("transp", "TRANSPARENT" if event.all_day else "OPAQUE")
    return component


def event_entry(event: Event) -> tuple[bytes, tuple[str, ...]]:
    """The event's VEVENT as text, and the time zones it names (which the calendar defines
    before its events). Made from the event's own row alone, in the active language, so it
    can be kept under the event's last edit."""
    alone = icalendar.Calendar()
    alone.add_component(vevent(event))
    return alone.subcomponents[0].to_ical(), tuple(sorted(alone.get_missing_tzids()))


def build_calendar(entries: Iterable[tuple[bytes, tuple[str, ...]]], *, name: str) -> bytes:
    """The calendar of the events whose ``entries`` (``event_entry()``) are given. Written one
    event at a time: 500 events held as one tree of icalendar objects took a web worker 9 MiB
    more memory than their text does."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(LOCAL_TZ))
    # Ask subscribed clients to poll a few times a day, not every minute.
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    written, tzids = [], set()
    for text, named in entries:
        written.append(text)
        tzids.update(named)
    # The time zones the events use come before them, as add_missing_timezones() puts them.
    zones = [zone for tzid in sorted(tzids) if (zone := timezone_text(tzid))]
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    return head.removesuffix(end) + b"".join(zones) + b"".join(written) + end


@functools.lru_cache(maxsize=16)
def timezone_text(tzid: str) -> bytes:
    """The VTIMEZONE of ``tzid`` as text; empty for a zone icalendar does not know, which is
    left out, as there. The same in every calendar, so kept for the process: icalendar works
    it out by searching 68 years of transitions ("Please cache the results"), which was over
    half of the time an event's own calendar took (README, "Benchmark")."""
    try:
        return icalendar.Timezone.from_tzid(tzid).to_ical()
    except ValueError:
        return b""


def google_calendar_url(event: Event) -> str:
    if event.all_day:
        first, after_last = _all_day_dates(event)
        dates = f"{first:%Y%m%d}/{after_last:%Y%m%d}"
    else:
        start, end = event.start.astimezone(UTC), event.end.astimezone(UTC)
        dates = f"{start:{UTC_FORMAT}}/{end:{UTC_FORMAT}}"
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": dates,
        "details": plain_description(event),
        "location": location_text(event),
        "ctz": str(LOCAL_TZ),
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def outlook_calendar_url(event: Event, *, work: bool = False) -> str:
    """Outlook on the web: outlook.live.com for personal accounts, office.com for work ones."""
    if event.all_day:
        first, after_last = _all_day_dates(event)
        start, end = first.isoformat(), after_last.isoformat()
    else:
        start = event.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        end = event.end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": start,
        "enddt": end,
        "allday": "true" if event.all_day else "false",
        "body": plain_description(event),
        "location": location_text(event),
    }
    host = "outlook.office.com" if work else "outlook.live.com"
    return f"https://{host}/calendar/0/action/compose?" + urlencode(params)
