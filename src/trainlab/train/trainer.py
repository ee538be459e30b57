"""The training loop: mini-batches → ``net.gradient`` → ``optimizer.update`` → metrics.

Like the book's ``common/trainer.py``, with explicit randomness, per-epoch
shuffling, a validation set, learning-rate schedules and a progress bar; plus
the notes' extra techniques (sampling modes, early stopping, curriculum,
gradient clipping), divergence caught at the step where it happens, the
statistics the doctor reads, and checkpoints that resume bit for bit.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from trainlab.data.batching import epoch_indices
from trainlab.errors import ConfigError, DivergenceError
from trainlab.optim import Optimizer, create
from trainlab.train.activations import activation_stats, blame_layer, layer_grad_norms
from trainlab.train.callbacks import EarlyStopping
from trainlab.train.clipping import clip_by_norm, clip_by_value, grad_buffers, grad_norm

SAMPLING = ("shuffle", "replacement", "sequential")


class TrainingInterrupted(KeyboardInterrupt):
    """Training stopped on request (Ctrl-C) between two steps, after saving a checkpoint."""


def _subset(x, t, n):
    if x is None or n is None or n >= x.shape[0]:
        return x, t
    return x[:n], t[:n]


def _positive(name, value, integer=False):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not (
            math.isfinite(value) and value > 0) or (integer and int(value) != value):
        kind = "a positive integer" if integer else "a finite number > 0"
        raise ConfigError(f"{name} must be {kind}, got {value!r}")
    return int(value) if integer else float(value)


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
        callbacks: objects with optional ``on_step(trainer, it, loss)``,
            ``on_epoch_end(trainer, epoch, record)`` (may return ``True`` to
            stop training) and ``on_train_end(trainer)`` methods; see
            :mod:`trainlab.train.callbacks`.

    The notes' extra techniques, all off by default:

        sampling: ``'shuffle'`` (a fresh permutation every epoch, the default),
            ``'replacement'`` (the book's ``np.random.choice`` batches) or
            ``'sequential'`` (data order); overrides ``shuffle``/``replacement``.
        early_stop: patience in epochs: stop when the validation accuracy has
            not improved for that long, and restore the best parameters.
        curriculum: a :class:`trainlab.train.curriculum.Curriculum` (or an array
            of per-sample difficulty scores): each epoch trains on a pool of the
            easiest samples that widens to the whole set.
        clip_norm, clip_value: clip the gradient buffer by its global L2 norm
            or element-wise, in place, before each update.
        max_grad_norm: stop with :class:`DivergenceError` when the gradient
            norm of a step exceeds this (a NaN/inf loss always stops).
        monitor: record per-epoch activation statistics of each hidden layer
            on a fixed probe batch (the first ``probe_size`` training samples)
            and the per-layer gradient norms of each epoch's last step, in
            ``history['activations']`` and ``history['grad_norm']``.
        checkpoint_dir, checkpoint_every: save a checkpoint (see
            :mod:`trainlab.train.checkpoint`) every that many epochs and on
            :meth:`request_stop`; ``checkpoint_every=None`` saves only then.
    """

    def __init__(self, network, x_train, t_train, x_test=None, t_test=None, *,
                 x_val=None, t_val=None, epochs: int = 20, iterations: int | None = None,
                 mini_batch_size: int = 100, optimizer="sgd", optimizer_param=None,
                 schedule=None, shuffle: bool = True, replacement: bool = False,
                 evaluate_sample_num_per_epoch: int | None = None, rng=None,
                 progress: bool | None = None, callbacks=(), sampling: str | None = None,
                 early_stop: int | None = None, curriculum=None, clip_norm: float | None = None,
                 clip_value: float | None = None, max_grad_norm: float | None = None,
                 monitor: bool = False, probe_size: int = 256, checkpoint_dir=None,
                 checkpoint_every: int | None = None):
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
        if sampling is not None:
            if sampling not in SAMPLING:
                raise ConfigError(f"unknown sampling {sampling!r}; choose one of "
                                  f"{', '.join(SAMPLING)}")
            shuffle, replacement = sampling == "shuffle", sampling == "replacement"
        self.shuffle, self.replacement = shuffle, replacement
        self.rng = np.random.default_rng(0) if rng is None else rng
        if curriculum is not None and not hasattr(curriculum, "pool"):
            from trainlab.train.curriculum import Curriculum
            curriculum = Curriculum(curriculum)
        if curriculum is not None and curriculum.order.size != len(x_train):
            raise ConfigError(f"the curriculum scores {curriculum.order.size} samples but the "
                              f"training set has {len(x_train)}")
        self.curriculum = curriculum
        self.iter_per_epoch = self._n_batches(len(x_train))
        if iterations is not None:
            epochs = math.ceil(iterations / self.iter_per_epoch)
            while curriculum is not None and self._steps(epochs) < iterations:
                epochs += 1  # the curriculum's smaller pools take more epochs
        self.epochs, self.iterations = int(epochs), iterations
        self.max_iter = iterations if iterations is not None else self._steps(self.epochs)
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
        self.clip_norm = _positive("clip_norm", clip_norm)
        self.clip_value = _positive("clip_value", clip_value)
        self.max_grad_norm = _positive("max_grad_norm", max_grad_norm)
        if early_stop is not None:
            if x_val is None:
                raise ConfigError("early stopping watches the validation accuracy; give "
                                  "validation data (e.g. --val-ratio 0.2)")
            self.callbacks.append(EarlyStopping(early_stop))
        self.monitor = bool(monitor)
        self._probe = x_train[:_positive("probe_size", probe_size, integer=True)]
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_every = _positive("checkpoint_every", checkpoint_every, integer=True)
        if self.checkpoint_every and checkpoint_dir is None:
            raise ConfigError("checkpoint_every needs a checkpoint_dir")
        self._norm_needed = self.clip_norm is not None or self.max_grad_norm is not None
        self.history = {"train_loss": [], "epoch": [], "lr": [], "time": [],
                        "train_loss_epoch": [], "train_acc": [], "val_loss": [], "val_acc": [],
                        "test_loss": [], "test_acc": []}
        if self.monitor:
            self.history.update(activations=[], grad_norm=[])
        if self._norm_needed:
            self.history["grad_norm_max"] = []
        self.current_iter = 0
        self.current_epoch = 0
        self.elapsed = 0.0
        self.stopped = False          # a callback ended training early
        self.stop_requested = False   # request_stop() was called
        self.best_epoch = None        # set by early stopping
        self.divergence: dict | None = None
        self._plan: list | None = None   # the current epoch's batches
        self._pos = 0                    # batches of it already done
        self._epoch_max_norm = 0.0

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
        if self.monitor:
            h["activations"].append(activation_stats(net, self._probe))
            grads = getattr(net, "grads", None)
            h["grad_norm"].append(layer_grad_norms(grads) if grads and self.current_iter
                                  else None)
        if self._norm_needed:
            h["grad_norm_max"].append(self._epoch_max_norm if self.current_iter else None)
            self._epoch_max_norm = 0.0
        return record

    # -- checkpoints and stopping -----------------------------------------------------
    def save_checkpoint(self, folder=None):
        """Save the full training state (see :mod:`trainlab.train.checkpoint`)."""
        from trainlab.train.checkpoint import save_checkpoint

        return save_checkpoint(self, folder if folder is not None else self.checkpoint_dir)

    def load_checkpoint(self, folder=None) -> dict:
        """Continue from the checkpoint in ``folder``: the next :meth:`train`
        goes on exactly as the saved run would have."""
        from trainlab.train.checkpoint import load_checkpoint

        return load_checkpoint(self, folder if folder is not None else self.checkpoint_dir)

    def request_stop(self) -> None:
        """Ask training to stop after the current step (safe from a signal handler):
        :meth:`train` saves a checkpoint (if it has a folder) and raises
        :class:`TrainingInterrupted`."""
        self.stop_requested = True

    def _interrupt(self):
        self.stop_requested = False
        where = ""
        if self.checkpoint_dir is not None:
            self.save_checkpoint()
            where = f"; checkpoint saved in {self.checkpoint_dir}"
        raise TrainingInterrupted(f"stopped at step {self.current_iter} (epoch "
                                  f"{self.current_epoch + 1}){where}")

    def _diverged(self, reason: str, what: str, xb, grads) -> DivergenceError:
        from trainlab.train.doctor import divergence_fix

        step, lr = self.current_iter + 1, self.optimizer.lr
        layer = blame_layer(self.network, xb, grads)
        self.divergence = {"reason": reason, "what": what, "step": step,
                           "epoch": self.current_epoch + 1, "lr": lr, "layer": layer}
        msg = (f"{what} at step {step} (epoch {self.current_epoch + 1}, lr {lr:g}) in {layer}; "
               f"{divergence_fix(reason, lr)}")
        self.divergence["message"] = msg
        return DivergenceError(msg)

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

    def _n_batches(self, n: int) -> int:
        bs = min(self.batch_size, n)
        return max(1, n // bs) if self.replacement else math.ceil(n / bs)

    def _steps(self, epochs: int) -> int:
        """Steps in ``epochs`` epochs (fewer with a curriculum's smaller pools)."""
        if self.curriculum is None:
            return epochs * self.iter_per_epoch
        return sum(self._n_batches(self.curriculum.size(e, epochs)) for e in range(epochs))

    def _draw_epoch(self) -> list:
        """The batches (index arrays into the training set) of the next epoch."""
        if self.curriculum is None:
            return epoch_indices(len(self.x_train), self.batch_size, self.rng,
                                 shuffle=self.shuffle, replacement=self.replacement)
        pool = self.curriculum.pool(self.current_epoch, self.epochs)
        return [pool[b] for b in epoch_indices(len(pool), min(self.batch_size, len(pool)),
                                               self.rng, shuffle=self.shuffle,
                                               replacement=self.replacement)]

    def train_step(self, xb, tb) -> float:
        net = self.network
        grads = net.gradient(xb, tb)
        loss = net.last_loss
        if not math.isfinite(loss):
            raise self._diverged("nonfinite_loss", f"loss is {loss}", xb, grads)
        if self._norm_needed or self.clip_value is not None:
            bufs = grad_buffers(net, grads)
            if self._norm_needed:
                norm = grad_norm(bufs)
                if norm > self._epoch_max_norm or not math.isfinite(norm):
                    self._epoch_max_norm = norm
                if self.max_grad_norm is not None and not norm <= self.max_grad_norm:
                    raise self._diverged("gradient_norm", f"gradient norm {norm:.3g} exceeds "
                                         f"max_grad_norm {self.max_grad_norm:g}", xb, grads)
                if self.clip_norm is not None:
                    clip_by_norm(bufs, self.clip_norm, norm)
            if self.clip_value is not None:
                clip_by_value(bufs, self.clip_value)
        try:
            self.optimizer.update(net.params, grads)
        except DivergenceError:
            raise self._diverged("nonfinite_gradient", "the gradient is not finite", xb,
                                 grads) from None
        return loss

    def train(self) -> dict:
        """Run the whole training; returns the history (also in ``self.history``).

        After :meth:`load_checkpoint` it continues where the checkpoint was taken."""
        if not self.history["epoch"]:
            self.evaluate()
        bar = self._bar()
        if bar is not None and self.current_iter:
            bar.update(self.current_iter)
        try:
            # overflow on the way to a NaN loss is reported as a DivergenceError, not warnings
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                self._epochs(bar)
            for cb in self.callbacks:
                if hasattr(cb, "on_train_end"):
                    cb.on_train_end(self)
        finally:
            if bar is not None:
                bar.close()
        return self.history

    def _epochs(self, bar) -> None:
        x, t, losses = self.x_train, self.t_train, self.history["train_loss"]
        on_step = [cb for cb in self.callbacks if hasattr(cb, "on_step")]
        while (not self.stopped and self.current_epoch < self.epochs
               and self.current_iter < self.max_iter):
            if self._plan is None:
                if self.schedule is not None:
                    self.optimizer.lr = self.schedule.lr_at(self.current_epoch)
                self._plan, self._pos = self._draw_epoch(), 0
            plan = self._plan
            start = time.perf_counter()
            while self._pos < len(plan) and self.current_iter < self.max_iter:
                idx = plan[self._pos]
                loss = self.train_step(x[idx], t[idx])
                self._pos += 1
                self.current_iter += 1
                losses.append(loss)
                for cb in on_step:
                    cb.on_step(self, self.current_iter, loss)
                if bar is not None:
                    bar.update(1)
                if self.stop_requested:
                    self.elapsed += time.perf_counter() - start
                    self._interrupt()
            self.elapsed += time.perf_counter() - start
            self._plan = None
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
            self.stopped = stop
            if self.checkpoint_every and self.current_epoch % self.checkpoint_every == 0:
                self.save_checkpoint()
