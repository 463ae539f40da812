import os
import threading
from pathlib import Path

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
        # Transactional tests flush every table afterwards; restore the rows that data
        # migrations made (the five roles, the Editors group) before each of them.
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction"):
            item.add_marker(
                pytest.mark.django_db(*marker.args, **marker.kwargs, serialized_rollback=True)
                if "serialized_rollback" not in marker.kwargs
                else marker,
                append=False,
            )
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


@pytest.fixture(autouse=True)
def _isolated_site(settings, tmp_path):
    """Each test gets an empty cache, no page cache and its own media folder."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    # The whole-page cache has its own tests; elsewhere every request renders afresh.
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


def editors_group():
    """The Editors group from the data migration (re-made if a flush removed it)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from pages.permissions import EDITORS_GROUP, sync_editors_group

    if not Group.objects.filter(name=EDITORS_GROUP).exists():
        sync_editors_group(apps)
    return Group.objects.get(name=EDITORS_GROUP)


@pytest.fixture
def staff_user(db, django_user_model):
    """A staff member in the Editors group, as a real editor would be."""
    user = django_user_model.objects.create_user(
        username="editor", password="correct horse battery staple", is_staff=True
    )
    user.groups.add(editors_group())
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
