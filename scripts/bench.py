"""Benchmark the site in production mode on a scaled data set, and print one table.

    .venv/bin/python scripts/bench.py            # 200 pages, 500 reports, 2,000 events, 50,000
                                                 # subscribers; 10 s of wrk per URL
    .venv/bin/python scripts/bench.py --quick    # small data, 2 s per URL: under a minute
    .venv/bin/python scripts/bench.py --soak     # plus 60 s of 50 connections on the home page

Seeds a separate database (a fresh SQLite file under /tmp, or --database-url), collects static
files into a temporary STATIC_ROOT, serves with gunicorn (2 workers) on a free loopback port and
loads each URL with wrk. Query counts come from Django's test client against the same database,
at 1x and (with --compare-scale, the default) 20x data. Only 127.0.0.1 is ever loaded; gunicorn
and every temporary file are removed at the end.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench_probe import GOAL_PAGES, PAGES, STATIC_LABEL, STYLESHEET

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
# As a TLS-terminating proxy and a modern browser would send them.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "br, gzip"}
SIZES = {"pages": 200, "reports": 500, "events": 2000, "subscribers": 50_000}
QUICK_SIZES = {"pages": 20, "reports": 30, "events": 100, "subscribers": 1000}
GOAL_RATIO = 0.5
STARTED = time.monotonic()
QUERY_BUDGET = 10


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Benchmark the site under load (see the module docstring)."
    )
    parser.add_argument("--quick", action="store_true", help="small data and 2 s per URL")
    for name, default in SIZES.items():
        parser.add_argument(f"--{name}", type=int, help=f"rows to seed (default {default:,})")
    parser.add_argument("--duration", type=int, help="seconds of load per URL (default 10)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL of a database to seed and serve (default: SQLite under /tmp)",
    )
    parser.add_argument(
        "--compare-scale",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also count queries on a second database with --scale-factor times the data",
    )
    parser.add_argument("--scale-factor", type=int, default=20)
    parser.add_argument(
        "--soak", action="store_true", help="add a soak run of the home page (errors under load)"
    )
    parser.add_argument("--soak-duration", type=int, default=60)
    parser.add_argument(
        "--page-cache",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="--no-page-cache sets PAGE_CACHE_SECONDS=0 to measure what a page costs uncached",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    base = QUICK_SIZES if args.quick else SIZES
    args.sizes = {
        name: getattr(args, name) if getattr(args, name) is not None else base[name]
        for name in SIZES
    }
    if args.duration is None:
        args.duration = 2 if args.quick else 10
    return args


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="iecmh-bench-", dir="/tmp"))
        self.gunicorn = None
        self.created_databases = []
        self.env = self._environment()

    # ---- environment and databases

    def _environment(self):
        env = dict(os.environ)
        for name in ("SECURE_SSL_REDIRECT", "STATICFILES_STORAGE", "PAGE_CACHE_SECONDS"):
            env.pop(name, None)  # the production defaults are what is measured
        env.update(
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            SITE_URL=f"https://{HOST}",
            STATIC_ROOT=str(self.work / "static"),
            MEDIA_ROOT=str(self.work / "media"),
            EMAIL_URL="consolemail://",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        if not self.args.page_cache:
            env["PAGE_CACHE_SECONDS"] = "0"
        env["DATABASE_URL"] = self.args.database_url or f"sqlite:///{self.work / 'bench.sqlite3'}"
        return env

    def scaled_database_url(self):
        if not self.args.database_url:
            return f"sqlite:///{self.work / f'bench-x{self.args.scale_factor}.sqlite3'}"
        parts = urlsplit(self.args.database_url)
        name = f"{parts.path.lstrip('/')}_bench_x{self.args.scale_factor}"
        self._recreate_postgres_database(parts, name)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def _recreate_postgres_database(self, parts, name):
        import psycopg

        admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created_databases.append((admin, name))

    def _drop_created_databases(self):
        if not self.created_databases:
            return
        import psycopg

        for admin, name in self.created_databases:
            with (
                suppress(Exception),
                psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn,
            ):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # ---- subprocesses

    def run(self, *command, env=None, timeout=600, capture=False):
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=env or self.env,
            timeout=timeout,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if result.returncode:
            sys.stderr.write(result.stderr[-4000:])
            raise SystemExit(f"bench: {' '.join(command[:3])} failed ({result.returncode})")
        return result.stdout

    def prepare_database(self, database_url, sizes):
        """migrate, seed_demo, then the scaled rows; returns the probe's JSON."""
        env = {**self.env, "DATABASE_URL": database_url}
        self.run(PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0", env=env)
        self.run(PYTHON, "manage.py", "seed_demo", env=env)
        seed_args = [f"--{name}={count}" for name, count in sizes.items()]
        began = time.monotonic()
        self.run(PYTHON, "scripts/bench_seed.py", *seed_args, env=env, timeout=1200)
        took = time.monotonic() - began
        # Query counts do not depend on static storage; plain storage lets this run while
        # collectstatic is still building the manifest.
        probe_env = {
            **env,
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
        probe = json.loads(self.run(PYTHON, "scripts/bench_probe.py", env=probe_env, capture=True))
        return probe, took

    def start_gunicorn(self):
        port = free_port()
        log = open(self.work / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
        self.gunicorn = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "iecmh_site.wsgi:application",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                "2",
                "--no-control-socket",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping it stops the workers
        )
        log.close()
        base = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                break
            with suppress(OSError):
                if fetch(base + "/healthz")[0] == 200:
                    return base
            time.sleep(0.2)
        raise SystemExit("bench: gunicorn did not come up\n" + self.gunicorn_log_tail())

    def gunicorn_log_tail(self, lines=30):
        path = self.work / "gunicorn.log"
        return "\n".join(path.read_text().splitlines()[-lines:]) if path.exists() else ""

    def worker_memory(self):
        """Peak and current RSS (KiB) of each gunicorn worker, read from /proc."""
        workers = []
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            with suppress(OSError):
                status = (proc / "status").read_text()
                fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                if int(fields["PPid"]) == self.gunicorn.pid:
                    workers.append((int(proc.name), kib(fields["VmHWM"]), kib(fields["VmRSS"])))
        return sorted(workers)

    def stop_gunicorn(self):
        if self.gunicorn is None or self.gunicorn.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.gunicorn.pid, signal.SIGTERM)
        try:
            self.gunicorn.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.gunicorn.pid, signal.SIGKILL)
            self.gunicorn.wait(timeout=5)

    def cleanup(self):
        self.stop_gunicorn()
        self._drop_created_databases()
        if self.args.keep:
            say(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    # ---- the run

    def main(self):
        args = self.args
        sizes = ", ".join(f"{count:,} {name}" for name, count in args.sizes.items())
        say(f"database {redact(self.env['DATABASE_URL'])}; seeding {sizes}")
        collect = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            probe, seed_seconds = self.prepare_database(self.env["DATABASE_URL"], args.sizes)
            say(f"seeded in {seed_seconds:.1f} s")
            scaled = None
            if args.compare_scale:
                big = {name: count * args.scale_factor for name, count in args.sizes.items()}
                say(f"seeding {args.scale_factor}x data for the query counts")
                scaled, seconds = self.prepare_database(self.scaled_database_url(), big)
                say(f"{args.scale_factor}x seeded in {seconds:.1f} s")
            say("waiting for collectstatic")
            _, errors = collect.communicate(timeout=300)
            if collect.returncode:
                raise SystemExit(f"bench: collectstatic failed\n{errors[-4000:]}")
        finally:
            if collect.poll() is None:
                collect.kill()
                collect.wait()

        load_before = os.getloadavg()[0]
        base = self.start_gunicorn()
        say(f"gunicorn up at {base}; {args.duration} s of load per URL")
        urls = {label: probe["urls"][label] for label, _ in PAGES if label in probe["urls"]}
        missing = [label for label, _ in PAGES if label not in urls]
        status, _, home = fetch(base + "/", plain=True)
        stylesheet = STYLESHEET.search(home.decode("utf-8", "replace"))
        if stylesheet:
            urls[STATIC_LABEL] = stylesheet.group(1)
        else:
            missing.append(STATIC_LABEL)

        def measure(url):
            status, encoding, body = fetch(base + url)  # also warms the workers
            fetch(base + url)
            return {
                "url": url,
                "status": status,
                "bytes": len(body),
                "encoding": encoding,
                **wrk(base + url, args.duration, args.connections, args.threads),
            }

        # The static file is loaded first and last, and the ratios use the mean of the two, so
        # a neighbour's burst of CPU use during one run skews them less.
        static_runs = [measure(urls[STATIC_LABEL])] if STATIC_LABEL in urls else []
        rows = {label: measure(url) for label, url in urls.items() if label != STATIC_LABEL}
        if static_runs:
            static_runs.append(measure(urls[STATIC_LABEL]))
            rows[STATIC_LABEL] = combine(static_runs)
        soak = None
        if args.soak:
            say(f"soak, {args.soak_duration} s of {args.connections} connections on /")
            soak = wrk(base + "/", args.soak_duration, args.connections, args.threads)
        memory = self.worker_memory()
        log_tail = self.gunicorn_log_tail()
        self.stop_gunicorn()

        print_table(rows, probe["queries"], scaled and scaled["queries"], args)
        if len(static_runs) == 2:
            print(
                f"Static file: {static_runs[0]['rps']:,.0f} req/s first, "
                f"{static_runs[1]['rps']:,.0f} last (the table shows the mean). "
                f"Load average before the run: {load_before:.2f}."
            )
        print_memory(memory)
        if soak:
            print(
                f"Soak: {args.soak_duration} s, {args.connections} connections on /: "
                f"{soak['rps']:,.0f} req/s, p99 {soak['p99']:.1f} ms, {soak['errors']} errors"
            )
        for label in missing:
            print(f"Not measured: {label} (no link found)")
        if any(row["errors"] for row in rows.values()) and log_tail:
            print("gunicorn log (last lines):\n" + log_tail)
        print(verdict(rows, probe["queries"], scaled and scaled["queries"], soak, missing, args))
        say("done")


# ---- helpers


def say(message):
    print(f"bench [{time.monotonic() - STARTED:4.0f} s]: {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(url, *, plain=False):
    """(status, content-encoding, raw body bytes) of a GET, undecoded, without redirects."""
    assert urlsplit(url).hostname == HOST
    headers = {"X-Forwarded-Proto": "https"} if plain else HEADERS
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Encoding", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Encoding", ""), error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def kib(value):
    return int(value.split()[0])


def redact(url):
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(parts.password, "***"))
    return urlunsplit(parts)


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * _UNITS_MS[match.group(2)] if match else float("nan")


