"""Every experiment of the notes by name, and the one way to run, save and plot them.

An experiment is a module with:

* ``TITLE``; ``TRAINS`` (whether it needs a data set); ``OWN_INPUT``
  (optional, without a data set): what it feeds its trainings instead;
* ``Config``: a dataclass whose defaults are the notes' settings;
  ``QUICK``: the fields ``--quick`` changes;
  ``DATASETS`` (optional): data set → the fields that differ from the notes'
  on it, where the notes' settings do not show the lesson (each with its
  reason in ``WHY``);
* ``units(cfg)``: its own consistency checks (raises on a bad config); the
  number of things one seed does;
* ``jobs(cfg, rng)``: one seed's independent trainings as plain job specs
  (seeds drawn from ``rng`` here, in the parent, so a job depends on its spec alone);
* ``job(cfg, data, spec)``: one of them, returning plain lists and numbers;
* ``gather(cfg, specs, results)``: one seed's results from its jobs' results;
* ``evaluation(cfg)``: what is evaluated when, and on how many samples (into ``config.json``);
* ``summarize(runs, cfg)``: key numbers over the seeds' results;
* ``plot(metrics, cfg, out_dir)``: figures from the saved metrics alone;
  ``parts(cfg)`` (optional): names of figures that ``plot(..., part=name)``
  draws on their own, so that workers can draw them side by side.

:func:`run` runs the jobs of every seed and draws the figures (on worker
processes, see :mod:`trainlab.experiments.batch`) and writes ``config.json``
and ``metrics.json`` (:func:`documents`) and the figures; :func:`replot` redraws
the figures of a saved run folder without training anything.
"""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

from trainlab.errors import ConfigError
from trainlab.validate import parse_scalar

#: experiment name → module, in the notes' order
MODULES = {
    "optimizer-compare": "optimizer_compare",
    "init-histogram": "init_histogram",
    "init-compare": "init_compare",
    "batchnorm": "batchnorm",
    "overfit": "overfit",
    "batch-size": "batch_size",
    "adaptive-vs-sgd": "adaptive_vs_sgd",
    "adaptive-separable": "adaptive_separable",
    "lecture-additions": "lecture_additions",
    "lr-diagnosis": "lr_diagnosis",
    "loss-surface": "loss_surface",
}


def names() -> list[str]:
    return list(MODULES)


def sources_help() -> str:
    """For ``trainlab run --help``: each experiment, the notes' figure and the
    book's section and script it rebuilds, and its settings that differ by data set."""
    from trainlab.report.sources import SOURCES, notes_of

    lines = ["experiments (what each rebuilds):"]
    for name in MODULES:
        s = SOURCES.get(name, {})
        script = s.get("script") or "no script in the book"
        lines.append(f"  {name}: {notes_of(name)}; book {s.get('book', '')}; {script}")
        for data, changes in getattr(get(name), "DATASETS", {}).items():
            shown = ", ".join(f"{k}={v}" for k, v in changes.items())
            lines.append(f"      on {data}: {shown}")
    lines.append("the report lists, per run, every setting that differs from the notes' and why")
    return "\n".join(lines)


def get(name: str):
    """The module of experiment ``name``."""
    if name not in MODULES:
        raise ConfigError(f"unknown experiment {name!r}; choose one of {', '.join(MODULES)} or all")
    return importlib.import_module(f"trainlab.experiments.{MODULES[name]}")


# -- configuration -----------------------------------------------------------------------


def _coerce(name: str, default, value):
    """``value`` (from the command line or JSON) as the type of ``default``."""

    def bad(what):
        return ConfigError(f"--set {name}={value!r}: expected {what}")

    if isinstance(default, tuple):
        items = (
            value.split(",")
            if isinstance(value, str)
            else (list(value) if isinstance(value, (list, tuple)) else [value])
        )
        items = [
            parse_scalar(i) if isinstance(i, str) else i for i in items if str(i).strip() != ""
        ]
        if default and len({type(d) for d in default}) == 1:  # one type: coerce every item
            return tuple(_coerce(name, default[0], i) for i in items)
        return tuple(items)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
            raise bad("an integer")
        return int(value)
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad("a number")
        return float(value)
    return str(value)


def dataset_changes(name: str, dataset=None) -> dict:
    """The fields experiment ``name`` sets differently from the notes on ``dataset``."""
    from trainlab.data.datasets import canonical_name

    if not dataset:
        return {}
    return dict(getattr(get(name), "DATASETS", {}).get(canonical_name(dataset), {}))


def make_config(name: str, quick: bool = False, overrides=None, dataset=None):
    """The config of ``name``: the notes' defaults, then the experiment's
    settings for ``dataset`` (``DATASETS``), then ``QUICK`` when ``quick``, then
    ``overrides`` (pairs or a dict of field → value)."""
    mod = get(name)
    cfg = mod.Config()
    fields = {f.name: f for f in dataclasses.fields(cfg)}
    changes = dataset_changes(name, dataset)
    changes.update(dict(mod.QUICK) if quick else {})
    for key, value in dict(overrides or {}).items():
        if key not in fields:
            raise ConfigError(f"{name} has no setting {key!r}; valid keys: {', '.join(fields)}")
        changes[key] = _coerce(key, getattr(mod.Config(), key), value)
    cfg = dataclasses.replace(cfg, **changes)
    check(cfg)
    mod.units(cfg)  # an experiment's own consistency checks
    return cfg


