"""Hostile command lines, generated from ``hostile_table``: every option of every command
with wrong types, out-of-range and absurd values. Each must end with exit 2 and exactly
one line ``trainlab: error: ...`` on stderr, no traceback, and nothing created on disk."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_table import BASE, cases, commands, uncovered

import trainlab
from trainlab.cli import main

SRC = str(Path(trainlab.__file__).resolve().parents[1])
CASES = cases()


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A scratch folder as the working directory, with one regular file in it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRAINLAB_OFFLINE", "1")
    monkeypatch.setenv("TRAINLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("TRAINLAB_DATA", raising=False)
    (tmp_path / "file.txt").write_text("not a folder\n")
    rows = "".join(f"{i},{2 * i},{i % 2}\n" for i in range(30))
    (tmp_path / "data.csv").write_text("a,b,y\n" + rows)
    return tmp_path


def argv_for(command: str, option: str, extra: list[str], folder: Path) -> list[str]:
    fill = {
        "{out}": str(folder / "out"),
        "{file}": str(folder / "file.txt"),
        "{csv}": str(folder / "data.csv"),
        "{dir}": str(folder),
    }

    def sub(token: str) -> str:
        for key, value in fill.items():
            token = token.replace(key, value)
        return token

    base = [sub(t) for t in BASE[command]]
    extra = [sub(t) for t in extra]
    if not option.startswith("--") and "+" not in option and command == "run":
        return [base[0], *extra, *base[2:]]  # the experiment is the positional argument
    return [*base, *extra]


def call(argv):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
    return code, err.getvalue()


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} - {"cache"}


def test_every_option_of_every_command_has_bad_values():
    assert not uncovered(), f"add these to SEMANTIC in hostile_table.py: {uncovered()}"
    assert set(BASE) >= set(commands())
    assert len(CASES) > 300


@pytest.mark.parametrize(
    "command, option, extra", CASES, ids=[f"{c}-{o}-{e[-1]!r}" for c, o, e in CASES]
)
def test_bad_value_is_one_line_exit_2_and_creates_nothing(scratch, command, option, extra):
    before = listing(scratch)
    argv = argv_for(command, option, extra, scratch)
    code, err = call(argv)
    lines = err.splitlines()
    assert code == 2, (argv, code, err)
    assert len(lines) == 1 and lines[0].startswith("trainlab: error: "), (argv, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    assert listing(scratch) == before, (argv, listing(scratch) - before)


END_TO_END = [
    ["train", "--opt", "lr=null"],
    ["train", "--opt", "momentum=[1,2]"],
    ["train", "--opt", "lr=true"],
    ["train", "--hidden", "100000000000"],
    ["landscape", "--steps", "1000000000000"],
    ["tune", "--space", "lr=1:0"],
    ["run", "nope"],
    ["diagnose", "/nonexistent/run"],
]


@pytest.mark.parametrize("argv", END_TO_END, ids=lambda a: " ".join(a))
def test_real_process_prints_one_line_and_no_traceback(tmp_path, argv):
    env = dict(
        os.environ, PYTHONPATH=SRC, TRAINLAB_OFFLINE="1", TRAINLAB_CACHE=str(tmp_path / "cache")
    )
    env.pop("TRAINLAB_DATA", None)
    res = subprocess.run(
        [sys.executable, "-m", "trainlab.cli", *argv, "--out", str(tmp_path / "out")]
        if argv[0] != "diagnose"
        else [sys.executable, "-m", "trainlab.cli", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert res.returncode == 2, res.stderr
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("trainlab: error: ")
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "runs").exists()


def test_a_bug_is_one_line_and_exit_1_and_memory_errors_are_exit_2(monkeypatch):
    import trainlab.commands.diagnose as diagnose

    def buggy(args):
        raise TypeError("'NoneType' object is not subscriptable")

    monkeypatch.setattr(diagnose, "run", buggy)
    monkeypatch.delenv("TRAINLAB_DEBUG", raising=False)
    code, err = call(["diagnose", "x"])
    assert code == 1 and err.count("\n") == 1 and "internal error: TypeError" in err

    def hungry(args):
        raise MemoryError

    monkeypatch.setattr(diagnose, "run", hungry)
    code, err = call(["diagnose", "x"])
    assert code == 2 and err.count("\n") == 1 and "out of memory" in err
