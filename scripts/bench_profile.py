"""Where an uncached request spends its time, page by page, in-process (cProfile).

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python scripts/bench_profile.py [URL ...]

Serves each URL with Django's test client as a production worker would (DEBUG off, the page
cache off, the fragment caches warm), profiles --requests requests of it and prints its time
per request, its queries, and how the profiled time splits between the database driver, the
ORM, the template engine, rich text, translation, URLs, caching, middleware and the site's own
code; then the functions with the most time of their own, for a closer look.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

DEFAULT_URLS = [
    "/",
    "/reports/",
    "/events/",
    "/events/calendar.ics",
    "/search/?q=training",
    "/sitemap.xml",
    "/sitemap-events.xml",
]


# Where each function's own time (not its callees') goes, by the module it is in: the first
# rule that matches wins. Built-in functions are named by what they are methods of.
KINDS = [
    ("SQL driver", ("sqlite3", "psycopg", "django/db/backends/")),
    ("ORM", ("django/db/models/", "django/db/utils", "django/db/transaction")),
    ("templates", ("django/template/", "django/templatetags/", "templatetags/")),
    ("rich text", ("richtext", "nh3", "bleach", "html5lib", "lxml")),
    ("i18n", ("django/utils/translation", "gettext", "modeltranslation")),
    ("URLs", ("django/urls/",)),
    ("caching", ("django/core/cache/", "iecmh_site/cache.py", "pickle", "zlib")),
    (
        "middleware",
        ("django/middleware/", "middleware.py", "whitenoise", "csp/", "axes/", "health.py"),
    ),
    ("site code", ("/pages/", "/reports/", "/events/", "/newsletter/", "/iecmh_site/")),
    ("Django other", ("django/",)),
]
KIND_NAMES = [name for name, _ in KINDS] + ["Python other"]


def kind_of(file: str, name: str) -> str:
    where = name if file == "~" else file
    for kind, needles in KINDS:
        if any(needle in where for needle in needles):
            return kind
    return "Python other"


def self_time_by_kind(stats) -> dict[str, float]:
    """Own time per kind; a built-in function's (getattr, str.join...) goes to its callers',
    each its share, unless it is the database driver itself."""
    totals = dict.fromkeys(KIND_NAMES, 0.0)
    for (file, _line, name), (_cc, _nc, tt, _ct, callers) in stats.stats.items():
        kind = kind_of(file, name)
        if file == "~" and kind == "Python other" and callers:
            for (caller_file, _l, caller_name), edge in callers.items():
                totals[kind_of(caller_file, caller_name)] += edge[2]
        else:
            totals[kind] += tt
    return totals


def cumulative(stats, file_end: str, names) -> float:
    """Seconds in (and under) the named functions of one file."""
    return sum(
        ct
        for (file, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
        if file.endswith(file_end) and name in names
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="*", default=DEFAULT_URLS)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--top", type=int, default=12, help="costliest functions to list")
    args = parser.parse_args(argv)

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iecmh_site.settings")
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-profile-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("SITE_URL", "https://127.0.0.1")
    os.environ.setdefault(
        "STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django

    django.setup()
    from bench_probe import count_queries
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
    columns = [*KIND_NAMES, "context proc. (cum.)"]
    header = f"{'url':<30} {'ms/req':>6} {'q':>2} " + " ".join(f"{c[:10]:>10}" for c in columns)
    print(header)
    print("-" * len(header))
    everything = None
    for url in args.urls:
        for _ in range(3):  # warm: imports, templates, the generation-cached fragments
            client.get(url, secure=True)
        with count_queries(connection) as queries:
            client.get(url, secure=True)
        began = time.perf_counter()
        for _ in range(args.requests):
            client.get(url, secure=True)
        plain = (time.perf_counter() - began) / args.requests * 1000
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            client.get(url, secure=True)
        profile.disable()
        stats = pstats.Stats(profile)
        total = max(stats.total_tt, 1e-9)
        shares = self_time_by_kind(stats)
        shares["context proc. (cum.)"] = cumulative(
            stats, "iecmh_site/context_processors.py", ("site", "navigation", "languages")
        )
        cells = " ".join(f"{shares[c] / total:>10.0%}" for c in columns)
        print(f"{url[:30]:<30} {plain:>6.1f} {queries.count:>2} {cells}")
        everything = stats if everything is None else everything.add(profile)
    print(
        "\nms/req: wall time without the profiler; q: queries. The other columns share out the"
        "\nprofiled time by where each function's own time is spent (SQL driver: the database"
        "\ncalls; ORM: building queries and model instances; templates: the template engine),"
        "\nexcept the last: the context processors with everything they call.\n"
    )
    if everything is not None and args.top:
        everything.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
