"""The notes' trial: train ``MultiLayerNet`` with sampled hyperparameters, score
it on validation data.

The first ``train_size`` training samples are split once, with the study's seed,
into training and validation parts (``val_ratio`` to validation); every trial
sees the same split. A trial is scored by its **final epoch's validation
accuracy**, as in the notes. The test set is never given to a trial.

With ``data`` (a file, see :mod:`trainlab.data.prepared`) the file's own fixed
split (``split_seed``) and scaling are used instead; a regression task trains
on the mean squared error and is scored by the validation R² (1 − MSE / the
variance of the validation targets: on a fixed validation set, the same order
as the MSE, with higher better like an accuracy).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import optuna
from numpy.random import default_rng

from trainlab.data import load_with_info, train_val_split
from trainlab.data.datasets import to_float
from trainlab.train import Data
from trainlab.train.build import Extras, Given, Streams, build, open_file
from trainlab.train.spec import (
    DataSpec,
    NetworkSpec,
    OptimizerSpec,
    OutputSpec,
    RunSpec,
    TrainingSpec,
)
from trainlab.tune.space import split_params
from trainlab.tune.trials import Heartbeat, seed_number


@dataclass(frozen=True)
class Setup:
    """Everything a trial's training needs besides the sampled values."""

    dataset: str = "digits"
    data_dir: str | None = None
    train_size: int | None = 500
    val_ratio: float = 0.2
    hidden: tuple = (100, 100, 100, 100, 100, 100)
    batch_size: int = 100
    epochs: int = 50
    optimizer: str = "sgd"
    seed: int = 0
    data: str | None = None  # a data file instead of ``dataset``
    target_column: str | None = None
    task: str | None = None
    scale: str = "standard"
    split_seed: int = 0
    test_ratio: float = 0.2

    @classmethod
    def of(cls, cfg: dict) -> Setup:
        names = cls.__dataclass_fields__
        kwargs: dict[str, Any] = {
            k: (tuple(v) if k == "hidden" else v) for k, v in cfg.items() if k in names
        }
        return cls(**kwargs)


@functools.lru_cache(maxsize=1)
def load_split(setup: Setup):
    """``(train, val, test, info)``; train and val from the first ``train_size`` samples.

    Only the samples used are converted to float, and a process keeps the last
    setup's data (the search, its workers and the final retraining share it);
    the arrays are read-only."""
    if setup.data:
        return _file_split(setup)
    ((x, t), (x_test, t_test)), info = load_with_info(
        setup.dataset, data_dir=setup.data_dir, normalize=False
    )
    if setup.train_size:
        x, t = x[: setup.train_size], t[: setup.train_size]
    x, x_test = to_float(x, info["scale"]), to_float(x_test, info["scale"])
    rng = np.random.default_rng(np.random.SeedSequence([setup.seed, 0]))
    train, val = train_val_split(x, t, setup.val_ratio, rng)
    for a in (*train, *val, x_test, t_test):
        a.flags.writeable = False
    return train, val, (x_test, t_test), info


def _file_split(setup: Setup):
    assert setup.data is not None  # only called for a data file
    data = DataSpec(
        file=setup.data,
        target=setup.target_column,
        task=setup.task,
        scale=setup.scale,
        target_scale="none",  # scored by R² on the targets as they are
        test_ratio=setup.test_ratio,
        split_seed=setup.split_seed,
        train_size=setup.train_size,
        val_ratio=setup.val_ratio,
    )
    p = open_file(data, setup.batch_size)
    assert p.val is not None  # a search always holds out validation rows
    for a in (*p.train, *p.val, *p.test):
        a.flags.writeable = False
    info = {**p.info, "n_classes": p.info["n_outputs"], "split": p.split_record()}  # output units
    return p.train, p.val, p.test, info


def train_once(setup: Setup, params: dict, train, val, number: int, info: dict, callbacks=()):
    """Train one network with ``params``; its seed is ``(setup.seed, number)``.
    ``info`` is the data's (its classes or outputs, its task).
    Returns the finished :class:`~trainlab.train.Trainer` (history on validation)."""
    net_kw, trainer_kw, rule_kw = split_params(params)
    (x, t), (xv, tv) = train, val
    run = RunSpec(
        network=NetworkSpec(
            hidden=tuple(setup.hidden),
            weight_decay=net_kw.get("weight_decay_lambda", 0.0),
            dropout=net_kw.get("dropout_ratio", 0.0),
        ),
        optimizer=OptimizerSpec(setup.optimizer, lr=rule_kw.pop("lr", None), options=rule_kw),
        training=TrainingSpec(
            setup.epochs, batch_size=trainer_kw.get("mini_batch_size", setup.batch_size)
        ),
        output=OutputSpec(quiet=True),
    )
    init_ss, batch_ss = np.random.SeedSequence([setup.seed, 1, number]).spawn(2)
    trainer = build(
        run,
        given=Given(Data(x, t, x_val=xv, t_val=tv), info["n_classes"], info.get("task")),
        streams=Streams(weights=default_rng(init_ss), batches=default_rng(batch_ss)),
        extras=Extras(callbacks=callbacks),
    ).trainer
    trainer.train()
    return trainer


class _Report:
    """Trainer callback: report each epoch's validation accuracy; stop if pruned."""

    def __init__(self, trial):
        self.trial, self.pruned = trial, False

    def on_epoch_end(self, trainer, epoch, record):
        self.trial.report(record["val_acc"], epoch)
        self.pruned = self.trial.should_prune()
        return self.pruned


class Objective:
    """``objective(trial)`` → final validation accuracy; curves kept in user attrs.
    With ``report``, each epoch's accuracy goes to the pruner."""

    def __init__(self, setup: Setup, report: bool = True):
        self.setup, self.report = setup, report
        self.train, self.val, _test, self.info = load_split(setup)  # the test set: dropped

    def __call__(self, trial) -> float:
        params = dict(trial.params)  # drawn when the trial was created
        report = _Report(trial)
        callbacks = (report, Heartbeat(trial)) if self.report else (Heartbeat(trial),)
        trainer = train_once(
            self.setup,
            params,
            self.train,
            self.val,
            seed_number(trial),
            self.info,
            callbacks=callbacks,
        )
        h = trainer.history
        trial.set_user_attr("val_acc", [float(v) for v in h["val_acc"]])
        trial.set_user_attr("train_acc", [float(v) for v in h["train_acc"]])
        trial.set_user_attr("seconds", round(trainer.elapsed, 4))
        if report.pruned:
            raise optuna.TrialPruned(f"pruned at epoch {trainer.current_epoch}")
        return float(h["val_acc"][-1])
