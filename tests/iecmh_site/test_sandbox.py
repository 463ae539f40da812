"""The sandbox: a file's processing runs in a child process that cannot take the worker down."""

import os

import pytest

from iecmh_site import sandbox
from tests import sandboxed


def test_a_result_comes_back_from_the_child_process():
    assert sandbox.run(sandboxed.pid) != os.getpid()
    assert sandbox.run(sandboxed.echo, b"bytes", key="value") == (b"bytes", {"key": "value"})


def test_using_too_much_memory_fails_that_job_alone():
    with pytest.raises(sandbox.SandboxError, match="more than 256 MB of memory"):
        sandbox.run(sandboxed.allocate, 600, memory_mb=256)

    assert sandbox.run(sandboxed.allocate, 10, memory_mb=256) == 10 * 1024 * 1024


def test_running_too_long_is_stopped():
    with pytest.raises(sandbox.SandboxError, match="longer than 1 seconds"):
        sandbox.run(sandboxed.spin, seconds=1)


def test_a_crash_or_an_error_is_a_message_for_staff():
    with pytest.raises(sandbox.SandboxError, match=r"could not be read \(ValueError: broken\)"):
        sandbox.run(sandboxed.fail, "broken")
    with pytest.raises(sandbox.SandboxError):
        sandbox.run(sandboxed.crash)