def check(cfg) -> None:
    """Fail early on rule names that trainlab does not have."""
    from trainlab.optim import RULES, create

    rules = list(getattr(cfg, "optimizers", ())) + [getattr(cfg, "optimizer", "sgd")]
    for rule in rules:
        if str(rule).lower().replace("_", "").replace("-", "") not in RULES:
            create(rule)  # raises the one-line error that lists the valid names


def config_from_json(name: str, saved: dict):
    """Rebuild the dataclass from a saved ``config.json`` (unknown keys ignored)."""
    mod = get(name)
    fields = {f.name for f in dataclasses.fields(mod.Config)}
    return dataclasses.replace(
        mod.Config(),
        **{k: _coerce(k, getattr(mod.Config(), k), v) for k, v in saved.items() if k in fields},
    )


def split_overrides(pairs, experiments) -> dict[str, dict]:
    """``--set`` pairs for several experiments: ``key=v`` goes to every experiment
    that has ``key``; ``experiment.key=v`` to that one only."""
    out: dict[str, dict] = {name: {} for name in experiments}
    for key, value in pairs:
        target, dot, field = key.rpartition(".")
        if dot:
            if target not in out:
                raise ConfigError(
                    f"--set {key}: unknown experiment {target!r}; choose one of {', '.join(out)}"
                )
            out[target][field] = value
            continue
        owners = [n for n in out if key in {f.name for f in dataclasses.fields(get(n).Config)}]
        if not owners:
            valid = sorted({f.name for n in out for f in dataclasses.fields(get(n).Config)})
            raise ConfigError(
                f"no experiment has a setting {key!r}; valid keys: {', '.join(valid)}"
            )
        for n in owners:
            out[n][key] = value
    return out


# -- running -----------------------------------------------------------------------------


def _data_meta(data, own=None) -> dict:
    """What data a run used (``own``: an experiment's words for its own input)."""
    if data is None:
        return {
            "name": None,
            "title": own or "randn input",
            "note": f"no data set: {own or 'standard-normal input'}",
            "fallback": False,
            "n_inputs": None,
            "n_classes": None,
        }
    info = data.info
    return {
        "name": info.get("name"),
        "title": info.get("title", info.get("name")),
        "note": info.get("note", ""),
        "fallback": bool(info.get("fallback", False)),
        "n_train": int(info.get("n_train", len(data.x))),
        "n_test": int(info.get("n_test", len(data.x_test))),
        "n_inputs": data.n_inputs,
        "n_classes": data.n_classes,
    }


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
    core), with the same results for any number; see :mod:`trainlab.experiments.batch`.
    """
    from trainlab.experiments.batch import run_many

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


def documents(
    name: str, cfg, metrics: dict, *, meta: dict, data_dir, seeds: int, seed: int, quick: bool
) -> dict:
    """``{"config.json": ..., "metrics.json": ...}`` of a finished run (plain data)."""
    mod = get(name)
    config = {
        "kind": name,
        "title": mod.TITLE,
        "dataset": meta["name"],
        "data_dir": data_dir,
        "data_note": meta["note"],
        "seeds": int(seeds),
        "seed": int(seed),
        "quick": bool(quick),
        **dataclasses.asdict(cfg),
    }
    if hasattr(mod, "evaluation"):
        config["evaluation"] = mod.evaluation(cfg)
    return {"config.json": config, "metrics.json": metrics}


def reads(configs: dict) -> tuple:
    """``(n_train, n_test)``: how many rows of each set the trainings of
    ``configs`` (name → config) read, from the front (``None``: all). An
    experiment that reads a head only says so with ``reads(cfg)``."""
    mods = [(get(n), cfg) for n, cfg in configs.items()]
    need = [m.reads(cfg) if hasattr(m, "reads") else (None, None) for m, cfg in mods if m.TRAINS]
    columns = list(zip(*need, strict=False)) or [(), ()]  # the training rows, the test rows
    return tuple(None if None in col else max(col, default=0) for col in columns)


def parts(name: str, cfg) -> list:
    """The figures of ``name`` that can be drawn apart (``[None]``: all at once)."""
    mod = get(name)
    return list(mod.parts(cfg)) if hasattr(mod, "parts") else [None]


def figures(docs: dict, part=None, *, out) -> None:
    """Write ``docs`` (from :func:`documents`) into the empty folder ``out`` and
    draw the figures of ``part`` there from those files, as :func:`replot` does."""
    from trainlab.io import write_json

    for file, doc in docs.items():
        write_json(Path(out) / file, doc)
    replot(out, part)
    for file in docs:
        (Path(out) / file).unlink()


def is_run(folder: Path) -> bool:
    return (folder / "config.json").is_file() and (folder / "metrics.json").is_file()


def replot(folder, part=None) -> list[Path]:
    """Redraw the figures of a saved experiment run from its JSON files alone
    (``part``: only those of one of :func:`parts`)."""
    from trainlab.io import read_json

    folder = Path(folder)
    config = read_json(folder / "config.json")
    cfg = config_from_json(config["kind"], config)
    metrics = read_json(folder / "metrics.json")
    mod = get(config["kind"])
    if part is None:
        return mod.plot(metrics, cfg, folder)
    return mod.plot(metrics, cfg, folder, part=part)
