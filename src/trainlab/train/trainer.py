"""The training loop: mini-batches → ``net.gradient`` → ``optimizer.update`` → metrics.

Like the book's ``common/trainer.py``, with explicit randomness, per-epoch
shuffling, a validation set, learning-rate schedules and a progress bar.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from trainlab.data.batching import epoch_indices
from trainlab.errors import ConfigError, DivergenceError
from trainlab.optim import Optimizer, create


def _subset(x, t, n):
    if x is None or n is None or n >= x.shape[0]:
        return x, t
    return x[:n], t[:n]


class Trainer:
    """Train ``network`` on ``(x_train, t_train)``.

    Args:
        network: a :class:`trainlab.nn.MultiLayerNet` (anything with ``params``,
            ``gradient``, ``evaluate``).
        x_test, t_test: held-out test data (optional). As in the book, they are
            the 4th and 5th positional arguments.
        x_val, t_val: validation data (optional); tune on these, never on test.
        epochs: passes over the training data; ``iterations`` overrides it with
            an exact number of steps (the book's 2000-iteration comparisons).
        mini_batch_size: samples per step.
        optimizer: a name for :func:`trainlab.optim.create` or an optimizer object.
        optimizer_param: keyword arguments for ``create`` (e.g. ``{'lr': 0.01}``).
        schedule: ``None`` or an object with ``lr_at(epoch)`` and
            ``observe(epoch, metric)`` (see :mod:`trainlab.optim.schedules`).
        shuffle, replacement: how batches are drawn (see
            :func:`trainlab.data.batching.epoch_indices`); by default a fresh
            permutation every epoch.
        evaluate_sample_num_per_epoch: evaluate on at most this many samples
            of each set (faster; ``None`` uses all).
        rng: ``numpy.random.Generator`` for batch order; ``None`` → ``default_rng(0)``.
        progress: ``True`` shows a bar, ``False`` hides it, ``None`` (default)
            shows it only on a terminal.
        callbacks: objects with optional ``on_step(trainer, it, loss)`` and
            ``on_epoch_end(trainer, epoch, record)`` methods; ``on_epoch_end``
            may return ``True`` to stop training.
    """

    def __init__(self, network, x_train, t_train, x_test=None, t_test=None, *,
                 x_val=None, t_val=None, epochs: int = 20, iterations: int | None = None,
                 mini_batch_size: int = 100, optimizer="sgd", optimizer_param=None,
                 schedule=None, shuffle: bool = True, replacement: bool = False,
                 evaluate_sample_num_per_epoch: int | None = None, rng=None,
                 progress: bool | None = None, callbacks=()):
        if int(epochs) != epochs or epochs < 1:
            raise ConfigError(f"epochs must be a positive integer, got {epochs}")
        if iterations is not None and (int(iterations) != iterations or iterations < 1):
            raise ConfigError(f"iterations must be a positive integer, got {iterations}")
        if int(mini_batch_size) != mini_batch_size or mini_batch_size < 1:
            raise ConfigError(f"mini_batch_size must be a positive integer, got {mini_batch_size}")
        if len(x_train) != len(t_train):
            raise ConfigError(f"x_train has {len(x_train)} samples but t_train has {len(t_train)}")
        if len(x_train) == 0:
            raise ConfigError("the training set is empty")
        self.network = network
        self.x_train, self.t_train = x_train, t_train
        self.x_val, self.t_val = x_val, t_val
        self.x_test, self.t_test = x_test, t_test
        self.batch_size = int(min(mini_batch_size, len(x_train)))
        self.shuffle, self.replacement = shuffle, replacement
        self.rng = np.random.default_rng(0) if rng is None else rng
        self.iter_per_epoch = len(epoch_indices(len(x_train), self.batch_size, self.rng,
                                                shuffle=False, replacement=replacement))
        if iterations is not None:
            epochs = math.ceil(iterations / self.iter_per_epoch)
        self.epochs, self.iterations = int(epochs), iterations
        self.max_iter = iterations if iterations is not None else epochs * self.iter_per_epoch
        if isinstance(optimizer, Optimizer):
            if optimizer_param:
                raise ConfigError("optimizer_param is only used with an optimizer name")
            self.optimizer = optimizer
        else:
            self.optimizer = create(optimizer, **(optimizer_param or {}))
        self.base_lr = self.optimizer.lr
        self.schedule = schedule
        self.eval_n = evaluate_sample_num_per_epoch
        self.progress = progress
        self.callbacks = list(callbacks)
        self.history = {"train_loss": [], "epoch": [], "lr": [], "time": [],
                        "train_loss_epoch": [], "train_acc": [], "val_loss": [], "val_acc": [],
                        "test_loss": [], "test_acc": []}
        self.current_iter = 0
        self.current_epoch = 0
        self.elapsed = 0.0

    # -- book-compatible names ---------------------------------------------------------
    @property
    def train_loss_list(self):
        return self.history["train_loss"]

    @property
    def train_acc_list(self):
        return self.history["train_acc"]

    @property
    def test_acc_list(self):
        """Accuracy on the held-out set the book calls "test" (validation if given)."""
        return self.history["val_acc"] if self.x_val is not None else self.history["test_acc"]

    # -- evaluation -------------------------------------------------------------------
    def evaluate(self) -> dict:
        """Loss and accuracy on train, validation and test (subsets if asked)."""
        h, net = self.history, self.network
        record = {"epoch": self.current_epoch}
        for name, x, t in (("train", self.x_train, self.t_train), ("val", self.x_val, self.t_val),
                           ("test", self.x_test, self.t_test)):
            if x is None:
                continue
            xs, ts = _subset(x, t, self.eval_n)
            loss, acc = net.evaluate(xs, ts)
            record[f"{name}_loss"], record[f"{name}_acc"] = loss, acc
            key = "train_loss_epoch" if name == "train" else f"{name}_loss"
            h[key].append(loss)
            h[f"{name}_acc"].append(acc)
        h["epoch"].append(self.current_epoch)
        h["lr"].append(self.optimizer.lr)
        h["time"].append(self.elapsed)
        return record

    # -- training ---------------------------------------------------------------------
    def _bar(self):
        show = self.progress
        if show is None:
            show = sys.stderr.isatty()
        if not show:
            return None
        from tqdm.auto import tqdm

        return tqdm(total=self.max_iter, unit="it", leave=False, dynamic_ncols=True,
                    desc=type(self.optimizer).__name__)

    def train_step(self, xb, tb) -> float:
        net = self.network
        grads = net.gradient(xb, tb)
        loss = net.last_loss
        if not math.isfinite(loss):
            raise DivergenceError(
                f"loss is {loss} at step {self.current_iter + 1} (epoch {self.current_epoch + 1}, "
                f"lr {self.optimizer.lr:g}); lower the learning rate")
        self.optimizer.update(net.params, grads)
        return loss

    def train(self) -> dict:
        """Run the whole training; returns the history (also in ``self.history``)."""
        if self.current_iter == 0 and not self.history["epoch"]:
            self.evaluate()
        bar = self._bar()
        x, t, losses = self.x_train, self.t_train, self.history["train_loss"]
        try:
            while self.current_epoch < self.epochs and self.current_iter < self.max_iter:
                if self.schedule is not None:
                    self.optimizer.lr = self.schedule.lr_at(self.current_epoch)
                start = time.perf_counter()
                for idx in epoch_indices(len(x), self.batch_size, self.rng,
                                         shuffle=self.shuffle, replacement=self.replacement):
                    if self.current_iter >= self.max_iter:
                        break
                    loss = self.train_step(x[idx], t[idx])
                    self.current_iter += 1
                    losses.append(loss)
                    for cb in self.callbacks:
                        if hasattr(cb, "on_step"):
                            cb.on_step(self, self.current_iter, loss)
                    if bar is not None:
                        bar.update(1)
                self.elapsed += time.perf_counter() - start
                self.current_epoch += 1
                record = self.evaluate()
                if bar is not None:
                    shown = {k: f"{v:.3f}" for k, v in record.items() if k.endswith("acc")}
                    bar.set_postfix(epoch=self.current_epoch, **shown)
                if self.schedule is not None:
                    metric = record.get("val_acc", record.get("train_acc"))
                    self.schedule.observe(self.current_epoch - 1, metric)
                stop = False
                for cb in self.callbacks:
                    if hasattr(cb, "on_epoch_end") and cb.on_epoch_end(self, self.current_epoch,
                                                                       record):
                        stop = True
                if stop:
                    break
        finally:
            if bar is not None:
                bar.close()
        return self.history
