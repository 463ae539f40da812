import gzip
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import time_machine
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client, RequestFactory

from iecmh_site import cache as page_cache
from iecmh_site.cache import PublicPageCacheMiddleware, cache_skip
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


def test_a_release_starts_with_nothing_kept(client):
    from django.core.management import call_command

    make_page("Our Work")
    client.get("/our-work/")
    assert client.get("/our-work/")["X-Cache"] == "hit"

    call_command("migrate", verbosity=0)  # what a release runs once

    assert client.get("/our-work/")["X-Cache"] == "miss"  # made by the new code's templates


def test_losing_the_generation_never_brings_back_what_an_earlier_one_kept():
    page_cache.generation_cached("navigation", lambda: "as first built")
    page_cache._bump()  # a save
    assert page_cache.generation_cached("navigation", lambda: "after the save") == "after the save"

    # The file cache culls a random third of its entries; Redis may lose its data.
    caches["pages"].delete(page_cache.GENERATION_KEY)

    # Counted from 1 again, it met the entry kept under 1, a day old at most.
    assert page_cache.generation_cached("navigation", lambda: "made now") == "made now"


def test_making_room_never_drops_the_generation(tmp_path, monkeypatch):
    monkeypatch.setattr(page_cache.FileCache, "CULL_EVERY", 1)
    cache = page_cache.FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 3}})
    monkeypatch.setattr(page_cache, "_cache", lambda: cache)
    first = page_cache.generation()

    for n in range(100):  # a third of the entries dropped at random, time and again
        cache.set(f"page-{n}", "body")

    # Dropped, every kept page would have been stale at once: all made again, and again.
    assert page_cache.generation() == first


def test_the_generation_is_kept_past_the_caches_default_timeout():
    first = page_cache.generation()
    page_cache._bump()  # a save

    with time_machine.travel(time.time() + 3600):  # quiet for an hour
        # Expired, every kept page would have been stale at once.
        assert page_cache.generation() == first + 1


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


def test_the_file_cache_looks_at_its_size_every_so_many_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(page_cache.FileCache, "_writes", itertools.count())
    listed = []
    list_files = page_cache.FileCache._list_cache_files
    monkeypatch.setattr(
        page_cache.FileCache,
        "_list_cache_files",
        lambda cache: listed.append(1) or list_files(cache),
    )
    cache = page_cache.FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10}})
    every = page_cache.FileCache.CULL_EVERY
    batch = {f"event-{n}": f"text {n}" for n in range(3 * every)}  # a calendar's event texts

    cache.set_many(batch)

    # Each look lists the folder: at every write, a page made after a save took 200 ms more.
    assert len(listed) == 3
    assert len(list(tmp_path.iterdir())) < len(batch)  # past MAX_ENTRIES, room was made
    assert cache.get(f"event-{3 * every - 1}") == f"text {3 * every - 1}"  # the latest, kept


@pytest.mark.parametrize("encoding", ["gzip", ""])
def test_a_page_written_piece_by_piece_is_sent_in_one_piece_once_kept(client, encoding):
    from tests.factories import make_report

    make_report("Workforce survey")
    client.get("/reports/feed/", HTTP_ACCEPT_ENCODING=encoding)  # the feed writes each element
    response = client.get("/reports/feed/", HTTP_ACCEPT_ENCODING=encoding)

    assert response["X-Cache"] == "hit"
    # What the server sends, a write per piece: a piece per element took 6.5 ms a hit.
    assert len(list(response)) == 1
    body = gzip.decompress(response.content) if encoding else response.content
    assert b"Workforce survey" in body


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
    assert not cached("/search/?q=mapping&kind=nonsense")
    assert not cached("/search/?q=mapping&kind=reports&page=007")
    assert not cached("/events/calendar.ics?kind=nonsense")


