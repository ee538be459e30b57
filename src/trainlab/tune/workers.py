"""Worker processes on one machine, with the BLAS threads split between them.

``run_workers(target, n, *args)`` starts ``n`` fresh (spawned) processes that
call ``target(*args, index)``, each with ``OMP_NUM_THREADS`` (and the OpenBLAS,
MKL and BLIS equivalents) set to ``cpu_count // n``, and waits for them.
"""

from __future__ import annotations

import multiprocessing
import os

THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def threads_per_worker(n: int) -> int:
    return max(1, (os.cpu_count() or 1) // n)


def _entry(target, *args) -> None:
    from trainlab.tune.outage import EXIT_STORAGE_DOWN, StorageDown

    try:
        target(*args)
    except KeyboardInterrupt:  # Ctrl-C reaches every worker: the parent reports it
        raise SystemExit(130) from None
    except StorageDown:  # the parent says it once, with the resume command
        raise SystemExit(EXIT_STORAGE_DOWN) from None


def run_workers(target, n: int, *args) -> list[int | None]:
    """Run ``target(*args, i)`` for ``i < n`` in ``n`` processes; returns their exit codes."""
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_entry, args=(target, *args, i), name=f"trainlab-worker-{i}")
        for i in range(n)
    ]
    from trainlab.train.parallel import environment

    with environment({k: str(threads_per_worker(n)) for k in THREAD_VARS}):
        for p in procs:  # children read the variables when they import NumPy
            p.start()
    try:
        for p in procs:
            p.join()
    finally:
        for p in procs:
            if p.is_alive():  # interrupted: give them a moment to mark their trials
                p.join(timeout=10)
            if p.is_alive():
                p.terminate()
                p.join()
    return [p.exitcode for p in procs]
