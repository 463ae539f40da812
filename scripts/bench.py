"""Benchmark the site as it runs in production, and print one table of the goals (issue 17).

    .venv/bin/python scripts/bench.py            # 1x data: 200 pages, 500 reports, 2,000
                                                 # events, 50,000 subscribers; and 20x that
    .venv/bin/python scripts/bench.py --quick    # small data, SQLite only, 1 s per URL

Seeds throwaway databases (SQLite files under /tmp; PostgreSQL: a throwaway cluster of its own,
or --database-url), collects static files, serves with gunicorn (gunicorn.conf.py: 2 workers,
threads) on a free loopback port and loads every public URL, in English and Spanish, with wrk
(three interleaved rounds of 1 s per URL, a row the median of its rounds; --quick: one round):

1. uncached (PAGE_CACHE_SECONDS=0): every page at >= 15% of the static file's requests/s in
   the same run, on SQLite and PostgreSQL, 1x and 20x data; queries per page (aim <= 5, the
   same at 20x), counted in-process (scripts/bench_probe.py);
2. cached, on the shared default cache (files) and on Redis: every cached page at >= 80% of
   the static file; queries on a cache hit (0);
3. right after a save, 50 requests for one page at once: how many of them rendered it;
4. peak resident memory of each web worker (<= 80 MiB) and of a background worker rendering
   covers of normal reports (<= 150 MiB);
5. the home page's weight with everything it loads (<= 60 KB compressed); Lighthouse mobile
   performance (100) of four pages in both languages, when Chromium and Lighthouse are here;
6. a launch-day soak: 50 connections over 20 URLs in both languages while staff save every
   10 s and someone signs up every second: errors, p99, signups kept and emails queued.

Only 127.0.0.1 is ever loaded; every server it starts and every temporary file is removed at
the end (--keep keeps the files).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench_probe import (
    LIGHTHOUSE_LABELS,
    SPANISH_PREFIX,
    STATIC_LABEL,
    STYLESHEET,
    spanish,
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
REDIS = shutil.which("redis-server")
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
# As a TLS-terminating proxy and a modern browser would send them.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "br, gzip"}
SIZES = {"pages": 200, "reports": 500, "events": 2000, "subscribers": 50_000}
QUICK_SIZES = {"pages": 20, "reports": 30, "events": 100, "subscribers": 1000}
STARTED = time.monotonic()

# The goals of issue 17.
UNCACHED_RATIO = 0.15
CACHED_RATIO = 0.80
QUERY_AIM = 5
STAMPEDE_VISITORS = 50
STAMPEDE_BOUND = 2  # renders of one page after a save, however many ask at once
WEB_WORKER_MIB = 80
BACKGROUND_WORKER_MIB = 150
HOME_WEIGHT_KB = 60
LIGHTHOUSE_PERFORMANCE = 100
SOAK_P99_MS = 250
SOAK_URLS = 20
SOAK_SAVE_EVERY = 10
SIGNUP_DOMAIN = "soak.invalid"
# Measured under load in the quick run (the rest is probed for queries only).
QUICK_LOAD_LABELS = [
    "home",
    "report detail",
    "events list",
    "events ics feed",
    "search",
    "sitemap of events",
    spanish("home"),
    spanish("event detail"),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="Benchmark the site under load (see the module docstring)."
    )
    parser.add_argument("--quick", action="store_true", help="small data, SQLite, 1 s per URL")
    for name, default in SIZES.items():
        parser.add_argument(f"--{name}", type=int, help=f"rows to seed (default {default:,})")
    parser.add_argument(
        "--duration", type=float, help="seconds of load per URL and round (default 1)"
    )
    parser.add_argument(
        "--rounds", type=int, help="rounds over every URL, interleaved (default 3; --quick 1)"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--scale-factor", type=int, default=20)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to use (its database is recreated; default: a throwaway "
        "cluster of the bench's own, when PostgreSQL is installed)",
    )
    for name, what in [
        ("postgres", "also measure on PostgreSQL (default: on, off with --quick)"),
        ("scale", "also measure 20x data under load (default: on, off with --quick)"),
        ("redis", "also measure the page cache on Redis (default: on, when installed)"),
        ("lighthouse", "run Lighthouse (default: on, off with --quick)"),
        ("soak", "run the launch-day soak (default: on)"),
    ]:
        parser.add_argument(f"--{name}", action=argparse.BooleanOptionalAction, help=what)
    parser.add_argument("--soak-duration", type=int, help="seconds (default 60; --quick 15)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be 1 or more")
    base = QUICK_SIZES if args.quick else SIZES
    args.sizes = {
        name: getattr(args, name) if getattr(args, name) is not None else base[name]
        for name in SIZES
    }
    defaults = {
        "duration": 1,
        "rounds": 1 if args.quick else 3,
        "postgres": not args.quick or bool(args.database_url),
        "scale": not args.quick,
        "redis": True,
        "lighthouse": not args.quick,
        "soak": True,
        "soak_duration": 15 if args.quick else 60,
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="iecmh-bench-", dir="/tmp"))
        self.servers = []  # (name, Popen) to stop at the end
        self.gunicorn = None
        self.notes = []
        self.env = self._environment()

    # ---- environment, databases, servers

    def _environment(self):
        env = dict(os.environ)
        for name in (
            "SECURE_SSL_REDIRECT",
            "STATICFILES_STORAGE",
            "PAGE_CACHE_SECONDS",
            "CACHE_URL",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        ):
            env.pop(name, None)  # the production defaults are what is measured
        env.update(
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            SITE_URL=f"https://{HOST}",
            STATIC_ROOT=str(self.work / "static"),
            MEDIA_ROOT=str(self.work / "media"),
            PRIVATE_MEDIA_ROOT=str(self.work / "private-media"),
            PAGE_CACHE_DIR=str(self.work / "page-cache"),
            EMAIL_URL="consolemail://",
            # The bench plays the TLS proxy: X-Forwarded-Proto/-For are believed.
            PROXY_COUNT="1",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        return env

    def run(self, *command, env=None, timeout=600, capture=False, stdin=None):
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=env or self.env,
            timeout=timeout,
            input=stdin,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if result.returncode:
            sys.stderr.write(result.stderr[-4000:])
            raise SystemExit(f"bench: {' '.join(command[:3])} failed ({result.returncode})")
        return result.stdout

    def probe(self, *args, env, stdin=None, timeout=900):
        # Query counts do not depend on static storage; plain storage lets this run while
        # collectstatic is still building the manifest.
        probe_env = {
            **env,
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
        out = self.run(
            PYTHON,
            "scripts/bench_probe.py",
            *args,
            env=probe_env,
            capture=True,
            stdin=stdin,
            timeout=timeout,
        )
        return json.loads(out.strip().splitlines()[-1])

    def prepare_databases(self, small, large, sizes, scale_factor):
        """migrate and seed_demo once, copy that to ``large`` (seed_demo takes a minute), then
        add the benchmark rows: ``sizes`` to ``small``, scale_factor times them to ``large``."""
        env = {**self.env, "DATABASE_URL": small}
        self.run(PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0", env=env)
        self.run(PYTHON, "manage.py", "seed_demo", env=env)
        if large:
            copy_database(small, large)
        for url, factor in [(small, 1), (large, scale_factor)]:
            if url:
                seed_args = [f"--{name}={count * factor}" for name, count in sizes.items()]
                env = {**self.env, "DATABASE_URL": url}
                self.run(PYTHON, "scripts/bench_seed.py", *seed_args, env=env, timeout=3600)

    def postgres_server(self):
        """Base URL of a PostgreSQL server: --database-url's, or a throwaway cluster."""
        if self.args.database_url:
            return self.args.database_url
        if PG_BIN is None or not (PG_BIN / "initdb").exists():
            return None
        data = self.work / "pg"
        data.mkdir()
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if as_postgres:
            shutil.chown(self.work, "postgres")
            shutil.chown(data, "postgres")
        data.chmod(0o700)
        port = free_port()
        initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"]
        subprocess.run(
            [*as_postgres, *initdb, "-E", "UTF8", "--locale=C.UTF-8"],
            cwd="/",
            check=True,
            capture_output=True,
        )
        options = (
            f"-h {HOST} -p {port} -k {data} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log")]
        subprocess.run(
            [*as_postgres, *ctl, "-w", "-t", "30", "start", "-o", options],
            cwd="/",
            check=True,
            capture_output=True,
        )
        self.stop_postgres = lambda: subprocess.run(
            [*as_postgres, *ctl, "-m", "fast", "-w", "stop"], cwd="/", capture_output=True
        )
        return f"postgres://postgres@{HOST}:{port}/postgres"

    stop_postgres = None

    def postgres_database(self, server, name):
        postgres_admin(
            server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
        )
        return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))

    def start_redis(self):
        port = free_port()
        process = subprocess.Popen(
            [REDIS, "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.servers.append(("redis", process))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(OSError), socket.create_connection((HOST, port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return f"redis://{HOST}:{port}/0"
            time.sleep(0.1)
        raise SystemExit("bench: redis-server did not come up")

    def start_gunicorn(self, env, name):
        port = free_port()
        log = open(self.work / f"gunicorn-{name}.log", "w")  # noqa: SIM115 (closed below)
        self.gunicorn = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "iecmh_site.wsgi:application",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"{HOST}:{port}",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping it stops the workers
        )
        log.close()
        self.gunicorn_log = self.work / f"gunicorn-{name}.log"
        base = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.gunicorn.poll() is not None:
                break
            with suppress(OSError):
                if fetch(base + "/healthz")[0] == 200:
                    return base
            time.sleep(0.2)
        raise SystemExit("bench: gunicorn did not come up\n" + self.log_tail())

    def log_tail(self, lines=30):
        path = getattr(self, "gunicorn_log", None)
        if not path or not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop_gunicorn(self):
        if self.gunicorn is not None:
            stop_group(self.gunicorn)
        self.gunicorn = None

    def cleanup(self):
        self.stop_gunicorn()
        for _name, process in reversed(self.servers):
            stop_group(process)
        if self.stop_postgres:
            self.stop_postgres()
        if self.args.keep:
            say(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    # ---- measurements

    def measure_pages(self, base, urls, static_url):
        """wrk on every URL, in rounds over all of them; the static file every eight URLs and
        at the end. A row is the median of its rounds and the yardstick the median of the
        static file's runs, so a neighbour's burst of CPU during one run (this machine's two
        CPUs are shared with wrk, Redis and PostgreSQL) does not decide a row."""
        args = self.args
        runs, static_runs = {}, []

        def load(url):
            status, encoding, body, _headers = fetch(base + url, with_headers=True)
            # Also warms the workers and the page cache.
            x_cache = fetch(base + url, with_headers=True)[3].get("X-Cache", "")
            row = {
                "url": url,
                "status": status,
                "bytes": len(body),
                "encoding": encoding,
                "x_cache": x_cache,
                **wrk(base + url, args.duration, args.connections, args.threads),
            }
            settle(base)
            return row

        for _round in range(args.rounds):
            for index, (label, url) in enumerate(urls.items()):
                if index % 8 == 0:
                    static_runs.append(load(static_url))
                runs.setdefault(label, []).append(load(url))
        static_runs.append(load(static_url))
        rows = {label: combine(label_runs) for label, label_runs in runs.items()}
        rows[STATIC_LABEL] = combine(static_runs)
        return rows

    def stampede(self, base, url, env):
        """After a staff save, STAMPEDE_VISITORS requests for ``url`` at the same moment:
        how many rendered it (X-Cache: miss), how many got that render (hit, after waiting
        for it or once it was kept), how many got the page as it was before the save while it
        rendered (stale)."""
        fetch(base + url)  # cached before the save, as a busy page is
        self.probe("save", env=env)
        answers = concurrent_gets(base, url, STAMPEDE_VISITORS)
        return {
            "renders": sum(answer == "miss" for answer in answers),
            "hits": sum(answer == "hit" for answer in answers),
            "stale": sum(answer == "stale" for answer in answers),
            "errors": sum(answer == "error" for answer in answers),
        }

    def page_weight(self, base, path="/"):
        """Bytes on the wire (compressed as a browser asks) of a page and what it loads:
        stylesheets, scripts, images, icons, and the fonts and pictures its CSS names."""
        status, _encoding, body = fetch(base + path)
        html = fetch(base + path, plain=True)[2].decode("utf-8", "replace")
        assets = page_assets(html)
        for stylesheet in [a for a in assets if a.endswith(".css")]:
            css = fetch(base + stylesheet, plain=True)[2].decode("utf-8", "replace")
            assets += css_assets(css, stylesheet)
        sizes = {path: len(body)}
        for asset in dict.fromkeys(assets):
            if urlsplit(asset).netloc:
                continue  # nothing from elsewhere is loaded by the site's pages
            sizes[asset] = len(fetch(base + asset)[2])
        return {"status": status, "bytes": sum(sizes.values()), "parts": sizes}

    def lighthouse(self, base, urls):
        """Lighthouse's mobile performance score of each page. A page under 100 is scored twice
        more and its median kept, as Lighthouse advises for its run-to-run variance (on this
        machine it swings by a few points with what else the CPUs are doing)."""
        chrome = Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
        if not chrome.exists() or not (ROOT / "node_modules/.bin/lighthouse").exists():
            return None, "not measured: needs chromium and `npm ci` (lighthouse)"
        pages = [urls[label] for label in LIGHTHOUSE_LABELS if label in urls]
        pages += [urls[spanish(label)] for label in LIGHTHOUSE_LABELS if spanish(label) in urls]
        runs, error = self.lighthouse_run(base, pages, chrome, "lighthouse")
        if not runs:
            return None, f"not measured: lighthouse.sh failed ({error})"
        unscored = {"performance": None, "bytes": None}
        scores = {page: runs.get(page, unscored) for page in pages}
        scores = {page: {**found, "runs": [found["performance"]]} for page, found in scores.items()}
        again = [page for page, found in scores.items() if (found["performance"] or 0) < 100]
        for attempt in (2, 3):
            if not again:
                break
            more, _error = self.lighthouse_run(base, again, chrome, f"lighthouse-{attempt}")
            for page, found in more.items():
                scores[page]["runs"].append(found["performance"])
        for found in scores.values():
            found["performance"] = median_score(found["runs"])
        return scores, ""

    def lighthouse_run(self, base, pages, chrome, name):
        """One Lighthouse pass over ``pages``: ({page: {performance, bytes}}, error text)."""
        out = self.work / name
        env = {
            **self.env,
            "LIGHTHOUSE_BASE": base,
            "LIGHTHOUSE_PAGES": " ".join(pages),
            "LIGHTHOUSE_OUT": str(out),
            "CHROME_PATH": str(chrome),
        }
        result = subprocess.run(
            ["bash", "scripts/lighthouse.sh"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60 * len(pages) + 120,
            check=False,
        )
        scores = {}
        for index, page in enumerate(pages):
            with suppress(OSError, ValueError, KeyError, TypeError):
                report = json.loads((out / f"page-{index}.json").read_text())
                score = report["categories"]["performance"]["score"]
                scores[page] = {
                    "performance": None if score is None else round(score * 100),
                    "bytes": report["audits"]["total-byte-weight"].get("numericValue"),
                }
        return scores, result.stderr.strip()[-300:]

    def soak(self, base, urls, env):
        """SOAK_URLS URLs in both languages under 50 connections, while a staff save lands
        every SOAK_SAVE_EVERY seconds and someone signs up every second; the background
        worker runs beside, as in production. The worker and the process saving are up before
        the load starts, as on launch day: their start-up is not what the soak measures."""
        args = self.args
        paths = soak_paths(urls)
        script = self.work / "soak.lua"
        script.write_text(wrk_script(paths))
        worker = self.start_worker(env, "soak")
        saver = subprocess.Popen(
            [
                PYTHON,
                "scripts/bench_probe.py",
                "save",
                f"--every={SOAK_SAVE_EVERY}",
                f"--seconds={args.soak_duration}",
                "--wait",
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        signups = []
        signup_threads = []

        def signups_every_second():
            for n in range(args.soak_duration):
                thread = threading.Thread(target=lambda n=n: signups.append(sign_up(base, n)))
                thread.start()
                signup_threads.append(thread)
                time.sleep(1)

        try:
            self.wait_until_ready(saver, worker, "soak")
            saver.stdin.write("go\n")
            saver.stdin.flush()
            feeder = threading.Thread(target=signups_every_second)
            feeder.start()
            result = wrk(base + "/", args.soak_duration, 50, args.threads, script=script)
            feeder.join()
            for thread in signup_threads:
                thread.join(timeout=30)
            saves_out, _ = saver.communicate(timeout=60)
        finally:
            if saver.poll() is None:
                saver.kill()
                saver.wait()
            stop_group(worker)
        # What the worker had not taken yet: drained now, as it would go on doing.
        self.run(
            PYTHON, "manage.py", "run_worker", "--batch", "--no-startup-delay", env=env, timeout=600
        )
        outcome = self.probe("signups", f"--domain={SIGNUP_DOMAIN}", env=env)
        with suppress(ValueError, IndexError):
            result["saves"] = json.loads(saves_out.strip().splitlines()[-1])["saves"]
        result["paths"] = paths
        result["signups_posted"] = sum(ok for ok, _ in signups)
        result["signups_tried"] = len(signups)
        result["signup_failures"] = [why for ok, why in signups if not ok][:3]
        result.update(outcome)
        return result

    def start_worker(self, env, name):
        log = open(self.work / f"worker-{name}.log", "w")  # noqa: SIM115 (closed below)
        process = subprocess.Popen(
            [PYTHON, "manage.py", "run_worker", "--worker-id", f"bench-{name}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return process

    def wait_until_ready(self, saver, worker, name, within=60):
        """Until the process saving (started with --wait) says it is ready, and the worker
        started as ``name`` that it has started taking jobs."""
        if not select.select([saver.stdout], [], [], within)[0] or (
            saver.stdout.readline().strip() != "ready"
        ):
            saver.kill()
            errors = saver.communicate()[1][-2000:]
            raise SystemExit(f"bench: the {name}'s saves did not start\n{errors}")
        log = self.work / f"worker-{name}.log"
        deadline = time.monotonic() + within
        while "Starting worker" not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"bench: the {name} worker did not start\n{log.read_text()}")
            time.sleep(0.1)

    def worker_memory(self, env):
        """Peak RSS of a background worker while it makes the covers of normal reports from
        their PDFs (in its sandbox: a forkserver and a child per file), sampled from /proc."""
        worker = self.start_worker(env, "covers")
        count = 3 if self.args.quick else 10
        try:
            time.sleep(1)
            enqueued = self.probe("covers", f"--count={count}", env=env)["enqueued"]
            peaks = {"worker": 0, "sandbox": 0}
            done = threading.Event()

            def watch_queue():
                deadline = time.monotonic() + 300
                while time.monotonic() < deadline:
                    if self.probe("pending", env=env)["pending"] == 0:
                        break
                    time.sleep(1)
                done.set()

            watcher = threading.Thread(target=watch_queue, daemon=True)
            watcher.start()
            while not done.is_set():
                status = proc_status(worker.pid)
                if status:
                    peaks["worker"] = max(peaks["worker"], kib(status.get("VmHWM", "0 kB")))
                for child in descendants(worker.pid):
                    child_status = proc_status(child)
                    if child_status:
                        peak = kib(child_status.get("VmHWM", "0 kB"))
                        peaks["sandbox"] = max(peaks["sandbox"], peak)
                time.sleep(0.02)
            return {**peaks, "reports": enqueued}
        finally:
            stop_group(worker)

    # ---- the run

    def main(self):
        args = self.args
        results = {"configs": {}, "queries": {}, "hits": {}, "stampede": {}}
        sizes = ", ".join(f"{count:,} {name}" for name, count in args.sizes.items())
        say(f"seeding: {sizes}" + ("" if args.quick else f"; and {args.scale_factor}x that"))
        collect = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        databases = {"SQLite 1x": f"sqlite:///{self.work / 'bench.sqlite3'}"}
        if not args.quick:  # the query counts at 20x, and --scale's load
            databases[f"SQLite {args.scale_factor}x"] = (
                f"sqlite:///{self.work / f'bench-x{args.scale_factor}.sqlite3'}"
            )
        try:
            if args.postgres:
                server = self.postgres_server()
                if server:
                    databases["PostgreSQL 1x"] = self.postgres_database(server, "iecmh_bench")
                    if not args.quick:
                        databases[f"PostgreSQL {args.scale_factor}x"] = self.postgres_database(
                            server, f"iecmh_bench_x{args.scale_factor}"
                        )
                else:
                    self.notes.append("PostgreSQL: not installed here, not measured")
            for engine in ("SQLite", "PostgreSQL"):
                small = databases.get(f"{engine} 1x")
                large = databases.get(f"{engine} {args.scale_factor}x")
                if not small:
                    continue
                began = time.monotonic()
                self.prepare_databases(small, large, args.sizes, args.scale_factor)
                took = time.monotonic() - began
                say(f"{engine}: seeded in {took:.0f} s")
                for name in (f"{engine} 1x", f"{engine} {args.scale_factor}x"):
                    if name in databases:
                        env = {**self.env, "DATABASE_URL": databases[name]}
                        results["queries"][name] = self.probe("queries", env=env)
            _, errors = collect.communicate(timeout=600)
            if collect.returncode:
                raise SystemExit(f"bench: collectstatic failed\n{errors[-4000:]}")
        finally:
            if collect.poll() is None:
                collect.kill()
                collect.wait()

        first = results["queries"]["SQLite 1x"]
        urls = first["urls"]
        redis_url = None
        if args.redis and REDIS:
            redis_url = self.start_redis()
        elif args.redis:
            self.notes.append("Redis: redis-server not installed (apt-get install -y redis-server)")

        configs = []  # (name, database, cache)
        for name in databases:
            if args.scale or not name.endswith(f" {args.scale_factor}x"):
                configs.append((f"uncached, {name}", name, "off"))
        if redis_url:
            configs.append(("cached, Redis", "SQLite 1x", "redis"))
        # Last: the soak writes to its database.
        configs.append(("cached, shared file cache", "SQLite 1x", "file"))
        load_urls = urls
        if args.quick:
            load_urls = {label: urls[label] for label in QUICK_LOAD_LABELS if label in urls}

        for name, database, cache in configs:
            env = {**self.env, "DATABASE_URL": databases[database]}
            env["PAGE_CACHE_DIR"] = str(self.work / f"page-cache-{len(results['configs'])}")
            if cache == "off":
                env["PAGE_CACHE_SECONDS"] = "0"
            if cache == "redis":
                env["CACHE_URL"] = redis_url
            base = self.start_gunicorn(env, name.replace(" ", "-").replace(",", ""))
            say(
                f"{name}: gunicorn up; {len(load_urls)} URLs, "
                f"{args.rounds} round(s) of {args.duration:g} s each"
            )
            home = fetch(base + "/", plain=True)[2].decode("utf-8", "replace")
            stylesheet = STYLESHEET.search(home)
            if not stylesheet:
                raise SystemExit("bench: no stylesheet link on the home page")
            config = {"rows": self.measure_pages(base, load_urls, stylesheet.group(1))}
            if cache != "off":
                results["hits"][name] = self.probe("hits", env=env, stdin=json.dumps(urls))
                results["stampede"][name] = self.stampede(base, "/", env)
                say(f"{name}: after a save, {results['stampede'][name]}")
            if cache == "file":
                results["weight"] = self.page_weight(base)
                if args.lighthouse:
                    say("Lighthouse")
                    results["lighthouse"] = self.lighthouse(base, urls)
                else:
                    results["lighthouse"] = (None, "not measured (--no-lighthouse or --quick)")
                if args.soak:
                    say(f"soak: {args.soak_duration} s")
                    results["soak"] = self.soak(base, urls, env)
            config["memory"] = gunicorn_memory(self.gunicorn.pid)
            errors = sum(row["errors"] for row in config["rows"].values())
            if errors:
                config["log"] = self.log_tail()
            results["configs"][name] = config
            self.stop_gunicorn()

        say("background worker: covers")
        results["worker"] = self.worker_memory({**self.env, "DATABASE_URL": databases["SQLite 1x"]})
        print()
        print_pages(results, urls, args)
        print()
        rows = goals(results, args, self.notes)
        print_goals(rows, args)
        say("done")
        return rows


# ---- the goals table


def goals(results, args, notes=()):
    """[(goal, figure, target, verdict)], verdict "ok", "MISS" or "not measured"."""
    rows = []
    scale = f"{args.scale_factor}x"
    configs = results["configs"]
    for name, config in configs.items():
        uncached = name.startswith("uncached")
        page_rows = {k: v for k, v in config["rows"].items() if k != STATIC_LABEL}
        if not uncached:
            page_rows = {k: v for k, v in page_rows.items() if v.get("x_cache") == "hit"}
        ratio, label = worst_ratio(config["rows"], page_rows)
        target = UNCACHED_RATIO if uncached else CACHED_RATIO
        goal = f"{'1' if uncached else '2'}. {name}: slowest page vs static"
        figure = f"{ratio:.0%} ({label})" if label else "-"
        rows.append((goal, figure, f">= {target:.0%}", verdict(label and ratio >= target)))
    for wanted in (
        "uncached, SQLite 1x",
        f"uncached, SQLite {scale}",
        "uncached, PostgreSQL 1x",
        f"uncached, PostgreSQL {scale}",
    ):
        if wanted not in configs:
            if "PostgreSQL" in wanted and not args.postgres:
                why = "--quick or --no-postgres"
            elif "PostgreSQL" in wanted and "PostgreSQL 1x" not in results["queries"]:
                why = "no PostgreSQL here"
            else:
                why = "--quick or --no-scale"
            rows.append(
                (
                    f"1. {wanted}: slowest page vs static",
                    "-",
                    f">= {UNCACHED_RATIO:.0%}",
                    f"not measured ({why})",
                )
            )
    for name, probe in results["queries"].items():
        worst = max(probe["queries"].items(), key=lambda item: item[1]["uncached"], default=None)
        if worst:
            label, entry = worst
            rows.append(
                (
                    f"1. queries per page, {name} (most)",
                    f"{entry['uncached']} ({label}); cold {max_cold(probe)}",
                    f"<= {QUERY_AIM} (aim)",
                    verdict(entry["uncached"] <= QUERY_AIM),
                )
            )
    for engine in ("SQLite", "PostgreSQL"):
        one, many = (
            results["queries"].get(f"{engine} 1x"),
            results["queries"].get(f"{engine} {scale}"),
        )
        if one and many:
            differ = [
                label
                for label, entry in one["queries"].items()
                if many["queries"].get(label, {}).get("uncached") != entry["uncached"]
            ]
            rows.append(
                (
                    f"1. queries the same at 1x and {scale}, {engine}",
                    f"differ: {', '.join(differ[:4])}" if differ else "identical",
                    "identical",
                    verdict(not differ),
                )
            )
        elif one:
            rows.append(
                (
                    f"1. queries the same at 1x and {scale}, {engine}",
                    "-",
                    "identical",
                    "not measured (--quick)",
                )
            )
    for name, hits in results["hits"].items():
        cached = {label: hit for label, hit in hits.items() if hit["x_cache"] == "hit"}
        touched = [label for label, hit in cached.items() if hit["queries"]]
        rows.append(
            (
                f"2. queries on a cache hit, {name.removeprefix('cached, ')}",
                f"{max((hit['queries'] for hit in cached.values()), default=0)} "
                f"({len(cached)} cached URLs)" + (f"; {', '.join(touched[:3])}" if touched else ""),
                "0",
                verdict(bool(cached) and not touched),
            )
        )
    for name, stampede in results["stampede"].items():
        rows.append(
            (
                f"3. renders after a save, {STAMPEDE_VISITORS} at once, "
                f"{name.removeprefix('cached, ')}",
                f"{stampede['renders']} rendered, {stampede['hits']} got that render"
                + (f", {stampede['stale']} the page as it was" if stampede.get("stale") else "")
                + (f", {stampede['errors']} errors" if stampede["errors"] else ""),
                f"<= {STAMPEDE_BOUND}",
                verdict(1 <= stampede["renders"] <= STAMPEDE_BOUND and not stampede["errors"]),
            )
        )
    web = [
        (peak, name)
        for name, config in configs.items()
        for _pid, peak, _rss in config.get("memory", [])
    ]
    if web:
        peak, name = max(web)
        rows.append(
            (
                "4. web worker peak RSS (worst)",
                f"{peak / 1024:.1f} MiB ({name})",
                f"<= {WEB_WORKER_MIB} MiB",
                verdict(peak / 1024 <= WEB_WORKER_MIB),
            )
        )
    worker = results.get("worker")
    if worker:
        rows.append(
            (
                f"4. background worker peak RSS, {worker['reports']} covers",
                f"{worker['worker'] / 1024:.0f} MiB "
                f"(sandbox child {worker['sandbox'] / 1024:.0f} MiB)",
                f"<= {BACKGROUND_WORKER_MIB} MiB",
                verdict(
                    worker["reports"] > 0
                    and max(worker["worker"], worker["sandbox"]) / 1024 <= BACKGROUND_WORKER_MIB
                ),
            )
        )
    weight = results.get("weight")
    if weight:
        rows.append(
            (
                "5. home page weight, compressed, all it loads",
                f"{weight['bytes'] / 1024:.1f} KB ({len(weight['parts'])} files)",
                f"<= {HOME_WEIGHT_KB} KB",
                verdict(weight["status"] == 200 and weight["bytes"] <= HOME_WEIGHT_KB * 1024),
            )
        )
    scores, why = results.get("lighthouse") or (None, "not measured")
    if scores:
        worst_page, worst = min(
            scores.items(),
            key=lambda item: item[1]["performance"] if item[1]["performance"] is not None else -1,
        )
        rows.append(
            (
                f"5. Lighthouse mobile performance, {len(scores)} pages (lowest; median of 3 runs)",
                f"{worst['performance']} ({worst_page})",
                f"{LIGHTHOUSE_PERFORMANCE} each",
                verdict(all(s["performance"] == LIGHTHOUSE_PERFORMANCE for s in scores.values())),
            )
        )
    else:
        rows.append(("5. Lighthouse mobile performance", "-", f"{LIGHTHOUSE_PERFORMANCE}", why))
    soak = results.get("soak")
    if soak:
        seconds = args.soak_duration
        rows += [
            (
                f"6. soak {seconds} s, 50 conn, {len(soak['paths'])} URLs: errors",
                f"{soak['errors']}",
                "0",
                verdict(soak["errors"] == 0),
            ),
            (
                "6. soak: p99 latency",
                f"{soak['p99']:.0f} ms",
                f"< {SOAK_P99_MS} ms",
                verdict(soak["p99"] < SOAK_P99_MS),
            ),
            (
                "6. soak: signups kept, emails queued",
                f"{soak['subscribers']}/{soak['signups_tried']} kept, "
                f"{soak['emails_queued']} queued ({soak['emails_sent']} sent), "
                f"{soak.get('saves', '?')} staff saves",
                "all",
                verdict(
                    soak["signups_tried"] > 0
                    and soak["subscribers"] == soak["signups_tried"] == soak["emails_queued"]
                ),
            ),
            ("6. soak: throughput", f"{soak['rps']:,.0f} req/s", "(reported)", "-"),
        ]
    else:
        rows.append(("6. soak", "-", "0 errors, p99 < 250 ms", "not measured (--no-soak)"))
    rows.sort(key=lambda row: row[0][:2])  # by goal number, in the order measured
    rows += [(f"   note: {note}", "", "", "") for note in notes]
    return rows


def verdict(ok):
    return "ok" if ok else "MISS"


def worst_ratio(all_rows, page_rows):
    """(lowest req/s ratio to the static file, its label) over ``page_rows``."""
    static_rps = all_rows.get(STATIC_LABEL, {}).get("rps") or 0.0
    if not page_rows or not static_rps:
        return 0.0, ""
    label = min(page_rows, key=lambda key: page_rows[key]["rps"])
    return page_rows[label]["rps"] / static_rps, label


def max_cold(probe):
    return max((entry["cold"] for entry in probe["queries"].values()), default=0)


def print_goals(rows, args):
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    widths = [max(width, len(title)) for width, title in zip(widths, GOAL_TITLES, strict=True)]
    line = " | ".join(f"{title:<{width}}" for title, width in zip(GOAL_TITLES, widths, strict=True))
    print(
        f"Goals of issue 17 ({'quick run' if args.quick else 'full run'}; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} now)"
    )
    print(line)
    print("-+-".join("-" * width for width in widths))
    for row in rows:
        print(
            " | ".join(
                f"{cell!s:<{width}}" for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )
    misses = sum(row[3] == "MISS" for row in rows)
    unmeasured = sum(str(row[3]).startswith("not measured") for row in rows)
    print(f"{misses} MISS, {unmeasured} not measured, of {sum(row[3] != '' for row in rows)} goals")


GOAL_TITLES = ("goal", "figure", "target", "verdict")


def print_pages(results, urls, args):
    """Each URL's requests/s as a share of the static file's, per configuration, and its
    queries (uncached; cold in brackets) at 1x and 20x."""
    configs = results["configs"]
    names = list(configs)
    short = {name: short_name(name) for name in names}
    queries = results["queries"]
    query_names = list(queries)
    print(
        f"Requests/s as a share of the static file's ({args.connections} connections, "
        f"{args.rounds} round(s) of {args.duration:g} s per URL, medians; "
        "gunicorn.conf.py: 2 workers with threads); "
        "queries: uncached (cold)"
    )
    header = (
        f"{'page':<30} "
        + " ".join(f"{short[n]:>9}" for n in names)
        + " "
        + " ".join(f"{short_name(n, queries=True):>9}" for n in query_names)
    )
    print(header)
    print("-" * len(header))
    static = {name: configs[name]["rows"].get(STATIC_LABEL, {}).get("rps") or 0 for name in names}
    for label in [*urls, STATIC_LABEL]:
        cells = []
        for name in names:
            row = configs[name]["rows"].get(label)
            if row is None:
                cells.append(f"{'':>9}")
            elif label == STATIC_LABEL:
                cells.append(f"{row['rps']:>9,.0f}")
            else:
                mark = "*" if row["errors"] or not 200 <= row["status"] < 400 else ""
                if not name.startswith("uncached") and row.get("x_cache") != "hit":
                    mark += "u"
                ratio = row["rps"] / static[name] if static[name] else float("nan")
                cells.append(f"{ratio:>8.0%}{mark or ' '}"[-9:].rjust(9))
        for name in query_names:
            entry = queries[name]["queries"].get(label)
            cells.append(f"{entry['uncached']} ({entry['cold']})".rjust(9) if entry else " " * 9)
        print(f"{label[:30]:<30} " + " ".join(cells))
    print(
        "static css row: its requests/s. u: not a cached page (a search, a form). "
        "*: errors or a status outside 2xx/3xx."
    )
    for name in names:
        memory = configs[name].get("memory")
        if memory:
            peaks = ", ".join(f"{hwm / 1024:.0f}" for _pid, hwm, _rss in memory)
            print(f"  {name}: worker peak RSS {peaks} MiB")
        if configs[name].get("log"):
            print(f"  {name}: gunicorn log (last lines):\n{configs[name]['log']}")
    weight = results.get("weight")
    if weight:
        parts = ", ".join(f"{path} {size / 1024:.1f}" for path, size in weight["parts"].items())
        print(f"  home page weight (KB): {parts}")
    scores = (results.get("lighthouse") or (None, ""))[0]
    if scores:
        print(
            "  Lighthouse performance: "
            + ", ".join(
                f"{page} {score['performance']}"
                + (f" (runs {score['runs']})" if len(score.get("runs", [])) > 1 else "")
                for page, score in scores.items()
            )
        )
    soak = results.get("soak")
    if soak and soak.get("signup_failures"):
        print(f"  soak signup failures (first): {soak['signup_failures']}")


def short_name(name, queries=False):
    """A column title: "unc SQ1x", "Redis", "q Po20x"..."""
    if queries:
        engine, scale = name.split(" ")
        return f"q {engine[:2]}{scale}"
    if name.startswith("uncached, "):
        engine, scale = name.removeprefix("uncached, ").split(" ")
        return f"unc {engine[:2]}{scale}"
    return {"cached, shared file cache": "file", "cached, Redis": "Redis"}.get(name, name[:9])


# ---- helpers


def say(message):
    print(f"bench [{time.monotonic() - STARTED:4.0f} s]: {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def postgres_admin(url, *statements):
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        for statement in statements:
            conn.execute(statement)


def copy_database(source, target):
    """Make ``target`` a copy of ``source`` (SQLite files, or PostgreSQL databases)."""
    if source.startswith("sqlite:"):
        source_path, target_path = urlsplit(source).path, urlsplit(target).path
        for suffix in ("", "-wal", "-shm"):
            if Path(source_path + suffix).exists():
                shutil.copyfile(source_path + suffix, target_path + suffix)
        return
    name, template = urlsplit(target).path.lstrip("/"), urlsplit(source).path.lstrip("/")
    postgres_admin(
        target,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )


def stop_group(process):
    """Stop a process we started in its own session, and everything it started."""
    if process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def fetch(url, *, plain=False, with_headers=False, timeout=30):
    """(status, content-encoding, raw body bytes[, headers]) of a GET, undecoded, without
    redirects."""
    assert urlsplit(url).hostname == HOST
    headers = {"X-Forwarded-Proto": "https"} if plain else HEADERS
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            answer = (
                response.status,
                response.headers.get("Content-Encoding", ""),
                response.read(),
            )
            headers = response.headers
    except urllib.error.HTTPError as error:
        answer = (error.code, error.headers.get("Content-Encoding", ""), error.read())
        headers = error.headers
    except (OSError, http.client.HTTPException):
        # No answer in time (gunicorn stops a worker after 30 s), or the connection dropped:
        # status 0, which the tables show as an error.
        answer, headers = (0, "", b""), {}
    return (*answer, headers) if with_headers else answer


def settle(base, *, within=120):
    """Wait until the server answers at once again: requests a slow page left queued would
    otherwise slow down the next URL's measurement."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        began = time.monotonic()
        if fetch(base + "/healthz", timeout=10)[0] == 200 and time.monotonic() - began < 0.1:
            return
        time.sleep(0.5)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def concurrent_gets(base, path, count):
    """X-Cache of ``count`` GETs of ``path``, connected first and sent at the same moment."""
    parts = urlsplit(base)
    barrier = threading.Barrier(count)
    answers = [None] * count

    def visit(index):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            connection.connect()
            barrier.wait(timeout=30)
            connection.request("GET", path, headers=HEADERS)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
            answers[index] = response.getheader("X-Cache", "none") if ok else "error"
        except (OSError, threading.BrokenBarrierError):
            answers[index] = "error"
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return answers


_ASSET = re.compile(
    r"<(?:link|script|img|source)\b[^>]*?\b(?:href|src)=\"(/[^\"]+)\"[^>]*>", re.IGNORECASE
)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def page_assets(html):
    """Same-site files a page loads: stylesheets, scripts, images, icons (not links)."""
    found = []
    for match in _ASSET.finditer(html):
        tag, path = match.group(0).lower(), match.group(1)
        if tag.startswith("<link") and not re.search(
            r"rel=\"(?:stylesheet|icon|preload|modulepreload|apple-touch-icon)", tag
        ):
            continue
        found.append(path)
    return found


def css_assets(css, stylesheet):
    """Files a stylesheet names with url(), as site paths."""
    found = []
    for reference in _CSS_URL.findall(css):
        if reference.startswith("data:"):
            continue
        found.append(urllib.parse.urljoin(stylesheet, reference))
    return found


def soak_paths(urls):
    """SOAK_URLS public URLs in both languages: home, lists, details, searches, feeds."""
    wanted = [
        "home",
        spanish("home"),
        "reports list",
        spanish("reports list"),
        "report detail",
        spanish("report detail"),
        "events list",
        spanish("events list"),
        "event detail",
        spanish("event detail"),
        "past events",
        "professional development",
        spanish("celebrate babies week"),
        "content page",
        "events ics feed",
        spanish("events ics feed"),
        "reports feed",
        "sitemap of events",
    ]
    paths = [urls[label] for label in wanted if label in urls]
    paths += ["/search/?q=training", SPANISH_PREFIX + "/search/?q=beb%C3%A9s"]
    return paths[:SOAK_URLS]


def wrk_script(paths):
    """A wrk script sending each connection's requests round the paths, from a different
    starting point per thread."""
    quoted = ", ".join(json.dumps(path) for path in paths)
    return (
        f"local paths = {{{quoted}}}\n"
        "local i = 0\n"
        "setup = function(thread) thread:set('offset', math.random(#paths)) end\n"
        "init = function(args) i = tonumber(offset) or 0 end\n"
        "request = function()\n"
        "  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\n"
        "end\n"
    )


_HIDDEN = re.compile(r"<input\b[^>]*>", re.IGNORECASE)


def form_fields(html):
    """name -> value of a form's hidden inputs."""
    fields = {}
    for tag in _HIDDEN.findall(html):
        if 'type="hidden"' not in tag:
            continue
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def sign_up(base, n):
    """A visitor opening the signup form (English or Spanish), filling it in at a human pace
    and posting it, from an address of their own: (kept?, why not)."""
    prefix = SPANISH_PREFIX if n % 2 else ""
    address = f"198.51.{100 + n // 250}.{n % 250 + 1}"
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": address}
    parts = urlsplit(base)
    try:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.request("GET", f"{prefix}/newsletter/", headers=headers)
        response = connection.getresponse()
        html = response.read().decode("utf-8", "replace")
        cookies = "; ".join(
            value.split(";", 1)[0]
            for name, value in response.getheaders()
            if name.lower() == "set-cookie"
        )
        fields = form_fields(html)
        if response.status != 200 or "csrfmiddlewaretoken" not in fields:
            return False, f"form: HTTP {response.status}"
        connection.close()
        time.sleep(2.5)  # NEWSLETTER_MIN_FILL_SECONDS: faster looks like a bot
        fields.update(
            email=f"signup{n}@{SIGNUP_DOMAIN}",
            name=f"Soak Visitor {n}",
            interests="wants_trainings",
            website="",
        )
        body = urllib.parse.urlencode(fields)
        origin = f"https://{parts.hostname}:{parts.port}"
        # A new connection, as the server closes idle ones after a couple of seconds.
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        connection.request(
            "POST",
            f"{prefix}/newsletter/",
            body=body,
            headers={
                **headers,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookies,
                "Origin": origin,
                "Referer": f"{origin}{prefix}/newsletter/",
            },
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        if response.status != 302:
            return False, f"post: HTTP {response.status}"
        return True, ""
    except OSError as exc:
        return False, f"{type(exc).__name__}: {exc}"


def proc_status(pid):
    with suppress(OSError):
        text = Path(f"/proc/{pid}/status").read_text()
        return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return None


def descendants(pid):
    """Every process below ``pid``."""
    children = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with suppress(OSError, ValueError, IndexError):
                stat = (proc / "stat").read_text()
                parent = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(proc.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def median_score(runs):
    """The median of Lighthouse runs (the lower middle of an even count); None if none
    produced a score."""
    known = sorted(score for score in runs if score is not None)
    return known[(len(known) - 1) // 2] if known else None


def gunicorn_memory(master_pid):
    """(pid, peak KiB, current KiB) of each gunicorn worker, read from /proc."""
    workers = []
    for pid in descendants(master_pid):
        status = proc_status(pid)
        if status and int(status.get("PPid", 0)) == master_pid:
            workers.append((pid, kib(status["VmHWM"]), kib(status["VmRSS"])))
    return sorted(workers)


def kib(value):
    return int(value.split()[0])


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * _UNITS_MS[match.group(2)] if match else float("nan")


def wrk(url, duration, connections, threads, script=None):
    assert urlsplit(url).hostname == HOST
    command = [
        WRK,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration:g}s",
        "--timeout=5s",
        "--latency",
    ]
    if script:
        command += ["--script", str(script)]
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
    """One row from repeated runs of a URL: the median req/s, the worst latencies, all errors,
    a status outside 2xx/3xx if any run had one, and a hit if any run was one (a cached page
    missed once still counts in the cached goal)."""
    bad_statuses = [run["status"] for run in runs if not 200 <= run["status"] < 400]
    return {
        **runs[-1],
        "rps": statistics.median(run["rps"] for run in runs),
        "p50": max(run["p50"] for run in runs),
        "p99": max(run["p99"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "status": bad_statuses[0] if bad_statuses else runs[-1]["status"],
        "x_cache": "hit" if any(run["x_cache"] == "hit" for run in runs) else runs[-1]["x_cache"],
        "runs": [run["rps"] for run in runs],
    }


def main(argv=None):
    args = parse_args(argv)
    bench = Bench(args)
    # Stop the servers and remove the files on Ctrl-C or a kill, too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        bench.main()
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
