"""An event page printed from Chromium: its facts and addresses on paper, not the site around it."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import make_event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # pytest-playwright 0.10's session fixtures trip a pytest 9 deprecation (not our code).
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

REGISTER = "https://example.org/register"
JOIN = "https://meet.example.org/room"


@pytest.fixture
def event(db):
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=10)
    return make_event(
        "Reflective supervision in practice",
        start=start,
        hours=2,
        format="hybrid",
        venue_name="MSPCC, Boston",
        joining_url=JOIN,
        registration_url=REGISTER,
        price=15,
        cost_note="members free",
    )


def after_content(page, selector: str) -> str:
    return page.eval_on_selector(selector, "el => getComputedStyle(el, '::after').content")


def test_an_event_prints_its_facts_and_its_registration_address(live_server, page, event):
    page.goto(live_server.url + event.get_absolute_url())
    page.emulate_media(media="print")

    for visible in ["h1", ".event-facts", ".event-register a"]:
        assert page.locator(visible).is_visible(), visible
    for hidden in ["#site-nav", ".site-footer", ".breadcrumbs", ".event-add", "footer form"]:
        assert page.locator(hidden).count() == 0 or page.locator(hidden).is_hidden(), hidden
    # The registration and joining addresses are written out; other links print as words.
    assert after_content(page, ".event-register a") == f'" ({REGISTER})"'
    assert after_content(page, f'.event-facts a[href="{JOIN}"]') == f'" ({JOIN})"'
    assert after_content(page, '.event-facts a[href*="openstreetmap"]') == "none"

    printed = PdfReader(io.BytesIO(page.pdf(format="Letter"))).pages
    text = " ".join(" ".join(sheet.extract_text() for sheet in printed).split())
    assert "Reflective supervision in practice" in text
    assert event.when in text
    assert "MSPCC, Boston" in text and "Online" in text
    assert "$15 (members free)" in text
    assert f"Register ({REGISTER})" in text and f"({JOIN})" in text
    for absent in ["Add to your calendar", "Google Calendar", "Join our mailing list", "Skip to"]:
        assert absent not in text, absent


def test_on_screen_nothing_changes(live_server, page, event):
    page.goto(live_server.url + event.get_absolute_url())
    assert page.locator(".event-add").is_visible()
    assert after_content(page, ".event-register a") == "none"
