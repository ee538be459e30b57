"""The BLAS rule holds in the process that runs jobs itself, also where NumPy was
loaded before the thread-count variable was set (a test runner, a notebook): the
BLAS read the variable once, at load, so the count is set at run time, never
taken from the variable as given."""

from __future__ import annotations

from threadpoolctl import threadpool_limits

from trainlab.kernels.threads import blas_threads
from trainlab.train.blas_threads import blas, thread_env, user_threads


def test_the_users_count_is_set_even_where_the_blas_loaded_with_another(monkeypatch):
    with threadpool_limits(limits=2, user_api="blas"):  # as loaded on two cores
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")  # set after the BLAS loaded
        with blas():
            assert blas_threads() == 1
        monkeypatch.delenv("OPENBLAS_NUM_THREADS")
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
        with blas():  # nothing set: one thread
            assert blas_threads() == 1


def test_workers_are_told_the_count_this_process_uses(monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert user_threads() == 3
    env = thread_env(1)
    assert env["OPENBLAS_NUM_THREADS"] == "3" and "OMP_NUM_THREADS" not in env
    monkeypatch.setenv("OMP_NUM_THREADS", "many")  # not a count: the rule's own
    assert user_threads() is None and thread_env(1)["OPENBLAS_NUM_THREADS"] == "1"
