import os
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
    """Each test gets an empty cache and its own media folder."""
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_user(db, django_user_model):
    """A staff member in the Editors group, as a real editor would be."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="editor", password="correct horse battery staple", is_staff=True
    )
    group = Group.objects.filter(name="Editors").first()
    if group:
        user.groups.add(group)
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
