import datetime
import html
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, EventStatus
from events.views import DAY_PREVIEW
from tests.factories import make_campaign, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def now(local):
    with time_machine.travel(local(2025, 10, 1, 9), tick=False):
        yield


def json_ld(response):
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no JSON-LD script"
    return json.loads(match.group(1))


def test_upcoming_list_soonest_first_without_past_or_drafts(client, local, now):
    make_event("Later", start=local(2025, 11, 5, 10))
    make_event("Sooner", start=local(2025, 10, 8, 10))
    make_event("Gone", start=local(2025, 9, 1, 10))
    make_event("Hidden", start=local(2025, 10, 9, 10), publish_at=None)
    response = client.get("/events/")
    titles = [e.title for e in response.context["page_obj"]]
    assert titles == ["Sooner", "Later"]
    assert "Wednesday, October 8, 2025, 10 a.m. to 11 a.m. EDT" in response.text
    past = client.get("/events/past/")
    assert [e.title for e in past.context["page_obj"]] == ["Gone"]


def test_filters_by_kind_role_and_format(client, local, roles, now):
    make_event("Clinicians online", format="online", roles=[roles["behavioral-health-clinicians"]])
    make_event("Week", kind=Event.Kind.CBW, roles=[roles["pediatricians"]])
    response = client.get("/events/?role=behavioral-health-clinicians")
    assert [e.title for e in response.context["page_obj"]] == ["Clinicians online"]
    response = client.get("/events/?kind=cbw")
    assert [e.title for e in response.context["page_obj"]] == ["Week"]
    response = client.get("/events/?format=online&kind=training")
    assert [e.title for e in response.context["page_obj"]] == ["Clinicians online"]


def test_the_blank_filters_are_kept_until_a_save_and_asked_filters_drawn_as_asked(
    client, local, roles, now, django_capture_on_commit_callbacks
):
    from iecmh_site.vocabulary import Role

    make_event("Clinicians online", format="online", roles=[roles["behavioral-health-clinicians"]])
    option = '<option value="behavioral-health-clinicians"'
    blank = client.get("/events/").text
    assert f"{option}>" in blank and "Clear filters" not in blank
    # Drawn as asked after the blank form was kept, and the blank form after them unchanged.
    asked = client.get("/events/?role=behavioral-health-clinicians&page=1").text
    assert f"{option} selected>" in asked and "(1 applied)" in asked and "Clear filters" in asked
    garbage = client.get("/events/?kind=nope").text
    assert 'aria-invalid="true"' in garbage and 'aria-invalid="true"' not in blank
    for again in (client.get("/events/?page=1").text, client.get("/events/").text):
        assert f"{option}>" in again and "Clear filters" not in again
        assert f"{option} selected>" not in again
    # Each list keeps its own, sent back to its own address: professional development offers
    # trainings' kinds only; past events the same choices as upcoming ones.
    development = client.get("/professional-development/").text
    assert '<option value="cbw">' in blank and '<option value="cbw">' not in development
    assert 'action="/professional-development/"' in development
    assert 'action="/events/past/"' in client.get("/events/past/").text
    assert "Todos los tipos" in client.get("/es/events/").text

    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        Role.objects.create(name="Doulas", slug="doulas", order=9)
    for address in ("/events/", "/es/events/"):
        assert '<option value="doulas">Doulas</option>' in client.get(address).text
    with django_capture_on_commit_callbacks(execute=True):  # a role renamed, nothing added
        roles["pediatricians"].name = "Pediatric providers"
        roles["pediatricians"].save()
    renamed = client.get("/events/").text
    assert '<option value="pediatricians">Pediatric providers</option>' in renamed


