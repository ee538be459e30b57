"""Experiments run as one batch of independent trainings on worker processes.

Every experiment splits each seed's work into jobs (``jobs(cfg, rng)``: the
variants × the seed's draws, as plain specs). :func:`run_many` plans the jobs
of all the experiments asked for, runs them together with
:func:`trainlab.train.parallel.run_jobs` (so a long experiment's trainings
fill the cores beside a short one's), and writes each experiment's run folder
as soon as its jobs, and those of the experiments before it, are done: the
folders appear in the notes' order, each written whole (config, metrics,
figures) or not at all.

The data set is loaded once, here, and shared read-only with the workers.
The results do not depend on the number of workers: every job's seeds are in
its spec, every job runs on one BLAS thread, and the results are gathered in
the order the jobs were planned.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trainlab.errors import ConfigError
from trainlab.experiments.common import Data, load_data
from trainlab.experiments.registry import _data_meta, get, write_run

ARRAYS = ("x", "t", "x_test", "t_test")


def _work(job, arrays, meta):
    """One job, in a worker (or here): ``(name, cfg, spec)`` → the experiment's ``job``."""
    name, cfg, spec = job
    mod = get(name)
    data = Data(*(arrays[k] for k in ARRAYS), meta) if mod.TRAINS else None
    return mod.job(cfg, data, spec)


def plan(configs: dict, seeds: int, seed: int):
    """Every job of every experiment: ``(jobs, per)`` where ``per[name]`` lists,
    per seed, ``(index of its first job, its specs)``."""
    jobs, per = [], {}
    for name, cfg in configs.items():
        mod = get(name)
        per[name] = []
        for s in np.random.SeedSequence(int(seed)).spawn(int(seeds)):
            specs = list(mod.jobs(cfg, np.random.default_rng(s)))
            per[name].append((len(jobs), specs))
            jobs += [(name, cfg, spec) for spec in specs]
    return jobs, per


def run_many(configs: dict, outs: dict, *, dataset: str = "digits", data_dir=None,
             seeds: int = 1, seed: int = 0, quick: bool = False, data=None, progress=None,
             workers: int | None = None, echo=None, on_done=None) -> dict:
    """Run the experiments ``configs`` (name → config) into ``outs`` (name → folder).

    ``workers``: processes (``None``: every core, at most one per job).
    ``echo(line)`` hears the data note; ``on_done(name, metrics)`` each
    experiment as it is written. Returns name → metrics.
    """
    from trainlab.train.parallel import choose_workers, run_jobs
    from trainlab.train.shared import SharedArrays

    if isinstance(seeds, bool) or int(seeds) < 1:
        raise ConfigError(f"--seeds must be ≥ 1, got {seeds}")
    jobs, per = plan(configs, seeds, seed)
    workers = choose_workers(workers, len(jobs))
    trains = any(get(n).TRAINS for n in configs)
    if trains and data is None:
        data = load_data(dataset, data_dir)
        if echo is not None:
            echo(f"data: {data.info['note']}")
    shared = None
    if trains and workers > 1:  # one copy, mapped by every worker
        shared = SharedArrays({k: getattr(data, k) for k in ARRAYS})
        data = Data(*(shared.arrays[k] for k in ARRAYS), data.info)
    elif trains:
        shared = _Local({k: getattr(data, k) for k in ARRAYS})
    results, seconds = [None] * len(jobs), [0.0] * len(jobs)
    left = {name: sum(len(specs) for _, specs in per[name]) for name in configs}
    order, written, metrics = list(configs), [0], {}

    def finish(name):
        mod, cfg = get(name), configs[name]
        runs, spent = [], 0.0
        for first, specs in per[name]:
            span = range(first, first + len(specs))
            runs.append(mod.gather(cfg, specs, [results[j] for j in span]))
            spent += sum(seconds[j] for j in span)
            for j in span:
                results[j] = None
        meta = _data_meta(data if mod.TRAINS else None)
        m = {"summary": mod.summarize(runs, cfg), "data": meta, "seeds": int(seeds),
             "seconds": round(spent, 3), "runs": runs}
        write_run(name, Path(outs[name]), cfg, m, meta=meta, data_dir=data_dir, seeds=seeds,
                  seed=seed, quick=quick)
        metrics[name] = m
        if on_done is not None:
            on_done(name, m)

    def arrived(i, result, secs):
        results[i], seconds[i] = result, secs
        left[jobs[i][0]] -= 1
        while written[0] < len(order) and left[order[written[0]]] == 0:
            finish(order[written[0]])
            written[0] += 1

    for name in order:  # an experiment with no jobs at all is written at once
        if left[name] == 0 and written[0] == order.index(name):
            finish(name)
            written[0] += 1
    try:
        run_jobs(_work, jobs, workers=workers, shared=shared,
                 meta=data.info if trains else None, progress=progress,
                 desc=order[0] if len(order) == 1 else "experiments", on_result=arrived)
    finally:
        if isinstance(shared, SharedArrays):
            shared.close()
    return metrics


class _Local:
    """The data as they are, for jobs run in this process."""

    def __init__(self, arrays):
        self.arrays = arrays
