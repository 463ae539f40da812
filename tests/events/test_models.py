import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from events.models import Campaign, Event, EventStatus
from tests.factories import make_campaign, make_event

pytestmark = pytest.mark.django_db


def test_times_are_shown_in_massachusetts_time_across_daylight_saving(local):
    # 22 October 2025 is daylight time (UTC-4); 5 November 2025 is standard time (UTC-5).
    october = make_event(start=datetime.datetime(2025, 10, 22, 14, tzinfo=datetime.UTC))
    november = make_event(start=datetime.datetime(2025, 11, 5, 15, tzinfo=datetime.UTC))
    assert october.when == "Wednesday, October 22, 2025, 10 a.m. to 11 a.m. EDT"
    assert november.when == "Wednesday, November 5, 2025, 10 a.m. to 11 a.m. EST"
    assert (october.time_zone_label, november.time_zone_label) == ("EDT", "EST")


def test_an_event_spanning_the_change_names_both_zones(local):
    # Clocks went back at 2 a.m. on Sunday 2 November 2025.
    event = make_event(start=local(2025, 11, 1, 22), end=local(2025, 11, 2, 3))
    assert event.when == (
        "Saturday, November 1, 2025, 10 p.m. EDT to Sunday, November 2, 2025, 3 a.m. EST"
    )


def test_all_day_events_show_dates_only(local):
    event = make_event(start=local(2025, 10, 20, 0), end=local(2025, 10, 20, 23, 59), all_day=True)
    assert event.when == "Monday, October 20, 2025 (all day)"


def test_upcoming_and_past_split_at_the_current_moment(local):
    started = make_event("In progress", start=local(2026, 11, 25, 9), hours=2)
    ended = make_event("Just ended", start=local(2026, 11, 25, 8), hours=1)
    later = make_event("Later", start=local(2026, 12, 1, 9))
    with time_machine.travel(local(2026, 11, 25, 10, 30), tick=False):
        assert list(Event.objects.upcoming()) == [started, later]
        assert list(Event.objects.past()) == [ended]
    with time_machine.travel(local(2026, 11, 25, 11, 0, 1), tick=False):
        assert list(Event.objects.upcoming()) == [later]
        assert list(Event.objects.past()) == [started, ended]


def test_published_and_trainings():
    training = make_event("Training")
    webinar = make_event("Webinar", kind=Event.Kind.WEBINAR)
    make_event("Week activity", kind=Event.Kind.CBW)
    make_event("Draft", publish_at=None)
    assert set(Event.objects.published().trainings()) == {training, webinar}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"hours": -1}, "end", "The end must be after the start."),
        ({"hours": 0}, "end", "The end must be after the start."),
        (
            {"format": "online", "joining_url": ""},
            "joining_url",
            "An online event needs a joining link, or a registration link that sends it.",
        ),
        (
            {"format": "hybrid", "joining_url": "", "venue_name": "MSPCC, Boston"},
            "joining_url",
            "An online event needs a joining link, or a registration link that sends it.",
        ),
        ({"venue_name": ""}, "venue_name", "An in-person event needs a venue."),
        ({"competencies": ["juggling"]}, "competencies", "Unknown competency areas: juggling."),
    ],
)
def test_validation_errors_read_clearly(fields, field, message):
    with pytest.raises(ValidationError) as excinfo:
        make_event(**fields)
    assert excinfo.value.message_dict[field] == [message]


def test_online_event_with_a_registration_link_only_is_valid():
    event = make_event(format="online", joining_url="", registration_url="https://example.org/r")
    assert event.pk


def test_campaign_validation():
    campaign = Campaign(
        name="CBW",
        year=2025,
        start_date=datetime.date(2025, 10, 24),
        end_date=datetime.date(2025, 10, 20),
        hero_image="events/campaigns/x.png",
        hero_width=1,
        hero_height=1,
    )
    with pytest.raises(ValidationError) as excinfo:
        campaign.clean()
    errors = excinfo.value.message_dict
    assert errors["end_date"] == ["The last day must be on or after the first day."]
    assert errors["hero_alt"] == ["Describe the picture for people who cannot see it."]


def test_sequence_is_bumped_on_every_change_calendars_care_about(local):
    event = make_event(start=local(2025, 10, 22, 10))
    assert event.sequence == 0
    event.save()
    assert event.sequence == 0
    event.start = local(2025, 10, 22, 11)
    event.end = local(2025, 10, 22, 12)
    event.save()
    assert event.sequence == 1
    fresh = Event.objects.get(pk=event.pk)
    fresh.event_status = EventStatus.CANCELLED
    fresh.save(update_fields=["event_status"])
    assert Event.objects.get(pk=event.pk).sequence == 2
    fresh.partner = "mspcc"  # not shown in calendars
    fresh.save()
    assert Event.objects.get(pk=event.pk).sequence == 2


def test_slugs_are_unique_and_never_shadow_the_apps_urls():
    assert make_event("Past").slug == "past-2"
    assert make_event("Calendar").slug == "calendar-2"
    assert make_event("Play time").slug == "play-time"
    assert make_event("Play time").slug == "play-time-2"


def test_campaign_current_or_next(local):
    make_campaign(2025)
    y2026 = make_campaign(2026, start_date=datetime.date(2026, 10, 19))
    make_campaign(2027, start_date=datetime.date(2027, 10, 18), publish_at=None)
    with time_machine.travel(local(2026, 11, 25, 12), tick=False):
        assert Campaign.objects.current_or_next() == y2026
        assert y2026.is_past
    with time_machine.travel(local(2026, 3, 1, 12), tick=False):
        assert Campaign.objects.current_or_next() == y2026
    with time_machine.travel(local(2025, 10, 22, 12), tick=False):
        assert Campaign.objects.current_or_next().year == 2025
    assert y2026.days[0].weekday() == 0 and len(y2026.days) == 5


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["past", "calendar"])
def test_an_event_cannot_take_an_address_the_events_pages_use(slug):
    with pytest.raises(ValidationError) as error:
        make_event("Shadowing", slug=slug)  # the builder validates as the admin would

    assert "slug" in error.value.message_dict
    assert not Event.objects.filter(slug=slug).exists()
