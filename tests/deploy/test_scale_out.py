"""The production topology, for real: two app servers (gunicorn, two workers each) and a
background worker on one PostgreSQL, one Redis and one S3 server. What one server does, the
other sees.

Runs when the suite runs on PostgreSQL (DATABASE_URL=postgres://..., as CI does); it makes a
database of its own on that server.
"""

import os
import re
import runpy
import secrets
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from iecmh_site.demo.pdf import build_pdf
from iecmh_site.demo.reports import FLAGSHIP_SLUG
from tests import servers

pytestmark = pytest.mark.xdist_group("scale-out")

ADMIN = "admin/"
STAFF, PASSWORD = "scale-out-staff", "a long and unusual test password"
VISITOR_LIMIT = 5  # NEWSLETTER_RATE_LIMIT below


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the scale-out test runs on PostgreSQL (DATABASE_URL=postgres://...)")
    return url


# Session-scoped: under pytest-xdist other modules' tests may run in between these.
@pytest.fixture(scope="session")
def database():
    """A database of its own on the PostgreSQL server the suite uses."""
    import psycopg

    url = urlsplit(_postgres_url())
    name = f"iecmh_scale_out_{secrets.token_hex(4)}"
    admin_url = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(url._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def topology(database, tmp_path_factory):
    """Redis, S3 and two gunicorn instances sharing one database; stopped afterwards."""
    if not servers.redis_available():
        pytest.fail("redis-server is not installed: apt-get install -y redis-server")
    workdir = tmp_path_factory.mktemp("scale-out")
    started = []
    try:
        redis = servers.start_redis(workdir)
        started.append(redis)
        s3 = servers.start_s3(workdir)
        started.append(s3)
        env = app_environment(database, redis.url, s3.url)
        manage = [sys.executable, "manage.py"]
        setup = [
            ["migrate", "--noinput"],
            ["seed_demo"],
            ["createsuperuser", "--noinput"],
            # The demo's pictures and PDFs, before the tests look at cached pages.
            ["run_worker", "--batch", "--no-startup-delay"],
        ]
        for command in setup:
            subprocess.run(
                [*manage, *command], cwd=servers.BASE_DIR, env=env, check=True, capture_output=True
            )
        started.append(servers.start_worker(workdir, env, name="worker"))
        for name in ("a", "b"):
            started.append(servers.start_gunicorn(workdir, env, name=name))
        a, b = started[-2:]
        yield {"a": a.url, "b": b.url, "redis": redis, "s3": s3}
    finally:
        for server in reversed(started):
            server.stop()


def app_environment(database: str, redis_url: str, s3_url: str) -> dict[str, str]:
    """The environment of both app servers, as a deployment would set it."""
    return servers.production_environment(
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database,
        CACHE_URL=redis_url,
        WEB_CONCURRENCY="2",
        NEWSLETTER_RATE_LIMIT=str(VISITOR_LIMIT),
        NEWSLETTER_MIN_FILL_SECONDS="0",
        AXES_FAILURE_LIMIT="3",
        DJANGO_SUPERUSER_USERNAME=STAFF,
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        DJANGO_SUPERUSER_EMAIL="staff@example.org",
        **servers.s3_environ(s3_url),
    )


def within_a_second(check) -> bool:
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def test_every_dependency_is_named_in_healthz(topology):
    for base in (topology["a"], topology["b"]):
        health = servers.Visitor().get(base, "/healthz")
        assert health.status == 200
        assert health.json() == {
            "status": "ok",
            "database": "ok",
            "cache": "ok",
            "storage": "ok",
            "queue": "ok",
        }


def test_a_staff_session_from_one_server_works_on_the_other(topology):
    staff = servers.Visitor()
    assert staff.log_in(topology["a"], ADMIN, STAFF, PASSWORD).status == 302

    assert staff.get(topology["b"], f"/{ADMIN}").status == 200


def test_a_save_through_one_server_is_served_by_the_other_within_a_second(topology):
    a, b = topology["a"], topology["b"]
    visitor, staff = servers.Visitor("198.51.100.1"), servers.Visitor()
    visitor.get(b, "/")
    assert visitor.get(b, "/").headers.get("X-Cache") == "hit"

    staff.log_in(a, ADMIN, STAFF, PASSWORD)
    token = staff.form_token(a, f"/{ADMIN}pages/page/add/")
    fields = {
        "csrfmiddlewaretoken": token,
        "title_en": "Scale-out news",
        "slug": "scale-out-news",
        "summary_en": "Saved on one server.",
        "body_en": "<p>Seen on the other.</p>",
        "publish_at_0": "2025-01-01",
        "publish_at_1": "09:00:00",
        "partner": "both",
        "show_in_navigation": "on",
        "navigation_order": "1",
    }
    assert staff.post(a, f"/{ADMIN}pages/page/add/", fields).status == 302

    assert within_a_second(lambda: "Scale-out news" in visitor.get(b, "/").text)
    assert visitor.get(b, "/scale-out-news/").status == 200


def test_a_report_uploaded_through_one_server_downloads_from_the_other(topology):
    a, b = topology["a"], topology["b"]
    staff = servers.Visitor()
    staff.log_in(a, ADMIN, STAFF, PASSWORD)
    pdf = build_pdf("Uploaded on A", ("Downloaded from B.",), pages=2)
    token = staff.form_token(a, f"/{ADMIN}reports/report/add/")
    fields = {
        "csrfmiddlewaretoken": token,
        "title_en": "Uploaded on A",
        "slug": "uploaded-on-a",
        "summary_en": "A report stored in the shared bucket.",
        "publish_at_0": "2025-01-01",
        "publish_at_1": "09:00:00",
        "publication_date": "2025-01-01",
        "partner": "both",
        **{
            f"{prefix}-{name}": value
            for prefix in ("author_links", "organization_links")
            for name, value in [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0")]
        },
    }
    files = {"pdf": ("uploaded.pdf", pdf, "application/pdf")}
    assert staff.post(a, f"/{ADMIN}reports/report/add/", fields, files).status == 302

    # The worker checks the PDF (it reads it from the shared bucket), then B hands it out.
    visitor = servers.Visitor("198.51.100.2")
    servers.wait_for(
        lambda: visitor.get(b, "/reports/uploaded-on-a/download/").status == 200,
        timeout=30,
        what="the uploaded report's download",
    )
    assert visitor.get(b, "/reports/uploaded-on-a/download/").body == pdf


def test_signup_limits_and_lock_outs_count_across_both_servers(topology):
    a, b = topology["a"], topology["b"]
    visitor = servers.Visitor("192.0.2.10")
    form = visitor.get(a, "/newsletter/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    started = re.search(r'name="started" value="([^"]+)"', form)[1]
    answers = []
    for n in range(VISITOR_LIMIT + 2):
        fields = {
            "csrfmiddlewaretoken": token,
            "email": f"colleague{n}@example.org",
            "interests": "wants_trainings",
            "started": started,
        }
        answers.append(visitor.post((a, b)[n % 2], "/newsletter/", fields).status)
    assert answers[-1] == 429
    assert answers.count(429) == 2

    attacker = servers.Visitor("192.0.2.66")
    for n in range(3):
        attacker.log_in((a, b)[n % 2], ADMIN, STAFF, "wrong password")
    for base in (a, b):
        assert attacker.log_in(base, ADMIN, STAFF, PASSWORD).status == 429


def test_slow_clients_do_not_stall_the_site_and_big_anonymous_posts_are_refused(topology):
    a = topology["a"]
    port = int(a.rsplit(":", 1)[1])
    # A worker's threads, one of which a slow client holds while the others go on answering.
    config = runpy.run_path(str(servers.BASE_DIR / "gunicorn.conf.py"))
    assert (config["worker_class"], config["threads"] >= 2) == ("gthread", True)
    # Headers sent a byte at a time, never finished: it holds one thread of a worker. (Two could
    # hold both threads of the same worker, whichever of them took both connections, and a
    # request it took next would wait: only a buffering proxy absorbs many, README.)
    slow = [socket.create_connection(("127.0.0.1", port))]
    slow[0].sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    try:
        started = time.monotonic()
        assert servers.Visitor().get(a, "/robots.txt").status == 200
        assert time.monotonic() - started < 1.0

        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(
                b"POST /newsletter/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 50000000\r\n\r\nemail=x"
            )
            assert sock.recv(64).startswith(b"HTTP/1.1 413")  # without the 50 MB body
    finally:
        for sock in slow:
            sock.close()


# Last: it stops Redis and the storage.
def test_without_redis_pages_still_answer_and_without_storage_downloads_say_503(topology):
    a, b = topology["a"], topology["b"]
    visitor = servers.Visitor("198.51.100.3")

    topology["redis"].stop()
    for base in (a, b):
        for path in ("/", "/reports/", "/events/", f"/reports/{FLAGSHIP_SLUG}/"):
            assert visitor.get(base, path).status == 200, (base, path)
        health = visitor.get(base, "/healthz")
        assert (health.status, health.json()["cache"]) == (200, "degraded")

    topology["s3"].stop()
    download = visitor.get(b, f"/reports/{FLAGSHIP_SLUG}/download/")
    assert download.status == 503
    assert "Temporarily unavailable" in download.text
    assert visitor.get(b, "/healthz").json()["storage"] == "unavailable"
