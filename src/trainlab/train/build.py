"""From a :class:`~trainlab.train.spec.RunSpec` to a ready :class:`Trainer`: the one builder.

``build(spec)`` reads the data, makes the network, the update rule with its
schedule and gradient transformations, and the trainer, with every random
stream drawn from ``spec.training.seed``::

    seeds = SeedSequence(seed).spawn(5)   # split, weights and dropout, batches,
                                          # gradient noise, curriculum's reference model

Every training of trainlab is built here. A caller whose data or random streams
come from elsewhere (a search trial's fixed split, an experiment's subset and
its own seeds) says so: ``build(spec, given=Given(Data(x, t), n_outputs=10),
streams=Streams(weights=rng, batches=rng))``; settings that no run folder
records (callbacks, a lighter evaluation) go in :class:`Extras`. The loss, the
metric and any target scaling are chosen here once, from the data's task.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.data import load_with_info, train_val_split
from trainlab.data.prepared import Prepared, open_data
from trainlab.errors import ConfigError
from trainlab.nn import MultiLayerNet
from trainlab.optim import Optimizer, create, takes_closure
from trainlab.optim.partition import Partition
from trainlab.optim.schedules import make_schedule
from trainlab.optim.transforms import add_noise, clip_by_norm, clip_by_value, stop_above_norm
from trainlab.train.config import Data, TrainConfig
from trainlab.train.curriculum import Curriculum, difficulty_scores
from trainlab.train.doctor import BLOWUP
from trainlab.train.sharpness import SharpnessTracker
from trainlab.train.spec import DataSpec, NetworkSpec, OptimizerSpec, RunSpec
from trainlab.train.trainer import Trainer


@dataclass(frozen=True)
class Given:
    """Arrays already in memory, trained on instead of ``spec.data``: the sets, the
    number of outputs (classes, or regression targets), the task, and optionally a
    network of the caller's own instead of ``spec.network``'s."""

    data: Data
    n_outputs: int
    task: str | None = "classification"
    network: Any = None


@dataclass(frozen=True)
class Streams:
    """The random streams of a run; each one not given is drawn from the seed."""

    split: np.random.Generator | None = None
    weights: np.random.Generator | None = None  # and dropout's masks
    batches: np.random.Generator | None = None
    noise: np.random.Generator | None = None
    curriculum: np.random.Generator | None = None  # its reference model

    def drawn(self, seed: int) -> dict[str, np.random.Generator]:
        """Each stream by name: the one given, or one drawn from ``seed`` (the
        order above is the order of ``SeedSequence(seed).spawn``)."""
        drawn = np.random.SeedSequence(seed).spawn(len(fields(self)))
        streams = {}
        for f, s in zip(fields(self), drawn, strict=True):
            given = getattr(self, f.name)
            streams[f.name] = np.random.default_rng(s) if given is None else given
        return streams


@dataclass(frozen=True)
class Extras:
    """Trainer settings no run folder records: callbacks, how many samples of each set
    an epoch's evaluation uses (None: all), whether to record activation statistics
    (``monitor``) and the blow-up stop (see :class:`~trainlab.train.config.TrainConfig`)."""

    callbacks: Sequence = ()
    evaluate_samples: int | None = None
    monitor: bool = False
    blowup: float | None = None


#: what ``trainlab train`` records and when it stops
TRAIN = Extras(monitor=True, blowup=BLOWUP)


@dataclass
class Built:
    """What :func:`build` made: the trainer (with its network, data and optimizer),
    the data's description, and a ``--data`` file's split and scaling."""

    trainer: Trainer
    info: dict
    prepared: Prepared | None = None


def loss_of(task: str | None) -> str:
    """The loss a task trains on: the mean squared error for a regression."""
    return "mse" if task == "regression" else "cross_entropy"


def open_file(data: DataSpec, batch_size: int, dtype: Any = np.float32) -> Prepared:
    """A ``--data`` file of ``data``, split and scaled as it says."""
    assert data.file is not None  # only called for a file
    return open_data(
        data.file,
        target=data.target,
        task=data.task,
        scale=data.scale,
        test_ratio=data.test_ratio,
        seed=data.split_seed,
        val_ratio=data.val_ratio,
        batch_size=batch_size,
        limit=data.train_size,
        dtype=np.dtype(dtype),
        target_scale=data.target_scale,
    )


def load(spec: RunSpec, split_rng: np.random.Generator, prepared: Prepared | None = None):
    """``(Data, info, prepared)``: a named data set's first ``train_size`` samples with
    ``val_ratio`` held out by ``split_rng``, or a file's own split (``prepared``, when
    already opened, is used as it is)."""
    data, dtype = spec.data, np.dtype(spec.network.dtype)
    x_val = t_val = None
    if data.file:
        prepared = prepared or open_file(data, spec.training.batch_size, dtype)
        (x_train, t_train), (x_test, t_test) = prepared.train, prepared.test
        if prepared.val is not None:
            x_val, t_val = prepared.val
        info = prepared.info
    else:
        ((x_train, t_train), (x_test, t_test)), info = load_with_info(
            data.dataset, data_dir=data.data_dir
        )
        if data.train_size:
            x_train, t_train = x_train[: data.train_size], t_train[: data.train_size]
        if data.val_ratio > 0:
            (x_train, t_train), (x_val, t_val) = train_val_split(
                x_train, t_train, data.val_ratio, split_rng
            )

    def cast(x):
        return None if x is None else x.astype(dtype, copy=False)

    arrays = Data(cast(x_train), t_train, cast(x_test), t_test, x_val=cast(x_val), t_val=t_val)
    return arrays, info, prepared


def network(spec: NetworkSpec, n_inputs: int, n_outputs: int, task, rng) -> MultiLayerNet:
    """The notes' network of ``spec``, its loss chosen from the task."""
    return MultiLayerNet(
        n_inputs,
        list(spec.hidden),
        n_outputs,
        loss=loss_of(task),
        activation=spec.activation,
        weight_init_std=spec.init,
        weight_decay_lambda=spec.weight_decay,
        use_dropout=spec.dropout > 0,
        dropout_ratio=spec.dropout or 0.5,
        dropout_mode=spec.dropout_mode,
        use_batchnorm=spec.batchnorm,
        dtype=np.dtype(spec.dtype),
        rng=rng,
    )


