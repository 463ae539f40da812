"""Signing up from the footer by keyboard alone (one step), then confirming from the email."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from newsletter.models import Subscriber

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # pytest-playwright 0.10's session fixtures trip a pytest 9 deprecation (not our code).
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def tab_to(page, selector: str, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_signup_from_the_footer_and_confirm(page, live_server, settings):
    # The live server answers from its own thread: jobs run there, as soon as queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    settings.NEWSLETTER_MIN_FILL_SECONDS = 0.3
    page.goto(f"{live_server.url}/newsletter/privacy/")

    tab_to(page, "#footer-email")
    page.keyboard.type("keyboard.user@example.org")
    page.keyboard.press("Enter")

    # With JavaScript the footer posts at once (its token fetched when the field got focus),
    # once the minimum fill time is over: no second form to fill.
    page.wait_for_url(re.compile(r"/newsletter/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    [message] = mail.outbox
    link = re.search(r"http://\S+/newsletter/confirm/\S+/", message.body)[0]
    subscriber = Subscriber.objects.get()
    assert subscriber.source == Subscriber.Source.FOOTER
    assert subscriber.interest_keys == [key for key, _label in Subscriber.INTERESTS]

    page.goto(link)
    tab_to(page, "main button")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_signup_form_and_its_errors_pass_axe(page, live_server, settings):
    settings.NEWSLETTER_MIN_FILL_SECONDS = 0
    page.goto(f"{live_server.url}/newsletter/")
    assert Axe().run(page).response["violations"] == []

    page.fill("#id_email", "not an address")
    page.click("main button[type=submit]")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page.locator("#id_email")).to_have_attribute("aria-describedby", "id_email_error")
    assert Axe().run(page).response["violations"] == []


def test_link_pages_pass_axe(page, live_server, settings):
    from newsletter.tokens import make_token
    from tests.factories import make_subscriber

    subscriber = make_subscriber(status=Subscriber.Status.CONFIRMED)
    paths = [
        f"/newsletter/preferences/{make_token(subscriber, purpose='preferences')}/",
        f"/newsletter/unsubscribe/{make_token(subscriber, purpose='unsubscribe')}/",
        f"/newsletter/confirm/{make_token(subscriber, purpose='confirm')}/",
        "/newsletter/confirm/forged/",
        "/newsletter/privacy/",
        "/newsletter/resend/",
        "/newsletter/thanks/?delivery=delayed",
    ]
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert Axe().run(page).response["violations"] == [], path
