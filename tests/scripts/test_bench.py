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


def row(rps, errors=0, x_cache="hit"):
    return {"rps": rps, "errors": errors, "x_cache": x_cache, "status": 200}


def run(rps, *, p99=10.0, errors=0, x_cache="hit", status=200):
    return {
        "rps": rps,
        "p50": 1.0,
        "p99": p99,
        "errors": errors,
        "x_cache": x_cache,
        "status": status,
    }


def test_a_row_is_the_median_of_its_rounds_so_one_disturbed_run_does_not_decide_it():
    combined = bench.combine([run(900), run(300, p99=800.0), run(1000)])

    assert combined["rps"] == 900
    assert combined["p99"] == 800.0  # the worst latency is kept, not smoothed away
    assert combined["runs"] == [900, 300, 1000]


def test_a_row_keeps_every_error_and_a_bad_status_from_any_of_its_rounds():
    combined = bench.combine(
        [run(900), run(800, errors=2, x_cache="miss", status=500), run(1000, errors=1)]
    )

    assert combined["errors"] == 3
    assert combined["status"] == 500
    # A cached page missed in one round still counts in the cached goal.
    assert combined["x_cache"] == "hit"
    assert bench.combine([run(900, x_cache="skip"), run(800, x_cache="skip")])["x_cache"] == "skip"


def test_pages_are_measured_in_interleaved_rounds_with_the_static_file_between(monkeypatch):
    loaded = []
    rates = iter(range(100, 10_000, 100))
    monkeypatch.setattr(bench, "fetch", lambda url, **kwargs: (200, "br", b"", {"X-Cache": "hit"}))
    monkeypatch.setattr(bench, "settle", lambda base: None)

    def fake_wrk(url, *args):
        loaded.append(url.removeprefix("http://server"))
        return {"rps": next(rates), "p50": 1.0, "p99": 2.0, "errors": 0}

    monkeypatch.setattr(bench, "wrk", fake_wrk)
    measuring = bench.Bench.__new__(bench.Bench)
    measuring.args = bench.parse_args(["--rounds=3"])
    urls = {f"page {n}": f"/{n}/" for n in range(9)}

    rows = measuring.measure_pages("http://server", urls, "/static.css")

    one_round = ["/static.css", *[f"/{n}/" for n in range(8)], "/static.css", "/8/"]
    assert loaded == [*one_round * 3, "/static.css"]
    assert rows["page 0"]["runs"] == [200, 1300, 2400]
    assert rows["page 0"]["rps"] == 1300  # the median of its rounds
    assert rows[bench.STATIC_LABEL]["runs"] == [100, 1000, 1200, 2100, 2300, 3200, 3400]
    assert rows[bench.STATIC_LABEL]["rps"] == 2100


def test_rounds_are_one_or_more():
    with pytest.raises(SystemExit):
        bench.parse_args(["--rounds=0"])


def results(*, home=30.0, cached_home=900.0, hit_queries=0, renders=1, soak_errors=0):
    """What Bench.main() gathers, with every goal met unless told otherwise."""
    static = row(1000)
    probe = {
        "urls": {"home": "/", "search": "/search/?q=training"},
        "queries": {
            "home": {"cold": 7, "uncached": 4, "status": 200},
            "search": {"cold": 5, "uncached": 3, "status": 200},
        },
    }
    return {
        "configs": {
            "uncached, SQLite 1x": {
                "rows": {"home": row(home * 10), "search": row(200), "static css": static},
                "memory": [(1, 70 * 1024, 60 * 1024)],
            },
            "cached, shared file cache": {
                "rows": {
                    "home": row(cached_home),
                    "search": row(200, x_cache="miss"),  # never cached: not held to 80%
                    "static css": static,
                },
                "memory": [(2, 75 * 1024, 70 * 1024)],
            },
        },
        "queries": {"SQLite 1x": probe, "SQLite 20x": probe},
        "hits": {
            "cached, shared file cache": {
                "home": {"queries": hit_queries, "x_cache": "hit"},
                "search": {"queries": 3, "x_cache": "miss"},
            }
        },
        "stampede": {
            "cached, shared file cache": {
                "renders": renders,
                "hits": 10 - renders,
                "stale": 40,
                "errors": 0,
            }
        },
        "worker": {"worker": 120 * 1024, "sandbox": 90 * 1024, "reports": 3},
        "weight": {"status": 200, "bytes": 40 * 1024, "parts": {"/": 10 * 1024}},
        "lighthouse": (None, "not measured (--quick)"),
        "soak": {
            "errors": soak_errors,
            "p99": 120.0,
            "rps": 800.0,
            "paths": ["/"] * 20,
            "signups_tried": 15,
            "subscribers": 15,
            "emails_queued": 15,
            "emails_sent": 15,
            "saves": 2,
        },
    }


def verdicts(rows):
    return {goal: verdict for goal, _figure, _target, verdict in rows}


