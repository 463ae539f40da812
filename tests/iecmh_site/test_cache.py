import gzip

import pytest
from django.test import Client

from tests.factories import make_page
from tests.iecmh_site.test_history import page_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_anonymous_pages_are_cached_and_public(client):
    make_page("Our Work", body="<p>First words.</p>")

    first = client.get("/our-work/")
    second = client.get("/our-work/")

    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate, s-maxage=300"
    assert "First words." in second.content.decode()
    assert "Content-Security-Policy" in second


def test_browsers_revalidate_so_a_page_staff_change_shows_at_once(
    staff_client, django_capture_on_commit_callbacks
):
    page = make_page("Our Work", body="<p>First words.</p>")
    visitor = Client()
    first = visitor.get("/our-work/")
    unchanged = visitor.get("/our-work/", HTTP_IF_NONE_MATCH=first["ETag"])

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(page.get_admin_url(), page_form(page, body="<p>Second words.</p>"))
    changed = visitor.get("/our-work/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert unchanged.status_code == 304  # max-age=0: the browser asks each time, cheaply
    assert changed.status_code == 200 and "Second words." in changed.text


def test_saving_content_shows_the_change_once_it_commits(
    client, django_capture_on_commit_callbacks
):
    page = make_page("Our Work", body="<p>First words.</p>")
    client.get("/our-work/")

    with django_capture_on_commit_callbacks(execute=True):
        page.body = "<p>Second words.</p>"
        page.save()
        # Until the save commits, visitors keep the published version.
        assert client.get("/our-work/")["X-Cache"] == "hit"
    response = client.get("/our-work/")

    assert response["X-Cache"] == "miss"
    assert "Second words." in response.content.decode()


def test_signed_in_staff_are_never_served_the_cache(staff_client):
    make_page("Our Work")
    Client().get("/our-work/")  # warm the cache as a visitor

    response = staff_client.get("/our-work/")

    assert "X-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("path", ["/admin/login/", "/newsletter/", "/healthz"])
def test_admin_forms_and_health_are_never_cached(client, path):
    client.get(path)
    response = client.get(path)

    assert "X-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_cached_pages_are_compressed_and_answer_conditional_requests(client):
    make_page("Our Work", body="<p>" + "words " * 200 + "</p>")

    response = client.get("/our-work/", HTTP_ACCEPT_ENCODING="gzip, br")
    etag = response["ETag"]
    not_modified = client.get("/our-work/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)

    assert response["Content-Encoding"] == "gzip"
    assert "Our Work" in gzip.decompress(response.content).decode()
    assert "Accept-Encoding" in response["Vary"]
    assert not_modified.status_code == 304


def test_not_found_pages_are_not_cached(client):
    client.get("/nowhere/")
    make_page("Nowhere")

    assert client.get("/nowhere/").status_code == 200


def test_calendar_feed_and_sitemap_are_cached_and_compressed(client):
    from tests.factories import make_event

    make_event("Training day")
    for path in ["/events/calendar.ics", "/sitemap.xml"]:
        client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")

        assert response["X-Cache"] == "hit", path
        assert response["Content-Encoding"] == "gzip", path
        assert "public" in response["Cache-Control"], path


def test_only_canonical_addresses_are_cached_so_junk_cannot_evict_pages(client):
    from tests.factories import make_report, make_topic

    make_page("Our Work")
    make_report("Mapping", topics=[make_topic("Policy", slug="policy")])

    def cached(url):
        client.get(url)
        return client.get(url).get("X-Cache") == "hit"

    assert cached("/our-work/")
    assert cached("/reports/?topic=policy")
    assert not cached("/our-work/?x=1")  # a parameter the page does not read
    assert not cached("/reports/?topic=nope")  # a value that names nothing
    assert not cached("/reports/?page=007")  # not how the site spells page numbers
    assert not cached("/reports/?page=99")  # past the last page
    assert not cached("/search/?q=anything")  # visitors type anything
    assert not cached("/events/calendar.ics?kind=nonsense")


@pytest.fixture
def redis_page_cache(settings, redis_server):
    """The page cache on a real Redis, as CACHE_URL=redis://... configures it."""
    cache = {
        "BACKEND": "iecmh_site.cache.TolerantRedisCache",
        "LOCATION": redis_server.url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    settings.CACHES = {"default": cache, "pages": cache}
    settings.PAGE_CACHE_SECONDS = 300
    return redis_server


def test_pages_are_cached_in_redis_and_served_uncached_while_it_is_down(
    client, redis_page_cache, signup_data
):
    make_page("Our Work")
    client.get("/our-work/")
    assert client.get("/our-work/")["X-Cache"] == "hit"
    assert client.get("/healthz").json()["cache"] == "ok"

    redis_page_cache.stop()

    for path in ["/", "/our-work/", "/reports/", "/events/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["X-Cache"] == "miss", path  # rendered, and nothing could be kept
    health = client.get("/healthz")
    assert (health.status_code, health.json()["cache"]) == (200, "degraded")
    assert client.post("/newsletter/", signup_data()).status_code == 302  # signups still work


@pytest.mark.parametrize(
    ("accept", "gzipped"),
    [("gzip", True), ("br, gzip;q=0.5", True), ("gzip;q=0", False), ("gzip;q=0.0, br;q=0", False)],
)
def test_gzip_only_for_clients_that_accept_it(client, accept, gzipped):
    make_page("Our Work")
    for _ in range(2):  # rendered, then from the cache
        response = client.get("/our-work/", HTTP_ACCEPT_ENCODING=accept)
        assert (response.get("Content-Encoding") == "gzip") is gzipped


def test_signed_in_responses_are_private(staff_client):
    make_page("Our Work")

    for path in ["/our-work/", "/admin/", "/reports/"]:
        assert "private" in staff_client.get(path)["Cache-Control"], path