def optimizer(spec: OptimizerSpec, epochs: int, noise_rng) -> tuple[Optimizer, Any]:
    """The rule (a :class:`Partition` when the spec gives other rules to some
    parameters; a closure rule such as LBFGS alone), with the spec's gradient
    transformations first in its chain (in their order; the noise drawn from
    ``noise_rng``), and its schedule."""
    made = {
        "stop_above_norm": stop_above_norm,
        "clip_by_norm": clip_by_norm,
        "clip_by_value": clip_by_value,
        "gradient_noise": lambda eta: add_noise(eta, rng=noise_rng),
    }
    rule = spec.create()
    if takes_closure(rule):
        if spec.partitions or spec.transforms:
            raise ConfigError(
                f"{spec.rule} steps with a closure on all the parameters; it takes "
                "no partitions and no gradient transformations (clipping, noise, norm stop)"
            )
        return rule, _schedule(spec, rule, epochs)
    if spec.partitions:
        others = [(p.params, create(p.rule, **p.options)) for p in spec.partitions]
        rule = Partition([*others, ("*", rule)])
    rule.with_transforms(*(made[t.name](t.value) for t in spec.transforms))
    return rule, _schedule(spec, rule, epochs)


def _schedule(spec: OptimizerSpec, rule, epochs: int):
    """The spec's learning-rate schedule from the rule's lr, or None."""
    if not spec.schedule:
        return None
    return make_schedule(spec.schedule, rule.lr, epochs, warmup=spec.warmup)


def build(
    spec: RunSpec,
    out: Path | None = None,
    prepared: Prepared | None = None,
    *,
    given: Given | None = None,
    streams: Streams = Streams(),
    extras: Extras = TRAIN,
) -> Built:
    """Data, network, optimizer and trainer of ``spec``; checkpoints go to ``out``.
    ``given``: data (and a network) in memory; ``streams``: random streams of the
    caller's own; ``extras``: trainer settings beyond the spec."""
    rng = streams.drawn(spec.training.seed)
    rule, schedule = optimizer(spec.optimizer, spec.training.epochs, rng["noise"])
    if given is None:
        data, info, prepared = load(spec, rng["split"], prepared)
    else:
        data, info = given.data, {"task": given.task, "n_outputs": given.n_outputs}
    task = info.get("task")
    if task == "regression" and spec.training.curriculum:
        raise ConfigError(
            "--curriculum ranks samples by a classifier's loss; drop it for a regression task"
        )
    net = given.network if given is not None else None
    if net is None:
        n_outputs = info.get("n_outputs") or info["n_classes"]
        net = network(spec.network, data.x_train.shape[1], n_outputs, task, rng["weights"])
    curriculum = None
    if spec.training.curriculum:
        scores = difficulty_scores(data.x_train, data.t_train, rng["curriculum"])
        curriculum = Curriculum(scores)
    config = trainer_config(spec, schedule, curriculum, rng["batches"], extras, out)
    return Built(Trainer(net, data, rule, config), info, prepared)


def trainer_config(
    spec: RunSpec, schedule, curriculum, batches, extras: Extras, out: Path | None
) -> TrainConfig:
    """The trainer's settings: the spec's training and output (its gradient
    transformations are in the rule's chain), the schedule and curriculum built
    for it, the batch stream, and ``extras``."""
    t = spec.training
    return TrainConfig(
        epochs=t.epochs,
        iterations=t.iterations,
        mini_batch_size=t.batch_size,
        schedule=schedule,
        evaluate_sample_num_per_epoch=extras.evaluate_samples,
        rng=batches,
        progress=False if spec.output.quiet else None,
        sampling=t.sampling,
        early_stop=t.early_stop,
        curriculum=curriculum,
        blowup=extras.blowup,
        monitor=extras.monitor,
        checkpoint_dir=out,
        checkpoint_every=spec.output.checkpoint_every,
        callbacks=[*extras.callbacks, *([SharpnessTracker()] if t.track == "sharpness" else [])],
    )
