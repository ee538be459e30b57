"""Run the check of a learner's file in a child process, with a time limit.

The learner's code never runs in this process: an endless loop is stopped
after ``timeout`` seconds, a crash or ``sys.exit`` in their file cannot take
trainlab down, and an exception comes back as their own traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from trainlab.check.result import Result
from trainlab.errors import ConfigError
from trainlab.validate import check_positive

DEFAULT_TIMEOUT = 60.0


class SeveralRules(ConfigError):
    """The file defines several classes with ``update`` and none was named."""

    def __init__(self, path: Path, names: list[str]):
        super().__init__(
            f"{path.name} defines several rules ({', '.join(names)}); "
            f"choose one as {path.name}:CLASS"
        )
        self.path, self.names = path, names


def split_target(text: str) -> tuple[Path, str]:
    """``"rules.py:AdaGrad"`` -> ``(Path("rules.py"), "AdaGrad")``; no class -> ``""``."""
    head, sep, tail = str(text).rpartition(":")
    if sep and tail.isidentifier():
        return Path(head), tail
    return Path(text), ""


def run_file(
    target: str, rule: str | None = None, opts: dict | None = None, timeout: float | None = None
) -> Result:
    path, class_name = split_target(target)
    if not path.is_file():
        raise ConfigError(f"no such file: {path}")
    timeout = DEFAULT_TIMEOUT if timeout is None else check_positive("timeout", timeout)
    with tempfile.TemporaryDirectory(prefix="trainlab-check-") as tmp:
        out, stages, errors = (Path(tmp) / n for n in ("result.json", "stages.txt", "stderr.txt"))
        cmd = [
            sys.executable,
            "-m",
            "trainlab.check.child",
            str(path.resolve()),
            class_name,
            rule or "",
            json.dumps(opts or {}),
            str(out),
            str(stages),
        ]
        with open(errors, "w", encoding="utf-8") as err:
            try:
                proc = subprocess.run(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                    timeout=timeout,
                    env=_child_env(),
                    cwd=tmp,
                )
            except subprocess.TimeoutExpired:
                return _timed_out(path, class_name, timeout, _last_line(stages, "starting"))
        if not out.is_file():
            last = _last_line(errors, "no output")
            return Result(
                _name(path, class_name),
                "error",
                notes=[
                    f"the check stopped without a result (exit status {proc.returncode}): {last}"
                ],
            )
        doc = json.loads(out.read_text(encoding="utf-8"))
    if "usage_error" in doc:
        raise ConfigError(doc["usage_error"])
    if "several" in doc:
        raise SeveralRules(path, doc["several"])
    return Result.from_dict(doc["result"])


def _child_env() -> dict:
    """This process's environment, with this trainlab first on the child's path."""
    src = str(Path(__file__).resolve().parents[2])  # src/trainlab/check/sandbox.py
    rest = os.environ.get("PYTHONPATH", "")
    return dict(os.environ, PYTHONPATH=src + (os.pathsep + rest if rest else ""))


def _name(path: Path, class_name: str) -> str:
    return f"{path.name}:{class_name}" if class_name else path.name


def _last_line(path: Path, default: str) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(max(0, f.seek(0, 2) - 4096))
            lines = f.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return default
    return lines[-1] if lines else default


def _timed_out(path, class_name, timeout, where) -> Result:
    return Result(
        _name(path, class_name),
        "timeout",
        notes=[
            f"stopped after {timeout:g} s, while {where}: an endless loop, or a rule far slower "
            f"than it should be? (a longer limit: --timeout SECONDS)"
        ],
    )