def test_long_lists_go_page_by_page_in_order_with_their_filters(client, local, roles, now):
    clinicians = roles["behavioral-health-clinicians"]
    ahead = [
        make_event(
            f"Ahead {n:02}",
            start=local(2025, 10, 2 + n % 20, 9 + n // 20),
            roles=[clinicians] if n % 2 else [],
        )
        for n in range(25)
    ]
    behind = [
        make_event(f"Behind {n:02}", start=local(2025, 9, 1 + n, 10), kind=Event.Kind.COMMUNITY)
        for n in range(25)
    ]
    soonest = sorted(ahead, key=lambda e: (e.start, e.pk))

    def titles(url):
        page = client.get(url).context["page_obj"]
        return page, [e.title for e in page]

    first, on_first = titles("/events/")
    second, on_second = titles("/events/?page=2")
    assert on_first + on_second == [e.title for e in soonest]
    assert (first.paginator.count, first.has_next(), second.start_index()) == (25, True, 21)
    _, past = titles("/events/past/?page=2")
    assert past == [e.title for e in reversed(behind)][20:]
    _, filtered = titles(f"/events/?role={clinicians.slug}")
    assert filtered == [
        e.title for e in soonest if e.title[-2:] in {f"{n:02}" for n in range(1, 25, 2)}
    ]
    _, trainings = titles("/professional-development/?page=2")
    assert trainings == [e.title for e in soonest][20:]
    home = client.get("/").context["trainings"]
    assert [e.title for e in home] == [e.title for e in soonest][:3]


@pytest.mark.parametrize(
    "query",
    [
        "?kind=nope",
        "?role=nobody",
        "?format=%01",
        "?page=999999999999999999999",
        "?page=x",
        "?kind[]=1&role=",
        "?page=-1",
    ],
)
def test_garbage_never_breaks_the_lists(client, query, now):
    make_event("One")
    for url in ("/events/", "/events/past/", "/professional-development/"):
        assert client.get(url + query).status_code == 200


def test_detail_page_shows_place_cost_audience_and_calendar_links(client, local, roles, now):
    event = make_event(
        "Panel",
        start=local(2025, 10, 22, 10),
        format="hybrid",
        roles=[roles["home-visitors"]],
        registration_url="https://example.org/register",
        price=15,
    )
    response = client.get(event.get_absolute_url())
    text = response.text
    assert "Wednesday, October 22, 2025, 10 a.m. to 11 a.m. EDT" in text
    assert "openstreetmap.org/search" in text
    assert "join the event online" in text
    assert "$15" in text and "Home visitors" in text
    assert f'href="/events/{event.slug}.ics"' in text
    assert "calendar.google.com" in text and "outlook.live.com" in text
    assert 'href="https://example.org/register"' in text


def test_cancelled_events_stay_visible_with_a_banner(client, now):
    event = make_event("Off", event_status=EventStatus.CANCELLED, status_note="The trainer is ill.")
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "This event is cancelled." in response.text and "The trainer is ill." in response.text


def test_drafts_are_for_staff_only(client, staff_user, now):
    draft = make_event("Draft", publish_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(staff_user)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "Only signed-in staff can see this page" in response.text


def test_json_ld_is_a_schema_org_event(client, local, now):
    campaign = make_campaign()
    event = make_event(
        "Panel </script><b>",
        start=local(2025, 10, 22, 10),
        format="online",
        kind=Event.Kind.CBW,
        campaign=campaign,
        event_status=EventStatus.CANCELLED,
    )
    response = client.get(event.get_absolute_url())
    data = json_ld(response)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Panel </script><b>"
    assert data["startDate"] == "2025-10-22T10:00:00-04:00"
    assert data["endDate"] == "2025-10-22T11:00:00-04:00"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.org/room"}
    assert data["offers"]["price"] == "0.00" and data["offers"]["priceCurrency"] == "USD"
    assert {org["name"].split("(")[-1] for org in data["organizer"]} == {"MSPCC)", "MassAIMH)"}
    assert data["superEvent"]["name"] == "Celebrate Babies Week 2025"
    assert data["superEvent"]["url"].endswith("/celebrate-babies-week/2025/")
    assert "Panel </script>" not in response.text.split("<body")[0].split("ld+json")[1]


def test_json_ld_place_for_in_person_events(client, now):
    event = make_event("Here", venue_name="MSPCC, Boston", venue_address="Boston, MA")
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["location"] == {"@type": "Place", "name": "MSPCC, Boston", "address": "Boston, MA"}
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"


def test_celebrate_babies_week_agenda_monday_to_friday(client, local, now):
    campaign = make_campaign(theme="Babies first")
    make_event("Panel", start=local(2025, 10, 22, 10), kind=Event.Kind.CBW, campaign=campaign)
    make_event(
        "Hidden",
        start=local(2025, 10, 21, 10),
        campaign=campaign,
        publish_at=None,
    )
    response = client.get("/celebrate-babies-week/")
    assert response.context["campaign"] == campaign
    days = response.context["days"]
    assert [day.date.strftime("%A") for day in days] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
    ]
    assert [[e.title for e in day.events] for day in days] == [[], [], ["Panel"], [], []]
    assert "Babies first" in response.text
    assert client.get("/celebrate-babies-week/2025/").context["campaign"] == campaign


def test_a_busy_day_shows_its_first_activities_and_every_one_on_its_own_pages(
    client, staff_user, local, now
):
    campaign = make_campaign()
    wednesday = [
        make_event(
            f"Wednesday {n:02}",
            start=local(2025, 10, 22, 8) + datetime.timedelta(minutes=10 * n),
            kind=Event.Kind.CBW,
            campaign=campaign,
        )
        for n in range(DAY_PREVIEW + 13)
    ]
    make_event("Monday", start=local(2025, 10, 20, 10), kind=Event.Kind.CBW, campaign=campaign)
    make_event("Kick-off", start=local(2025, 10, 19, 15), kind=Event.Kind.CBW, campaign=campaign)
    make_event("Draft", start=local(2025, 10, 22, 7), campaign=campaign, publish_at=None)
    # Days are Massachusetts days: 23:30 on Tuesday is already Wednesday in UTC.
    make_event("Late", start=local(2025, 10, 21, 23, 30), kind=Event.Kind.CBW, campaign=campaign)
    make_event("Early", start=local(2025, 10, 23, 0, 30), kind=Event.Kind.CBW, campaign=campaign)

    week = client.get("/celebrate-babies-week/")
    agenda = {day.date.strftime("%A"): day for day in week.context["days"]}
    # A Sunday kick-off before the week is a day of the agenda like the others.
    assert list(agenda) == ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert [e.title for e in agenda["Wednesday"].events] == [
        e.title for e in wednesday[:DAY_PREVIEW]
    ]
    assert [e.title for e in agenda["Tuesday"].events] == ["Late"]
    assert [e.title for e in agenda["Thursday"].events] == ["Early"]
    text = html.unescape(week.text)
    assert text.count('class="card event-card') == DAY_PREVIEW + 4
    # The week's structured data lists what the page shows; each activity's page names the week.
    assert len(json_ld(week)["subEvent"]) == DAY_PREVIEW + 4
    day_url = "/celebrate-babies-week/2025/2025-10-22/"
    assert f'<a href="{day_url}">See all 25 activities on Wednesday, October 22, 2025</a>' in text
    assert text.count("/celebrate-babies-week/2025/2025-") == 1  # the quiet days need none

    first, second = client.get(day_url), client.get(day_url + "?page=2")
    assert first.context["page_obj"].paginator.count == 25
    assert [e.title for e in first.context["page_obj"]] + [
        e.title for e in second.context["page_obj"]
    ] == [e.title for e in wednesday]
    assert "25 activities this day." in first.text and "Draft" not in first.text
    assert "<title>Wednesday, October 22, 2025: Celebrate Babies Week 2025 (page 2) |" in (
        second.text
    )
    assert 'href="?page=2#' not in first.text and 'href="?page=2"' in first.text
    # Garbage page numbers show the first page; a page past the end, the last.
    assert client.get(day_url + "?page=x").context["page_obj"].number == 1
    assert client.get(day_url + "?page=99").context["page_obj"].number == 2
    for path, titles in [
        ("/celebrate-babies-week/2025/2025-10-19/", ["Kick-off"]),
        ("/celebrate-babies-week/2025/2025-10-21/", ["Late"]),
        ("/celebrate-babies-week/2025/2025-10-23/", ["Early"]),
    ]:
        assert [e.title for e in client.get(path).context["page_obj"]] == titles

    client.force_login(staff_user)  # staff see the draft too, and count it
    staff = client.get(day_url)
    assert staff.context["page_obj"][0].title == "Draft" and "26 activities" in staff.text
    client.logout()

    spanish = client.get("/es" + day_url)
    assert "25 actividades este día." in spanish.text and "Ver toda la semana" in spanish.text
    assert "Ver las 25 actividades del miércoles, 22 de octubre de 2025" in html.unescape(
        client.get("/es/celebrate-babies-week/").text
    )


@pytest.mark.parametrize(
    "path",
    [
        "/celebrate-babies-week/2025/2025-10-18/",  # no activity, not one of the week's days
        "/celebrate-babies-week/2025/2025-02-30/",  # no such day
        "/celebrate-babies-week/2025/2025-13-01/",
        "/celebrate-babies-week/2025/22-10-2025/",
        "/celebrate-babies-week/2024/2025-10-22/",  # no week that year
        "/celebrate-babies-week/2026/2026-10-21/",  # that year's week is a draft
        "/celebrate-babies-week/2025/9999-12-31/",  # a day without a next day
    ],
)
def test_a_day_of_the_week_that_is_not_there_is_a_404(client, local, now, path):
    make_campaign()
    make_campaign(2026, start_date=datetime.date(2026, 10, 19), publish_at=None)
    assert client.get(path).status_code == 404


def test_a_quiet_day_of_the_week_has_a_page_too(client, now):
    make_campaign()
    response = client.get("/celebrate-babies-week/2025/2025-10-21/")
    assert response.status_code == 200
    assert "No activity announced for this day yet." in response.text
    assert "0 activities" not in response.text


def test_celebrate_babies_week_archive_and_missing_years(client, now):
    make_campaign(2024, start_date=datetime.date(2024, 10, 21))
    make_campaign(2023, start_date=datetime.date(2023, 10, 16), publish_at=None)
    assert client.get("/celebrate-babies-week/2024/").status_code == 200
    assert client.get("/celebrate-babies-week/2023/").status_code == 404
    assert client.get("/celebrate-babies-week/99999999999999999999/").status_code == 404


def test_celebrate_babies_week_without_any_campaign(client, db):
    response = client.get("/celebrate-babies-week/")
    assert response.status_code == 200 and "Celebrate Babies Week" in response.text


def test_professional_development_lists_upcoming_trainings_with_hours(client, roles, now):
    make_event(
        "Hours", training_hours=3, competencies=["reflection"], roles=[roles["pediatricians"]]
    )
    make_event("Week activity", kind=Event.Kind.CBW)
    response = client.get("/professional-development/")
    assert [e.title for e in response.context["page_obj"]] == ["Hours"]
    assert "3 training hours" in html.unescape(response.text)
    assert "Reflection" in response.text
    response = client.get("/professional-development/?role=family-partners")
    assert list(response.context["page_obj"]) == []


def make_many(count, campaign, roles, local):
    start = local(2025, 10, 20, 9)
    events = Event.objects.bulk_create(
        Event(
            title=f"Event {n}",
            slug=f"event-{n}",
            summary="About it.",
            start=start + datetime.timedelta(minutes=n),
            end=start + datetime.timedelta(minutes=n + 60),
            kind=Event.Kind.CBW if n % 2 else Event.Kind.TRAINING,
            campaign=campaign,
            venue_name="MSPCC, Boston",
            training_hours=1,
            competencies=["reflection"],
            publish_at=timezone.now(),
        )
        for n in range(count)
    )
    Through = Event.roles.through
    Through.objects.bulk_create(
        Through(event=event, role=role) for event in events for role in roles.values()
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_constant_queries_whatever_the_number_of_events(client, local, roles, count):
    campaign = make_campaign()
    make_many(count, campaign, roles, local)
    urls = [
        "/events/",
        "/events/?role=pediatricians",
        "/professional-development/",
        "/celebrate-babies-week/",
        "/events/calendar.ics",
    ]
    with time_machine.travel(local(2025, 10, 1, 9), tick=False):
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            assert len(queries) <= 8, (url, [q["sql"] for q in queries])
    with time_machine.travel(local(2025, 12, 1, 9), tick=False):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/events/past/").status_code == 200
        assert len(queries) <= 8


def test_saving_other_content_keeps_the_event_cards(
    client, local, now, reads, django_capture_on_commit_callbacks
):
    from tests.factories import make_page

    make_event("Panel", start=local(2025, 10, 22, 10))
    client.get("/events/")
    drawn = reads(Event, "when")
    with django_capture_on_commit_callbacks(execute=True):  # as the admin's save commits
        make_page("Our Work")

    assert ">Panel</a>" in client.get("/events/").text
    assert drawn == []  # twenty cards drawn again after every save took 60 ms of the page
    assert ">Panel</a>" in client.get("/es/events/").text
    assert drawn == ["Panel"]  # each language has its own


def test_the_kept_event_cards_follow_edits_and_renamed_roles(
    client, local, now, django_capture_on_commit_callbacks
):
    from iecmh_site.vocabulary import Role

    visitors = Role.objects.get(slug="home-visitors")
    event = make_event("Panel", start=local(2025, 10, 22, 10), roles=[visitors])
    assert '<li class="tag">Home visitors</li>' in client.get("/events/").text

    # An edit moves the event's last-edit time: its card is drawn afresh at once.
    with time_machine.travel(local(2025, 10, 1, 9, 5), tick=False):
        event.title = "Panel, new title"
        event.save()
    assert ">Panel, new title</a>" in client.get("/events/").text
    # A role renamed leaves the event untouched; the committed save draws every card afresh.
    with django_capture_on_commit_callbacks(execute=True):
        Role.objects.filter(pk=visitors.pk).update(name="Home visiting staff")
        visitors.refresh_from_db()
        visitors.save()
    listing = client.get("/events/").text
    assert '<li class="tag">Home visiting staff</li>' in listing
    assert "Home visitors</li>" not in listing
    # Its roles changed alone (the event's row, and so its last edit, untouched).
    with django_capture_on_commit_callbacks(execute=True):
        event.roles.add(Role.objects.exclude(pk=visitors.pk).first())
    assert client.get("/events/").text.count('<li class="tag">') == 2
