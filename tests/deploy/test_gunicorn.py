"""gunicorn as gunicorn.conf.py runs it: the workers share the connections out, and a second
instance cannot quietly take a share of them."""

import os
import re
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


def unix_socket_inodes(path: Path) -> set[str]:
    """The listening Unix sockets bound to ``path`` (inodes)."""
    found = set()
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) == 8 and fields[7] == str(path):
            found.add(fields[6])
    return found


def test_on_a_unix_socket_both_workers_listen_on_the_one_at_the_path(tmp_path):
    path = tmp_path / "gunicorn.sock"
    command = [*servers.gunicorn_command(0)[:-1], f"unix:{path}"]
    log = tmp_path / "unix.log"
    process = servers._spawn(command, log, env=servers.sqlite_environment(tmp_path))
    server = servers.Server(process, 0, f"unix:{path}", log)
    try:
        workers = []

        def both_listening() -> bool:
            workers[:] = worker_pids(process.pid)
            return len(workers) == 2 and all(
                unix_socket_inodes(path) & socket_inodes(pid) for pid in workers
            )

        servers.wait_for(both_listening, timeout=30, what="gunicorn on a Unix socket")
        # One socket they both take from: with a socket each, the second worker to start
        # would have replaced the first one's at the path, and only it would be reached.
        assert len(unix_socket_inodes(path)) == 1
        with socket.socket(socket.AF_UNIX) as client:
            client.settimeout(10)
            client.connect(str(path))
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert client.recv(65536).startswith((b"HTTP/1.1 200", b"HTTP/1.1 503"))
    finally:
        server.stop()


def test_on_port_0_both_workers_listen_on_the_one_port_the_kernel_chose(tmp_path):
    log = tmp_path / "port-0.log"
    process = servers._spawn(
        servers.gunicorn_command(0), log, env=servers.sqlite_environment(tmp_path)
    )
    server = servers.Server(process, 0, "", log)
    try:
        servers.wait_for(
            lambda: "Listening at: http://127.0.0.1:" in log.read_text(),
            timeout=30,
            what="gunicorn on port 0",
        )
        port = int(re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())[1])
        workers = []

        def both_listening() -> bool:
            workers[:] = worker_pids(process.pid)
            return len(workers) == 2 and all(listening(pid, port) for pid in workers)

        servers.wait_for(both_listening, timeout=30, what="both workers listening")
        # The port gunicorn names, and one socket on it: with a socket each, each worker
        # would have been given a port of its own.
        assert listening(workers[0], port) == listening(workers[1], port)
        assert servers.anonymous_get(f"http://127.0.0.1:{port}/healthz") in (200, 503)
    finally:
        server.stop()
