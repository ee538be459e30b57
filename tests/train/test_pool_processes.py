"""Long-lived workers (a search's, a benchmark's) run on the same pool module as
trainings, with the same BLAS rule: one thread each unless the user set a count,
so a product computed in a worker has the bits it has in this process."""

from __future__ import annotations

import json
import os

import numpy as np
from parallel_jobs import report_threads

from trainlab.kernels.threads import blas_threads
from trainlab.train.parallel import THREAD_VARS, blas, run_processes


def test_workers_run_apart_with_one_blas_thread_and_return_their_exit_codes(tmp_path, monkeypatch):
    for var in THREAD_VARS:  # as a user who set nothing
        monkeypatch.delenv(var, raising=False)
    codes = run_processes(report_threads, 3, str(tmp_path), [0, 75, 0])
    assert codes == [0, 75, 0]
    seen = [json.loads((tmp_path / f"{i}.json").read_text()) for i in range(3)]
    assert len({s["pid"] for s in seen} | {os.getpid()}) == 4
    assert [s["env"] for s in seen] == ["1"] * 3 and [s["blas"] for s in seen] == [1] * 3
    g = np.random.default_rng(7)
    a, b = g.standard_normal((200, 300)), g.standard_normal((300, 100))
    with blas():  # this process's share of the work follows the same rule
        here = (a @ b).tobytes().hex()
        assert blas_threads() == 1
    assert {s["product"] for s in seen} == {here}
    assert "OPENBLAS_NUM_THREADS" not in os.environ  # the parent's own setting is untouched


def test_a_thread_count_set_by_the_user_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    assert run_processes(report_threads, 1, str(tmp_path), [0]) == [0]
    assert json.loads((tmp_path / "0.json").read_text())["env"] == "2"
