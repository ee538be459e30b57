"""Experiments run as one batch of independent jobs on worker processes.

Every experiment splits each seed's work into jobs (``jobs(cfg, rng)``: the
variants × the seed's draws, as plain specs). :func:`run_many` plans the jobs
of all the experiments asked for and runs them together with
:func:`trainlab.train.parallel.run_jobs`, so a long experiment's trainings
fill the cores beside a short one's. When an experiment's trainings are done,
its figures become jobs too (one per part, see
:func:`~trainlab.experiments.registry.parts`), drawn by the workers from the
run's documents in a scratch folder and sent back as bytes. Each run folder is
then written here, whole (config, metrics, figures), in the notes' order: a
folder is complete or absent, and an experiment after a failing one is absent.

The workers start first, so that they import while the data set is loaded,
once, here, straight into shared memory that they map read-only. The results
do not depend on the number of workers: every job's seeds are in its spec,
every job runs on one BLAS thread, and the results are gathered in the order
the jobs were planned.
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path

import numpy as np

from trainlab.errors import ConfigError
from trainlab.experiments.common import Data, load_data
from trainlab.experiments.registry import _data_meta, documents, get, parts, reads

ARRAYS = ("x", "t", "x_test", "t_test")
#: the job that draws one part of an experiment's figures
FIGURES = "trainlab.experiments.registry:figures"


def _work(job, arrays, meta):
    """One job, in a worker (or here): a training ``("train", name, cfg, spec)``
    → the experiment's ``job``; ``("files", "module:function", kwargs)`` → the
    files that ``function(out=scratch, **kwargs)`` wrote, path → bytes."""
    if job[0] == "train":
        _, name, cfg, spec = job
        mod = get(name)
        data = Data(*(arrays[k] for k in ARRAYS), meta) if mod.TRAINS else None
        return mod.job(cfg, data, spec)
    if job[0] == "warm":  # a worker with nothing to train imports the plotting meanwhile
        from trainlab.viz import plt

        plt()
        return None
    from trainlab.viz import file_defaults

    _, target, kwargs = job
    module, function = target.split(":")
    # matplotlib's own settings, so that this process draws what a fresh worker draws
    with tempfile.TemporaryDirectory(prefix="trainlab-") as scratch, file_defaults():
        getattr(importlib.import_module(module), function)(out=scratch, **kwargs)
        return {
            p.relative_to(scratch).as_posix(): p.read_bytes()
            for p in sorted(Path(scratch).rglob("*"))
            if p.is_file()
        }


def write_files(folder, files: dict) -> None:
    """The files of a ``"files"`` job, written atomically into ``folder``."""
    from trainlab.atomic import write_atomic

    for rel, data in files.items():
        path = Path(folder) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, _writer(data))


def _writer(data):
    """What :func:`write_atomic` calls to put ``data`` into the file."""
    return lambda fh: fh.write(data)


def plan(configs: dict, seeds: int, seed: int):
    """Every training of every experiment: ``(jobs, per)`` where ``per[name]``
    lists, per seed, ``(index of its first job, its specs)``."""
    jobs: list = []
    per: dict = {}
    for name, cfg in configs.items():
        mod = get(name)
        per[name] = []
        for s in np.random.SeedSequence(int(seed)).spawn(int(seeds)):
            specs = list(mod.jobs(cfg, np.random.default_rng(s)))
            per[name].append((len(jobs), specs))
            jobs += [("train", name, cfg, spec) for spec in specs]
    return jobs, per


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
    ``(folder, "module:function", kwargs)`` jobs for the same workers, each
    writing files into ``folder`` (see :func:`_work`). Returns name → metrics.
    """
    from trainlab.train.parallel import choose_workers, pool
    from trainlab.train.shared import SharedArrays

    if isinstance(seeds, bool) or int(seeds) < 1:
        raise ConfigError(f"--seeds must be ≥ 1, got {seeds}")
    jobs, per = plan(configs, seeds, seed)
    n_figures = sum(len(parts(name, cfg)) for name, cfg in configs.items())
    workers = choose_workers(workers, len(jobs) + n_figures + len(extra))
    trains = any(get(n).TRAINS for n in configs)
    with pool(workers) as executor:  # the workers start while the data load
        shared = SharedArrays() if executor is not None and trains else None
        try:
            if trains and data is None:

                def alloc(which, shape):  # the images go straight into shared memory
                    return shared.empty(which, shape, np.float32)

                data = load_data(
                    dataset, data_dir, alloc=None if shared is None else alloc, rows=reads(configs)
                )  # no more than the jobs read
                if echo is not None:
                    echo(f"data: {data.info['note']}")
            if shared is not None:  # one copy, mapped by every worker
                for k in ARRAYS:
                    if k not in shared.arrays:
                        shared.put(k, getattr(data, k))
                data = Data(**{k: shared.arrays[k] for k in ARRAYS}, info=data.info)
            source = shared or _Local({k: getattr(data, k) for k in ARRAYS} if trains else {})
            how = dict(data_dir=data_dir, seeds=seeds, seed=seed, quick=quick)
            return _run(
                configs,
                outs,
                jobs,
                per,
                executor,
                workers,
                source,
                data,
                progress,
                on_done,
                extra,
                how,
            )
        finally:
            if shared is not None:
                shared.close()


