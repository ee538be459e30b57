"""The training loop, as the book's: gradient → transforms → update → record.

``Trainer(network, data, optimizer, config)``: the network, the arrays
(:class:`trainlab.train.Data`), an update rule and the settings
(:class:`trainlab.train.TrainConfig`). Beyond the book's ``common/trainer.py``:
explicit randomness, per-epoch shuffling, a validation set, learning-rate
schedules and a progress bar; the notes' extra techniques (sampling modes,
early stopping, curriculum, gradient transforms such as clipping), divergence
caught at the step where it happens, the statistics the doctor reads, and
checkpoints that resume bit for bit.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from trainlab.errors import ConfigError, DivergenceError
from trainlab.optim import Optimizer, create, takes_closure
from trainlab.optim.schedulefree import TrainEvalSwitch
from trainlab.optim.transforms import GradientNormError
from trainlab.train.activations import activation_stats, layer_grad_norms
from trainlab.train.callbacks import EarlyStopping
from trainlab.train.closure import batch_closure
from trainlab.train.config import Data, TrainConfig
from trainlab.train.digests import run_fingerprint
from trainlab.train.divergence import blowup, divergence_record, progress_bar
from trainlab.train.epochs import EpochPlan
from trainlab.train.stopping import Checkpointed


def new_history(monitor: bool, measured: bool) -> dict[str, list]:
    """The empty history: per step ``train_loss``; per epoch the rest (with
    ``monitor`` the activation statistics and gradient norms; with a transform
    that measures the gradient norm, its largest in the epoch)."""
    keys = ["train_loss", "epoch", "lr", "time", "train_loss_epoch", "train_acc"]
    keys += ["val_loss", "val_acc", "test_loss", "test_acc"]
    keys += ["activations", "grad_norm"] if monitor else []
    keys += ["grad_norm_max"] if measured else []
    return {k: [] for k in keys}


class Trainer(Checkpointed):
    """Train ``network`` on ``data`` with ``optimizer``, as ``config`` says.

    Args:
        network: a :class:`trainlab.nn.MultiLayerNet` (anything with ``params``,
            ``gradient``, ``evaluate``).
        data: a :class:`trainlab.train.Data` (train, and optionally test and
            validation arrays).
        optimizer: a name for :func:`trainlab.optim.create` (its defaults) or
            an optimizer object: an :class:`~trainlab.optim.Optimizer`, or a rule
            that steps with a closure (:class:`~trainlab.optim.LBFGS`), which each
            step hands a closure giving the loss and gradients on that step's batch.
        config: a :class:`trainlab.train.TrainConfig`; ``None`` takes the defaults.

    >>> import numpy as np
    >>> from trainlab.nn import MultiLayerNet
    >>> x = np.random.default_rng(0).standard_normal((40, 4))
    >>> t = (x[:, 0] > 0).astype(int)
    >>> net = MultiLayerNet(4, [8], 2, rng=np.random.default_rng(1))
    >>> tr = Trainer(net, Data(x, t), create("sgd", lr=0.1),
    ...              TrainConfig(epochs=3, mini_batch_size=10, progress=False))
    >>> len(tr.train()["train_loss"])
    12
    """

    def __init__(
        self,
        network,
        data: Data,
        optimizer: Optimizer | str = "sgd",
        config: TrainConfig | None = None,
    ):
        config = TrainConfig() if config is None else config
        if not isinstance(data, Data):
            raise ConfigError(f"data must be a trainlab.train.Data, got {type(data).__name__}")
        self.network, self.data, self.config = network, data, config
        self.optimizer = create(optimizer) if isinstance(optimizer, str) else optimizer
        self.closure_rule = takes_closure(self.optimizer)
        n = len(data.x_train)
        self.batches = EpochPlan(n, config.mini_batch_size, config.sampling, config.curriculum)
        self.batch_size, self.curriculum = self.batches.batch_size, self.batches.curriculum
        self.rng = np.random.default_rng(0) if config.rng is None else config.rng
        self.iter_per_epoch = self.batches.batches_in(n)
        self.epochs, self.max_iter = self.batches.length(config.epochs, config.iterations, n)
        self.iterations = config.iterations
        self.base_lr, self.schedule = self.optimizer.lr, config.schedule
        self.callbacks = list(config.callbacks)
        if config.early_stop is not None:
            if data.x_val is None:
                raise ConfigError(
                    "early stopping watches the validation accuracy; give "
                    "validation data (e.g. --val-ratio 0.2)"
                )
            self.callbacks.append(EarlyStopping(config.early_stop))
        transforms = config.gradient_transforms()
        if transforms and self.closure_rule:
            raise ConfigError(
                f"{type(self.optimizer).__name__} steps with a closure and has no chain of "
                "gradient transformations; drop the clipping, noise and norm stop"
            )
        if transforms:  # the config's transformations run first in the rule's chain
            self.optimizer.transforms = (*transforms, *self.optimizer.transforms)
        self._measured = not self.closure_rule and self.optimizer.measures_norm
        self._probe = data.x_train[: config.probe_size]
        self.checkpoint_dir, self.checkpoint_every = config.checkpoint_dir, config.checkpoint_every
        net_rng = getattr(network, "rng", None)
        self.fingerprint = run_fingerprint(  # checkpoints of another run do not fit this one
            network.params,
            (self.rng, net_rng if isinstance(net_rng, np.random.Generator) else None),
        )
        self.history = new_history(config.monitor, self._measured)
        self.current_iter = 0
        self.current_epoch = 0
        self.elapsed = 0.0
        self.stopped = False  # a callback ended training early
        self.stop_requested = False  # request_stop() was called
        self.best_epoch = None  # set by early stopping
        self.divergence: dict | None = None
        self._plan: list | None = None  # the current epoch's batches
        self._pos = 0  # batches of it already done
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
        return self.history["val_acc"] if self.data.x_val is not None else self.history["test_acc"]

    # -- evaluation -------------------------------------------------------------------
    def evaluate(self) -> dict:
        """Loss and accuracy on train, validation and test (subsets if asked)."""
        h, net = self.history, self.network
        record = {"epoch": self.current_epoch}
        for name, x, t in self.data.sets(self.config.evaluate_sample_num_per_epoch):
            loss, acc = net.evaluate(x, t)
            record[f"{name}_loss"], record[f"{name}_acc"] = loss, acc
            key = "train_loss_epoch" if name == "train" else f"{name}_loss"
            h[key].append(loss)
            h[f"{name}_acc"].append(acc)
        h["epoch"].append(self.current_epoch)
        h["lr"].append(self.optimizer.lr)
        h["time"].append(self.elapsed)
        if self.config.monitor:
            h["activations"].append(activation_stats(net, self._probe))
            grads = getattr(net, "grads", None)
            h["grad_norm"].append(layer_grad_norms(grads) if grads and self.current_iter else None)
        if self._measured:
            h["grad_norm_max"].append(self._epoch_max_norm if self.current_iter else None)
            self._epoch_max_norm = 0.0
        return record

    def _weights(self, mode: str) -> None:
        """Put the schedule-free rule's ``'train'`` weights (where gradients are
        taken) or ``'eval'`` weights (the average: evaluated and saved at an
        epoch's end, and left in the net when training stops) into the network."""
        if isinstance(self.optimizer, TrainEvalSwitch):
            getattr(self.optimizer, mode)(self.network.params)

    def _diverged(self, reason: str, what: str, xb, grads) -> DivergenceError:
        self.divergence = divergence_record(self, reason, what, xb, grads)
        return DivergenceError(self.divergence["message"])

    # -- training ---------------------------------------------------------------------
    def _bar(self):
        return progress_bar(self.config.progress, self.max_iter, type(self.optimizer).__name__)

    def train_step(self, xb, tb) -> float:
        """One step: gradient → transforms → update; returns the loss."""
        net = self.network
        grads = net.gradient(xb, tb)
        loss = net.last_loss
        if not math.isfinite(loss):
            raise self._diverged("nonfinite_loss", f"loss is {loss}", xb, grads)
        self._check_blowup(loss, xb, grads)
        if self.closure_rule:  # LBFGS: one step(params, closure) on this batch
            rule: Any = self.optimizer
            rule.step(net.params, batch_closure(net, xb, tb, (loss, grads)))
            return loss
        try:
            self.optimizer.update(net.params, grads)
        except GradientNormError as exc:
            raise self._diverged("gradient_norm", str(exc), xb, grads) from None
        except DivergenceError:
            raise self._diverged(
                "nonfinite_gradient", "the gradient is not finite", xb, grads
            ) from None
        finally:
            self._record_norm()
        return loss

    def _check_blowup(self, loss: float, xb, grads) -> None:
        what = blowup(loss, self.history, self.config.blowup)
        if what is not None:
            raise self._diverged("loss_blowup", what, xb, grads)

    def _record_norm(self) -> None:
        """The largest gradient norm of the epoch (as the first measuring
        transformation of the optimizer's chain saw it)."""
        norm = self.optimizer.measured_norm
        if norm is not None:
            if norm > self._epoch_max_norm or not math.isfinite(norm):
                self._epoch_max_norm = norm

    def train(self) -> dict:
        """Run the whole training; returns the history (also in ``self.history``).

        After :meth:`load_checkpoint` it continues where the checkpoint was taken."""
        if not self.history["epoch"]:
            self._weights("eval")
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
            self._weights("eval")  # after a stop mid-epoch, its checkpoint holds the train weights
            if bar is not None:
                bar.close()
        return self.history

    def _epochs(self, bar) -> None:
        x, t, losses = self.data.x_train, self.data.t_train, self.history["train_loss"]
        on_step = [cb for cb in self.callbacks if hasattr(cb, "on_step")]
        while (
            not self.stopped
            and self.current_epoch < self.epochs
            and self.current_iter < self.max_iter
        ):
            if self._plan is None:
                if self.stop_requested:  # asked on an epoch's last step: stop after its end
                    self._interrupt()
                if self.schedule is not None:
                    self.optimizer.lr = self.schedule.lr_at(self.current_epoch)
                self._plan = self.batches.draw(self.current_epoch, self.epochs, self.rng)
                self._pos = 0
            plan = self._plan
            self._weights("train")
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
                if self.stop_requested and self._pos < len(plan):
                    # (after an epoch's last step, the epoch's end comes first: its record
                    # reads this step's gradients, which a checkpoint does not hold)
                    self.elapsed += time.perf_counter() - start
                    self._interrupt()
            self.elapsed += time.perf_counter() - start
            self._plan = None
            self.current_epoch += 1
            self._weights("eval")
            record = self.evaluate()
            if bar is not None:
                shown = {k: f"{v:.3f}" for k, v in record.items() if k.endswith("acc")}
                bar.set_postfix(epoch=self.current_epoch, **shown)
            if self.schedule is not None:
                metric = record.get("val_acc", record.get("train_acc"))
                self.schedule.observe(self.current_epoch - 1, metric)
            stop = False
            for cb in self.callbacks:
                if hasattr(cb, "on_epoch_end") and cb.on_epoch_end(
                    self, self.current_epoch, record
                ):
                    stop = True
            self.stopped = stop
            if self.checkpoint_every and self.current_epoch % self.checkpoint_every == 0:
                self.save_checkpoint()
