"""The embedded default for real: gunicorn (two workers, threads) on one SQLite file, with
many people signing up at the same moment."""

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests import servers

pytestmark = pytest.mark.xdist_group("sqlite-gunicorn")
SIGNUPS = 24
COUNT = (
    "from newsletter.models import Subscriber; from django_tasks_db.models import DBTaskResult; "
    "jobs = DBTaskResult.objects; "
    "print(Subscriber.objects.count(), jobs.filter(task_path__endswith='signup_process_job')"
    ".filter(status='SUCCESSFUL').count(), jobs.filter(status='FAILED').count())"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("sqlite-site")
    env = servers.sqlite_environment(workdir)
    env.update(NEWSLETTER_MIN_FILL_SECONDS="0", NEWSLETTER_RATE_LIMIT="1000")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=servers.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    server = servers.start_gunicorn(workdir, env, name="sqlite")
    yield server.url, env
    server.stop()


def test_two_dozen_people_signing_up_at_once_are_all_kept(site):
    base, env = site
    first = servers.Visitor()
    form_page = first.get(base, "/newsletter/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page)[1]
    started = re.search(r'name="started" value="([^"]+)"', form_page)[1]

    def sign_up(n):
        visitor = servers.Visitor(f"198.51.100.{n}")
        visitor.cookies = dict(first.cookies)  # the form was loaded before: the rush is posts
        fields = {
            "csrfmiddlewaretoken": token,
            "email": f"colleague{n}@example.org",
            "interests": "wants_trainings",
            "started": started,
        }
        return visitor.post(base, "/newsletter/", fields).status

    with ThreadPoolExecutor(max_workers=SIGNUPS) as pool:
        statuses = list(pool.map(sign_up, range(SIGNUPS)))

    assert statuses == [302] * SIGNUPS  # no "database is locked", no 503

    # Two workers take the signups at the same time, each job a transaction that reads,
    # then writes: SQLite must queue the writers instead of failing one of them.
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--batch",
                "--no-startup-delay",
                "--worker-id",
                f"worker-{n}",
            ],
            cwd=servers.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(2)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    outcome = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", COUNT],
        cwd=servers.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert outcome.stdout.split()[-3:] == [str(SIGNUPS), str(SIGNUPS), "0"]
