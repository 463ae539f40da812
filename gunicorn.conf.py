"""gunicorn settings, shared by the Docker image, the smoke test, the benchmark and the
scale-out test. Everything a deployment varies comes from the environment."""

import errno
import os
import socket

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threads: a client sending its request slowly holds one thread, not a whole worker.
# Production still sits behind a buffering proxy (README, "Deployment"). Two, not four: the
# work is mostly Python, which one worker runs one thread at a time, and each thread rendering
# a page at once adds its memory to the worker's peak (README, "Benchmark").
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
# The app alone decides which forwarded headers to believe (PROXY_COUNT), so gunicorn
# trusts none: a client cannot make itself https or another address.
forwarded_allow_ips = ""
# The app logs each request with the client address the proxies vouch for.
accesslog = None
# Two instances on one machine would share the default control socket.
control_socket_disable = True

# Each worker listens on a socket of its own (SO_REUSEPORT), and the kernel shares new
# connections out between them. On one shared socket, whichever worker was awake took a burst
# of connections, and kept-alive connections (a proxy's to its upstream, wrk's) stay with the
# worker that took them: with all 16 of the benchmark's on one worker, one CPU served them
# while the other idled (about 1,000 requests/s instead of 2,100-2,900, in two runs of ten;
# README, "Benchmark", and "Deployment" for what it costs). Only for TCP ports named in
# advance (_one_shared_socket): restart gunicorn to reload it, not HUP or USR2.
reuse_port = True


def _one_shared_socket(server) -> bool:
    """Keep gunicorn's one listening socket, shared by the workers, where a socket per worker
    would break: workers binding one Unix socket path take it from each other, port 0 gives
    each worker a port of its own, and sockets handed over by systemd or by a USR2 upgrade are
    the ones to listen on."""
    addresses = server.cfg.address
    inherited = os.environ.get("LISTEN_PID") == str(os.getpid()) or "GUNICORN_FD" in os.environ
    if inherited or not all(isinstance(address, tuple) and address[1] for address in addresses):
        server.cfg.set("reuse_port", False)
        return True
    return False


def on_starting(server):
    """Refuse to start on an address something already listens on. With SO_REUSEPORT a second
    gunicorn (a stale one, the same command run twice) would otherwise bind it too and
    silently take a share of the connections, serving whatever code it runs. (Two started at
    the same moment could both pass this look before either binds.)"""
    if _one_shared_socket(server):
        return
    for host, port in server.cfg.address:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise
                raise SystemExit(f"gunicorn: {host}:{port} is already in use") from error


def on_reload(server):
    """A HUP reads this file again, reuse_port = True included, before making new workers."""
    _one_shared_socket(server)