def wrk(url, duration, connections, threads):
    assert urlsplit(url).hostname == HOST
    command = [
        WRK,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=5s",
        "--latency",
    ]
    for name, value in HEADERS.items():
        command += ["--header", f"{name}: {value}"]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=duration + 60, check=False
    )
    return parse_wrk(result.stdout + result.stderr)


def parse_wrk(output):
    """requests/s, p50 and p99 latency (ms) and errors (socket errors + non-2xx/3xx)."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    errors = 0
    socket_errors = re.search(r"Socket errors:(.*)", output)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    if not rps:
        errors = max(errors, 1)  # wrk itself failed: count it, never report a silent zero
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": to_ms(p50.group(1)) if p50 else float("nan"),
        "p99": to_ms(p99.group(1)) if p99 else float("nan"),
        "errors": errors,
    }


def combine(runs):
    """One row from repeated runs of a URL: mean req/s, worst latencies, all errors."""
    return {
        **runs[0],
        "rps": sum(run["rps"] for run in runs) / len(runs),
        "p50": max(run["p50"] for run in runs),
        "p99": max(run["p99"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
    }


def format_bytes(size, encoding):
    text = f"{size:,}" if size < 10_000 else f"{size / 1024:,.1f}K"
    return f"{text} {encoding or 'raw'}"


def query_cell(queries, label):
    if label == STATIC_LABEL:
        return "0 (file)"
    entry = (queries or {}).get(label)
    if not entry:
        return "-"
    return f"{entry['cold']}/{entry['warm']}"


def print_table(rows, queries, scaled, args):
    static_rps = rows.get(STATIC_LABEL, {}).get("rps") or 0.0
    scale = f"q@{args.scale_factor}x"
    header = (
        f"{'page':<25} {'url':<40} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} "
        f"{'queries':>8} {scale:>8} {'bytes':>12} {'x static':>8}"
    )
    print()
    print(
        f"{args.connections} connections, {args.threads} wrk threads, {args.duration} s per URL; "
        f"gunicorn 2 workers; {os.cpu_count()} CPUs; queries = cold/warm cache"
        + ("" if args.page_cache else "; page cache OFF")
    )
    print(header)
    print("-" * len(header))
    for label, row in rows.items():
        url = row["url"] if len(row["url"]) <= 40 else row["url"][:37] + "..."
        ratio = row["rps"] / static_rps if static_rps else float("nan")
        print(
            f"{label:<25} {url:<40} {row['rps']:>8,.0f} {row['p50']:>8.1f} {row['p99']:>8.1f} "
            f"{row['errors']:>6} {query_cell(queries, label):>8} "
            f"{query_cell(scaled, label) if scaled else 'n/a':>8} "
            f"{format_bytes(row['bytes'], row['encoding']):>12} {ratio:>8.2f}"
        )
        if not 200 <= row["status"] < 400:
            print(f"{'':<25} ^ answered HTTP {row['status']}")


def print_memory(memory):
    if not memory:
        print("Peak memory per worker: no worker found")
        return
    parts = [
        f"pid {pid}: peak {hwm / 1024:.0f} MiB (now {rss / 1024:.0f} MiB)"
        for pid, hwm, rss in memory
    ]
    print("Peak memory (VmHWM) per gunicorn worker: " + "; ".join(parts))


def verdict(rows, queries, scaled, soak, missing, args):
    static_rps = rows.get(STATIC_LABEL, {}).get("rps") or 0.0
    slow = [
        label
        for label in GOAL_PAGES
        if label in rows and (not static_rps or rows[label]["rps"] < GOAL_RATIO * static_rps)
    ]
    slow += [label for label in GOAL_PAGES if label not in rows]
    errors = sum(row["errors"] for row in rows.values()) + (soak["errors"] if soak else 0)
    checks = [
        (
            not slow,
            f"home + list pages >= {GOAL_RATIO:.0%} of static req/s"
            + (f" (short: {', '.join(sorted(slow))})" if slow else ""),
        ),
        (errors == 0 and not missing, f"{errors} errors" + (" incl. soak" if soak else "")),
    ]
    over = [label for label, entry in queries.items() if entry["cold"] > QUERY_BUDGET]
    checks.append(
        (
            not over,
            f"<= {QUERY_BUDGET} queries per page" + (f" (over: {', '.join(over)})" if over else ""),
        )
    )
    if scaled is not None:
        differ = [
            label
            for label, entry in queries.items()
            if scaled.get(label, {}).get("cold") != entry["cold"]
        ]
        checks.append(
            (
                not differ,
                f"queries identical at 1x and {args.scale_factor}x"
                + (f" (differ: {', '.join(differ)})" if differ else ""),
            )
        )
    else:
        checks.append((False, "1x vs 20x queries not measured (--compare-scale)"))
    if not soak:
        checks.append((None, f"soak not run (--soak: {args.soak_duration} s on /)"))
    held = all(ok for ok, _ in checks if ok is not None)
    marks = "; ".join(
        f"{'ok' if ok else ('--' if ok is None else 'FAIL')}: {text}" for ok, text in checks
    )
    return f"Goals {'HOLD' if held else 'NOT MET'}: {marks}"


def main(argv=None):
    args = parse_args(argv)
    bench = Bench(args)
    # Stop gunicorn and remove the files on Ctrl-C or a kill, too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        bench.main()
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
