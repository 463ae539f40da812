import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from iecmh_site.urls import urlpatterns as site_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("forged")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-400/", bad_request),
    path("test-403/", forbidden),
    path("test-500/", broken),
    *site_urlpatterns,
]
handler500 = "iecmh_site.views.server_error"


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/test-400/", 400, "Bad request"),
        ("/test-403/", 403, "Access denied"),
        ("/no-such-page-anywhere/", 404, "Page not found"),
    ],
)
def test_error_pages_are_styled_and_helpful(db, client, error_urls, url, status, heading):
    response = client.get(url)

    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'class="site-header"' in html
    assert 'href="/search/"' in html


def test_server_error_page_is_styled(db, error_urls):
    client = Client(raise_request_exception=False)

    response = client.get("/test-500/")

    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()


def test_server_error_page_renders_with_the_database_down(unreachable_database, error_urls):
    run, _restore = unreachable_database
    client = Client(raise_request_exception=False)

    response = run(lambda: client.get("/test-500/"))

    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()


def test_public_page_answers_503_when_the_database_is_down(unreachable_database):
    run, _restore = unreachable_database
    client = Client(raise_request_exception=False)

    response = run(lambda: client.get("/"))

    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_healthz_names_the_state_of_each_dependency(db, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "queue": "ok",
    }
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_any_host_so_probes_by_ip_work(db, client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200


def test_healthz_says_503_when_database_is_down_and_recovers_without_restart(unreachable_database):
    run, restore = unreachable_database
    client = Client()

    down = run(lambda: client.get("/healthz"))
    restore()
    up = run(lambda: client.get("/healthz"))

    assert down.status_code == 503
    assert down.json()["database"] == "unavailable"
    assert "no-store" in down["Cache-Control"]
    assert up.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_healthz_says_503_while_migrations_are_pending(client):
    from django.core.management import call_command

    call_command("migrate", "newsletter", "zero", verbosity=0)
    try:
        response = client.get("/healthz")
    finally:
        call_command("migrate", verbosity=0)

    assert response.status_code == 503
    assert response.json()["database"] == "migrations pending"
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/reports/?topic=%00",
        "/search/?q=%00",
        "/events/calendar.ics?kind=%00",
        "/newsletter/?email=%00",
        "/admin/events/event/?event_status__exact=%00",
        "/admin/reports/report/?q=%00",
    ],
)
def test_a_nul_byte_in_the_query_string_is_a_clear_400(admin_client, url):
    response = admin_client.get(url)

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_query_under_es_is_answered_in_spanish(client):
    response = client.get("/es/reports/?topic=%00")

    assert response.status_code == 400
    assert '<html lang="es"' in response.text
    assert "Solicitud incorrecta" in response.text
