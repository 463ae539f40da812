"""The footer signup in one step: site.js fetches a CSRF token and a fresh form stamp, then the
form posts to the signup view, which checks it as it checks the full form. Without
JavaScript the footer still GETs the full form (two steps), and pages carry no token."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from newsletter.forms import CONSENT_TEXT
from newsletter.models import Subscriber
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db

SIGNUP = "/newsletter/"
TOKEN = "/newsletter/signup-token/"


def fetch_token(client) -> list[list[str]]:
    """What site.js fetches when the footer's address field gets focus."""
    response = client.get(TOKEN, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()["fields"]


def footer_post(client, email: str, fields, **extra):
    """The footer form as site.js sends it: the address, then the fetched hidden fields."""
    data = {"email": email, **extra}
    for name, value in fields:
        data.setdefault(name, [])
        data[name].append(value)
    return client.post(SIGNUP, data)


@pytest.fixture
def visitor():
    """A visitor whose requests go through Django's real CSRF check."""
    return Client(enforce_csrf_checks=True)


def test_the_token_comes_with_a_fresh_form_stamp_and_is_never_cached(visitor, settings):
    response = visitor.get(TOKEN)

    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert settings.CSRF_COOKIE_NAME in response.cookies  # the post needs the cookie too
    data = response.json()
    names = [name for name, _value in data["fields"]]
    assert names == ["csrfmiddlewaretoken", "started", "source", *["interests"] * 3]
    assert ["source", "footer"] in data["fields"]
    assert data["wait"] == settings.NEWSLETTER_MIN_FILL_SECONDS
    assert Client().post(TOKEN).status_code == 405


def test_one_step_signup_with_a_fetched_token(visitor, run_jobs):
    fields = fetch_token(visitor)

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3)):
        response = footer_post(visitor, "from.footer@example.org", fields)

    assert response.status_code == 302
    assert response["Location"] == "/newsletter/thanks/"
    run_jobs()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "from.footer@example.org"
    assert subscriber.source == Subscriber.Source.FOOTER
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.interest_keys == [key for key, _label in Subscriber.INTERESTS]
    assert subscriber.consent_text == CONSENT_TEXT
    assert len(mail.outbox) == 1  # the confirmation link: still a double opt-in


def test_without_the_token_the_post_is_refused(visitor):
    fields = [pair for pair in fetch_token(Client()) if pair[0] != "csrfmiddlewaretoken"]

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3)):
        response = footer_post(visitor, "no.token@example.org", fields)

    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_the_bot_checks_still_apply(visitor, django_capture_on_commit_callbacks):
    fields = fetch_token(visitor)

    with django_capture_on_commit_callbacks(execute=True):
        too_fast = footer_post(visitor, "too.fast@example.org", fields)
        with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3)):
            honeypot = footer_post(visitor, "honey@example.org", fields, website="x")
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
            stale = footer_post(visitor, "stale@example.org", fields)

    # Bots are told "thanks" and nothing is stored; a form open for hours is asked again.
    assert too_fast["Location"] == honeypot["Location"] == "/newsletter/thanks/"
    assert stale.status_code == 200 and b"open for a long time" in stale.content
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("status", [None, "pending", "confirmed", "unsubscribed"])
def test_every_address_gets_the_same_answer(visitor, status):
    if status:
        make_subscriber("someone@example.org", status=status)
    fields = fetch_token(visitor)

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3)):
        response = footer_post(visitor, "someone@example.org", fields)

    assert response.status_code == 302
    assert response["Location"] == "/newsletter/thanks/"


def test_a_wrong_address_opens_the_full_form_with_its_error(visitor):
    fields = fetch_token(visitor)

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3)):
        response = footer_post(visitor, "not-an-address", fields)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Join our mailing list" in html
    assert 'data-error-summary role="alert"' in html
    assert 'value="not-an-address"' in html
    assert 'name="source" value="footer"' in html


def test_pages_keep_the_two_step_form_and_no_token(client):
    html = client.get("/events/").content.decode()

    footer = html.split('<footer class="site-footer"', 1)[1]
    assert (
        'action="/newsletter/" method="get" data-signup-token-url="/newsletter/signup-token/"'
        in (footer)
    )
    assert "csrfmiddlewaretoken" not in html
    assert str(CONSENT_TEXT) in footer
    assert 'aria-describedby="footer-consent"' in footer
    # Without JavaScript: the GET opens the full form, the address filled in.
    full = client.get(SIGNUP, {"email": "two.steps@example.org"}).content.decode()
    assert 'value="two.steps@example.org"' in full and "csrfmiddlewaretoken" in full


def test_fetching_a_token_is_not_a_signup(visitor, settings):
    settings.NEWSLETTER_RATE_LIMIT = 2
    for _ in range(5):
        fields = fetch_token(visitor)

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3)):
        assert footer_post(visitor, "a@example.org", fields).status_code == 302
        assert footer_post(visitor, "b@example.org", fields).status_code == 302
        assert footer_post(visitor, "c@example.org", fields).status_code == 429