def test_goals_hold_when_every_figure_is_within_its_target():
    rows = bench.goals(results(), bench.parse_args(["--quick"]))

    measured = {goal: v for goal, v in verdicts(rows).items() if not v.startswith("not measured")}
    assert set(measured.values()) <= {"ok", "-", ""}, rows
    assert "2. cached, shared file cache: slowest page vs static" in measured
    # What a quick run leaves out says so, instead of passing silently.
    assert verdicts(rows)["1. uncached, PostgreSQL 1x: slowest page vs static"].startswith(
        "not measured"
    )
    assert verdicts(rows)["5. Lighthouse mobile performance"] == "not measured (--quick)"


@pytest.mark.parametrize(
    ("change", "goal"),
    [
        ({"home": 10.0}, "1. uncached, SQLite 1x: slowest page vs static"),  # 10% < 15%
        ({"cached_home": 700.0}, "2. cached, shared file cache: slowest page vs static"),
        ({"hit_queries": 1}, "2. queries on a cache hit, shared file cache"),
        ({"renders": 9}, "3. renders after a save, 50 at once, shared file cache"),
        ({"soak_errors": 3}, "6. soak 15 s, 50 conn, 20 URLs: errors"),
    ],
)
def test_goals_show_a_miss_beside_the_goal_it_misses(change, goal):
    rows = bench.goals(results(**change), bench.parse_args(["--quick"]))

    assert verdicts(rows)[goal] == "MISS"
    assert sum(v == "MISS" for v in verdicts(rows).values()) == 1


def test_the_goals_table_prints_every_row_with_its_verdict(capsys):
    rows = bench.goals(results(renders=9), bench.parse_args(["--quick"]))

    bench.print_goals(rows, bench.parse_args(["--quick"]))

    out = capsys.readouterr().out
    assert "9 rendered, 1 got that render, 40 the page as it was" in out
    assert "1 MISS" in out
    assert out.count("\n") >= len(rows) + 3


@pytest.mark.parametrize(
    ("runs", "median"),
    [([95], 95), ([95, 100, 100], 100), ([100, 94, 97], 97), ([None, 100, 95], 95), ([None], None)],
)
def test_a_lighthouse_score_is_the_median_of_its_runs_and_a_missing_run_counts_against(
    runs, median
):
    assert bench.median_score(runs) == median


def test_page_weight_finds_what_a_page_loads_but_not_its_links():
    html = (
        '<link rel="stylesheet" href="/static/css/site.1.css"><link rel="canonical" href="/x/">'
        '<link rel="icon" href="/static/img/favicon.svg"><script src="/static/js/site.2.js">'
        '</script><a href="/reports/">Reports</a><img src="/media/cover.webp" alt="">'
    )
    css = "@font-face{src:url(../fonts/a.woff2)} .x{background:url('data:image/png;base64,AA')}"

    assert bench.page_assets(html) == [
        "/static/css/site.1.css",
        "/static/img/favicon.svg",
        "/static/js/site.2.js",
        "/media/cover.webp",
    ]
    assert bench.css_assets(css, "/static/css/site.1.css") == ["/static/fonts/a.woff2"]


def test_signup_reads_the_forms_hidden_fields():
    html = (
        '<input type="hidden" name="csrfmiddlewaretoken" value="tok">'
        '<input type="email" name="email"><input type="hidden" name="started" value="s:1">'
    )

    assert bench.form_fields(html) == {"csrfmiddlewaretoken": "tok", "started": "s:1"}


def test_soak_spreads_over_twenty_urls_in_both_languages():
    urls = bench_probe.discover(
        {
            "/reports/": '<a href="/reports/a-report/">A</a>',
            "/events/": '<a href="/events/an-event/">E</a>',
        }.get
    )

    paths = bench.soak_paths(urls)
    script = bench.wrk_script(paths)

    assert len(paths) == 20 == len(set(paths))
    assert sum(path.startswith("/es/") for path in paths) >= 8
    assert "/search/?q=training" in paths
    assert '"/es/reports/a-report/"' in script and "wrk.format('GET'" in script


def test_discover_takes_the_first_detail_link_and_skips_feeds():
    pages = {
        "/reports/": '<a href="/reports/feed/">Feed</a> <a href="/reports/a-report/">A</a>',
        "/events/": '<a href="/events/past/">Past</a><a href="/events/calendar.ics">ICS</a>'
        '<a href="/events/an-event/">An event</a>',
        "/celebrate-babies-week/": '<li class="campaign-day">\n<h3><time datetime="2025-10-20">'
        "Monday</time></h3></li>",
    }

    urls = bench_probe.discover(pages.__getitem__)

    assert urls["report detail"] == "/reports/a-report/"
    assert urls["event detail"] == "/events/an-event/"
    assert urls["event ics"] == "/events/an-event.ics"
    assert urls["a day of the week"] == "/celebrate-babies-week/2025/2025-10-20/"
    # A busy day, with a page of its own, rather than the first.
    pages["/celebrate-babies-week/"] += '<a href="/celebrate-babies-week/2025/2025-10-22/">'
    busy = bench_probe.discover(pages.__getitem__)["a day of the week"]
    assert busy == "/celebrate-babies-week/2025/2025-10-22/"
    # Every page in Spanish too, under /es/; the one sitemap covers both languages.
    assert urls[bench_probe.spanish("event detail")] == "/es/events/an-event/"
    assert bench_probe.spanish("sitemap") not in urls


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
