"""Double clicks, second tabs and parallel requests do things once: one confirmation email per
few minutes, one import per file. Mail goes through a real SMTP server; the parallel tests use
the real database from several threads, each with its own connection."""

import threading

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from newsletter import services
from newsletter.models import ListImport, Subscriber
from tests.conftest import started_long_ago
from tests.factories import make_subscriber
from tests.newsletter.conftest import IMPORT, upload

CHANGELIST = reverse("admin:newsletter_subscriber_changelist")


def resend_action(client, subscriber, **kwargs):
    return client.post(
        CHANGELIST,
        {"action": "resend_confirmation", "_selected_action": [subscriber.pk]},
        **kwargs,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def in_parallel(function, times: int = 2) -> list:
    """Call function(n) in `times` threads released together; their results, or raise."""
    barrier = threading.Barrier(times)
    results, errors = [None] * times, []

    def run(n):
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            results[n] = function(n)
        except Exception as error:  # re-raised below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def work() -> None:
    """What the worker does: run every queued job in the database, then stop."""
    call_command("run_worker", "--batch", "--no-startup-delay", "--worker-id", "t", verbosity=0)


def staff_tabs(django_user_model, count: int = 2) -> list[Client]:
    """Logged-in clients of one staff member, each with its own session (its own messages)."""
    user = django_user_model.objects.filter(is_superuser=True).first()
    user = user or django_user_model.objects.create_superuser("boss", "boss@example.org", None)
    tabs = [Client() for _ in range(count)]
    for tab in tabs:
        tab.force_login(user)
    return tabs


@pytest.fixture
def database_queue(settings):
    """Jobs in the database, shared by every thread, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_resend_action_double_clicked_queues_one_email(admin_client, smtp, run_jobs):
    subscriber = make_subscriber("wait@example.org")

    first = resend_action(admin_client, subscriber, follow=True)
    second = resend_action(admin_client, subscriber, follow=True)
    run_jobs()

    assert messages_of(first) == ["Confirmation email queued for 1."]
    assert messages_of(second) == [
        "Confirmation email queued for 0.",
        "1 already on its way (queued less than 5 minutes ago): not sent again.",
    ]
    assert [message["To"] for message in smtp.messages] == ["wait@example.org"]


@pytest.mark.django_db
def test_a_resend_some_minutes_later_is_sent(admin_client, smtp, run_jobs, time_machine):
    subscriber = make_subscriber("wait@example.org")
    time_machine.move_to("2026-03-02 10:00Z")
    resend_action(admin_client, subscriber, follow=True)
    run_jobs()
    time_machine.move_to("2026-03-02 10:06Z")

    later = resend_action(admin_client, subscriber, follow=True)
    run_jobs()

    assert messages_of(later) == ["Confirmation email queued for 1."]
    assert len(smtp.messages) == 2


@pytest.mark.django_db
def test_public_resend_form_sent_twice_mails_once(client, smtp, run_jobs):
    make_subscriber("wait@example.org")
    data = {"email": "wait@example.org", "website": "", "started": started_long_ago()}

    first = client.post(reverse("newsletter:resend"), data)
    second = client.post(reverse("newsletter:resend"), data)
    run_jobs()

    assert first["Location"] == second["Location"] == "/newsletter/thanks/"
    assert [message["To"] for message in smtp.messages] == ["wait@example.org"]


@pytest.mark.django_db(transaction=True)
def test_resend_action_in_parallel_requests_queues_one_email(
    django_user_model, smtp, database_queue, postgres_only
):
    subscriber = make_subscriber("wait@example.org")
    tabs = staff_tabs(django_user_model)

    def click(n):
        return resend_action(tabs[n], subscriber).status_code

    assert in_parallel(click) == [302, 302]
    work()

    assert [message["To"] for message in smtp.messages] == ["wait@example.org"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_resending_at_once_mail_once(smtp, database_queue, postgres_only):
    subscriber = make_subscriber("wait@example.org")

    outcomes = in_parallel(lambda _n: services.confirmation_enqueue(subscriber=subscriber))
    work()

    assert sorted(outcomes) == [services.Queued.ALREADY, services.Queued.QUEUED]
    assert [message["To"] for message in smtp.messages] == ["wait@example.org"]


@pytest.mark.django_db(transaction=True)
def test_import_clicked_in_parallel_imports_once(
    admin_client, django_user_model, database_queue, postgres_only
):
    response = admin_client.post(
        IMPORT,
        {
            "csv_file": upload("email\na@example.org\nb@example.org\n"),
            "source_label": "Twice",
            "consent_checked": "on",
        },
    )
    work()  # the preview
    url = response["Location"]
    tabs = staff_tabs(django_user_model)

    def click(n):
        return tabs[n].post(url, {"action": "import"}, follow=True)

    # The test client's captured context is not thread-safe: read what each page says.
    pages = [page.content.decode() for page in in_parallel(click)]
    work()

    started = [page for page in pages if "The import has started." in page]
    already = [page for page in pages if "This import was already started" in page]
    assert (len(started), len(already)) == (1, 1)
    assert Subscriber.objects.count() == 2
    assert ListImport.objects.get().result["new"] == 2
