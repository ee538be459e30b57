"""Schedule-Free SGD and AdamW: no learning-rate schedule, an average of the iterates instead."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.base import Optimizer
from trainlab.validate import check_count, check_positive, check_unit


@runtime_checkable
class TrainEvalSwitch(Protocol):
    """A rule whose network holds other weights while training than when it is
    evaluated, as the schedule-free rules do (the reference's
    ``optimizer.train()``/``optimizer.eval()``). The training loop calls
    ``eval(params)`` before it evaluates or saves the weights and
    ``train(params)`` before the next step; a :class:`~trainlab.optim.Partition`
    passes both on to its groups."""

    def train(self, params: dict[str, np.ndarray]) -> None: ...

    def eval(self, params: dict[str, np.ndarray]) -> None: ...


def _momentum(name: str, value: Any) -> float:
    """A number in (0, 1): the interpolation needs both ends."""
    number = check_unit(name, value)
    if number == 0.0:
        raise ConfigError(f"{name} must be in (0, 1), got 0.0")
    return number


class ScheduleFree(Optimizer):
    r"""What the two schedule-free rules share: three points, the average and the switch.

    Equations (t counts steps from 1; ``d`` is the rule's direction: the
    gradient for SGD, the Adam-normalised gradient for AdamW)::

        y = (1 - beta) z + beta x                   # where the gradient is taken
        lr_t = lr * min(1, t / warmup_steps)
        c = t^r lr_max^weight_lr_power / sum_{i<=t} i^r lr_max(i)^weight_lr_power
        z <- z - lr_t d                             # the plain SGD iterate
        x <- (1 - c) x + c z                        # its running average

    The network holds ``y`` while training (``train mode``) and ``x`` for
    evaluation (``eval mode``): :meth:`eval` and :meth:`train` move the weights
    between the two (``x = y + (1 - 1/beta)(z - y)``,
    ``y = x + (1 - beta)(z - x)``); ``x`` is never stored. :meth:`update`
    refuses to step in eval mode, and the mode is kept in :meth:`state_dict`.
    """

    _runtime = Optimizer._runtime + ("train_mode",)

    def __init__(
        self,
        lr: float,
        warmup_steps: int,
        r: float,
        weight_lr_power: float,
        **kw: Any,
    ) -> None:
        super().__init__(lr, **kw)
        self._beta = 0.9  # the interpolation: the subclass's momentum or beta1
        self.warmup_steps = check_count("warmup_steps", warmup_steps, minimum=0)
        self.r = check_positive("r", r, allow_zero=True)
        self.weight_lr_power = check_positive("weight_lr_power", weight_lr_power, allow_zero=True)
        self.train_mode = True
        self._lr_max = -1.0
        self._weight_sum = 0.0
        self._lr_t = self._c = 0.0

    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        return {"z": p.copy(), **{name: np.zeros_like(p) for name in self.state_names}}

    def update(self, params: dict[str, np.ndarray], grads: dict[str, Any]) -> None:
        if not self.train_mode:
            raise ConfigError(
                f"{type(self).__name__} is in eval mode (the weights hold the average x); "
                "call opt.train(params) before the next update"
            )
        super().update(params, grads)

    def _begin_step(self) -> None:
        t = self.t
        self._lr_t = self.lr * (t / self.warmup_steps if t <= self.warmup_steps else 1.0)
        self._lr_max = max(self._lr_t, self._lr_max)
        weight = t**self.r * self._lr_max**self.weight_lr_power
        self._weight_sum += weight
        self._c = weight / self._weight_sum if self._weight_sum else 0.0

    def _step(self, y: np.ndarray, z: np.ndarray, d: np.ndarray) -> None:
        """Move ``z`` along ``-d`` and ``y`` to ``(1 - beta) z + beta x`` with the new x."""
        c, lr = self._c, self._lr_t
        y += c * (z - y)
        y += lr * (self._beta * (1 - c) - 1) * d
        z -= lr * d

    # -- the switch ---------------------------------------------------------------
    def eval(self, params: dict[str, np.ndarray]) -> None:
        """Put the average ``x`` into ``params`` (to evaluate or save the weights)."""
        if self.train_mode:
            self._move(params, 1.0 - 1.0 / self._beta)
            self.train_mode = False

    def train(self, params: dict[str, np.ndarray]) -> None:
        """Put ``y``, where the gradients are taken, back into ``params``."""
        if not self.train_mode:
            self._move(params, 1.0 - self._beta)
            self.train_mode = True

    def _move(self, params: dict[str, np.ndarray], w: float) -> None:
        for k, s in self.state.items():
            p = params[k]
            p[...] = p + w * (s["z"] - p)

    def _extra_state(self) -> dict[str, Any]:
        return {
            "train_mode": self.train_mode,
            "lr_max": self._lr_max,
            "weight_sum": self._weight_sum,
        }

    def _load_extra_state(self, extra: dict[str, Any]) -> None:
        self.train_mode = bool(extra["train_mode"])
        self._lr_max = float(extra["lr_max"])
        self._weight_sum = float(extra["weight_sum"])


class ScheduleFreeSGD(ScheduleFree):
    r"""Schedule-Free SGD: SGD whose average, not its last iterate, is the answer.

    Equations (:class:`ScheduleFree`'s, with the gradient taken at ``y``)::

        g <- g + weight_decay * y
        z <- z - lr_t g;   x <- (1 - c) x + c z;   y = (1 - momentum) z + momentum x

    The idea: averaging the SGD iterates ``z`` already does what a decaying
    schedule does, so no schedule (and no stopping time) is needed; taking the
    gradient between ``z`` and the average gives momentum's speed.

    Paper: Defazio, Yang, Mehta, Mishchenko, Khaled & Cutkosky, "The Road Less
    Scheduled", NeurIPS 2024 (arXiv:2405.15682).
    Defaults: ``lr=1.0, momentum=0.9, weight_decay=0, warmup_steps=0, r=0.0,
    weight_lr_power=2.0`` (the reference's).
    PyTorch: none in ``torch.optim``; the reference is
    ``schedulefree.SGDScheduleFree(params, lr=lr, momentum=momentum,
    weight_decay=weight_decay, warmup_steps=warmup_steps, r=r,
    weight_lr_power=weight_lr_power)`` with its ``train()``/``eval()``
    (``from_reference('schedulefree.SGDScheduleFree', ...)``).

    Typical lr: about 50x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = ScheduleFreeSGD(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.9225, -1.9225])
    >>> opt.eval(params)  # the average x, for evaluation
    >>> params["W"].round(4)
    array([ 0.925, -1.925])
    """

    lr_vs_adamw = 50.0

    def __init__(
        self,
        lr: float = 1.0,
        momentum: float = 0.9,
        warmup_steps: int = 0,
        r: float = 0.0,
        weight_lr_power: float = 2.0,
        **kw: Any,
    ) -> None:
        super().__init__(lr, warmup_steps, r, weight_lr_power, **kw)
        self.momentum = self._beta = _momentum("momentum", momentum)

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        self._step(p, s["z"], g)


class ScheduleFreeAdamW(ScheduleFree):
    r"""Schedule-Free AdamW: the schedule-free average over Adam-normalised steps.

    Equations (:class:`ScheduleFree`'s, with the direction ``d`` taken at ``y``)::

        v <- beta2 v + (1 - beta2) g*g
        d = g / (sqrt(v / (1 - beta2^t)) + eps) + weight_decay * y
        z <- z - lr_t d;   x <- (1 - c) x + c z;   y = (1 - beta1) z + beta1 x

    The idea: Schedule-Free SGD's average on Adam's per-weight step sizes;
    ``beta1`` is the interpolation, so there is no first moment ``m`` at all.
    The decay is added to the normalised step (not divided by ``sqrt(v)``), as
    the reference does.

    Paper: Defazio, Yang, Mehta, Mishchenko, Khaled & Cutkosky, "The Road Less
    Scheduled", NeurIPS 2024 (arXiv:2405.15682); winner of the self-tuning
    track of the MLCommons AlgoPerf 2024 competition.
    Defaults: ``lr=0.0025, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0,
    warmup_steps=0, r=0.0, weight_lr_power=2.0`` (the reference's).
    PyTorch: none in ``torch.optim``; the reference is
    ``schedulefree.AdamWScheduleFree(params, lr=lr, betas=(beta1, beta2),
    eps=eps, weight_decay=weight_decay, warmup_steps=warmup_steps, r=r,
    weight_lr_power=weight_lr_power)`` with its ``train()``/``eval()``
    (``from_reference('schedulefree.AdamWScheduleFree', ...)``).

    Typical lr: about 5x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = ScheduleFreeAdamW(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.845, -1.845])
    >>> opt.eval(params)  # the average x, for evaluation
    >>> params["W"].round(4)
    array([ 0.85, -1.85])
    """

    lr_vs_adamw = 5.0

    state_names = ("v",)
    _fixed = ("decoupled_weight_decay",)

    def __init__(
        self,
        lr: float = 0.0025,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        warmup_steps: int = 0,
        r: float = 0.0,
        weight_lr_power: float = 2.0,
        **kw: Any,
    ) -> None:
        super().__init__(lr, warmup_steps, r, weight_lr_power, **kw)
        self.beta1 = self._beta = _momentum("beta1", beta1)
        self.beta2 = check_unit("beta2", beta2)
        self.eps = check_positive("eps", eps)
        # added to the normalised step here, not through the base class's transforms
        self.weight_decay = check_positive("weight_decay", weight_decay, allow_zero=True)
        self.decoupled_weight_decay = False

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        v = s["v"]
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        d = v / (1.0 - self.beta2**self.t)
        np.sqrt(d, out=d)
        d += self.eps
        np.divide(g, d, out=d)  # d = g / (sqrt(v / (1 - beta2^t)) + eps)
        if self.weight_decay:
            d += self.weight_decay * p
        self._step(p, s["z"], d)
