"""gunicorn as gunicorn.conf.py runs it: the workers share the connections out, and a second
instance cannot quietly take a share of them."""

import os
import socket
import sys
from pathlib import Path

import pytest

from tests import servers

BURST, BURSTS = 64, 3
ESTABLISHED, LISTENING = "01", "0A"  # /proc/net/tcp's states


@pytest.fixture
def site(tmp_path):
    server = servers.start_gunicorn(tmp_path, servers.sqlite_environment(tmp_path), name="pair")
    yield server
    server.stop()


def worker_pids(master: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == master:
            children.append(int(entry.name))
    return children


def sockets_of(pid: int, port: int, state: str) -> set[str]:
    """The TCP sockets (inodes) on ``port`` in ``state`` that the process ``pid`` holds."""
    inodes = set()
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(descriptor)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    held = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        if local_port == port and fields[3] == state and fields[9] in inodes:
            held.add(fields[9])
    return held


def test_a_burst_of_kept_alive_connections_is_shared_by_both_workers(site):
    workers = worker_pids(site.process.pid)
    assert len(workers) == 2
    servers.wait_for(
        lambda: all(sockets_of(pid, site.port, LISTENING) for pid in workers),
        timeout=10,
        what="both workers listening",
    )
    first, second = (sockets_of(pid, site.port, LISTENING) for pid in workers)
    assert first.isdisjoint(second)  # a socket each, not one they both take from

    # As a proxy keeping its upstream connections alive opens them at a rush of visitors.
    for _burst in range(BURSTS):
        connections = [socket.create_connection(("127.0.0.1", site.port)) for _ in range(BURST)]
        try:
            for connection in connections:
                connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            for connection in connections:
                connection.settimeout(10)
                answer = b""
                while b"\r\n\r\n" not in answer:
                    answer += connection.recv(65536)
                assert answer.startswith((b"HTTP/1.1 200", b"HTTP/1.1 503"))
            held = [len(sockets_of(pid, site.port, ESTABLISHED)) for pid in workers]
        finally:
            for connection in connections:
                connection.close()
        # The kernel shares them out at random: a worker holding fewer than a quarter has a
        # chance of about 1 in 30,000. On one shared socket, the worker that woke first took
        # 56 to 64 of them in most bursts.
        assert sum(held) == BURST
        assert min(held) >= BURST // 4, held


def test_a_second_instance_on_the_same_port_refuses_to_start(site, tmp_path):
    log = tmp_path / "second.log"
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "iecmh_site.wsgi:application",
        "--config",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{site.port}",
    ]
    second = servers._spawn(command, log, env=servers.sqlite_environment(tmp_path))
    try:
        second.wait(timeout=30)
    finally:
        servers.Server(second, site.port, site.url, log).stop()  # if it did start

    assert second.returncode != 0
    assert f"127.0.0.1:{site.port} is already in use" in log.read_text()
    assert servers.anonymous_get(site.url + "/healthz") in (200, 503)  # the first still serves
