"""Experiments run as one batch of independent jobs on worker processes.

Every experiment splits each seed's work into jobs (``jobs(cfg, rng)``: the
variants × the seed's draws, as plain specs). :func:`run_many` plans the jobs
of all the experiments asked for and runs them together with
:func:`trainlab.train.parallel.run_jobs`, so a long experiment's trainings
fill the cores beside a short one's. When an experiment's trainings are done,
its figures become jobs too (one per part, see
:meth:`~trainlab.experiments.experiment.Experiment.figure_parts`), drawn by the
workers from the run's documents in a scratch folder and sent back as bytes.
Each run folder is then written here, whole (config, metrics, figures), in the
notes' order: a folder is complete or absent, and an experiment after a
failing one is absent.

The workers start first, so that they import while the data set is loaded,
once, here, straight into shared memory that they map read-only. The results
do not depend on the number of workers: every job's seeds are in its spec,
every job runs on one BLAS thread, and the results are gathered in the order
the jobs were planned.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trainlab.errors import ConfigError
from trainlab.experiments.common import Data, load_data
from trainlab.experiments.folder import data_meta, documents, figures, parts, reads
from trainlab.experiments.registry import get, make_config
from trainlab.experiments.worker import ARRAYS, Local, work, write_files
from trainlab.io import write_json
from trainlab.train.parallel import choose_workers, pool, run_jobs
from trainlab.train.shared import SharedArrays


def plan(configs: dict, seeds: int, seed: int):
    """Every training of every experiment: ``(jobs, per)`` where ``per[name]``
    lists, per seed, ``(index of its first job, its specs)``."""
    jobs: list = []
    per: dict = {}
    for name, cfg in configs.items():
        per[name] = []
        for s in np.random.SeedSequence(int(seed)).spawn(int(seeds)):
            specs = list(get(name).jobs(cfg, np.random.default_rng(s)))
            per[name].append((len(jobs), specs))
            jobs += [("train", name, cfg, spec) for spec in specs]
    return jobs, per


def run(
    name: str,
    out,
    cfg=None,
    *,
    dataset: str = "digits",
    data_dir=None,
    seeds: int = 1,
    seed: int = 0,
    quick: bool = False,
    data=None,
    progress=None,
    workers: int | None = 1,
) -> dict:
    """Run experiment ``name`` with ``seeds`` seeds into folder ``out``; return its metrics.

    Seed ``i`` of ``seeds`` is child ``i`` of ``numpy.random.SeedSequence(seed)``,
    so a run with more seeds extends, bit for bit, a run with fewer.
    ``data`` may pass an already loaded :class:`~trainlab.experiments.common.Data`.
    Its independent trainings run on ``workers`` processes (``None``: every
    core), with the same results for any number.
    """
    cfg = make_config(name, quick, dataset=dataset) if cfg is None else cfg
    return run_many(
        {name: cfg},
        {name: out},
        dataset=dataset,
        data_dir=data_dir,
        seeds=seeds,
        seed=seed,
        quick=quick,
        data=data,
        progress=progress,
        workers=workers,
    )[name]


def run_many(
    configs: dict,
    outs: dict,
    *,
    dataset: str = "digits",
    data_dir=None,
    seeds: int = 1,
    seed: int = 0,
    quick: bool = False,
    data=None,
    progress=None,
    workers: int | None = None,
    echo=None,
    on_done=None,
    extra=(),
) -> dict:
    """Run the experiments ``configs`` (name → config) into ``outs`` (name → folder).

    ``workers``: processes (``None``: every core, at most one per job).
    ``echo(line)`` hears the data note; ``on_done(name, metrics)`` each
    experiment as it is written, in the notes' order. ``extra``: more
    ``(folder, draw, kwargs)`` jobs for the same workers (``draw`` a module-level function), each
    writing files into ``folder`` (see :func:`~trainlab.experiments.worker.work`).
    Returns name → metrics.
    """
    if isinstance(seeds, bool) or int(seeds) < 1:
        raise ConfigError(f"--seeds must be ≥ 1, got {seeds}")
    jobs, per = plan(configs, seeds, seed)
    n_figures = sum(len(parts(name, cfg)) for name, cfg in configs.items())
    workers = choose_workers(workers, len(jobs) + n_figures + len(extra))
    trains = any(get(n).trains for n in configs)
    how = dict(data_dir=data_dir, seeds=seeds, seed=seed, quick=quick)
    with pool(workers) as executor:  # the workers start while the data load
        shared = SharedArrays() if executor is not None and trains else None
        try:
            if trains and data is None:
                data = load_data(dataset, data_dir, alloc=allocator(shared), rows=reads(configs))
                if echo is not None:
                    echo(f"data: {data.info['note']}")
            source, data = share(data, shared, trains)
            batch = Batch(configs, outs, jobs, per, data, how, on_done=on_done, extra=extra)
            return batch.run(executor, workers, source, progress)
        finally:
            if shared is not None:
                shared.close()


def allocator(shared):
    """How the data set's arrays are allocated: straight into ``shared`` memory (or not)."""
    if shared is None:
        return None
    return lambda which, shape: shared.empty(which, shape, np.float32)