@pytest.mark.parametrize("store", ["files", "redis"])
def test_searches_are_kept_within_a_budget_so_junk_cannot_evict_pages(
    client, monkeypatch, django_capture_on_commit_callbacks, request, store, settings
):
    from iecmh_site import site

    if store == "redis":
        request.getfixturevalue("redis_page_cache")

    rules = site.search.page_cache_rules
    monkeypatch.setattr(site.search, "page_cache_rules", rules._replace(budget=2))
    page_cache._page_cache_rules.cache_clear()  # it remembers each path's rules
    request.addfinalizer(page_cache._page_cache_rules.cache_clear)
    make_page("Our Work")

    def cached(url):
        client.get(url)
        return client.get(url).get("X-Cache") == "hit"

    assert cached("/search/?q=work")
    assert cached("/search/?q=work&kind=pages")
    # The budget is spent: made afresh each time, without the page cache at all.
    assert "X-Cache" not in client.get("/search/?q=anything")
    assert "Our Work" in client.get("/search/?q=anything+work").text
    # Old and new workers serving at once during a release share the one budget.
    settings.PAGE_CACHE_RELEASE = "the-next-release"
    assert "X-Cache" not in client.get("/search/?q=anything")
    assert cached("/our-work/")  # pages are kept whatever visitors type
    with django_capture_on_commit_callbacks(execute=True):  # a save opens no new places
        make_page("The Need")
    assert "The Need" in client.get("/search/?q=need").text
    assert not cached("/search/?q=anything")
    # Once what was kept has expired, places open again.
    if store == "redis":
        store_ = page_cache._cache()
        key = store_.make_and_validate_key(PublicPageCacheMiddleware._budget_key(rules))
        assert 0 < store_._cache.get_client().ttl(key) <= settings.PAGE_CACHE_SECONDS
    else:
        with time_machine.travel(time.time() + settings.PAGE_CACHE_SECONDS + 1):
            assert cached("/search/?q=anything")


