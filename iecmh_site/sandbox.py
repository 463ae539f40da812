"""Run file processing in a child process with memory and time limits.

Reports and pictures come from outside: a small PDF can inflate to gigabytes, a picture can
claim billions of pixels. Each file is handled by a fresh process, forked from a clean
forkserver, that may use at most SANDBOX_MEMORY_MB of memory and SANDBOX_SECONDS of time;
whatever goes wrong in it fails that one job with a message staff can act on, and the worker
and the site stay up. The function and its arguments must be importable and picklable; it
gets bytes and returns bytes and plain values, and never touches the database or storage.
"""

import multiprocessing
import resource
import signal

from django.conf import settings

MIB = 1024 * 1024
_context = multiprocessing.get_context("forkserver")
# The forkserver sets Django up once; each job's process is forked from it, so it starts in
# milliseconds, shares no database connection and never inherits the worker's threads.
_context.set_forkserver_preload(["iecmh_site.sandbox_setup"])


class SandboxError(Exception):
    """The file could not be processed; the message is for staff."""


def _limited(connection, function, args, kwargs, memory_bytes, seconds):
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    try:
        outcome = ("ok", function(*args, **kwargs))
    except MemoryError:
        outcome = ("memory", None)
    except SandboxError as exc:
        outcome = ("refused", str(exc))
    except Exception as exc:  # a damaged file raises anything at all
        outcome = ("error", f"{type(exc).__name__}: {exc}"[:300])
    connection.send(outcome)
    connection.close()


def run(function, *args, memory_mb: int | None = None, seconds: int | None = None, **kwargs):
    """Call ``function(*args, **kwargs)`` in a limited child process; return its result or
    raise SandboxError saying, in plain words, what went wrong."""
    memory_mb = memory_mb or settings.SANDBOX_MEMORY_MB
    seconds = seconds or settings.SANDBOX_SECONDS
    receiver, sender = _context.Pipe(duplex=False)
    process = _context.Process(
        target=_limited,
        args=(sender, function, args, kwargs, memory_mb * MIB, seconds),
        daemon=True,
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds + 5):
            raise SandboxError(f"Processing took longer than {seconds} seconds and was stopped.")
        status, value = receiver.recv()
    except EOFError:
        status, value = "crashed", None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if status == "ok":
        return value
    if status == "refused":
        raise SandboxError(value)
    if status == "crashed" and process.exitcode == -signal.SIGXCPU:
        raise SandboxError(f"Processing took longer than {seconds} seconds and was stopped.")
    if status in ("memory", "crashed"):
        raise SandboxError(
            f"The file needs more than {memory_mb} MB of memory to process (it may be built to "
            "inflate), so it was not processed."
        )
    raise SandboxError(f"The file could not be read ({value}).")
