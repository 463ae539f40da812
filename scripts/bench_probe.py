"""The benchmark's in-process helpers, run by scripts/bench.py in a subprocess whose
DATABASE_URL (and CACHE_URL) point at a benchmark database (and cache):

    bench_probe.py queries        JSON: {"urls": {label: url}, "queries": {label: {...}}}
    bench_probe.py hits           JSON: {label: queries on a page-cache hit}
    bench_probe.py save [--every S --seconds T --wait]   staff saves through the ORM
    bench_probe.py covers [--count N]             enqueue cover renders of normal reports
    bench_probe.py signups --domain D             JSON: what became of the soak's signups

Query counts use Django's test client against the same middleware, views and database as the
served site. "cold": every cache cleared; "uncached": the page cache off and the fragments it
keeps (identity, navigation) warm, as on a site serving --no-page-cache; "hit": the same
request answered from the page cache.
"""

import argparse
import contextlib
import json
import os
import re
import sys
import time
from pathlib import Path

# (label, path) of the pages under test; None paths are discovered from a list page's HTML.
PAGES = [
    ("home", "/"),
    ("content page", "/the-efforts/training/"),
    ("reports list", "/reports/"),
    ("report detail", None),
    ("reports feed", "/reports/feed/"),
    ("events list", "/events/"),
    ("past events", "/events/past/"),
    ("event detail", None),
    ("event ics", None),
    ("events ics feed", "/events/calendar.ics"),
    ("professional development", "/professional-development/"),
    ("celebrate babies week", "/celebrate-babies-week/"),
    ("a day of the week", None),
    ("search", "/search/?q=training"),
    ("newsletter signup", "/newsletter/"),
    ("sitemap", "/sitemap.xml"),
    ("sitemap of events", "/sitemap-events.xml"),
]
SPANISH_PREFIX = "/es"
ENGLISH_ONLY = {"sitemap", "sitemap of events"}  # one sitemap lists both languages
SPANISH_SUFFIX = " (es)"
STATIC_LABEL = "static css"
# Pages a browser shows (for Lighthouse and the page weight), by label.
LIGHTHOUSE_LABELS = ["home", "report detail", "event detail", "celebrate babies week"]

_REPORT_LINK = re.compile(r'href="(/reports/(?!feed/)[a-z0-9][a-z0-9-]*/)"')
_EVENT_LINK = re.compile(r'href="(/events/(?!past/|calendar)[a-z0-9][a-z0-9-]*/)"')
# A day of the week: the first linked from its agenda (a day with more activities than the
# agenda shows), else the agenda's first day, in the year it falls in (a week's first day
# is in the week's year, and the agenda seldom starts before it).
_WEEK_DAY_LINK = re.compile(r'href="(/celebrate-babies-week/\d{4}/\d{4}-\d\d-\d\d/)"')
_WEEK_DAY = re.compile(r'class="campaign-day">\s*<h3><time datetime="((\d{4})-\d\d-\d\d)"')
STYLESHEET = re.compile(r'href="(/static/css/[^"]+\.css)"')


def spanish(label: str) -> str:
    return label + SPANISH_SUFFIX


def first_link(html: str, pattern: re.Pattern) -> str | None:
    match = pattern.search(html)
    return match.group(1) if match else None


def discover(get_html) -> dict[str, str]:
    """label -> URL, in English then Spanish, filling the detail pages from the first one
    linked on their list page."""
    urls = {label: path for label, path in PAGES if path}
    urls["report detail"] = first_link(get_html("/reports/"), _REPORT_LINK)
    event = first_link(get_html("/events/"), _EVENT_LINK)
    urls["event detail"] = event
    urls["event ics"] = event[:-1] + ".ics" if event else None
    week = get_html("/celebrate-babies-week/") or ""
    day = _WEEK_DAY.search(week)
    urls["a day of the week"] = first_link(week, _WEEK_DAY_LINK) or (
        f"/celebrate-babies-week/{day[2]}/{day[1]}/" if day else None
    )
    ordered = {label: urls[label] for label, _ in PAGES if urls.get(label)}
    for label, url in list(ordered.items()):
        if label not in ENGLISH_ONLY:
            ordered[spanish(label)] = SPANISH_PREFIX + url
    return ordered


@contextlib.contextmanager
def count_queries(connection):
    """Counts the queries run inside (``.count``), with an execute wrapper: the test client's
    request_started signal empties connection.queries_log, which fools CaptureQueriesContext
    across requests when DEBUG is off."""

    class Counter:
        count = 0

    counter = Counter()

    def wrapper(execute, sql, params, many, context):
        counter.count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


def setup_django():
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iecmh_site.settings")
    import django

    django.setup()


def clients():
    from django.test import Client

    # As the load generator asks; discovery reads plain HTML.
    return (
        Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="br, gzip"),
        Client(HTTP_HOST="127.0.0.1"),
    )


def html_getter(plain):
    def html(url):
        response = plain.get(url, secure=True)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return body.decode("utf-8", "replace")

    return html