@pytest.fixture
def redis_page_cache(settings, redis_server):
    """The page cache on a real Redis, as CACHE_URL=redis://... configures it."""
    cache = {
        "BACKEND": "iecmh_site.cache.TolerantRedisCache",
        "LOCATION": redis_server.url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        "KEY_FUNCTION": "iecmh_site.cache.make_key",
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


def test_a_hit_on_redis_is_one_round_trip(client, redis_page_cache):
    import redis

    make_page("Our Work")
    client.get("/our-work/")
    server = redis.Redis.from_url(redis_page_cache.url)
    server.config_resetstat()

    assert client.get("/our-work/")["X-Cache"] == "hit"

    calls = {
        name.removeprefix("cmdstat_"): stats["calls"]
        for name, stats in server.info("commandstats").items()
        if not name.startswith("cmdstat_config")
    }
    assert calls == {"mget": 1}  # the page and the generation, together


def test_redis_hits_reuse_their_client(client, redis_page_cache, monkeypatch):
    # Making a redis.Redis fills a table of reply parsers: a fifth of a hit's time when
    # Django's Redis cache made one per command.
    import redis

    make_page("Our Work")
    client.get("/our-work/")
    made = []
    original = redis.Redis.__init__
    monkeypatch.setattr(
        redis.Redis, "__init__", lambda self, *a, **kw: made.append(1) or original(self, *a, **kw)
    )

    for _ in range(3):
        assert client.get("/our-work/")["X-Cache"] == "hit"

    assert made == []


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


# ---- stampede protection: after a save, each page is rendered once, however many ask for it


class SlowPage:
    """Stands in for a page view that takes ``seconds`` to render, or renders until ``until``
    (a threading.Event) is set; counts its renders."""

    def __init__(self, seconds=0.3, *, cacheable=True):
        self.seconds, self.cacheable = seconds, cacheable
        self.until = None
        self.renders = 0
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            self.renders += 1
        if self.until is not None:
            self.until.wait(timeout=5)
        else:
            time.sleep(self.seconds)
        if not self.cacheable:
            cache_skip(request)  # as a search does
        return HttpResponse("<p>" + "words " * 100 + "</p>")


def visitors_at_once(count, middleware, path="/"):
    """``count`` requests for ``path`` let go at the same moment, each in its own thread."""
    return requests_at_once(middleware, [path] * count)


def requests_at_once(middleware, paths):
    """A request for each of ``paths``, let go at the same moment, each in its own thread."""
    barrier = threading.Barrier(len(paths))

    def visit(path):
        request = RequestFactory().get(path, HTTP_ACCEPT_ENCODING="gzip")
        barrier.wait()
        return middleware(request)

    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        return list(pool.map(visit, paths))


def test_visitors_asking_at_once_after_a_save_get_one_render():
    page = SlowPage()
    middleware = PublicPageCacheMiddleware(page)

    first = visitors_at_once(30, middleware)
    page_cache._bump()  # what a staff save does once it commits: every page is stale
    second = visitors_at_once(30, middleware)

    assert page.renders == 2  # one per generation, not sixty
    # The first time, nothing is kept: the others wait for the one render. After the save,
    # they get the page as it was at once while it is made anew.
    assert sorted(response["X-Cache"] for response in first) == ["hit"] * 29 + ["miss"]
    assert sorted(response["X-Cache"] for response in second) == ["miss"] + ["stale"] * 29
    for response in second:  # a CDN must not keep what may be gone after the render
        if response["X-Cache"] == "stale":
            assert "s-maxage=0" in response["Cache-Control"]
    for responses in (first, second):
        assert len({response.content for response in responses}) == 1
        assert all(response["Content-Encoding"] == "gzip" for response in responses)
    assert middleware(RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip"))["X-Cache"] == "hit"


def test_after_a_save_a_worker_makes_one_page_again_at_a_time_and_shows_the_rest_as_they_were():
    page = SlowPage(0)
    middleware = PublicPageCacheMiddleware(page)
    paths = ["/", "/reports/", "/events/", "/events/past/"]
    for path in paths:
        middleware(RequestFactory().get(path, HTTP_ACCEPT_ENCODING="gzip"))

    page_cache._bump()
    page.until = threading.Event()  # a render lasts until the three others have their answer
    answers = []

    def visitor(request):
        response = middleware(request)
        answers.append(response["X-Cache"])
        if answers.count("stale") == 3:
            page.until.set()
        return response

    during = requests_at_once(visitor, paths)
    after = [middleware(RequestFactory().get(path, HTTP_ACCEPT_ENCODING="gzip")) for path in paths]

    # Rendering all four at once would have taken every thread a worker has, leaving none to
    # send the pages that were ready: one is made again, the others are shown as they were.
    assert sorted(response["X-Cache"] for response in during) == ["miss"] + ["stale"] * 3
    # Asked again once that render is done, each of the others is made again in turn.
    assert sorted(response["X-Cache"] for response in after) == ["hit"] + ["miss"] * 3
    assert page.renders == 4 + 4


def test_no_page_is_shown_as_it_was_for_long_while_others_are_made_again(monkeypatch):
    middleware = PublicPageCacheMiddleware(SlowPage(0))
    for path in ("/", "/reports/"):
        middleware(RequestFactory().get(path, HTTP_ACCEPT_ENCODING="gzip"))
    page_cache._bump()
    rendering, answered = threading.Event(), threading.Event()

    def view(request):
        if request.path == "/reports/":
            return HttpResponse("Not found", status=404)  # unpublished in that save
        rendering.set()
        answered.wait(timeout=5)  # the home page renders until /reports/ has its answer
        return HttpResponse("<p>home</p>")

    middleware.get_response = view
    with ThreadPoolExecutor(max_workers=1) as pool:
        home = pool.submit(middleware, RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip"))
        assert rendering.wait(timeout=5)  # the worker makes the home page again, one at a time
        monkeypatch.setattr(page_cache, "STALE_WHILE_BUSY_SECONDS", 0)  # /reports/: for too long
        reports = middleware(RequestFactory().get("/reports/", HTTP_ACCEPT_ENCODING="gzip"))
        answered.set()
        home = home.result()

    # One at a time, the page unpublished would be shown as it was for as long as the worker
    # had other pages to make again; shown so for long enough, whoever asks makes it.
    assert (home["X-Cache"], reports.status_code) == ("miss", 404)


def test_a_page_gone_after_a_save_is_never_served_as_it_was():
    page = SlowPage(0.2)
    middleware = PublicPageCacheMiddleware(page)
    visitors_at_once(2, middleware)

    def gone(request):  # unpublished: the page answers 404 from now on
        time.sleep(0.2)
        return HttpResponse("Not found", status=404)

    middleware.get_response = gone
    page_cache._bump()
    during = visitors_at_once(5, middleware)
    after = visitors_at_once(5, middleware)

    # Only while the first render runs may the others see the page as it was; once it has
    # answered 404, so does everyone, even while another render runs.
    assert sorted(r.get("X-Cache", "-") for r in during) == ["-"] + ["stale"] * 4
    assert [r.status_code for r in after] == [404] * 5


def test_waiters_render_at_once_when_the_page_is_not_cacheable():
    page = SlowPage(0.2, cacheable=False)
    middleware = PublicPageCacheMiddleware(page)

    began = time.monotonic()
    responses = visitors_at_once(8, middleware)

    # Each waiter learns the render ended without a cached page and renders its own, instead
    # of waiting RENDER_WAIT_SECONDS for a page that will never come.
    assert page.renders == 8
    assert all(response.status_code == 200 for response in responses)
    assert time.monotonic() - began < page_cache.RENDER_WAIT_SECONDS


def test_a_lock_left_by_a_dead_worker_delays_visitors_briefly_and_never_blocks(monkeypatch):
    monkeypatch.setattr(page_cache, "RENDER_WAIT_SECONDS", 0.3)
    page = SlowPage(0)
    middleware = PublicPageCacheMiddleware(page)
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    key = PublicPageCacheMiddleware._key(request, True)
    caches["pages"].add(f"{key}:rendering", "a worker that died", 60)

    began = time.monotonic()
    response = middleware(request)

    assert 0.3 <= time.monotonic() - began < 2
    assert (response.status_code, response["X-Cache"], page.renders) == (200, "miss", 1)


CONTENDER = """
import json, os, sys, threading, time
from concurrent.futures import ThreadPoolExecutor

import django

django.setup()
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import setup_test_environment

from iecmh_site.cache import PublicPageCacheMiddleware

setup_test_environment()  # "testserver" is an allowed host
renders = []


def page(request):
    renders.append(1)
    time.sleep(0.3)
    return HttpResponse("<p>" + "words " * 100 + "</p>")


middleware = PublicPageCacheMiddleware(page)
threads = int(sys.argv[1])
barrier = threading.Barrier(threads)


def visit(_):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    barrier.wait()
    return middleware(request)["X-Cache"]


print("ready", flush=True)
sys.stdin.readline()
with ThreadPoolExecutor(max_workers=threads) as pool:
    answers = list(pool.map(visit, range(threads)))
print(json.dumps({"renders": len(renders), "answers": answers}), flush=True)
"""


def test_two_processes_sharing_the_cache_render_a_page_once_between_them(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iecmh_site.settings",
        "DEBUG": "true",
        "SECRET_KEY": "stampede-test-" + "x" * 40,
        "PAGE_CACHE_DIR": str(tmp_path / "shared-page-cache"),
        "PAGE_CACHE_SECONDS": "300",
        "CACHE_URL": "",
    }
    contenders = [
        subprocess.Popen(
            [sys.executable, "-c", CONTENDER, "10"],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for process in contenders:
            assert process.stdout.readline().strip() == "ready"
        for process in contenders:
            process.stdin.write("go\n")
            process.stdin.flush()
        results = [json.loads(process.communicate(timeout=60)[0]) for process in contenders]
    finally:
        for process in contenders:
            process.kill()

    answers = [answer for result in results for answer in result["answers"]]
    renders = sum(result["renders"] for result in results)
    assert renders == 1
    assert sorted(answers) == ["hit"] * 19 + ["miss"]


def test_on_redis_too_one_render_and_no_waiting_while_it_is_down(redis_page_cache):
    page = SlowPage(0.2)
    middleware = PublicPageCacheMiddleware(page)

    responses = visitors_at_once(20, middleware)
    assert page.renders == 1
    assert sorted(response["X-Cache"] for response in responses) == ["hit"] * 19 + ["miss"]

    redis_page_cache.stop()
    page_cache._bump()
    began = time.monotonic()
    responses = visitors_at_once(5, middleware)

    # No lock can be taken, and none is seen: everyone renders at once, as before the lock.
    assert time.monotonic() - began < page_cache.RENDER_WAIT_SECONDS
    assert page.renders == 6
    assert all(response.status_code == 200 for response in responses)
