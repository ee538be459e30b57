"""How many BLAS threads a process uses: one rule for this process, the jobs of
:func:`trainlab.train.parallel.run_jobs` and the workers of a search or benchmark.

``threads`` (1 by default) for every process, or the count the user set in
``OPENBLAS_NUM_THREADS`` (else ``OMP_NUM_THREADS``): a product's bits may depend
on its thread count, so that never depends on the number of workers. The count
is set at run time in every process, never taken as given: the BLAS reads those
variables once, when it loads, so a process that loaded NumPy before a variable
was set (a test runner, a notebook) runs on the BLAS's own default (every core)
whatever the variable now says, while the workers it spawns read the variable.
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


def user_threads() -> int | None:
    """The BLAS thread count the user set (``OPENBLAS_NUM_THREADS``, else
    ``OMP_NUM_THREADS``, as OpenBLAS reads them), or None."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(var, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None


@contextlib.contextmanager
def blas(threads: int = 1):
    """``threads`` BLAS threads inside the block, or the count the user set."""
    tpc = load_threadpoolctl()
    if tpc is None:
        yield
        return
    with tpc.threadpool_limits(limits=user_threads() or int(threads), user_api="blas"):
        yield


def thread_env(threads: int) -> dict:
    """The thread-count variables for ``threads`` threads (or the count the user
    set); the user's own settings stay."""
    n = user_threads() or threads
    return {k: str(n) for k in THREAD_VARS if not os.environ.get(k)}
