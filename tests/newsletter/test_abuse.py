"""Signups reveal nothing about who is on the list, flood no mailbox and wait for no mail server."""

import socket
import threading
import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsletter.forms import FORM_MAX_AGE_SECONDS
from newsletter.models import Subscriber
from tests.conftest import started_long_ago
from tests.factories import make_subscriber

pytestmark = pytest.mark.django_db

SIGNUP = reverse("newsletter:signup")


class HungMailServer:
    """Accepts connections and never says a word, like a mail server that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def hung_smtp(settings):
    from tests.conftest import smtp_settings

    server = HungMailServer()
    smtp_settings(settings, server.port)
    settings.EMAIL_TIMEOUT = 3
    yield server
    server.close()


@pytest.mark.parametrize(
    "status", [None, "pending", "confirmed", "unsubscribed"], ids=lambda s: str(s)
)
def test_every_address_gets_the_same_answer_with_the_same_work_while_mail_hangs(
    client, signup_data, hung_smtp, settings, status
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    if status:
        make_subscriber("someone@example.org", status=status)

    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(SIGNUP, signup_data("someone@example.org"))
    elapsed = time.monotonic() - started

    assert (response.status_code, response["Location"]) == (302, "/newsletter/thanks/")
    # The request only counts the client (in its 10-minute and its daily window) and queues a
    # job: the same statements for every address, whoever it belongs to, and no word to the
    # mail server.
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"] * 3
    assert hung_smtp.connections == []
    assert elapsed < 1.0


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Your account will be closed\nCall 555-0100", "Write it on one line."),
        ("Visit https://evil.example", "without web addresses"),
        ("Click www.evil.example now", "without web addresses"),
        ("x" * 101, "at most 100 characters"),
    ],
)
def test_names_are_short_plain_text(client, signup_data, name, error):
    response = client.post(SIGNUP, signup_data(name=name))

    assert response.status_code == 200
    assert error in response.content.decode()


def test_a_name_is_never_written_into_mail_to_an_unconfirmed_address(client, signup_data, run_jobs):
    client.post(SIGNUP, signup_data(name="Ana Example"))
    run_jobs()

    [message] = mail.outbox
    assert "Ana" not in message.body
    assert "Ana" not in message.alternatives[0][0]
    assert Subscriber.objects.get().name == "Ana Example"  # kept, for after confirming


def test_a_form_left_open_for_hours_must_be_sent_again(client, signup_data):
    stale = started_long_ago(FORM_MAX_AGE_SECONDS + 60)

    response = client.post(SIGNUP, signup_data(started=stale))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This form was open for a long time" in html
    fresh = html.split('name="started" value="', 1)[1].split('"', 1)[0]
    assert fresh != stale
    assert client.post(SIGNUP, signup_data(started=started_long_ago())).status_code == 302
