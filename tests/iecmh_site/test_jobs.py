"""The job queue for real: jobs in the database, run by `manage.py run_worker`."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from iecmh_site import jobs
from iecmh_site.ratelimits import RateCounter
from newsletter.models import Subscriber

pytestmark = pytest.mark.django_db(transaction=True)

WORKER = "test-worker"


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSLETTER_MIN_FILL_SECONDS = 0


def work() -> None:
    """What a worker does: run every job that is due, then stop."""
    call_command("run_worker", "--batch", "--no-startup-delay", "--worker-id", WORKER, verbosity=0)


def sign_up(client, address="ana@example.org"):
    from tests.conftest import started_long_ago

    data = {"email": address, "interests": ["wants_trainings"], "started": started_long_ago()}
    return client.post(reverse("newsletter:signup"), data)


def test_a_signup_waits_in_the_queue_until_the_worker_sends_its_mail(client, smtp):
    assert sign_up(client).status_code == 302
    assert not Subscriber.objects.exists()
    assert DBTaskResult.objects.ready().count() == 1

    work()

    assert Subscriber.objects.get().confirmation_sent_at is not None
    assert [message["To"] for message in smtp.messages] == ["ana@example.org"]
    assert not DBTaskResult.objects.failed().exists()


def test_a_failing_job_is_tried_again_with_growing_delays_then_fails_for_good(
    client, smtp_down, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    sign_up(client)
    work()  # the signup job runs; its mail job fails and is queued again in 10 s

    mail_jobs = DBTaskResult.objects.filter(task_path__endswith="confirmation_send_job")
    waits = []
    for delay in jobs.RETRY_DELAYS:
        retry = mail_jobs.get(status=TaskResultStatus.READY)
        waits.append(round((retry.run_after - timezone.now()).total_seconds()))
        work()  # not due yet: nothing runs
        assert mail_jobs.filter(status=TaskResultStatus.READY).count() == 1
        time_machine.shift(datetime.timedelta(seconds=delay + 1))
        work()

    assert waits == jobs.RETRY_DELAYS
    failed = mail_jobs.get(status=TaskResultStatus.FAILED)
    assert "ConnectionRefusedError" in failed.traceback
    assert Subscriber.objects.get().confirmation_sent_at is None  # staff can see and resend


def test_a_job_left_running_by_a_stopped_worker_runs_when_it_starts_again(client, smtp):
    sign_up(client)
    job = DBTaskResult.objects.get()
    job.claim(WORKER)  # the worker took it, then was killed
    assert DBTaskResult.objects.running().count() == 1

    work()  # the same worker, restarted

    assert DBTaskResult.objects.get(pk=job.pk).status == TaskResultStatus.SUCCESSFUL
    assert Subscriber.objects.count() == 1


def test_a_backlog_shows_in_healthz(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    sign_up(client)
    assert client.get("/healthz").json()["queue"] == "ok"

    time_machine.shift(datetime.timedelta(minutes=12))

    health = client.get("/healthz").json()
    assert health["status"] == "degraded"
    assert health["queue"] == "backlog: 1 job(s) waiting, the oldest for 12 min"


def test_erasing_someone_removes_the_jobs_that_name_them(client, smtp):
    from newsletter import services

    sign_up(client, "forget.me@example.org")
    sign_up(client, "keep.me@example.org")
    work()
    assert DBTaskResult.objects.filter(args_kwargs__icontains="forget.me").exists()

    services.subscriber_erase(subscribers=Subscriber.objects.filter(email="forget.me@example.org"))

    assert not DBTaskResult.objects.filter(args_kwargs__icontains="forget.me").exists()
    assert DBTaskResult.objects.filter(args_kwargs__icontains="keep.me").exists()


def test_finished_jobs_are_pruned_after_a_day(client, smtp, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    sign_up(client)
    work()
    finished = DBTaskResult.objects.finished().count()
    assert finished >= 2  # the signup and its mail

    time_machine.shift(jobs.KEEP_FINISHED + datetime.timedelta(hours=1))
    work()  # the worker's hourly pruning job is due

    assert not DBTaskResult.objects.finished().filter(task_path__contains="newsletter").exists()


def test_rate_limit_windows_that_are_over_are_forgotten_by_the_worker(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    sign_up(client)  # counts the client in this window
    assert RateCounter.objects.exists()
    work()
    assert RateCounter.objects.exists()  # its window is still open

    time_machine.shift(datetime.timedelta(days=1, hours=1))
    work()  # the hourly pruning job is due

    assert not RateCounter.objects.exists()
