"""gunicorn as gunicorn.conf.py runs it: the workers share the connections out, a second
instance cannot quietly take a share of them, and where a socket per worker would break (a
Unix socket, port 0) they keep one shared socket."""

import functools
import os
import re
import signal
import socket
from pathlib import Path

import pytest

from tests import servers

BURST, BURSTS = 64, 3
ESTABLISHED, LISTENING = "01", "0A"  # /proc/net/tcp's states
UNIX_LISTENING = "00010000"  # /proc/net/unix's flags of a listening socket
HEALTHZ = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


@pytest.fixture
def site(tmp_path):
    env = servers.sqlite_environment(tmp_path)
    # gunicorn closes a kept-alive connection idle for 2 s; the test reads 64 answers one by
    # one, on a machine busy with other tests, and looks up who holds each connection.
    env["GUNICORN_CMD_ARGS"] = "--keep-alive 30"
    server = servers.start_gunicorn(tmp_path, env, name="pair")
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
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except FileNotFoundError:  # it has exited
        return inodes
    for descriptor in descriptors:
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


def unix_listening(path: Path) -> set[str]:
    """The listening Unix sockets bound to ``path`` (inodes)."""
    found = set()
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) == 8 and fields[3] == UNIX_LISTENING and fields[7] == str(path):
            found.add(fields[6])
    return found


def answer(connection: socket.socket) -> bytes:
    connection.settimeout(10)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        assert chunk, f"closed without an answer: {received!r}"
        received += chunk
    assert received.startswith((b"HTTP/1.1 200", b"HTTP/1.1 503")), received
    return received


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
                connection.sendall(HEALTHZ)
            for connection in connections:
                answer(connection)
                held[holder(workers, site.port, connection)] += 1
        finally:
            for connection in connections:
                connection.close()
        # The kernel shares them out at random: a worker holding fewer than a quarter has a
        # chance of about 1 in 40,000 a burst. On one shared socket, the worker that woke first
        # took 56 to 64 of them in most bursts.
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


def workers_listening(path: Path, master: int, old: set[int]) -> bool:
    """Whether two workers, none of them ``old``, hold the listening socket at ``path``."""
    workers = set(worker_pids(master)) - old
    return len(workers) == 2 and all(unix_listening(path) & socket_inodes(pid) for pid in workers)


def test_on_a_unix_socket_both_workers_listen_on_the_one_at_the_path_also_after_a_reload(
    tmp_path,
):
    path = tmp_path / "gunicorn.sock"
    command = [*servers.gunicorn_command(0)[:-1], f"unix:{path}"]
    log = tmp_path / "unix.log"
    process = servers._spawn(command, log, env=servers.sqlite_environment(tmp_path))
    server = servers.Server(process, 0, f"unix:{path}", log)

    def ask() -> bool:
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(str(path))
            client.sendall(HEALTHZ)
            return bool(answer(client))

    try:
        for step in ("start", "reload"):
            old = set()
            if step == "reload":
                old = set(worker_pids(process.pid))
                os.kill(process.pid, signal.SIGHUP)  # new workers, this file read again
            listening_at_path = functools.partial(workers_listening, path, process.pid, old)
            servers.wait_for(listening_at_path, timeout=30, what=f"gunicorn's workers ({step})")
            # One socket they both take from: with a socket each, the second worker to start
            # would have replaced the first one's at the path, and only it would be reached.
            assert len(unix_listening(path)) == 1, step
            servers.wait_for(ask, timeout=30, what=f"an answer on the Unix socket ({step})")
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
        url = f"http://127.0.0.1:{port}/healthz"
        servers.wait_for(lambda: servers.anonymous_get(url) in (200, 503), timeout=30, what=url)
    finally:
        server.stop()
