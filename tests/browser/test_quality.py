"""Quality gates over every public page: axe-core (WCAG 2.2 AA), console, requests, links, HTML.

One crawl of the demo site (sitemap, home-page links, list pages, one of each detail kind and
the 404 page) feeds one test per kind of check, so a failure names the page and the rule.
"""

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings

from tests.conftest import run_queued_jobs

pytestmark = [
    # pytest-playwright 0.10's session fixtures trip a pytest 9 deprecation (not our code).
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}
MISSING_PAGE = "/this-page-does-not-exist/"
LIST_PAGES = [
    "/",
    "/reports/",
    "/events/",
    "/events/past/",
    "/professional-development/",
    "/celebrate-babies-week/",
    "/celebrate-babies-week/2025/2025-10-22/",  # a day of the week
    "/search/?q=training",
    "/search/?q=training&kind=events",
    "/newsletter/",
    "/newsletter/privacy/",
    MISSING_PAGE,
]
# The same pages in Spanish: every check runs on both languages.
LIST_PAGES += [f"/es{path}" for path in LIST_PAGES]
MISSING_PAGES = {MISSING_PAGE, f"/es{MISSING_PAGE}"}  # answer 404, as they should
# Paths that must each be represented by at least one crawled detail page.
DETAIL_KINDS = {
    "report": re.compile(r"^/reports/(?!feed/)[-\w]+/$"),
    "event": re.compile(r"^/events/(?!past/|feed)[-\w]+/$"),
    "program page": re.compile(r"^/(?!reports/|events/|newsletter/|search/)[-\w/]+/$"),
}
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@dataclass
class PageResult:
    html: str = ""
    status: int = 0
    axe: dict[str, list[dict]] = field(default_factory=dict)  # width name -> violations
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    links: set[str] = field(default_factory=set)


@dataclass
class Crawl:
    base: str
    pages: dict[str, PageResult]
    link_status: dict[str, int]


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _sitemap_paths(context, base: str, address: str = "/sitemap.xml") -> list[str]:
    """Every address of the sitemap: the index's pages, then the addresses on each."""
    response = context.request.get(base + address)
    assert response.status == 200, f"{address} answered {response.status}"
    tree = ElementTree.fromstring(response.body())
    # <loc>s carry settings.SITE_URL's host: keep the path and serve it from the live server.
    locations = [_path(loc.text.strip()) for loc in tree.iterfind(".//sm:loc", SITEMAP_NS)]
    if tree.tag != f"{{{SITEMAP_NS['sm']}}}sitemapindex":
        return locations
    return [path for page in locations for path in _sitemap_paths(context, base, page)]


def _visit(page, base: str, path: str, axe: Axe) -> PageResult:
    result = PageResult()
    url = base + path

    def on_console(message):
        if message.type != "error":
            return
        # The browser logs the intentional 404 of the missing page itself: not a fault.
        if path in MISSING_PAGES and message.location.get("url") == url:
            return
        result.console_errors.append(message.text)

    def on_response(response):
        if response.status >= 400 and not (path in MISSING_PAGES and response.url == url):
            result.failed_requests.append(f"{response.status} {response.url}")

    def on_page_error(error):
        result.console_errors.append(f"uncaught: {error}")

    def on_request_failed(request):
        result.failed_requests.append(f"{request.failure} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    try:
        for name, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            if name == "desktop":
                response = page.goto(url, wait_until="load")
                result.status = response.status
                result.html = response.text()
            result.axe[name] = axe.run(page, options=AXE_OPTIONS).response["violations"]
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_page_error)
        page.remove_listener("requestfailed", on_request_failed)
        page.remove_listener("response", on_response)
    for href in hrefs:
        href = urldefrag(urljoin(url, href)).url
        if href.startswith(base + "/"):
            result.links.add(_path(href))
    return result


