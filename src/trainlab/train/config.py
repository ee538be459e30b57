"""What a :class:`trainlab.train.Trainer` is given: the data, and its settings in one place.

>>> import numpy as np
>>> data = Data(np.zeros((8, 4)), np.zeros(8, dtype=int))
>>> config = TrainConfig(epochs=2, mini_batch_size=4, clip_norm=5.0)
>>> [type(t).__name__ for t in config.gradient_transforms()]
['clip_by_norm']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.transforms import (
    Transformation,
    clip_by_norm,
    clip_by_value,
    stop_above_norm,
)
from trainlab.validate import check_count, check_positive

SAMPLING = ("shuffle", "replacement", "sequential")


@dataclass
class Data:
    """The arrays to train on: ``(x_train, t_train)``, and optionally a validation
    set (tune on it, never on test) and a held-out test set."""

    x_train: Any
    t_train: Any
    x_test: Any = None
    t_test: Any = None
    x_val: Any = None
    t_val: Any = None

    def __post_init__(self):
        if len(self.x_train) != len(self.t_train):
            raise ConfigError(
                f"x_train has {len(self.x_train)} samples but t_train has {len(self.t_train)}"
            )
        if len(self.x_train) == 0:
            raise ConfigError("the training set is empty")

    def sets(self, limit: int | None = None):
        """``(name, x, t)`` for train, val and test, the sets that are given
        (their first ``limit`` samples, if a limit is given)."""
        return [
            (name, x[:limit], t[:limit])
            for name, x, t in (
                ("train", self.x_train, self.t_train),
                ("val", self.x_val, self.t_val),
                ("test", self.x_test, self.t_test),
            )
            if x is not None
        ]


@dataclass
class TrainConfig:
    """How to train; every field is checked here, when the config is made.

    Attributes:
        epochs: passes over the training data; ``iterations`` overrides it with
            an exact number of steps (the book's 2000-iteration comparisons).
        mini_batch_size: samples per step.
        sampling: ``'shuffle'`` (a fresh permutation every epoch, the default),
            ``'replacement'`` (the book's ``np.random.choice`` batches) or
            ``'sequential'`` (data order); see
            :func:`trainlab.data.batching.epoch_indices`.
        schedule: ``None`` or an object with ``lr_at(epoch)`` and
            ``observe(epoch, metric)`` (see :mod:`trainlab.optim.schedules`).
        evaluate_sample_num_per_epoch: evaluate on at most this many samples
            of each set (faster; ``None`` uses all).
        rng: ``numpy.random.Generator`` for batch order; ``None`` → ``default_rng(0)``.
        progress: ``True`` shows a bar, ``False`` hides it, ``None`` shows it
            only on a terminal.
        callbacks: objects with optional ``on_step(trainer, it, loss)``,
            ``on_epoch_end(trainer, epoch, record)`` (may return ``True`` to
            stop) and ``on_train_end(trainer)``; see :mod:`trainlab.train.callbacks`.
        early_stop: patience in epochs: stop when the validation accuracy has
            not improved for that long, and restore the best parameters.
        curriculum: a :class:`trainlab.train.curriculum.Curriculum` (or an array
            of per-sample difficulty scores): each epoch trains on a pool of the
            easiest samples that widens to the whole set.
        max_grad_norm, clip_norm, clip_value, transforms: gradient
            transformations that join the front of the optimizer's chain
            (:meth:`trainlab.optim.Optimizer.with_transforms`), in this order:
            stop with :class:`DivergenceError` when the gradient norm exceeds
            ``max_grad_norm``, clip by the global L2 norm, clip element-wise,
            then ``transforms`` (of :mod:`trainlab.optim.transforms`, in the
            order given; their state is in the optimizer's checkpoints).
        blowup: stop with :class:`DivergenceError` when a mini-batch loss
            exceeds this many times the loss before training (``trainlab train``
            uses 10: a loss that grew by an order of magnitude means the
            learning rate is too high, as a NaN does); None never stops.
        monitor: record per-epoch activation statistics of each hidden layer
            on a probe batch (the first ``probe_size`` training samples) and the
            per-layer gradient norms, in ``history['activations']`` and
            ``history['grad_norm']``.
        checkpoint_dir, checkpoint_every: save a checkpoint (see
            :mod:`trainlab.train.checkpoint`) every that many epochs and on
            ``request_stop``; ``checkpoint_every=None`` saves only then.
    """

    epochs: int = 20
    iterations: int | None = None
    mini_batch_size: int = 100
    sampling: str = "shuffle"
    schedule: Any = None
    evaluate_sample_num_per_epoch: int | None = None
    rng: np.random.Generator | None = None
    progress: bool | None = None
    callbacks: Sequence = ()
    early_stop: int | None = None
    curriculum: Any = None
    max_grad_norm: float | None = None
    clip_norm: float | None = None
    clip_value: float | None = None
    transforms: Sequence = field(default_factory=tuple)
    blowup: float | None = None
    monitor: bool = False
    probe_size: int = 256
    checkpoint_dir: Any = None
    checkpoint_every: int | None = None

    def __post_init__(self):
        self.epochs = check_count("epochs", self.epochs)
        self.iterations = _optional(check_count, "iterations", self.iterations)
        self.mini_batch_size = check_count("mini_batch_size", self.mini_batch_size)
        if self.sampling not in SAMPLING:
            raise ConfigError(
                f"unknown sampling {self.sampling!r}; choose one of {', '.join(SAMPLING)}"
            )
        self.evaluate_sample_num_per_epoch = _optional(
            check_count, "evaluate_sample_num_per_epoch", self.evaluate_sample_num_per_epoch
        )
        self.early_stop = _optional(check_count, "early_stop", self.early_stop)
        for name in ("max_grad_norm", "clip_norm", "clip_value", "blowup"):
            setattr(self, name, _optional(check_positive, name, getattr(self, name)))
        self.probe_size = check_count("probe_size", self.probe_size)
        self.checkpoint_every = _optional(check_count, "checkpoint_every", self.checkpoint_every)
        if self.checkpoint_every and self.checkpoint_dir is None:
            raise ConfigError("checkpoint_every needs a checkpoint_dir")
        self.callbacks, self.transforms = list(self.callbacks), list(self.transforms)
        if not all(isinstance(t, Transformation) for t in self.transforms):
            raise ConfigError(
                "transforms must be gradient transformations of trainlab.optim.transforms"
            )
        self.monitor = bool(self.monitor)

    def gradient_transforms(self) -> list[Transformation]:
        """The transformations of every step, fresh, in the order they run."""
        built: list[Transformation] = []
        if self.max_grad_norm is not None:
            built.append(stop_above_norm(self.max_grad_norm))
        if self.clip_norm is not None:
            built.append(clip_by_norm(self.clip_norm))
        if self.clip_value is not None:
            built.append(clip_by_value(self.clip_value))
        return [*built, *self.transforms]


def _optional(check, name, value):
    return None if value is None else check(name, value)
