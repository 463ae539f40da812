import gzip

import pytest
from django.test import Client

from tests.factories import make_page

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
    assert second["Cache-Control"] == "public, max-age=300"
    assert "First words." in second.content.decode()
    assert "Content-Security-Policy" in second


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


def test_unknown_query_parameters_bypass_the_cache(client):
    make_page("Our Work")

    client.get("/our-work/?x=1")
    response = client.get("/our-work/?x=1")
    filtered = [client.get("/reports/?topic=policy") for _ in range(2)][-1]

    assert "X-Cache" not in response
    assert filtered["X-Cache"] == "hit"
