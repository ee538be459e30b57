"""How many threads NumPy's BLAS uses for matrix products, asked and set at run time.

The matrices of the notes' nets are small (batch 128, width 100): one thread
already keeps a core busy, and a second thread only pays when the core it
needs is idle. On a machine whose cores are busy with other work, BLAS threads
that wait for each other make every product several times slower (measured:
5 to 15 times on two busy cores), so one thread is the safe choice there.
Results can differ in the last bits between thread counts (the products are
split differently); for bit-identical reruns keep the count fixed.

This uses threadpoolctl, which knows OpenBLAS, MKL and BLIS. Without it
(``pip install threadpoolctl``), :func:`blas_threads` returns None,
:func:`set_blas_threads` returns False and :func:`one_blas_thread` does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from trainlab.errors import ConfigError


def load_threadpoolctl() -> Any:
    """The ``threadpoolctl`` module, once NumPy's BLAS is loaded; None if not installed."""
    try:
        import numpy  # noqa: F401  (loads the BLAS, so that it can be found)
        import threadpoolctl
    except ImportError:
        return None
    return threadpoolctl


def blas_threads() -> int | None:
    """Threads the BLAS uses now, or None if it cannot be asked."""
    tpc = load_threadpoolctl()
    info = [i for i in tpc.threadpool_info() if i["user_api"] == "blas"] if tpc else []
    return int(info[0]["num_threads"]) if info else None


def set_blas_threads(n: int) -> bool:
    """Use ``n`` ≥ 1 threads for matrix products from now on; False if not possible."""
    if isinstance(n, bool) or int(n) != n or n < 1:
        raise ConfigError(f"threads must be a positive integer, got {n}")
    tpc = load_threadpoolctl()
    if tpc is None or blas_threads() is None:
        return False
    tpc.threadpool_limits(limits=int(n), user_api="blas")
    return True


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """One BLAS thread inside the block, then the previous count again.

    A user's ``OPENBLAS_NUM_THREADS`` or ``OMP_NUM_THREADS`` wins: then nothing changes.
    """
    tpc = load_threadpoolctl()
    if tpc is None or os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS"):
        yield
        return
    with tpc.threadpool_limits(limits=1, user_api="blas"):
        yield
