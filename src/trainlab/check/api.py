"""``trainlab.check(...)``: a class is checked here, a file in a child process."""

from __future__ import annotations

import os

from trainlab.check.engine import check_class
from trainlab.check.result import Result
from trainlab.check.sandbox import run_file
from trainlab.errors import ConfigError


def check(target, rule: str | None = None, opts: dict | None = None,
          timeout: float | None = None) -> Result:
    if isinstance(target, (str, os.PathLike)):
        return run_file(os.fspath(target), rule, opts, timeout)
    if isinstance(target, type):
        return check_class(target, rule, opts)
    raise ConfigError(f"check takes a class or the path of a file, got {type(target).__name__}; "
                      "give the class itself, not an instance")
