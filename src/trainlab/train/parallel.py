"""The one process pool of trainlab: independent jobs, and long-lived workers.

:func:`run_jobs` runs ``fn(spec, arrays, meta)`` for every job spec, here
(``workers=1``) or on a :func:`pool` of spawned processes (trainings,
experiments); :func:`run_processes` runs ``target(*args, i)`` in ``n`` spawned
workers that loop until their shared work is done (a search's, a benchmark's).
A job or trial depends on its spec alone, seeds included, so the results are
the same bits whatever the number of workers.

* **BLAS**, one rule for both: ``blas_threads`` threads (1 by default) for
  every job and worker, in this process too (see :mod:`trainlab.train.blas_threads`).
* **Data**: ``shared`` arrays are mapped once per worker, never copied per job.
* **Stopping**: in :func:`run_jobs`, a failing job or Ctrl-C cancels the jobs
  not started, terminates the workers and re-raises here (they ignore SIGINT);
  :func:`run_processes` workers receive Ctrl-C themselves, to mark what they
  were doing, and the parent waits (ten seconds at most) for their exit codes.
  Nothing is written here: a caller that writes only complete results leaves
  nothing half-written.
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
from trainlab.train.blas_threads import THREAD_VARS, blas, environment, thread_env
from trainlab.train.shared import attach

__all__ = [
    "THREAD_VARS",
    "Workers",
    "blas",
    "choose_workers",
    "cores",
    "environment",
    "pool",
    "run_jobs",
    "run_processes",
]

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
    _WORKER["blas"] = blas(threads)
    _WORKER["blas"].__enter__()  # for the worker's whole life


def _arrays(spec: dict) -> dict:
    """The shared arrays named in ``spec``, attached once per worker."""
    key = tuple(sorted((k, v[0]) for k, v in spec.items()))
    if _WORKER.get("key") != key:
        _WORKER["arrays"], _WORKER["key"] = attach(spec) if spec else {}, key
    return _WORKER["arrays"]


def _call(fn, job, spec, meta):
    start = time.perf_counter()
    result = fn(job, _arrays(spec), meta)
    return result, time.perf_counter() - start


def run_processes(target, n: int, *args, blas_threads: int = 1) -> list[int | None]:
    """Run ``target(*args, i)`` for ``i < n`` in ``n`` spawned processes, each with
    ``blas_threads`` BLAS threads; returns their exit codes. ``target`` must be a
    module-level function; it turns its own failures into exit codes."""
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=_worker, args=(target, blas_threads, *args, i), name=f"trainlab-{i}")
        for i in range(n)
    ]
    with environment(thread_env(blas_threads)):
        for p in procs:
            p.start()
    try:
        for p in procs:
            p.join()
    finally:
        for p in procs:
            if p.is_alive():  # interrupted: give them a moment to mark their work
                p.join(timeout=10)
            if p.is_alive():
                p.terminate()
                p.join()
    return [p.exitcode for p in procs]


def _worker(target, threads: int, *args) -> None:
    with blas(threads):
        target(*args)


def _bar(total: int, desc: str, progress):
    show = sys.stderr.isatty() if progress is None else bool(progress)
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="job", leave=False, dynamic_ncols=True)


class Workers(ProcessPoolExecutor):
    """A process pool that can end its workers at once (:meth:`stop`)."""

    def __init__(self, *args, **kwargs):
        self.started_before = set(multiprocessing.active_children())
        super().__init__(*args, **kwargs)

    def stop(self) -> None:
        """Cancel what has not started and end the workers now. The executor has
        no public call for the second before Python 3.14, nor a public list of its
        processes: they are this process's children started since the pool."""
        procs = [p for p in multiprocessing.active_children() if p not in self.started_before]
        self.shutdown(wait=False, cancel_futures=True)
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
    with (
        environment(thread_env(blas_threads)),
        _no_sigint(),
    ):  # the workers read these when they import NumPy
        ex = Workers(
            max_workers=workers, mp_context=ctx, initializer=_init, initargs=(blas_threads,)
        )
        try:
            for _ in range(workers):  # one start-up call each: every worker is spawned now
                ex.submit(os.getpid)
        except BaseException:
            ex.stop()
            raise
    try:
        yield ex
    except BaseException:
        ex.stop()
        raise
    ex.stop()  # every job is done: the idle workers need no orderly exit


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
            _run_here(fn, specs, shared, meta, blas_threads, done)
        else:
            _submit_all(executor, fn, specs, shared, meta, done)
    finally:
        if bar is not None:
            bar.close()
    return out


def _run_here(fn, specs, shared, meta, blas_threads, done) -> None:
    arrays = shared.arrays if shared is not None else {}
    with blas(blas_threads):
        i = 0
        while i < len(specs):  # specs grows as done() adds to it
            start = time.perf_counter()
            done(i, fn(specs[i], arrays, meta), time.perf_counter() - start)
            i += 1


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
        ex.stop()
        raise