def queries_command(args):
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection

    client, plain = clients()
    settings.PAGE_CACHE_SECONDS = 0
    html = html_getter(plain)
    html("/")  # warm the process-wide caches (site, content types) as a running worker has them
    urls = discover(html)
    queries = {}
    for label, url in urls.items():
        for cache in caches.all():
            cache.clear()
        with count_queries(connection) as cold:
            response = client.get(url, secure=True)
        with count_queries(connection) as uncached:
            client.get(url, secure=True)
        queries[label] = {
            "cold": cold.count,
            "uncached": uncached.count,
            "status": response.status_code,
        }
    json.dump({"urls": urls, "queries": queries}, sys.stdout)


def hits_command(args):
    """Queries of a page-cache hit, for each URL given as JSON on stdin (label -> url), with
    the cache the environment configures."""
    from django.conf import settings
    from django.db import connection

    client, _plain = clients()
    settings.PAGE_CACHE_SECONDS = max(settings.PAGE_CACHE_SECONDS, 300)
    urls = json.load(sys.stdin)
    hits = {}
    for label, url in urls.items():
        client.get(url, secure=True)
        with count_queries(connection) as counter:
            response = client.get(url, secure=True)
        hits[label] = {"queries": counter.count, "x_cache": response.get("X-Cache", "")}
    json.dump(hits, sys.stdout)


def save_command(args):
    """Staff saves, as the admin makes them: a published page, report and event in turn,
    each saved in a transaction whose commit invalidates the page cache."""
    from django.db import transaction

    from events.models import Event
    from pages.models import Page
    from reports.models import Report

    targets = [
        Page.objects.published().order_by("pk").first(),
        Report.objects.published().order_by("pk").first(),
        Event.objects.published().order_by("pk").first(),
    ]
    targets = [target for target in targets if target is not None]
    if args.wait:  # set up (as the admin's process is on launch day) before the clock starts
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            return  # the bench stopped before the load began
    deadline = time.monotonic() + args.seconds
    saves = 0
    while True:
        target = targets[saves % len(targets)]
        with transaction.atomic():
            target.save()
        saves += 1
        if args.every <= 0 or time.monotonic() + args.every > deadline:
            break
        time.sleep(args.every)
    print(json.dumps({"saves": saves}))


def covers_command(args):
    """Enqueue the PDF check of ``count`` reports with a PDF, each making its cover from the
    PDF's first page (as after an upload), for a running worker to take."""
    from reports.models import Report
    from reports.tasks import report_files_process_job

    reports = list(Report.objects.exclude(pdf="").order_by("-featured", "pk")[: args.count])
    for report in reports:
        # As if the cover had been made from the PDF: the job makes it again.
        Report.objects.filter(pk=report.pk).update(cover_generated=True)
        report_files_process_job.enqueue(report.pk, True, False)
    print(json.dumps({"enqueued": len(reports)}))


def pending_command(args):
    """Jobs a worker would take now, or is running (not those scheduled for later)."""
    from django_tasks_db.models import DBTaskResult

    jobs = DBTaskResult.objects
    print(json.dumps({"pending": jobs.ready().count() + jobs.running().count()}))


def signups_command(args):
    """What became of the signups posted with addresses at ``domain``: the rows kept, and the
    confirmation email queued (or already sent) for each."""
    from django_tasks_db.models import DBTaskResult

    from newsletter.models import Subscriber
    from newsletter.tasks import confirmation_send_job, signup_process_job

    domain = "@" + args.domain
    subscribers = set(
        Subscriber.objects.filter(email__endswith=domain).values_list("pk", flat=True)
    )
    signup_jobs = [
        job
        for job in DBTaskResult.objects.filter(task_path=signup_process_job.module_path)
        if str(job.args_kwargs.get("kwargs", {}).get("email", "")).endswith(domain)
    ]
    confirmations = DBTaskResult.objects.filter(task_path=confirmation_send_job.module_path)
    confirmed_for = {
        (job.args_kwargs.get("args") or [None])[0]: job.status for job in confirmations
    }
    print(
        json.dumps(
            {
                "signup_jobs": len(signup_jobs),
                "signup_jobs_failed": sum(job.status == "FAILED" for job in signup_jobs),
                "subscribers": len(subscribers),
                "emails_queued": sum(pk in confirmed_for for pk in subscribers),
                "emails_sent": sum(confirmed_for.get(pk) == "SUCCESSFUL" for pk in subscribers),
            }
        )
    )


COMMANDS = {
    "queries": queries_command,
    "hits": hits_command,
    "save": save_command,
    "covers": covers_command,
    "pending": pending_command,
    "signups": signups_command,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=COMMANDS, nargs="?", default="queries")
    parser.add_argument("--every", type=float, default=0, help="save: seconds between saves")
    parser.add_argument("--seconds", type=float, default=0, help="save: for how long")
    parser.add_argument(
        "--wait", action="store_true", help='save: print "ready", then start on a line of input'
    )
    parser.add_argument("--count", type=int, default=5, help="covers: how many reports")
    parser.add_argument("--domain", default="soak.invalid", help="signups: their domain")
    args = parser.parse_args(argv)
    setup_django()
    COMMANDS[args.command](args)


if __name__ == "__main__":
    main()
