"""Helpers for the experiment tests: run the command line in-process, isolated."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

SHARED = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()


def cli(*args) -> tuple[int, str, str]:
    """``trainlab ARGS`` in this process: (exit code, stdout, stderr)."""
    from trainlab.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse errors
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def isolated_env(tmp: Path):
    """No real cache, no network: data sets come from ``--data-dir`` or the package."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAINLAB_CACHE", str(tmp / "cache"))
        mp.setenv("TRAINLAB_OFFLINE", "1")
        mp.delenv("TRAINLAB_DATA", raising=False)
        yield mp
