import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


PRODUCTION = {"SITE_URL": "https://www.example.org", "EMAIL_URL": "smtp://mail.example.org:25"}


def clean_environ(**overrides):
    # The test process allows async-unsafe ORM calls for Playwright; a deployment never does.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, "DJANGO_SETTINGS_MODULE": "iecmh_site.settings", **PRODUCTION, **overrides}


def load_settings(code="import iecmh_site.settings", **environ):
    """Import the settings module in a fresh process, as every command and worker does."""
    env = clean_environ(**environ)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("secret_key", ["", "django-insecure-anything-at-all"])
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    result = load_settings(DEBUG="false", SECRET_KEY=secret_key, ALLOWED_HOSTS="example.org")

    assert result.returncode != 0
    assert "SECRET_KEY is missing or insecure while DEBUG is off" in result.stderr


@pytest.mark.parametrize("missing", ["SITE_URL", "EMAIL_URL"])
def test_production_refuses_to_start_without_its_address_or_mail_server(missing):
    result = load_settings(
        DEBUG="false", SECRET_KEY="a" * 50, ALLOWED_HOSTS="example.org", **{missing: ""}
    )

    assert result.returncode != 0
    assert f"{missing} must be set while DEBUG is off" in result.stderr


def test_production_starts_and_its_deploy_checklist_is_clean():
    env = clean_environ(DEBUG="false", SECRET_KEY="s3cr3t-" + "x" * 60, ALLOWED_HOSTS="example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_page_cache_release_changes_with_the_settings_that_show_in_pages():
    def release(**environ):
        code = "from iecmh_site import settings; print(settings.PAGE_CACHE_RELEASE)"
        result = load_settings(code, **{"DEBUG": "false", "SECRET_KEY": "r" * 50, **environ})
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    running = release()
    # What differs from server to server, or does not show in pages, keeps the release.
    assert release() == running
    assert release(WEB_CONCURRENCY="4", SECRET_KEY="another-" + "k" * 50) == running
    # Addresses that pages and feeds carry make a new one.
    assert release(SITE_URL="https://new.example.org") != running
    assert release(MEDIA_URL="https://pictures.example.org/") != running
    assert release(ADMIN_URL="staff-door/") != running  # robots.txt names it
    buckets = {"AWS_STORAGE_BUCKET_NAME": "public", "AWS_PRIVATE_BUCKET_NAME": "private"}
    assert release(**buckets) != running
    assert release(**buckets, AWS_S3_CUSTOM_DOMAIN="cdn.example.org") != release(**buckets)
