"""gunicorn as gunicorn.conf.py runs it: the workers share the connections out, and a second
instance cannot quietly take a share of them."""

import os
import socket
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
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it has exited
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:  # its parent
            children.append(int(entry.name))
    return children


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(descriptor)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def tcp_sockets(port: int) -> list[tuple[str, int, str]]:
    """(state, remote port, inode) of each TCP socket on local ``port``."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port:
            found.append((fields[3], int(fields[2].rsplit(":", 1)[1], 16), fields[9]))
    return found


def listening(pid: int, port: int) -> set[str]:
    held = socket_inodes(pid)
    return {inode for state, _, inode in tcp_sockets(port) if state == LISTENING} & held


def holder(workers: list[int], port: int, connection: socket.socket) -> int:
    """The worker that took ``connection``."""
    client_port = connection.getsockname()[1]
    inode = next(
        inode
        for state, remote, inode in tcp_sockets(port)
        if state == ESTABLISHED and remote == client_port
    )
    return next(pid for pid in workers if inode in socket_inodes(pid))


def test_a_burst_of_kept_alive_connections_is_shared_by_both_workers(site):
    workers = worker_pids(site.process.pid)
    assert len(workers) == 2
    servers.wait_for(
        lambda: all(listening(pid, site.port) for pid in workers),
        timeout=10,
        what="both workers listening",
    )
    first, second = (listening(pid, site.port) for pid in workers)
    assert first.isdisjoint(second)  # a socket each, not one they both take from

    # As a proxy keeping its upstream connections alive opens them at a rush of visitors.
    for _burst in range(BURSTS):
        connections = [socket.create_connection(("127.0.0.1", site.port)) for _ in range(BURST)]
        held = dict.fromkeys(workers, 0)
        try:
            for connection in connections:
                connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            for connection in connections:
                connection.settimeout(10)
                answer = b""
                while b"\r\n\r\n" not in answer:
                    answer += connection.recv(65536)
                assert answer.startswith((b"HTTP/1.1 200", b"HTTP/1.1 503"))
                # Looked up at once: gunicorn closes a kept-alive connection idle for 2 s.
                held[holder(workers, site.port, connection)] += 1
        finally:
            for connection in connections:
                connection.close()
        # The kernel shares them out at random: a worker holding fewer than a quarter has a
        # chance of about 1 in 30,000. On one shared socket, the worker that woke first took
        # 56 to 64 of them in most bursts.
        assert min(held.values()) >= BURST // 4, held


def test_a_second_instance_on_the_same_port_refuses_to_start(site, tmp_path):
    log = tmp_path / "second.log"
    second = servers._spawn(
        servers.gunicorn_command(site.port), log, env=servers.sqlite_environment(tmp_path)
    )
    try:
        second.wait(timeout=30)
    finally:
        servers.Server(second, site.port, site.url, log).stop()  # if it did start

    assert second.returncode != 0
    assert f"127.0.0.1:{site.port} is already in use" in log.read_text()
    assert servers.anonymous_get(site.url + "/healthz") in (200, 503)  # the first still serves
