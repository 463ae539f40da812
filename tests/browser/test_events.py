import datetime
import io

import icalendar
import pytest

from events.models import Campaign, Event
from events.views import DAY_PREVIEW
from iecmh_site.demo import events as demo
from tests.browser.test_staff_journeys import assert_no_axe_violations, tab_to
from tests.conftest import run_queued_jobs
from tests.factories import make_event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # pytest-playwright 0.10's session fixtures trip a pytest 9 deprecation (not our code).
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_open_the_week_go_to_wednesdays_panel_and_download_it(live_server, page):
    demo.seed(stdout=io.StringIO())
    run_queued_jobs()  # the pictures and PDFs, as the worker would
    page.goto(f"{live_server.url}/celebrate-babies-week/")
    assert page.locator("h1").inner_text() == "Celebrate Babies Week 2025"
    wednesday = page.locator(
        ".campaign-day", has=page.locator("h3", has_text="Wednesday, October 22")
    )
    wednesday.get_by_role("link", name="Celebrate Babies Week virtual panel").click()
    assert page.locator("h1").inner_text() == "Celebrate Babies Week virtual panel"
    assert page.get_by_text("Wednesday, October 22, 2025, 10 a.m. to 11 a.m. EDT").is_visible()
    # The panel is over: nothing to add to a calendar any more; its .ics address still works.
    assert page.get_by_role("link", name="Download .ics").count() == 0
    response = page.request.get(
        f"{live_server.url}/events/celebrate-babies-week-2025-virtual-panel.ics"
    )
    calendar = icalendar.Calendar.from_ical(response.body())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Celebrate Babies Week virtual panel"
    assert event.start.isoformat() == "2025-10-22T10:00:00-04:00"


def test_download_an_upcoming_event_to_a_calendar(live_server, page):
    demo.seed(stdout=io.StringIO())
    upcoming = Event.objects.published().upcoming().exclude(event_status="cancelled").first()
    page.goto(live_server.url + upcoming.get_absolute_url())
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics").click()
    download = download_info.value
    assert download.suggested_filename == f"{upcoming.slug}.ics"
    calendar = icalendar.Calendar.from_ical(download.path().read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == upcoming.title
    assert event.start == upcoming.start


def test_follow_a_busy_day_from_the_week_to_its_second_page_by_keyboard(live_server, page, local):
    demo.seed(stdout=io.StringIO())
    week = Campaign.objects.get(year=2025)
    for n in range(24):
        make_event(
            f"Story time {n:02}",
            start=local(2025, 10, 22, 12) + datetime.timedelta(minutes=10 * n),
            kind=Event.Kind.CBW,
            campaign=week,
        )
    page.goto(f"{live_server.url}/celebrate-babies-week/2025/")
    wednesday = page.locator(".campaign-day", has=page.locator("h3", has_text="Wednesday"))
    assert wednesday.locator(".event-card").count() == DAY_PREVIEW
    assert_no_axe_violations(page, "a week with a busy day")
    tab_to(
        page,
        page.get_by_role("link", name="See all 25 activities on Wednesday, October 22, 2025"),
        limit=200,
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/celebrate-babies-week/2025/2025-10-22/")
    assert page.locator("h1").inner_text() == "Wednesday, October 22, 2025"
    assert page.locator(".event-card").count() == 20
    assert_no_axe_violations(page, "a busy day's page")
    tab_to(page, page.get_by_role("link", name="Next page"), limit=200)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "(page 2)" in page.title()
    assert page.locator(".event-card").count() == 5
    assert_no_axe_violations(page, "a busy day's second page")
