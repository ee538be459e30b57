"""Every experiment of the notes by name, and its configuration.

Each experiment is one :class:`~trainlab.experiments.experiment.Experiment`
value, imported here by name, in the notes' order. :func:`make_config` builds
a run's config: the notes' defaults, then the experiment's settings for the
data set, then ``--quick``, then ``--set``. Running them is
:mod:`trainlab.experiments.batch`; their run folders,
:mod:`trainlab.experiments.folder`.
"""

from __future__ import annotations

import dataclasses

from trainlab.data.datasets import canonical_name
from trainlab.errors import ConfigError
from trainlab.experiments import (
    adaptive_separable,
    adaptive_vs_sgd,
    batch_size,
    batchnorm,
    init_compare,
    init_histogram,
    lecture_additions,
    loss_surface,
    lr_diagnosis,
    optimizer_compare,
    overfit,
)
from trainlab.experiments.experiment import Experiment
from trainlab.optim import RULES, create
from trainlab.validate import parse_scalar

#: experiment name → experiment, in the notes' order
EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (
        optimizer_compare.EXPERIMENT,
        init_histogram.EXPERIMENT,
        init_compare.EXPERIMENT,
        batchnorm.EXPERIMENT,
        overfit.EXPERIMENT,
        batch_size.EXPERIMENT,
        adaptive_vs_sgd.EXPERIMENT,
        adaptive_separable.EXPERIMENT,
        lecture_additions.EXPERIMENT,
        lr_diagnosis.EXPERIMENT,
        loss_surface.EXPERIMENT,
    )
}


def names() -> list[str]:
    return list(EXPERIMENTS)


def get(name: str) -> Experiment:
    """Experiment ``name``."""
    if name not in EXPERIMENTS:
        raise ConfigError(
            f"unknown experiment {name!r}; choose one of {', '.join(EXPERIMENTS)} or all"
        )
    return EXPERIMENTS[name]


def sources_help() -> str:
    """For ``trainlab run --help``: each experiment, the notes' figure and the
    book's section and script it rebuilds, and its settings that differ by data set."""
    lines = ["experiments (what each rebuilds):"]
    for name, experiment in EXPERIMENTS.items():
        s = experiment.source
        script = s.script or "no script in the book"
        lines.append(f"  {name}: {s.notes}; book {s.book}; {script}")
        for data, changes in experiment.datasets.items():
            shown = ", ".join(f"{k}={v}" for k, v in changes.items())
            lines.append(f"      on {data}: {shown}")
    lines.append("the report lists, per run, every setting that differs from the notes' and why")
    return "\n".join(lines)


# -- configuration -----------------------------------------------------------------------


def coerce(name: str, default, value):
    """``value`` (from the command line or JSON) as the type of ``default``."""

    def bad(what):
        return ConfigError(f"--set {name}={value!r}: expected {what}")

    if isinstance(default, tuple):
        return _coerce_items(name, default, value)
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


def _coerce_items(name: str, default: tuple, value) -> tuple:
    """A list setting: ``value`` split at commas, each item as the type of the defaults'."""
    items = (
        value.split(",")
        if isinstance(value, str)
        else (list(value) if isinstance(value, (list, tuple)) else [value])
    )
    items = [parse_scalar(i) if isinstance(i, str) else i for i in items if str(i).strip() != ""]
    if default and len({type(d) for d in default}) == 1:  # one type: coerce every item
        return tuple(coerce(name, default[0], i) for i in items)
    return tuple(items)


def dataset_changes(name: str, dataset=None) -> dict:
    """The fields experiment ``name`` sets differently from the notes on ``dataset``."""
    if not dataset:
        return {}
    return dict(get(name).datasets.get(canonical_name(dataset), {}))


def setting_names(name: str) -> list[str]:
    """The settings of experiment ``name``."""
    return [f.name for f in dataclasses.fields(get(name).config)]


def make_config(name: str, quick: bool = False, overrides=None, dataset=None):
    """The config of ``name``: the notes' defaults, then the experiment's
    settings for ``dataset`` (``datasets``), then ``quick`` when ``quick``, then
    ``overrides`` (pairs or a dict of field → value)."""
    experiment = get(name)
    cfg = experiment.config()
    fields = setting_names(name)
    changes = dataset_changes(name, dataset)
    changes.update(dict(experiment.quick) if quick else {})
    for key, value in dict(overrides or {}).items():
        if key not in fields:
            raise ConfigError(f"{name} has no setting {key!r}; valid keys: {', '.join(fields)}")
        changes[key] = coerce(key, getattr(experiment.config(), key), value)
    cfg = dataclasses.replace(cfg, **changes)
    check(cfg)
    experiment.units(cfg)  # an experiment's own consistency checks
    return cfg


def check(cfg) -> None:
    """Fail early on rule names that trainlab does not have."""
    rules = list(getattr(cfg, "optimizers", ())) + [getattr(cfg, "optimizer", "sgd")]
    for rule in rules:
        if str(rule).lower().replace("_", "").replace("-", "") not in RULES:
            create(rule)  # raises the one-line error that lists the valid names


def config_from_json(name: str, saved: dict):
    """Rebuild the dataclass from a saved ``config.json`` (unknown keys ignored)."""
    notes = get(name).config()
    fields = setting_names(name)
    return dataclasses.replace(
        notes, **{k: coerce(k, getattr(notes, k), v) for k, v in saved.items() if k in fields}
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
        owners = [n for n in out if key in setting_names(n)]
        if not owners:
            valid = sorted({s for n in out for s in setting_names(n)})
            raise ConfigError(
                f"no experiment has a setting {key!r}; valid keys: {', '.join(valid)}"
            )
        for n in owners:
            out[n][key] = value
    return out
