"""Public pages and calendar feeds of the events app."""

import hashlib
import json
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber, TruncDate
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import condition

from events import calendars, jsonld
from events.forms import EventFilterForm
from events.models import LOCAL_TZ, Campaign, Event
from iecmh_site import drafts
from iecmh_site.cache import (
    cache_public_page,
    cache_skip_unless_canonical,
    content_cached,
    contents_cached,
)
from iecmh_site.dates import long_date
from iecmh_site.jsonld import to_script_json

FILTER_PARAMS = {"kind", "role", "format", "page"}

PAGE_SIZE = 20
# The week's page shows each day's first activities; a busier day has its own page, so the
# week's page stays small however many there are (405 activities were 324 KB of HTML).
DAY_PREVIEW = 12
# The subscribable feed carries upcoming events and those that ended in this many days.
FEED_PAST_DAYS = 90
FEED_MAX_EVENTS = 500
FEED_MAX_AGE = 15 * 60


def _page(request, form, queryset):
    # get_page turns garbage and out-of-range numbers into the first or last page. It counts
    # and cuts the narrow rows; only the page's are then read in full.
    picked = form.filter(queryset).values("pk")
    page = Paginator(picked, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(queryset.in_full(page.object_list))
    cache_skip_unless_canonical(request, valid=not form.errors, page=page)
    return page


@cache_public_page(params=FILTER_PARAMS)
def event_list(request, *, past: bool = False):
    events = Event.objects.published().with_related()
    events = events.past() if past else events.upcoming()
    form = EventFilterForm(request.GET)
    if past:
        crumbs = [
            (gettext("Events"), reverse("events:list")),
            (gettext("Past events"), reverse("events:past")),
        ]
    else:
        crumbs = [(gettext("Events"), reverse("events:list"))]
    return render(
        request,
        "events/event_list.html",
        {
            "page_obj": _page(request, form, events),
            "form": form,
            "past": past,
            "crumbs": crumbs,
        },
    )


@cache_public_page(params=FILTER_PARAMS)
def professional_development(request):
    events = Event.objects.published().upcoming().trainings().with_related()
    form = EventFilterForm(request.GET, kinds=Event.PROFESSIONAL_DEVELOPMENT_KINDS)
    return render(
        request,
        "events/professional_development.html",
        {
            "page_obj": _page(request, form, events),
            "form": form,
            "crumbs": [
                (gettext("Professional development"), reverse("events:professional-development"))
            ],
        },
    )


@cache_public_page
def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.visible_to(request.user).with_related().with_materials(), slug=slug
    )
    event = drafts.preview(request, event)
    crumbs = [(gettext("Events"), reverse("events:list"))]
    if event.campaign and event.campaign.is_published:
        crumbs.append((event.campaign.name, event.campaign.get_absolute_url()))
    crumbs.append((event.title, event.get_absolute_url()))
    context = {
        "event": event,
        "crumbs": crumbs,
        # Invented demo content is never offered to search engines as data.
        "json_ld": "" if event.is_sample else to_script_json(jsonld.event_data(event)),
        # Recordings and slides are for afterwards; before, the page invites to take part.
        "materials": list(event.materials.all()) if event.is_past else [],
    }
    if event.is_joinable:
        context |= {
            "google_url": calendars.google_calendar_url(event),
            "outlook_url": calendars.outlook_calendar_url(event),
            "outlook_work_url": calendars.outlook_calendar_url(event, work=True),
        }
    return render(request, "events/event_detail.html", context)


def _event_version(request, slug):
    return Event.objects.published().filter(slug=slug).values_list("updated_at", flat=True).first()


def _event_etag(request, slug):
    updated_at = _event_version(request, slug)
    return None if updated_at is None else f'"{updated_at.isoformat()}"'


