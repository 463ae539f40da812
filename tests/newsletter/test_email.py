"""The double opt-in flow through a real SMTP server on loopback."""

import re

import pytest
from django.urls import reverse

from newsletter import services
from newsletter.models import Subscriber
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://iecmh\.example(/newsletter/[a-z]+/[^/\s]+/)")


def links_in(message) -> dict[str, str]:
    body = message.get_body(("plain",)).get_content()
    return {path.split("/")[2]: path for path in LINK.findall(body)}


def post_signup(client, capture, data):
    with capture(execute=True):
        return client.post(reverse("newsletter:signup"), data)


def test_confirmation_email_has_headers_and_a_working_link(
    client, smtp, signup_data, django_capture_on_commit_callbacks
):
    response = post_signup(client, django_capture_on_commit_callbacks, signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:thanks")
    [message] = smtp.messages
    assert message["To"] == "new.person@example.org"
    unsubscribe_header = message["List-Unsubscribe"].strip()
    expected = r"<https://iecmh\.example/newsletter/unsubscribe/[^/]+/>"
    assert re.fullmatch(expected, unsubscribe_header)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("html",)) is not None
    links = links_in(message)

    page = client.get(links["confirm"])
    assert page.status_code == 200
    assert b">Confirm</button>" in page.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # a GET confirms nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(links["confirm"])
    assert b"You are subscribed" in done.content
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    welcome = smtp.messages[1]
    assert welcome["Subject"] == "Welcome to our mailing list"
    assert welcome["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The unsubscribe link of the header works as an RFC 8058 one-click POST.
    one_click = unsubscribe_header.strip("<>").removeprefix("https://iecmh.example")
    response = client.post(one_click, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.django_db(transaction=True)
def test_smtp_down_keeps_the_signup_and_says_so(client, smtp_down, signup_data):
    # A real commit, so the on_commit send runs inside the request as in production.
    response = client.post(reverse("newsletter:signup"), signup_data())

    assert response["Location"] == reverse("newsletter:thanks") + "?delivery=delayed"
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.confirmation_sent_at is None
    page = client.get(response["Location"])
    assert b"did not accept the confirmation email" in page.content


def test_resend_after_the_server_is_back(smtp, django_capture_on_commit_callbacks):
    subscriber = make_subscriber(confirmation_sent_at=None)

    assert services.confirmation_send(subscriber=subscriber) is True

    [message] = smtp.messages
    assert "confirm" in links_in(message)
    subscriber.refresh_from_db()
    assert subscriber.confirmation_sent_at is not None


def test_resubscribing_after_leaving_needs_a_new_confirmation(
    client, smtp, signup_data, django_capture_on_commit_callbacks
):
    make_subscriber("back@example.org", status=Subscriber.Status.UNSUBSCRIBED)

    post_signup(client, django_capture_on_commit_callbacks, signup_data("Back@Example.org"))

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert [m["To"] for m in smtp.messages] == ["back@example.org"]


def test_a_confirmed_address_gets_no_mail_and_keeps_its_choices(
    client, smtp, signup_data, django_capture_on_commit_callbacks
):
    make_subscriber("known@example.org", status=Subscriber.Status.CONFIRMED, name="Known")

    post_signup(
        client, django_capture_on_commit_callbacks, signup_data("known@example.org", name="Evil")
    )

    assert smtp.messages == []
    subscriber = Subscriber.objects.get()
    assert (subscriber.name, subscriber.status) == ("Known", Subscriber.Status.CONFIRMED)


def test_a_pending_address_gets_one_mail_per_cooldown(
    client, smtp, signup_data, django_capture_on_commit_callbacks
):
    post_signup(client, django_capture_on_commit_callbacks, signup_data())
    post_signup(client, django_capture_on_commit_callbacks, signup_data())

    assert len(smtp.messages) == 1
    assert Subscriber.objects.count() == 1


def test_expired_link_offers_a_new_one_that_works(
    client, smtp, time_machine, django_capture_on_commit_callbacks
):
    subscriber = make_subscriber()
    time_machine.move_to("2025-01-01 12:00Z")
    services.confirmation_send(subscriber=subscriber)
    expired = links_in(smtp.messages[0])["confirm"]
    time_machine.move_to("2025-01-09 12:00Z")

    page = client.get(expired)
    assert page.status_code == 400
    assert b"This confirmation link has expired" in page.content
    token = expired.split("/")[3]
    assert client.post(expired).status_code == 400  # an expired link confirms nothing
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING

    response = client.post(reverse("newsletter:resend"), {"token": token})
    assert response.status_code == 302
    fresh = links_in(smtp.messages[1])["confirm"]
    client.post(fresh)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
