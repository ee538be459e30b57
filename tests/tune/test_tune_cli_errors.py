"""Bad input to ``trainlab tune`` and ``trainlab benchmark``: one line, exit code 2."""

from __future__ import annotations

import time

import pytest
from tune_testkit import TINY, closed_port

from trainlab.cli import main


def _fails(capsys, argv) -> str:
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse's own errors
        rc = exc.code
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert len(err.splitlines()) == 1 and err.startswith("trainlab: error:")
    return err


@pytest.mark.parametrize(
    "extra, words",
    [
        (["--space", "lr=1e-2:1e-6:log"], "inverted"),
        (["--space", "lr=0.1:0.1"], "empty"),
        (["--space", "lr:1e-6:1e-2"], "malformed"),
        (["--space", "beta1=0.5:2", "--optimizer", "adam"], "beta1"),
        (["--sampler", "annealing"], "invalid choice: 'annealing'"),
        (["--pruner", "asha"], "invalid choice: 'asha'"),
        (["--storage", "mysql://u@127.0.0.1/db"], "postgresql://"),
        (["--val-ratio", "1.5"], "--val-ratio"),
        (["--optimizer", "nosuch"], "unknown optimizer"),
    ],
)
def test_tune_bad_input(tmp_path, capsys, extra, words):
    assert words in _fails(capsys, ["tune", "--out", str(tmp_path), *TINY, *extra])


def test_unreachable_storage_fails_fast(tmp_path, capsys):
    url = f"postgresql://nobody@127.0.0.1:{closed_port()}/nothing"
    start = time.perf_counter()
    err = _fails(capsys, ["tune", "--out", str(tmp_path), *TINY, "--storage", url])
    assert "cannot reach storage" in err and "127.0.0.1" in err
    assert time.perf_counter() - start < 15


@pytest.mark.parametrize(
    "extra, words",
    [
        (["--lr-grid", "1:1e-3:4"], "--lr-grid"),
        (["--lr-grid", "1e-3:1"], "--lr-grid"),
        (["--problems", "imagenet"], "unknown problem"),
        (["--optimizers", "sgd,nosuch"], "unknown optimizer"),
        (["--target", "digits=high"], "--target"),
    ],
)
def test_benchmark_bad_input(tmp_path, capsys, extra, words):
    assert words in _fails(
        capsys,
        ["benchmark", "--quick", "--problems", "noisy-quadratic", "--out", str(tmp_path), *extra],
    )