def _run(configs, outs, jobs, per, executor, workers, shared, data, progress, on_done, extra, how):
    from trainlab.io import write_json
    from trainlab.train.parallel import run_jobs

    results, seconds = [None] * len(jobs), [0.0] * len(jobs)
    left = {name: sum(len(specs) for _, specs in per[name]) for name in configs}
    order, written, metrics = list(configs), [0], {}
    docs, drawn, figure_of = {}, {}, {}  # drawn[name][k]: the files of figure part k
    first_extra, count = len(jobs), [len(jobs) + len(extra)]

    def trained(name) -> list:
        """Gather ``name``'s results into its documents; its figure jobs."""
        mod, cfg = get(name), configs[name]
        runs, spent = [], 0.0
        for first, specs in per[name]:
            span = range(first, first + len(specs))
            runs.append(mod.gather(cfg, specs, [results[j] for j in span]))
            spent += sum(seconds[j] for j in span)
            for j in span:
                results[j] = None
        meta = _data_meta(data if mod.TRAINS else None, getattr(mod, "OWN_INPUT", None))
        metrics[name] = {
            "summary": mod.summarize(runs, cfg),
            "data": meta,
            "seeds": int(how["seeds"]),
            "seconds": round(spent, 3),
            "runs": runs,
        }
        docs[name] = documents(name, cfg, metrics[name], meta=meta, **how)
        new = [("files", FIGURES, {"docs": docs[name], "part": part}) for part in parts(name, cfg)]
        for k in range(len(new)):
            figure_of[count[0] + k] = (name, k)
        count[0] += len(new)
        drawn[name] = [None] * len(new)
        return new

    def write_ready():
        while written[0] < len(order):
            name = order[written[0]]
            if name not in docs or any(files is None for files in drawn[name]):
                return
            out = Path(outs[name])
            out.mkdir(parents=True, exist_ok=True)
            for file, doc in docs.pop(name).items():
                write_json(out / file, doc)
            for files in drawn.pop(name):
                write_files(out, files)
            written[0] += 1
            if on_done is not None:
                on_done(name, metrics[name])

    start = [j for name in order if left[name] == 0 for j in trained(name)]  # nothing to train
    # after the trainings in the queue: a worker left idle while others still train
    # imports matplotlib for the figures to come
    warm = range(count[0], count[0] + (workers if executor is not None else 0))
    count[0] += len(warm)

    def arrived(i, result, secs):
        more = []
        if i in warm:
            pass
        elif i < first_extra:
            results[i], seconds[i] = result, secs
            name = jobs[i][1]
            left[name] -= 1
            if left[name] == 0:
                more = trained(name)
        elif i < first_extra + len(extra):
            write_files(extra[i - first_extra][0], result)
        else:
            name, k = figure_of.pop(i)
            drawn[name][k] = result
        write_ready()
        return more

    run_jobs(
        _work,
        [*jobs, *[("files", t, kw) for _, t, kw in extra], *start, *[("warm",)] * len(warm)],
        shared=shared,
        meta=data.info if data is not None else None,
        progress=progress,
        desc=order[0] if len(order) == 1 else "experiments",
        on_result=arrived,
        executor=executor,
    )
    write_ready()
    return metrics


class _Local:
    """The data as they are, for jobs run in this process."""

    def __init__(self, arrays):
        self.arrays = arrays

    def spec(self):
        return {}
