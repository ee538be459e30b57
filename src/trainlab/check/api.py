"""``trainlab.check(...)``: a class is checked here, a file in a child process.

A class defined in a notebook cannot be imported by another process, so it
runs in this one; where the platform allows (the main thread, a POSIX
``SIGALRM``) it is stopped after ``timeout`` seconds all the same.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

from trainlab.check.engine import check_class
from trainlab.check.result import Result
from trainlab.check.sandbox import DEFAULT_TIMEOUT, run_file
from trainlab.errors import ConfigError
from trainlab.validate import check_positive


class _OutOfTime(BaseException):
    """Raised by the alarm; a BaseException so the learner's ``except Exception`` lets it by."""


@contextlib.contextmanager
def _time_limit(seconds: float):
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise _OutOfTime

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def check(
    target, rule: str | None = None, opts: dict | None = None, timeout: float | None = None
) -> Result:
    if isinstance(target, (str, os.PathLike)):
        return run_file(os.fspath(target), rule, opts, timeout)
    if not isinstance(target, type):
        raise ConfigError(
            f"check takes a class or the path of a file, got "
            f"{type(target).__name__}; give the class itself, not an instance"
        )
    seconds = DEFAULT_TIMEOUT if timeout is None else check_positive("timeout", timeout)
    stages = ["starting"]
    try:
        with _time_limit(seconds):
            return check_class(target, rule, opts, progress=stages.append)
    except _OutOfTime:
        return Result(
            target.__qualname__,
            "timeout",
            notes=[
                f"stopped after {seconds:g} s, while {stages[-1]}: an endless loop, or a rule "
                "far slower than it should be? (a longer limit: timeout=SECONDS)"
            ],
        )
