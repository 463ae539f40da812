import threading

import pytest
from django.core.management import call_command
from django.test import Client

from newsletter.models import Subscriber
from tests.conftest import started_long_ago

THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_signups_of_one_address_leave_one_row(settings, postgres_only):
    settings.NEWSLETTER_RATE_LIMIT = THREADS * 2
    # The requests' threads must share the queue: the database's, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    barrier = threading.Barrier(THREADS)
    statuses, errors = [], []

    def sign_up(n):
        from django.db import connections

        try:
            client = Client(REMOTE_ADDR=f"10.0.0.{n}")
            data = {
                "email": "Race@Example.org" if n % 2 else "race@example.org",
                "interests": ["wants_trainings"],
                "started": started_long_ago(),
            }
            barrier.wait(timeout=30)
            statuses.append(client.post("/newsletter/", data).status_code)
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302] * THREADS
    # The worker's part: one row and one email, however many requests.
    call_command("run_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert Subscriber.objects.count() == 1
    from django.core import mail

    assert len(mail.outbox) == 1
