"""Independent jobs in a pool of worker processes, results in submission order.

:func:`run_jobs` calls ``fn(spec, arrays, meta)`` for every job spec, either
in this process (``workers=1``) or in ``workers`` spawned processes of a
:class:`concurrent.futures.ProcessPoolExecutor`. Each job must depend on its
spec alone (seeds are in the spec, never drawn from shared state), so the
results are the same bits whatever the number of workers or the order in
which jobs finish.

* **Start**: :func:`pool` spawns the workers at once, so that they import
  while the caller goes on (loading the data, say); ``run_jobs(...,
  executor=...)`` then uses them. Jobs that ``on_result`` returns are run too.
* **Data**: ``shared`` (a :class:`~trainlab.train.shared.SharedArrays`) is
  mapped read-only by every worker, once, not copied per job or per worker.
* **BLAS**: every job runs with ``blas_threads`` BLAS threads (1 by default),
  in this process as in a worker: a product's bits may depend on how many
  threads computed it, so the count never depends on ``workers``.
* **Progress**: one bar over all workers, advanced as each job completes.
* **Stopping**: a job that raises, or Ctrl-C, cancels the jobs not started,
  terminates the workers and re-raises in this process (workers ignore
  SIGINT; the parent alone decides). Nothing is written by this module, so a
  caller that writes only complete results leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from trainlab.errors import ConfigError

THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)

_WORKER: dict = {}


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def choose_workers(workers: int | None, n_jobs: int) -> int:
    """``workers`` (``None``: every core), never more than there are jobs."""
    if workers is None:
        workers = cores()
    if isinstance(workers, bool) or int(workers) != workers or workers < 1:
        raise ConfigError(f"--workers must be a positive integer, got {workers}")
    return max(1, min(int(workers), int(n_jobs)))


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
def _blas(threads: int):
    """``threads`` BLAS threads inside the block, unless the user set the count."""
    from trainlab.kernels.threads import _threadpoolctl

    tpc = _threadpoolctl()
    if tpc is None or os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS"):
        yield
        return
    with tpc.threadpool_limits(limits=int(threads), user_api="blas"):
        yield


@contextlib.contextmanager
def _no_sigint():
    """Ctrl-C ignored while workers are spawned, so that they are born ignoring it
    (an ignored signal stays ignored across exec, and Python keeps it so)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def _init(threads) -> None:
    """Worker start: leave Ctrl-C to the parent, fix BLAS threads, import the jobs' code."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["blas"] = _blas(threads)
    _WORKER["blas"].__enter__()  # for the worker's whole life


def _arrays(spec: dict) -> dict:
    """The shared arrays named in ``spec``, attached once per worker."""
    key = tuple(sorted((k, v[0]) for k, v in spec.items()))
    if _WORKER.get("key") != key:
        from trainlab.train.shared import attach

        _WORKER["arrays"], _WORKER["key"] = attach(spec) if spec else {}, key
    return _WORKER["arrays"]


def _call(fn, job, spec, meta):
    start = time.perf_counter()
    result = fn(job, _arrays(spec), meta)
    return result, time.perf_counter() - start


def _ready() -> int:
    return os.getpid()


def _bar(total: int, desc: str, progress):
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="job", leave=False, dynamic_ncols=True)


def _stop(pool) -> None:
    """Cancel what has not started and end the workers now (the executor has no
    public call for the second before Python 3.14, hence ``_processes``)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=10)
        if p.is_alive():  # ignored the request: end it
            p.kill()
            p.join(timeout=10)


@contextlib.contextmanager
def pool(workers: int, blas_threads: int = 1):
    """``workers`` spawned processes, started now (so that they import while this
    process goes on, say loading the data), ended when the block ends; ``None``
    for one worker (:func:`run_jobs` then runs the jobs here)."""
    if workers <= 1:
        yield None
        return
    ctx = multiprocessing.get_context("spawn")
    env = {k: str(blas_threads) for k in THREAD_VARS if not os.environ.get(k)}
    with environment(env), _no_sigint():  # the workers read these when they import NumPy
        ex = ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_init, initargs=(blas_threads,)
        )
        try:
            for _ in range(workers):  # one start-up call each: every worker is spawned now
                ex.submit(_ready)
        except BaseException:
            _stop(ex)
            raise
    try:
        yield ex
    except BaseException:
        _stop(ex)
        raise
    _stop(ex)  # every job is done: the idle workers need no orderly exit


def run_jobs(
    fn,
    specs,
    *,
    workers: int = 1,
    shared=None,
    meta=None,
    blas_threads: int = 1,
    progress=None,
    desc: str = "trainings",
    on_result=None,
    executor=None,
) -> list:
    """``[(fn(spec, arrays, meta), seconds) for spec in specs]``, in the order of ``specs``.

    ``fn`` must be a module-level function (workers import it by name) and
    ``specs`` plain data. ``on_result(i, result, seconds)`` is called here, in
    this process, as job ``i`` completes (completion order); it may return
    more specs, which are run too (and listed after the others, in the order
    they were returned). ``executor``: a :func:`pool` already started (else
    one is started for ``workers`` and ended here).
    """
    specs = list(specs)
    if executor is None and workers > 1 and len(specs) > 1:
        with pool(workers, blas_threads) as ex:
            return run_jobs(
                fn,
                specs,
                shared=shared,
                meta=meta,
                progress=progress,
                desc=desc,
                on_result=on_result,
                executor=ex,
            )
    out = [None] * len(specs)
    bar = _bar(len(specs), desc, progress)

    def done(i, result, seconds) -> list:
        out[i] = (result, seconds)
        more = list((on_result(i, result, seconds) if on_result is not None else None) or ())
        out.extend([None] * len(more))
        specs.extend(more)
        if bar is not None:
            bar.total += len(more)
            bar.update(1)
        return more

    try:
        if executor is None:
            arrays = shared.arrays if shared is not None else {}
            with _blas(blas_threads):
                i = 0
                while i < len(specs):  # specs grows as on_result adds to it
                    start = time.perf_counter()
                    done(i, fn(specs[i], arrays, meta), time.perf_counter() - start)
                    i += 1
        else:
            _submit_all(executor, fn, specs, shared, meta, done)
    finally:
        if bar is not None:
            bar.close()
    return out


def _submit_all(ex, fn, specs, shared, meta, done) -> None:
    spec = shared.spec() if shared is not None else {}
    try:
        pending = {ex.submit(_call, fn, s, spec, meta): i for i, s in enumerate(specs)}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for f in sorted(finished, key=pending.__getitem__):
                i = pending.pop(f)
                result, seconds = f.result()  # a job's error is raised here
                first = len(specs)
                for k, s in enumerate(done(i, result, seconds)):
                    pending[ex.submit(_call, fn, s, spec, meta)] = first + k
    except BaseException:
        _stop(ex)
        raise
