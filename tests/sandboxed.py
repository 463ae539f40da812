"""Functions the sandbox tests run in the child process (they must be importable there)."""

import os
import signal


def pid():
    return os.getpid()


def echo(data, **kwargs):
    return data, kwargs


def allocate(megabytes):
    return len(bytearray(megabytes * 1024 * 1024))


def spin():
    while True:
        pass


def fail(message):
    raise ValueError(message)


def crash():
    os.kill(os.getpid(), signal.SIGSEGV)
