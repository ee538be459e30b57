"""Independent jobs on a process pool: order, shared data, progress, failures."""

from __future__ import annotations

import multiprocessing
import time

import numpy as np
import pytest
from parallel_jobs import draw, draw_pid, fail_at, modules, total

from trainlab.train import parallel
from trainlab.train.parallel import choose_workers, run_jobs
from trainlab.train.shared import SharedArrays


def test_results_come_in_submission_order_and_match_one_worker():
    x = np.random.default_rng(0).standard_normal((50, 8)).astype(np.float32)
    specs = [{"i": i, "seed": 100 + i} for i in range(7)]
    with SharedArrays({"x": x}) as shared:
        one = run_jobs(draw, specs, workers=1, shared=shared, meta={"n": 1}, progress=False)
        two = run_jobs(draw, specs, workers=2, shared=shared, meta={"n": 1}, progress=False)
    assert [r["i"] for r, _ in two] == list(range(7))
    assert [r["value"] for r, _ in two] == [r["value"] for r, _ in one]  # the same bits
    assert all(s >= 0 for _, s in two)
    assert len({r["pid"] for r, _ in two}) >= 1
    assert all(r["meta"] == {"n": 1} for r, _ in two)
    assert not any(r["writeable"] for r, _ in one + two)  # the shared data are read-only


def test_shared_arrays_are_one_copy_viewed_read_only():
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    with SharedArrays({"x": x, "empty": np.zeros(0)}) as shared:
        view = shared.arrays["x"]
        assert np.array_equal(view, x) and not view.flags.writeable
        assert not np.shares_memory(view, x)  # copied once, into the shared block
        assert shared.arrays["empty"].shape == (0,)
        assert shared.nbytes == x.nbytes
        name = shared.spec()["x"][0]
    from multiprocessing import shared_memory

    with pytest.raises(FileNotFoundError):
        shared_memory.SharedMemory(name=name)  # freed on close


class _Bar:
    def __init__(self, total):
        self.total, self.n, self.closed = total, 0, False

    def update(self, k=1):
        self.n += k

    def close(self):
        self.closed = True


@pytest.mark.parametrize("workers", [1, 2])
def test_one_bar_counts_every_job_of_every_worker(monkeypatch, workers):
    bars = []
    monkeypatch.setattr(
        parallel, "_bar", lambda total, desc, progress: bars.append(_Bar(total)) or bars[-1]
    )
    seen = []
    run_jobs(
        fail_at,
        [{"i": i} for i in range(5)],
        workers=workers,
        on_result=lambda i, r, s: seen.append(i),
    )
    [bar] = bars
    assert bar.total == 5 and bar.n == 5 and bar.closed
    assert sorted(seen) == list(range(5))


def test_a_failing_job_stops_the_others_and_raises_its_error():
    specs = [{"i": 0, "fail": True}] + [{"i": i, "sleep": 0.5} for i in range(1, 9)]
    seen = []
    with pytest.raises(ValueError, match="job 0 is bad"):
        run_jobs(
            fail_at, specs, workers=2, progress=False, on_result=lambda i, r, s: seen.append(i)
        )
    assert len(seen) < 8  # the jobs not yet started never ran
    assert _workers_gone()


def test_an_error_in_this_process_ends_the_workers():
    def stop(i, r, s):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_jobs(
            fail_at,
            [{"i": i, "sleep": 0.3} for i in range(6)],
            workers=2,
            progress=False,
            on_result=stop,
        )
    assert _workers_gone()


def _workers_gone(within: float = 10.0) -> bool:
    """No pool worker of this process left (their exit may take a moment to be seen)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not [p for p in multiprocessing.active_children() if "SpawnProcess" in p.name]:
            return True
        time.sleep(0.1)
    return False


def test_workers_default_to_the_cores_capped_by_the_work():
    assert choose_workers(None, 1000) == parallel.cores()
    assert choose_workers(None, 1) == 1
    assert choose_workers(8, 3) == 3
    with pytest.raises(ValueError, match="workers"):
        choose_workers(0, 3)


@pytest.mark.parametrize("workers", [1, 2])
def test_jobs_returned_by_on_result_run_too_and_are_listed_after(workers):
    def more(i, result, seconds):  # each first-round job asks for one follow-up
        return [{"i": 10 + i}] if i < 3 else None

    out = run_jobs(
        fail_at, [{"i": i} for i in range(3)], workers=workers, progress=False, on_result=more
    )
    assert [r for r, _ in out[:3]] == [0, 1, 2]
    assert sorted(r for r, _ in out[3:]) == [10, 11, 12] and len(out) == 6


def test_a_pool_started_before_the_work_runs_it_and_ends_on_an_error():
    with parallel.pool(2) as ex:  # started before any job exists, as run_many does
        assert (
            len(
                {
                    r
                    for r, _ in run_jobs(
                        draw_pid,
                        [{"i": i, "sleep": 0.2} for i in range(6)],
                        executor=ex,
                        progress=False,
                    )
                }
            )
            == 2
        )
    assert _workers_gone()
    with pytest.raises(RuntimeError, match="loading failed"):
        with parallel.pool(2):
            raise RuntimeError("loading failed")  # e.g. a missing data set
    assert _workers_gone()


def test_a_worker_training_the_notes_net_loads_no_compiler_or_plotting():
    # NumPy runs the update of a 0.1 M-parameter net: numba's 115 MB stay out of every worker
    [(mods, _)] = run_jobs(modules, [{"seed": 0}, {"seed": 1}], workers=2, progress=False)[:1]
    assert mods == []


def test_an_empty_block_is_written_in_place_then_shared_read_only():
    with SharedArrays() as shared:
        a = shared.empty("x", (3, 4), np.float32)
        a[...] = np.arange(12).reshape(3, 4)
        spec = shared.spec()  # handed to workers: no more writes
        assert not a.flags.writeable
        [(value, _)] = run_jobs(total, [{}], workers=1, shared=shared, progress=False)
        assert value == 66.0 and spec["x"][1:] == ((3, 4), "<f4")
