import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

BASE_DIR = Path(__file__).resolve().parents[2]

# Runs inside a production-configured Django process (DEBUG off, real secret key) and
# reports the headers and cookies a visitor's browser would receive over HTTPS.
PROBE = """
import json
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="www.example.org")
out = {}
for path in ["/", "/newsletter/", "/backstage/login/"]:
    response = client.get(path, secure=True)
    out[path] = {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {name: dict(morsel) for name, morsel in response.cookies.items()},
    }
plain = Client(HTTP_HOST="www.example.org").get("/")
out["plain-http"] = {"status": plain.status_code, "location": plain.get("Location")}
# No proxy is declared (PROXY_COUNT unset): a client saying it came over https is not believed.
forged = Client(HTTP_HOST="www.example.org").get("/", HTTP_X_FORWARDED_PROTO="https")
out["forged-https"] = {"status": forged.status_code}
print("PROBE" + json.dumps(out))
"""


# The production probe below starts a whole site: once, in one test process.
pytestmark = pytest.mark.xdist_group("production-probe")


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DEBUG="false",
        SECRET_KEY="production-like-" + "k" * 50,
        ALLOWED_HOSTS="www.example.org",
        SITE_URL="https://www.example.org",
        EMAIL_URL="smtp://mail.example.org:25",
        DATABASE_URL=f"sqlite:///{tmp_path_factory.mktemp('prod')}/db.sqlite3",
        ADMIN_URL="backstage/",
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.split("PROBE", 1)[1])


def test_content_security_policy_is_strict_for_scripts(production):
    csp = production["/"]["headers"]["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))

    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in directives["style-src"]


def test_security_headers_on_public_pages(production):
    headers = production["/"]["headers"]

    assert production["/"]["status"] == 200
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_plain_http_redirects_to_https(production):
    assert production["plain-http"]["status"] == 301
    assert production["plain-http"]["location"].startswith("https://")


def test_forwarded_headers_are_ignored_when_no_proxy_is_declared(production):
    assert production["forged-https"]["status"] == 301


def test_form_and_admin_cookies_are_secure_httponly_and_samesite(production):
    csrf = production["/newsletter/"]["cookies"]["csrftoken"]

    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    assert "public" not in production["/newsletter/"]["headers"].get("Cache-Control", "")
    assert "no-cache" in production["/backstage/login/"]["headers"]["Cache-Control"]


def test_admin_path_comes_from_the_environment(production):
    # The production process above was started with ADMIN_URL=backstage/.
    assert production["/backstage/login/"]["status"] == 200


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(django_user_model, settings):
    from iecmh_site import settings as site_settings

    # The rest of the suite hashes with a fast hasher; this test uses the site's own list.
    settings.PASSWORD_HASHERS = site_settings.PASSWORD_HASHERS
    user = django_user_model.objects.create_user("someone", password="a fine long password")

    assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.django_db
def test_admin_login_locks_out_after_repeated_failures(client, django_user_model):
    django_user_model.objects.create_user("staff", password="the right password", is_staff=True)

    for _ in range(5):
        client.post("/admin/login/", {"username": "staff", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "staff", "password": "the right password"})

    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_staff_sessions_expire(admin_client, settings):
    response = admin_client.get("/admin/")

    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert admin_client.session.get_expiry_age() <= 8 * 60 * 60
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "disposition"),
    [("reports/x.pdf", "inline"), ("events/toolkit/x.zip", "attachment"), ("x.html", "attachment")],
)
def test_uploaded_files_cannot_run_as_pages(client, name, disposition):
    saved = default_storage.save(name, ContentFile(b"<script>alert(1)</script>"))

    response = client.get(f"/media/{saved}")

    assert response.status_code == 200
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_no_spelling_of_a_media_address_reaches_a_report_file(client, settings, tagged_pdf):
    from tests.factories import make_report

    report = make_report("Draft report", pdf=tagged_pdf, publish_at=None)
    private = settings.PRIVATE_MEDIA_ROOT
    assert private.resolve() not in settings.MEDIA_ROOT.resolve().parents
    for name in (report.pdf.name, report.cover.name):
        for spelling in (
            f"/media/{name}",
            f"/media//{name}",
            f"/media/./{name}",
            f"/media/x/../{name}",
            f"/media/../{private.name}/{name}",
            f"/media/%2e%2e/{private.name}/{name}",
        ):
            assert client.get(spelling).status_code in (400, 404), spelling


@pytest.mark.django_db
def test_an_anonymous_post_larger_than_a_form_needs_is_refused_before_it_is_read(client):
    response = client.generic(
        "POST",
        "/newsletter/",
        b"x" * 100,
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(5 * 1024 * 1024),
    )

    assert response.status_code == 413


@pytest.mark.django_db
def test_staff_uploads_may_be_large(admin_client, settings):
    settings.MAX_UPLOAD_MB = 2
    body = b"title=" + b"x" * (1024 * 1024)
    response = admin_client.generic(
        "POST", "/admin/reports/report/add/", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200  # the form, with its errors: read, not refused