def _calendar_response(content: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


@cache_public_page
@condition(etag_func=_event_etag, last_modified_func=_event_version)
def event_ics(request, slug):
    event = get_object_or_404(Event.objects.published(), slug=slug)
    content = calendars.build_calendar([calendars.event_entry(event)], name=event.title)
    return _calendar_response(content, filename=f"{event.slug}.ics", attachment=True)


def _feed_kind(request, kind):
    """The kind to filter by: from the path (unknown: 404) or ?kind= (unknown: ignored)."""
    if kind is not None:
        if kind not in Event.Kind.values:
            raise Http404("No such kind of event.")
        return kind
    requested = request.GET.get("kind", "")
    if requested not in Event.Kind.values:
        cache_skip_unless_canonical(request, valid="kind" not in request.GET)
        return None
    return requested


def _feed_filter(kind) -> Q:
    now = timezone.now()
    condition_ = Q(publish_at__lte=now) & Q(end__gte=now - timedelta(days=FEED_PAST_DAYS))
    return condition_ & Q(kind=kind) if kind else condition_


def _feed_rows(request, kind) -> list[tuple[int, datetime]]:
    """The feed's events as (id, last edit), once per request: its ETag and its kept body are
    both made from them, so either changes exactly when what the feed shows does."""
    if not hasattr(request, "feed_rows"):
        events = Event.objects.filter(_feed_filter(kind)).order_by("start", "pk")
        request.feed_rows = list(events.values_list("pk", "updated_at")[:FEED_MAX_EVENTS])
    return request.feed_rows


def _feed_etag(request, kind=None):
    """Once per request too: the conditional check and the kept body's key both use it."""
    if not hasattr(request, "feed_etag"):
        kind = _feed_kind(request, kind)
        rows = [(pk, updated_at.isoformat()) for pk, updated_at in _feed_rows(request, kind)]
        digest = hashlib.sha256(json.dumps([kind, rows]).encode()).hexdigest()[:32]
        request.feed_etag = f'"{digest}"'
    return request.feed_etag


def _feed_last_modified(request, kind=None):
    kind = _feed_kind(request, kind)
    events = Event.objects.filter(kind=kind) if kind else Event.objects.all()
    return events.aggregate(latest=Max("updated_at"))["latest"]


def _entries(rows: list[tuple[int, datetime]]) -> list[tuple[bytes, tuple[str, ...]]]:
    """The calendar text of the events (id, last edit), in that order. Each event's text is
    kept under its last edit, so a feed made again after one event's save makes only that
    event's text: 500 of them took over a second of CPU."""

    def build_missing(ids):
        events = Event.objects.filter(pk__in=ids).iterator(chunk_size=100)
        return {event.pk: calendars.event_entry(event) for event in events}

    names = {pk: f"vevent:{pk}:{updated_at.isoformat()}" for pk, updated_at in rows}
    entries = contents_cached(names, build_missing)
    # An event deleted since its row was read is left out.
    return [entries[pk] for pk, _updated_at in rows if pk in entries]


@cache_public_page(params={"kind"})
@condition(etag_func=_feed_etag, last_modified_func=_feed_last_modified)
def calendar_feed(request, kind=None):
    """Upcoming and recent events. The body is kept under its ETag (saving other content does
    not make it again), and each event's text under its last edit."""
    kind = _feed_kind(request, kind)

    def build():
        name = gettext("IECMH Workforce Partnership events")
        if kind:
            name = f"{name}: {Event.Kind(kind).label}"
        return calendars.build_calendar(_entries(_feed_rows(request, kind)), name=name)

    content = content_cached(f"calendar-feed:{_feed_etag(request, kind)}", build)
    filename = f"iecmh-{kind or 'events'}.ics"
    return _calendar_response(content, filename=filename, attachment=False)


def _campaign_page(request, campaign: Campaign | None, *, current: bool):
    crumbs = [("Celebrate Babies Week", reverse("events:cbw"))]
    if campaign is None:
        return render(
            request,
            "events/campaign_detail.html",
            {"campaign": None, "crumbs": crumbs, "archive": []},
        )
    campaign = drafts.preview(request, campaign)
    if not current:
        crumbs.append((campaign.name, campaign.get_absolute_url()))
    days = _agenda(request, campaign)
    archive = list(
        Campaign.objects.published()
        .exclude(pk=campaign.pk)
        .only("name", "year", "start_date", "end_date")
    )
    # Next year's dates are announced by publishing next year's week (the yearly copy).
    next_week = next((other for other in archive if other.year == campaign.year + 1), None)
    feed_path = reverse("events:calendar-kind", kwargs={"kind": Event.Kind.CBW})
    shown = [event for day in days for event in day.events]
    return render(
        request,
        "events/campaign_detail.html",
        {
            "campaign": campaign,
            "current": current,
            "days": days,
            "files": campaign.files.filter(ready=True),
            "archive": archive,
            "next_week": next_week,
            "feed_url": feed_path,
            "webcal_url": calendars.webcal_url(feed_path),
            "crumbs": crumbs,
            # Invented demo content is never offered to search engines as data.
            "json_ld": ""
            if campaign.is_sample
            else to_script_json(jsonld.campaign_data(campaign, shown)),
        },
    )


class AgendaDay(NamedTuple):
    """One day of the week's page: its first activities, how many it has and its own page."""

    date: date
    events: list[Event]
    total: int
    url: str

    @property
    def more(self) -> bool:
        return self.total > len(self.events)


def _agenda(request, campaign: Campaign) -> list[AgendaDay]:
    """The week's days, and any other day with one of its activities, each with its first
    DAY_PREVIEW activities and their number, in one query (and one for their roles)."""
    day = TruncDate("start", tzinfo=LOCAL_TZ)
    events = (
        # Not with_related(): the week's manager gives each activity this campaign, where a
        # join made a copy of it per activity (2 MiB of a worker for 400 activities).
        campaign.events.visible_to(request.user)
        .annotate(
            day=day,
            place=Window(RowNumber(), partition_by=day, order_by=(F("start"), F("pk"))),
            on_day=Window(Count("pk"), partition_by=day),
        )
        .filter(place__lte=DAY_PREVIEW)
        .order_by("start", "pk")
        .with_role_list()
    )
    by_day = {}
    for event in events:
        by_day.setdefault(event.day, []).append(event)
    return [
        AgendaDay(
            date=when,
            events=by_day.get(when, []),
            total=by_day[when][0].on_day if when in by_day else 0,
            url=reverse("events:cbw-day", kwargs={"year": campaign.year, "day": when}),
        )
        for when in sorted(set(campaign.days) | by_day.keys())
    ]


@cache_public_page(params={"page"})
def campaign_day(request, year: int, day: date):
    """Every activity of one day of the week, a page at a time: the week's page shows each
    day's first DAY_PREVIEW."""
    if not 1900 <= day.year < 9999:  # 9999-12-31 has no next day
        raise Http404("No such day.")
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), year=year)
    campaign = drafts.preview(request, campaign)
    start, end = (datetime.combine(d, time(), tzinfo=LOCAL_TZ) for d in (day, day + timedelta(1)))
    events = (
        campaign.events.visible_to(request.user)
        .filter(start__gte=start, start__lt=end)
        .order_by("start", "pk")
        .with_role_list()
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.paginator.count and day not in campaign.days:
        raise Http404("The week has no activity that day.")
    cache_skip_unless_canonical(request, page=page)
    crumbs = [
        ("Celebrate Babies Week", reverse("events:cbw")),
        (campaign.name, campaign.get_absolute_url()),
        (long_date(day), reverse("events:cbw-day", kwargs={"year": year, "day": day})),
    ]
    return render(
        request,
        "events/campaign_day.html",
        {"campaign": campaign, "day": day, "page_obj": page, "crumbs": crumbs},
    )


@cache_public_page
def campaign_current(request):
    return _campaign_page(request, Campaign.objects.current_or_next(), current=True)


@cache_public_page
def campaign_year(request, year: int):
    if not 1900 <= year <= 9999:
        raise Http404("No Celebrate Babies Week that year.")
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), year=year)
    return _campaign_page(request, campaign, current=False)