def share(data, shared, trains: bool):
    """``(source, data)``: where the jobs find the arrays, and the data on them."""
    if shared is None:
        return Local({k: getattr(data, k) for k in ARRAYS} if trains else {}), data
    for k in ARRAYS:  # one copy, mapped by every worker
        if k not in shared.arrays:
            shared.put(k, getattr(data, k))
    return shared, Data(**{k: shared.arrays[k] for k in ARRAYS}, info=data.info)


class Batch:
    """The jobs of one :func:`run_many` as their results arrive: an experiment's
    trainings gathered into its documents when its last one is done, its figures
    then queued, and its folder written when they are drawn, in the notes' order."""

    def __init__(self, configs, outs, jobs, per, data, how, *, on_done=None, extra=()):
        self.configs, self.outs, self.jobs, self.per = configs, outs, jobs, per
        self.data, self.how, self.on_done, self.extra = data, how, on_done, list(extra)
        self.results: list = [None] * len(jobs)
        self.seconds = [0.0] * len(jobs)
        self.left = {name: sum(len(specs) for _, specs in per[name]) for name in configs}
        self.order = list(configs)
        self.written = 0  # experiments whose folders are written
        self.metrics: dict = {}
        self.docs: dict = {}
        self.drawn: dict = {}  # drawn[name][k]: the files of figure part k
        self.figure_of: dict = {}  # job index → (name, k)
        self.first_extra = len(jobs)
        self.count = len(jobs) + len(self.extra)  # jobs queued so far
        self.warm = range(0)

    def run(self, executor, workers: int, source, progress) -> dict:
        """Run every job on ``executor``; return name → metrics."""
        start = [j for name in self.order if self.left[name] == 0 for j in self.trained(name)]
        # after the trainings in the queue: a worker left idle while others still train
        # imports matplotlib for the figures to come
        self.warm = range(self.count, self.count + (workers if executor is not None else 0))
        self.count += len(self.warm)
        run_jobs(
            work,
            [
                *self.jobs,
                *[("files", draw, kw) for _, draw, kw in self.extra],
                *start,
                *[("warm",)] * len(self.warm),
            ],
            shared=source,
            meta=self.data.info if self.data is not None else None,
            progress=progress,
            desc=self.order[0] if len(self.order) == 1 else "experiments",
            on_result=self.arrived,
            executor=executor,
        )
        self.write_ready()
        return self.metrics

    def arrived(self, i: int, result, seconds: float) -> list:
        """Job ``i`` is done: keep its result; return the jobs it makes ready."""
        more = []
        if i in self.warm:
            pass
        elif i < self.first_extra:
            self.results[i], self.seconds[i] = result, seconds
            name = self.jobs[i][1]
            self.left[name] -= 1
            if self.left[name] == 0:
                more = self.trained(name)
        elif i < self.first_extra + len(self.extra):
            write_files(self.extra[i - self.first_extra][0], result)
        else:
            name, k = self.figure_of.pop(i)
            self.drawn[name][k] = result
        self.write_ready()
        return more

    def gather(self, name: str) -> tuple[list, float]:
        """``name``'s results per seed, and the seconds its trainings took."""
        experiment, cfg = get(name), self.configs[name]
        runs, spent = [], 0.0
        for first, specs in self.per[name]:
            span = range(first, first + len(specs))
            runs.append(experiment.gather(cfg, specs, [self.results[j] for j in span]))
            spent += sum(self.seconds[j] for j in span)
            for j in span:
                self.results[j] = None
        return runs, spent

    def trained(self, name: str) -> list:
        """Gather ``name``'s results into its documents; return its figure jobs."""
        experiment, cfg = get(name), self.configs[name]
        runs, spent = self.gather(name)
        meta = data_meta(self.data if experiment.trains else None, experiment.own_input)
        self.metrics[name] = {
            "summary": experiment.summarize(runs, cfg),
            "data": meta,
            "seeds": int(self.how["seeds"]),
            "seconds": round(spent, 3),
            "runs": runs,
        }
        self.docs[name] = documents(name, cfg, self.metrics[name], meta=meta, **self.how)
        new = [
            ("files", figures, {"docs": self.docs[name], "part": part}) for part in parts(name, cfg)
        ]
        for k in range(len(new)):
            self.figure_of[self.count + k] = (name, k)
        self.count += len(new)
        self.drawn[name] = [None] * len(new)
        return new

    def write_ready(self) -> None:
        """Write, in the notes' order, every folder whose figures are all drawn."""
        while self.written < len(self.order):
            name = self.order[self.written]
            if name not in self.docs or any(files is None for files in self.drawn[name]):
                return
            out = Path(self.outs[name])
            out.mkdir(parents=True, exist_ok=True)
            for file, doc in self.docs.pop(name).items():
                write_json(out / file, doc)
            for files in self.drawn.pop(name):
                write_files(out, files)
            self.written += 1
            if self.on_done is not None:
                self.on_done(name, self.metrics[name])