def _link_status(context, base: str, path: str) -> int:
    response = context.request.head(base + path)
    if response.status == 405:  # a view that answers GET only
        response = context.request.get(base + path)
    return response.status


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker, live_server, browser, tmp_path_factory):
    """Seed the demo content, visit every public page once and record what each check needs."""

    # The same database handling as a @pytest.mark.django_db(transaction=True) test, held
    # for the whole module: seeded once, crawled once, flushed afterwards (post_migrate then
    # makes the roles and staff groups again).
    class SeededSite(TransactionTestCase):
        pass

    media = tmp_path_factory.mktemp("media")
    private = tmp_path_factory.mktemp("private-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=private, PAGE_CACHE_SECONDS=0),
    ):
        SeededSite.setUpClass()
        case = SeededSite(methodName="__init__")
        case._pre_setup()
        context = browser.new_context()
        try:
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            run_queued_jobs()  # the pictures and PDFs, as the worker would
            base = live_server.url
            page = context.new_page()
            axe = Axe()

            to_visit = list(dict.fromkeys(LIST_PAGES + _sitemap_paths(context, base)))
            pages: dict[str, PageResult] = {}
            while to_visit:
                path = to_visit.pop(0)
                if path in pages:
                    continue
                pages[path] = result = _visit(page, base, path, axe)
                if path == "/" or path in LIST_PAGES:
                    # Links from the home page and the list pages are pages to check too
                    # (this is where one of each detail kind comes from); links from
                    # detail pages are only checked to resolve.
                    for link in sorted(result.links):
                        if _is_page(link) and link not in pages:
                            to_visit.append(link)

            all_links = sorted({link for result in pages.values() for link in result.links})
            link_status = {
                link: pages[link].status if link in pages else _link_status(context, base, link)
                for link in all_links
            }
            yield Crawl(base=base, pages=pages, link_status=link_status)
        finally:
            context.close()
            case._post_teardown()
            SeededSite.tearDownClass()


def _is_page(path: str) -> bool:
    """An HTML page worth the full checks (not a download, feed, calendar or filtered list)."""
    plain = path.split("?")[0]
    if "?" in path and path not in LIST_PAGES:
        return False
    return plain.endswith("/") and not re.search(r"/(download|feed|ical|calendar)[-\w]*/$", plain)


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(
            f"    {violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
        )
    return "\n".join(lines)


def test_every_kind_of_page_is_crawled(crawl):
    paths = list(crawl.pages)
    for kind, pattern in DETAIL_KINDS.items():
        assert any(pattern.match(path) for path in paths), f"no {kind} was crawled: {paths}"
    assert crawl.pages[MISSING_PAGE].status == 404
    assert len(paths) >= 15, paths


def test_every_kind_of_page_is_crawled_in_spanish(crawl):
    spanish = [path.removeprefix("/es") for path in crawl.pages if path.startswith("/es/")]
    for kind, pattern in DETAIL_KINDS.items():
        assert any(pattern.match(path) for path in spanish), f"no Spanish {kind}: {spanish}"
    assert crawl.pages[f"/es{MISSING_PAGE}"].status == 404
    assert '<html lang="es">' in crawl.pages["/es/"].html
    assert '<html lang="en">' in crawl.pages["/"].html


@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_finds_no_wcag_violations(crawl, width):
    failures = {
        path: _format_violations(result.axe[width])
        for path, result in crawl.pages.items()
        if result.axe[width]
    }
    assert not failures, f"axe-core WCAG 2.2 AA violations at {width} width:\n" + "\n".join(
        f"  {path}\n{text}" for path, text in failures.items()
    )


def test_no_console_errors(crawl):
    failures = {path: r.console_errors for path, r in crawl.pages.items() if r.console_errors}
    assert not failures, json.dumps(failures, indent=2)


def test_no_failed_requests(crawl):
    failures = {path: r.failed_requests for path, r in crawl.pages.items() if r.failed_requests}
    assert not failures, json.dumps(failures, indent=2)
    wrong = {
        path: r.status
        for path, r in crawl.pages.items()
        if r.status != (404 if path in MISSING_PAGES else 200)
    }
    assert not wrong, f"pages with an unexpected status: {wrong}"


def test_no_broken_internal_links(crawl):
    broken = {
        link: status
        for link, status in crawl.link_status.items()
        if status >= 400 and link not in MISSING_PAGES
    }
    if broken:
        sources = {
            link: sorted(path for path, r in crawl.pages.items() if link in r.links)
            for link in broken
        }
        pytest.fail(
            "broken internal links:\n"
            + "\n".join(
                f"  {link} -> {status}, on {sources[link]}" for link, status in broken.items()
            )
        )


def _vnu_command() -> list[str] | None:
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        return None
    return [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]


def test_served_html_is_valid(crawl, tmp_path):
    command = _vnu_command()
    if command is None:
        message = f"the Nu Html Checker needs Java and {VNU_JAR.relative_to(ROOT)}: run `npm ci`"
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message)
        pytest.skip(message)
    files = {}
    for index, (path, result) in enumerate(crawl.pages.items()):
        file = tmp_path / f"page-{index:03d}.html"
        file.write_text(result.html, encoding="utf-8")
        files[file.name] = path
    # One JVM for every page: starting Java is the slow part.
    completed = subprocess.run(
        [*command, *(str(tmp_path / name) for name in files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(completed.stderr or completed.stdout or '{"messages": []}')
    errors = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    lines = []
    for message in errors:
        path = files.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
        extract = message.get("extract", "").strip()[:80]
        lines.append(f"  {path}:{message.get('lastLine', '?')}: {message['message']}  [{extract}]")
    assert not errors, "Nu Html Checker errors:\n" + "\n".join(lines)
