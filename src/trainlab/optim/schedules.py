"""Learning-rate schedules, per epoch: ``opt.lr = schedule.lr_at(epoch)``.

The trainer sets ``optimizer.lr = schedule.lr_at(epoch)`` at the start of each
(0-based) epoch and calls ``schedule.observe(epoch, val_acc)`` at its end. Only
reduce-on-plateau uses the observations.

Formulas (``lr`` the base rate, ``e`` the epoch after warm-up, ``T`` the
epochs after warm-up)::

    constant      lr
    step          lr * gamma ** (e // step_size)            gamma=0.1, step_size=max(1, T // 3)
    exponential   lr * gamma ** e                           gamma=0.95
    cosine        min_lr + (lr - min_lr) * (1 + cos(pi * min(e, T) / T)) / 2     min_lr=0
    inverse-time  lr / (1 + decay * e)                      decay=0.1
    plateau       max(min_lr, lr * factor ** k), k = reductions so far
                  factor=0.5, patience=2, threshold=1e-4, min_lr=0

Linear warm-up combines with any of them: ``warmup=W`` gives epochs
``0 .. W-1`` the rates ``lr * (epoch + 1) / (W + 1)``, rising in equal steps
towards ``lr``; the schedule proper starts at epoch ``W`` with ``e = 0``.

Reduce-on-plateau (higher metric is better): an epoch improves when its metric
exceeds the best so far by more than ``threshold``; after more than
``patience`` epochs in a row without improvement the rate is multiplied by
``factor`` and the count restarts. Observations during warm-up are ignored.
"""

from __future__ import annotations

import math
from typing import Any

from trainlab.errors import ConfigError

SCHEDULES = ("constant", "step", "exponential", "cosine", "inverse-time", "plateau")


class Schedule:
    """Base: warm-up, then :meth:`_rate` (the schedule proper)."""

    #: option name -> default; subclasses fill it
    defaults: dict[str, Any] = {}

    def __init__(self, lr: float, epochs: int, warmup: int = 0, **options: Any) -> None:
        self.lr = float(lr)
        self.epochs = int(epochs)
        self.warmup = int(warmup)
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ConfigError(f"lr must be a finite number > 0, got {lr}")
        if self.epochs < 1:
            raise ConfigError(f"epochs must be ≥ 1, got {epochs}")
        if not 0 <= self.warmup < self.epochs:
            raise ConfigError(f"warmup must be in [0, epochs) = [0, {self.epochs}), got {warmup}")
        bad = sorted(set(options) - set(self.defaults))
        if bad:
            raise ConfigError(
                f"schedule {self.name!r} has no option {', '.join(bad)}; "
                f"options are {', '.join(self.defaults) or 'none'}"
            )
        for k, default in self.defaults.items():
            value = float(options.get(k, default))
            if not math.isfinite(value) or value < 0:
                raise ConfigError(f"{k} must be a finite number ≥ 0, got {value}")
            setattr(self, k, value)
        self.span = self.epochs - self.warmup  # T

    name = "constant"

    def lr_at(self, epoch: int) -> float:
        """Learning rate for the 0-based ``epoch``."""
        epoch = int(epoch)
        if epoch < 0:
            raise ConfigError(f"epoch must be ≥ 0, got {epoch}")
        if epoch < self.warmup:
            return self.lr * (epoch + 1) / (self.warmup + 1)
        return self._rate(epoch - self.warmup)

    def observe(self, epoch: int, metric: float) -> None:
        """End-of-epoch validation metric (higher is better); most schedules ignore it."""

    def _rate(self, e: int) -> float:
        return self.lr

    def state_dict(self) -> dict[str, Any]:
        """What changes while training, as a JSON-friendly dict (empty if nothing)."""
        return {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        pass

    def __repr__(self) -> str:
        opts = "".join(f", {k}={getattr(self, k)!r}" for k in self.defaults)
        return (
            f"make_schedule({self.name!r}, lr={self.lr!r}, epochs={self.epochs}, "
            f"warmup={self.warmup}{opts})"
        )


class Step(Schedule):
    name = "step"
    defaults = {"gamma": 0.1, "step_size": None}
    gamma: float
    step_size: float

    def __init__(self, lr: float, epochs: int, warmup: int = 0, **options: Any) -> None:
        if options.get("step_size") is None:
            options["step_size"] = max(1, (int(epochs) - int(warmup)) // 3)
        super().__init__(lr, epochs, warmup, **options)
        self.step_size = _whole("step_size", self.step_size, 1)

    def _rate(self, e: int) -> float:
        return float(self.lr * self.gamma ** (e // self.step_size))


class Exponential(Schedule):
    name = "exponential"
    defaults = {"gamma": 0.95}
    gamma: float

    def _rate(self, e: int) -> float:
        return self.lr * self.gamma**e


class Cosine(Schedule):
    name = "cosine"
    defaults = {"min_lr": 0.0}
    min_lr: float

    def _rate(self, e: int) -> float:
        e = min(e, self.span)
        return self.min_lr + (self.lr - self.min_lr) * (1 + math.cos(math.pi * e / self.span)) / 2


class InverseTime(Schedule):
    name = "inverse-time"
    defaults = {"decay": 0.1}
    decay: float

    def _rate(self, e: int) -> float:
        return self.lr / (1 + self.decay * e)


class Plateau(Schedule):
    name = "plateau"
    defaults = {"factor": 0.5, "patience": 2, "threshold": 1e-4, "min_lr": 0.0}
    factor: float
    patience: float
    threshold: float
    min_lr: float

    def __init__(self, lr: float, epochs: int, warmup: int = 0, **options: Any) -> None:
        super().__init__(lr, epochs, warmup, **options)
        if not 0 < self.factor < 1:
            raise ConfigError(f"factor must be in (0, 1), got {self.factor}")
        self.patience = _whole("patience", self.patience, 0)
        self.best: float | None = None
        self.bad_epochs = 0
        self.reductions = 0

    def _rate(self, e: int) -> float:
        return max(self.min_lr, self.lr * self.factor**self.reductions)

    def observe(self, epoch: int, metric: float) -> None:
        if int(epoch) < self.warmup:
            return
        metric = float(metric)  # NaN never improves
        if not math.isnan(metric) and (self.best is None or metric > self.best + self.threshold):
            self.best, self.bad_epochs = metric, 0
            return
        self.bad_epochs += 1
        if self.bad_epochs > self.patience:
            self.reductions += 1
            self.bad_epochs = 0

    def state_dict(self) -> dict[str, Any]:
        return {"best": self.best, "bad_epochs": self.bad_epochs, "reductions": self.reductions}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        best = state.get("best")
        self.best = None if best is None else float(best)
        self.bad_epochs = int(state["bad_epochs"])
        self.reductions = int(state["reductions"])


def _whole(name: str, value: float, least: int) -> int:
    if value < least or value != int(value):
        raise ConfigError(f"{name} must be a whole number ≥ {least}, got {value}")
    return int(value)


_CLASSES = {c.name: c for c in (Schedule, Step, Exponential, Cosine, InverseTime, Plateau)}


def make_schedule(name: str, lr: float, epochs: int, warmup: int = 0, **options: Any) -> Schedule:
    """Build a schedule by name (one of :data:`SCHEDULES`), e.g.
    ``make_schedule('cosine', lr=0.1, epochs=20, warmup=2)``."""
    cls = _CLASSES.get(str(name).lower().replace("_", "-"))
    if cls is None:
        raise ConfigError(f"unknown schedule {name!r}; choose one of {', '.join(SCHEDULES)}")
    return cls(lr, epochs, warmup, **options)
