"""The flat form of a run: the options of ``trainlab train`` by name, as its parser
holds them and as ``config.json`` held them before :data:`~trainlab.train.spec.SCHEMA` 2.

:func:`from_flat` is the one translation from that form to a
:class:`~trainlab.train.spec.RunSpec`: the command uses it for its flags, and
reading an older run folder uses it once (its ``config.json`` is rewritten in the
new form when the run is resumed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trainlab.errors import ConfigError, DataError
from trainlab.train.spec import (
    DataSpec,
    NetworkSpec,
    OptimizerSpec,
    OutputSpec,
    RunSpec,
    TrainingSpec,
    TransformSpec,
)

#: option name → transformation name, in the order a step applies them
FLAT_TRANSFORMS = {
    "max_grad_norm": "stop_above_norm",
    "clip_norm": "clip_by_norm",
    "clip_value": "clip_by_value",
    "grad_noise": "gradient_noise",
}


def init_value(text: Any) -> Any:
    """``"0.01"`` → 0.01; names such as ``"he"`` stay names."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return text


def from_flat(flat: Mapping[str, Any], epochs: int = 20) -> RunSpec:
    """The spec of the flat options ``flat`` (missing ones take their defaults;
    ``epochs`` where ``flat`` has none)."""
    get = flat.get
    pairs = get("opt") or []
    if not isinstance(pairs, list) or not all(
        isinstance(kv, (list, tuple)) and len(kv) == 2 and isinstance(kv[0], str) for kv in pairs
    ):
        raise ConfigError(f"opt must be a list of [name, value] pairs, got {pairs!r}")
    transforms = tuple(
        TransformSpec(name, flat[key]) for key, name in FLAT_TRANSFORMS.items() if get(key)
    )
    return RunSpec(
        data=DataSpec(
            dataset=get("dataset", "digits"),
            data_dir=get("data_dir"),
            file=get("data_file"),
            target=get("target_column"),
            task=get("task"),
            scale=get("scale", "standard"),
            target_scale=get("target_scale", "standard"),
            test_ratio=get("test_ratio", 0.2),
            split_seed=get("split_seed", 0),
            train_size=get("train_size"),
            val_ratio=get("val_ratio", 0.2),
        ),
        network=NetworkSpec(
            hidden=get("hidden", (100, 100, 100, 100)),
            activation=get("activation", "relu"),
            init=init_value(get("init", "relu")),
            weight_decay=get("weight_decay", 0.0),
            dropout=get("dropout", 0.0),
            dropout_mode=get("dropout_mode", "notes"),
            batchnorm=get("batchnorm", False),
            dtype=get("dtype", "float32"),
        ),
        optimizer=OptimizerSpec(
            rule=get("optimizer", "sgd"),
            lr=get("lr"),
            options=dict(pairs),
            schedule=get("schedule"),
            warmup=get("warmup", 0),
            transforms=transforms,
        ),
        training=TrainingSpec(
            epochs=get("epochs") or epochs,
            iterations=get("iterations"),
            batch_size=get("batch_size", 100),
            seed=get("seed", 0),
            sampling=get("sampling", "shuffle"),
            early_stop=get("early_stop"),
            curriculum=get("curriculum", False),
            track=get("track"),
        ),
        output=OutputSpec(
            out=get("out"),
            quiet=get("quiet", False),
            checkpoint_every=get("checkpoint_every"),
        ),
    )


def read_saved(doc: Any, where: str) -> RunSpec:
    """The spec in a train run's ``config.json`` ``doc``: the current schema, or the
    flat form written before it (a run saved before targets were scaled kept them
    as they were). Anything else is one :class:`DataError` naming ``where``."""
    if isinstance(doc, dict) and "schema" not in doc:
        try:
            return from_flat({"target_scale": "none", **doc})
        except (ConfigError, TypeError) as exc:
            raise DataError(
                f"{where}: {exc}; the file is damaged: restore it or start a new run"
            ) from None
    return RunSpec.from_json(doc, where)


def to_flat(spec: RunSpec) -> dict[str, Any]:
    """The options of ``trainlab train`` that give ``spec`` (the inverse of :func:`from_flat`)."""
    d, n, o, t, out = spec.data, spec.network, spec.optimizer, spec.training, spec.output
    flat = {
        "dataset": d.dataset,
        "data_dir": d.data_dir,
        "data_file": d.file,
        "target_column": d.target,
        "task": d.task,
        "scale": d.scale,
        "target_scale": d.target_scale,
        "test_ratio": d.test_ratio,
        "split_seed": d.split_seed,
        "train_size": d.train_size,
        "val_ratio": d.val_ratio,
        "hidden": list(n.hidden),
        "activation": n.activation,
        "init": str(n.init),
        "weight_decay": n.weight_decay,
        "dropout": n.dropout,
        "dropout_mode": n.dropout_mode,
        "batchnorm": n.batchnorm,
        "dtype": n.dtype,
        "optimizer": o.rule,
        "lr": o.lr,
        "opt": list(o.options.items()),
        "schedule": o.schedule,
        "warmup": o.warmup,
        "epochs": t.epochs,
        "iterations": t.iterations,
        "batch_size": t.batch_size,
        "seed": t.seed,
        "sampling": t.sampling,
        "early_stop": t.early_stop,
        "curriculum": t.curriculum,
        "track": t.track,
        "out": out.out,
        "quiet": out.quiet,
        "checkpoint_every": out.checkpoint_every,
    }
    flat.update({key: o.transform(name) for key, name in FLAT_TRANSFORMS.items()})
    return flat
