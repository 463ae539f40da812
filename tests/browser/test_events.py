import io

import icalendar
import pytest

from iecmh_site.demo import events as demo
from tests.conftest import run_queued_jobs

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
        ".campaign-day", has=page.locator("h3", has_text="Wednesday 22 October")
    )
    wednesday.get_by_role("link", name="Celebrate Babies Week virtual panel").click()
    assert page.locator("h1").inner_text() == "Celebrate Babies Week virtual panel"
    assert page.get_by_text("Wednesday 22 October 2025, 10 a.m. to 11 a.m. EDT").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics").click()
    download = download_info.value
    assert download.suggested_filename == "celebrate-babies-week-2025-virtual-panel.ics"
    calendar = icalendar.Calendar.from_ical(download.path().read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Celebrate Babies Week virtual panel"
    assert event.start.isoformat() == "2025-10-22T10:00:00-04:00"
