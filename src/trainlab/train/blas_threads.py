"""How many BLAS threads a process uses: one rule for this process, the jobs of
:func:`trainlab.train.parallel.run_jobs` and the workers of a search or benchmark.

``threads`` (1 by default) for every process, unless ``OPENBLAS_NUM_THREADS`` or
``OMP_NUM_THREADS`` is set: a product's bits may depend on its thread count, so
that never depends on the number of workers.
"""

from __future__ import annotations

import contextlib
import os

from trainlab.kernels.threads import load_threadpoolctl

THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


@contextlib.contextmanager
def environment(values: dict):
    """Set environment variables for the block (child processes inherit them)."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def blas(threads: int = 1):
    """``threads`` BLAS threads inside the block, unless the user set the count."""
    tpc = load_threadpoolctl()
    if tpc is None or os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS"):
        yield
        return
    with tpc.threadpool_limits(limits=int(threads), user_api="blas"):
        yield


def thread_env(threads: int) -> dict:
    """The thread-count variables for ``threads`` threads; the user's own settings win."""
    return {k: str(threads) for k in THREAD_VARS if not os.environ.get(k)}
