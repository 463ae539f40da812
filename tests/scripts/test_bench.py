"""The benchmark's seeding, link discovery and table logic (`make bench` runs the load)."""

import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import bench  # noqa: E402 (scripts/ is not a package)
import bench_probe  # noqa: E402
import bench_seed  # noqa: E402

WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:8000/
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.10ms    2.00ms  40.00ms   90.00%
  Latency Distribution
     50%    9.50ms
     75%   11.00ms
     90%   13.00ms
     99%    1.20s
  9000 requests in 2.00s, 30.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   4500.25
Transfer/sec:     15.00MB
"""


def test_parse_wrk_reads_rate_latencies_and_every_kind_of_error():
    result = bench.parse_wrk(WRK_OUTPUT)

    assert result == {"rps": 4500.25, "p50": 9.5, "p99": 1200.0, "errors": 9}


def test_parse_wrk_counts_a_failed_run_as_an_error():
    assert bench.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")["errors"] == 1


def row(rps, errors=0):
    return {"rps": rps, "errors": errors}


def test_verdict_holds_only_when_pages_keep_up_with_the_static_file():
    queries = {label: {"cold": 5, "warm": 0} for label in bench_probe.GOAL_PAGES}
    rows = {label: row(600) for label in bench_probe.GOAL_PAGES}
    args = bench.parse_args(["--quick"])

    fast = {**rows, bench_probe.STATIC_LABEL: row(1000)}
    assert bench.verdict(fast, queries, queries, None, [], args).startswith("Goals HOLD")

    slow = {**rows, "home": row(400), bench_probe.STATIC_LABEL: row(1000)}
    text = bench.verdict(slow, queries, queries, None, [], args)
    assert text.startswith("Goals NOT MET")
    assert "short: home" in text


def test_verdict_fails_on_errors_and_on_query_counts_that_grow_with_data():
    queries = {label: {"cold": 5, "warm": 0} for label in bench_probe.GOAL_PAGES}
    rows = {label: row(900) for label in bench_probe.GOAL_PAGES}
    rows[bench_probe.STATIC_LABEL] = row(1000, errors=1)
    scaled = {**queries, "home": {"cold": 25, "warm": 0}}
    args = bench.parse_args([])

    text = bench.verdict(rows, queries, scaled, None, [], args)

    assert "FAIL: 1 errors" in text
    assert "differ: home" in text


def test_discover_takes_the_first_detail_link_and_skips_feeds():
    pages = {
        "/reports/": '<a href="/reports/feed/">Feed</a> <a href="/reports/a-report/">A</a>',
        "/events/": '<a href="/events/past/">Past</a><a href="/events/calendar.ics">ICS</a>'
        '<a href="/events/an-event/">An event</a>',
    }

    urls = bench_probe.discover(pages.__getitem__)

    assert urls["report detail"] == "/reports/a-report/"
    assert urls["event detail"] == "/events/an-event/"


@pytest.mark.django_db
def test_seed_adds_the_requested_rows_on_top_of_the_demo_content(client):
    from events.models import Event
    from newsletter.models import Subscriber
    from pages.models import Page
    from reports.models import Report

    call_command("seed_demo", stdout=StringIO())
    before = {model: model.objects.count() for model in (Page, Report, Event, Subscriber)}

    bench_seed.main(["--pages=12", "--reports=7", "--events=30", "--subscribers=25"])

    added = {model: model.objects.count() - before[model] for model in before}
    assert added == {Page: 12, Report: 7, Event: 30, Subscriber: 25}
    report = Report.objects.get(slug="bench-report-3")
    assert report.pdf and report.is_published and not report.featured
    page = Page.objects.filter(parent__isnull=False, slug__startswith="bench-").first()
    assert page.path == f"{page.parent.path}/{page.slug}"
    for url in (report.get_absolute_url(), page.get_absolute_url(), "/events/past/"):
        assert client.get(url, secure=True).status_code == 200
