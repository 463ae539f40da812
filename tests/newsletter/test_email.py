"""The double opt-in flow through a real SMTP server on loopback."""

import re

import pytest
from django.urls import reverse

from newsletter import services
from newsletter.models import Subscriber
from tests.conftest import started_long_ago
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://iecmh\.example(/newsletter/[a-z]+/[^/\s]+/)")


def bot_fields() -> dict[str, str]:
    return {"website": "", "started": started_long_ago()}


def links_in(message) -> dict[str, str]:
    body = message.get_body(("plain",)).get_content()
    return {path.split("/")[2]: path for path in LINK.findall(body)}


@pytest.fixture
def post_signup(client, run_jobs):
    """Post the signup form, then let the worker do what the signup asked for."""

    def post(data):
        response = client.post(reverse("newsletter:signup"), data)
        run_jobs()
        return response

    return post


def test_confirmation_email_has_headers_and_a_working_link(
    client, smtp, signup_data, post_signup, run_jobs
):
    response = post_signup(signup_data())

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

    done = client.post(links["confirm"])
    run_jobs()
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


def test_with_the_mail_server_down_the_signup_is_kept_and_the_mail_retried(
    client, settings, signup_data, run_jobs
):
    from tests.conftest import smtp_settings
    from tests.servers import free_port

    smtp_settings(settings, free_port())  # nothing listens there
    response = client.post(reverse("newsletter:signup"), signup_data())
    assert response["Location"] == reverse("newsletter:thanks")  # what anyone is told
    run_jobs()  # the signup job, then the mail job, which fails and is queued again

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.confirmation_sent_at is None
    # Tried once and then again at each delay, before the job fails for good.
    assert [type(exc) for exc in run_jobs.failures] == [ConnectionRefusedError]


def test_a_retried_confirmation_goes_out_once_the_server_is_back(smtp):
    subscriber = make_subscriber(confirmation_sent_at=None)

    services.confirmation_send(subscriber=subscriber)

    [message] = smtp.messages
    assert "confirm" in links_in(message)
    subscriber.refresh_from_db()
    assert subscriber.confirmation_sent_at is not None


def test_resubscribing_after_leaving_needs_a_new_confirmation(smtp, signup_data, post_signup):
    make_subscriber("back@example.org", status=Subscriber.Status.UNSUBSCRIBED)

    post_signup(signup_data("Back@Example.org"))

    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert [m["To"] for m in smtp.messages] == ["back@example.org"]


def test_a_confirmed_address_gets_no_mail_and_keeps_its_choices(smtp, signup_data, post_signup):
    make_subscriber("known@example.org", status=Subscriber.Status.CONFIRMED, name="Known")

    post_signup(signup_data("known@example.org", name="Evil"))

    assert smtp.messages == []
    subscriber = Subscriber.objects.get()
    assert (subscriber.name, subscriber.status) == ("Known", Subscriber.Status.CONFIRMED)


def test_one_mailbox_gets_a_few_confirmations_a_day_however_it_is_spelled(
    client, smtp, signup_data, post_signup, settings, run_jobs
):
    settings.NEWSLETTER_MAILS_PER_MAILBOX = 2
    settings.NEWSLETTER_RATE_LIMIT = 100
    for address in ["ana@example.org", "ana+news@example.org", "ANA+x@Example.org"]:
        post_signup(signup_data(address))
    client.post(reverse("newsletter:resend"), {"email": "ana@example.org", **bot_fields()})
    run_jobs()
    for address in ["bo.b@gmail.com", "bob@gmail.com", "b.o.b+z@gmail.com"]:
        post_signup(signup_data(address))  # Gmail ignores dots: one mailbox

    sent_to = sorted(message["To"].lower() for message in smtp.messages)
    assert sent_to == ["ana+news@example.org", "ana@example.org", "bo.b@gmail.com", "bob@gmail.com"]


def test_expired_link_offers_a_new_one_that_works(client, smtp, time_machine, run_jobs):
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
    run_jobs()
    fresh = links_in(smtp.messages[1])["confirm"]
    client.post(fresh)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
