"""A Spanish reader: the switcher leads to the same page in the other language, and a signup
made in Spanish gets its email in Spanish from a real SMTP server."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from newsletter.models import Subscriber
from tests.factories import make_event, make_page, make_report

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # pytest-playwright 0.10's session fixtures trip a pytest 9 deprecation (not our code).
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def test_the_switcher_leads_to_the_same_page_in_the_other_language(page, live_server):
    make_page("Our Work", title_es="Nuestro trabajo", body="<p>Who we are.</p>")
    report = make_report("The mapping", title_es="El mapeo")
    event = make_event("A training")  # not translated: the Spanish page says so
    kinds = [
        ("/our-work/", "Nuestro trabajo", "Our Work"),
        (report.get_absolute_url(), "El mapeo", "The mapping"),
        (event.get_absolute_url(), "A training", "A training"),
    ]
    for path, spanish_title, english_title in kinds:
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_role("link", name="Español").click()

        assert page.url == f"{live_server.url}/es{path}"
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", level=1)).to_have_text(spanish_title)
        alternates = page.locator('link[rel="alternate"][hreflang]')
        expect(alternates).to_have_count(3)  # en, es, x-default

        page.get_by_role("link", name="English").click()
        assert page.url == live_server.url + path
        expect(page.get_by_role("heading", level=1)).to_have_text(english_title)

    page.goto(f"{live_server.url}/es{event.get_absolute_url()}")
    note = page.get_by_role("note").filter(has_text="español")
    expect(note).to_be_visible()
    expect(page.locator("[lang=en]").filter(has_text="A training").first).to_be_visible()


def test_signing_up_in_spanish_gets_the_email_in_spanish(page, live_server, settings, smtp):
    # The live server answers from its own thread: jobs run there, as soon as queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = live_server.url
    settings.NEWSLETTER_MIN_FILL_SECONDS = 0.3
    page.goto(f"{live_server.url}/es/newsletter/")
    page.locator("#id_email").fill("lectora@example.org")
    page.wait_for_timeout(400)
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/es/newsletter/thanks/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    subscriber = Subscriber.objects.get()
    assert subscriber.language == "es"
    [message] = smtp.messages
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/es/newsletter/confirm/\S+/", body)[0]
    with translation.override("es"):
        spanish_subject = gettext("Please confirm your subscription to our mailing list")
    assert spanish_subject != "Please confirm your subscription to our mailing list"
    assert message["Subject"] == spanish_subject

    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.locator("main form button[type=submit]").click()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
