"""Count the SQL queries of each benchmarked page, in-process with Django's test client.

Run by scripts/bench.py in a subprocess whose DATABASE_URL points at a benchmark database;
prints JSON: {"urls": {label: url}, "queries": {label: {"cold": n, "warm": n, "status": code}}}.
"cold" is a request with every cache cleared (what the page costs the database), "warm" the same
request repeated (what it costs once the site's own caching, if any, holds it).
"""

import json
import os
import re
import sys
from pathlib import Path

# (label, path) of the pages under test; None paths are discovered from a list page's HTML.
PAGES = [
    ("home", "/"),
    ("reports list", "/reports/"),
    ("events list", "/events/"),
    ("past events", "/events/past/"),
    ("professional development", "/professional-development/"),
    ("search", "/search/?q=training"),
    ("report detail", None),
    ("event detail", None),
    ("celebrate babies week", "/celebrate-babies-week/"),
    ("events ics feed", "/events/calendar.ics"),
    ("sitemap", "/sitemap.xml"),
]
# Pages the goal applies to: at least half the static file's requests per second.
GOAL_PAGES = {
    "home",
    "reports list",
    "events list",
    "past events",
    "professional development",
    "search",
}
STATIC_LABEL = "static css"

_REPORT_LINK = re.compile(r'href="(/reports/(?!feed/)[a-z0-9][a-z0-9-]*/)"')
_EVENT_LINK = re.compile(r'href="(/events/(?!past/|calendar)[a-z0-9][a-z0-9-]*/)"')
STYLESHEET = re.compile(r'href="(/static/css/[^"]+\.css)"')


def first_link(html: str, pattern: re.Pattern) -> str | None:
    match = pattern.search(html)
    return match.group(1) if match else None


def discover(get_html) -> dict[str, str]:
    """label -> URL, filling the detail pages from the first one linked on their list page."""
    urls = {label: path for label, path in PAGES if path}
    urls["report detail"] = first_link(get_html("/reports/"), _REPORT_LINK)
    urls["event detail"] = first_link(get_html("/events/"), _EVENT_LINK)
    return {label: url for label, url in urls.items() if url}


def main():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iecmh_site.settings")
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # As the load generator asks; discovery reads plain HTML.
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="br, gzip")
    plain = Client(HTTP_HOST="127.0.0.1")

    def get(url):
        return client.get(url, secure=True)

    def html(url):
        response = plain.get(url, secure=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return body.decode("utf-8", "replace")

    html("/")  # warm the process-wide caches (site, content types) as a running worker has them
    urls = discover(html)
    queries = {}
    for label, url in urls.items():
        for cache in caches.all():
            cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = get(url)
        with CaptureQueriesContext(connection) as warm:
            get(url)
        queries[label] = {
            "cold": len(cold),
            "warm": len(warm),
            "status": response.status_code,
        }
    json.dump({"urls": urls, "queries": queries}, sys.stdout)


if __name__ == "__main__":
    main()
