"""SWATS: start with Adam, switch to SGD with momentum when it is safe to."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab.optim.adam import Moments
from trainlab.optim.base import Optimizer
from trainlab.validate import check_positive


class SWATS(Moments):
    r"""SWATS: Adam first, then SGD with momentum at a rate Adam itself estimated.

    Adam phase (k counts steps from 1; all dot products run over every parameter)::

        m <- beta1 m + (1 - beta1) g;   v <- beta2 v + (1 - beta2) g*g
        p = -lr * sqrt(1 - beta2^k) / (1 - beta1^k) * m / (sqrt(v) + eps)
        W <- W + p
        if p.g != 0:
            gamma_k = (p.p) / (-p.g)             # SGD rate whose step projects onto p
            lambda_k = beta2 lambda_{k-1} + (1 - beta2) gamma_k
            if k > 1 and |lambda_k / (1 - beta2^k) - gamma_k| < tol:
                switch: switch_step = k, switch_lr = lambda_k / (1 - beta2^k), m <- 0

    SGD phase (``m`` now holds the velocity)::

        m <- beta1 m + g
        W <- W - (1 - beta1) * switch_lr * m

    The rate follows later changes of ``lr`` proportionally: if a schedule
    halves ``lr`` after the switch, the SGD rate is halved too. ``switch_step``
    and ``switch_lr`` are ``None`` until the switch, and are kept in
    :meth:`state_dict`. The rule needs global dot products, so it is not
    element-wise; on the one-pass path it still updates the buffer at once and
    sums the dot products per parameter, so both paths agree bit for bit.

    Paper: Keskar & Socher, "Improving Generalization Performance by Switching
    from Adam to SGD", arXiv:1712.07628, 2017 (Algorithm 1).
    Defaults: ``lr=0.001, beta1=0.9, beta2=0.999, eps=1e-9, tol=1e-9`` (the paper's).
    PyTorch: none in ``torch.optim``; the Adam phase is ``torch.optim.Adam``
    with the notes' eps placement (see :class:`Adam`); the SGD phase is
    ``torch.optim.SGD(momentum=beta1, dampening=beta1)`` at ``lr=switch_lr``,
    except that its buffer starts from zero instead of the first gradient.

    Typical lr: about 1x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = SWATS(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.8, -1.8])
    """

    lr_vs_adamw = 1.0

    elementwise = False
    state_names = ("m", "v")
    _runtime = Optimizer._runtime + ("switch_step", "switch_lr")

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-9,
        tol: float = 1e-9,
        **kw: Any,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, **kw)
        self.tol = check_positive("tol", tol)
        self.switch_step: int | None = None
        self.switch_lr: float | None = None
        self._lam = 0.0
        self._lr_at_switch = 0.0

    def _begin_step(self) -> None:
        self._pp = self._pg = 0.0
        t = self.t
        self._lr_t = self.lr * math.sqrt(1.0 - self.beta2**t) / (1.0 - self.beta1**t)

    def _dot(self, a: np.ndarray, b: np.ndarray) -> float:
        """a.b in float64, summed per parameter (the same on both update paths)."""
        a, b = a.reshape(-1), b.reshape(-1)
        bounds = self.flat.segments or [(0, a.size)]
        total = 0.0
        for lo, hi in bounds:
            total += float(np.multiply(a[lo:hi], b[lo:hi], dtype=np.float64).sum())
        return total

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, v = s["m"], s["v"]
        if self.switch_lr is not None:  # SGD phase
            m[...] = self.beta1 * m + g
            p -= (1.0 - self.beta1) * self.switch_lr * (self.lr / self._lr_at_switch) * m
            return
        self.moments(g, m, v)  # Adam's
        step = -self._lr_t * m / (np.sqrt(v) + self.eps)
        p += step
        self._pp += self._dot(step, step)
        self._pg += self._dot(step, g)

    def _end_step(self) -> None:
        if self.switch_lr is not None or self._pg == 0.0:
            return
        gamma = self._pp / -self._pg
        self._lam = self.beta2 * self._lam + (1.0 - self.beta2) * gamma
        estimate = self._lam / (1.0 - self.beta2**self.t)
        if self.t > 1 and abs(estimate - gamma) < self.tol:
            self.switch_step, self.switch_lr = self.t, estimate
            self._lr_at_switch = self.lr
            for s in self.state.values():
                s["m"][...] = 0.0

    def _extra_state(self) -> dict[str, Any]:
        return {
            "lambda": self._lam,
            "switch_step": -1 if self.switch_step is None else self.switch_step,
            "switch_lr": math.nan if self.switch_lr is None else self.switch_lr,
            "lr_at_switch": self._lr_at_switch,
        }

    def _load_extra_state(self, extra: dict[str, Any]) -> None:
        self._lam = float(extra["lambda"])
        step = int(extra["switch_step"])
        self.switch_step = None if step < 0 else step
        self.switch_lr = None if step < 0 else float(extra["switch_lr"])
        self._lr_at_switch = float(extra["lr_at_switch"])
