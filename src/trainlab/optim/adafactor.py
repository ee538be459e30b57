"""Adafactor: Adam's second moment of a matrix kept as its row and column means."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.base import Optimizer
from trainlab.optim.scratch import Scratch
from trainlab.validate import check_positive


class Adafactor(Optimizer):
    r"""Adafactor, in PyTorch's form (no momentum, relative step size).

    Equations (t counts steps from 1; ``mean_c`` averages over a matrix's
    columns, ``mean_r`` over its rows, ``rms(x) = sqrt(mean(x^2))``)::

        beta2_hat = t^beta2_decay                    # 1 - beta2_t: 1, 0.57, 0.42, ...
        alpha = lr_t * max(eps2, rms(W)),  lr_t = min(lr, 1 / sqrt(t))
        W <- W * (1 - lr * weight_decay)
        matrix:  R <- R + beta2_hat * (mean_c(g^2) - R)        # one per row
                 C <- C + beta2_hat * (mean_r(g^2) - C)        # one per column
                 V = R C / max(mean(R), eps1)
        vector:  V <- V + beta2_hat * (g^2 - V)
        U = g / sqrt(max(V, eps1^2))
        W <- W - alpha / max(1, rms(U) / d) * U

    Adam keeps one second moment per weight, as much memory as the weights.
    For an n x m matrix Adafactor keeps n row means and m column means of
    ``g^2`` and rebuilds every entry as row times column over the total (the
    rank-1 fit the paper derives), n + m numbers instead of n m. Tensors with
    more than two axes are factored over their last two, vectors keep the full
    ``V``. The step is relative: ``alpha`` scales with the weights' own size, so ``lr``
    caps the relative step rather than setting it; ``beta2`` grows towards 1
    with t, so early moments average few steps and later ones many; and each
    update is scaled down to RMS at most ``d`` (update clipping), so that a
    stale ``V`` cannot make a step too large.

    Weight decay is decoupled and applied inside the rule, after ``alpha`` has
    measured the weights (PyTorch's order); ``eps1=None`` takes the machine
    epsilon of the parameters' dtype.

    Paper: Shazeer & Stern, "Adafactor: Adaptive Learning Rates with Sublinear
    Memory Cost", ICML 2018 (arXiv:1804.04235).
    Defaults: ``lr=0.01, beta2_decay=-0.8, eps1=None, eps2=1e-3, d=1.0,
    weight_decay=0.0`` (PyTorch's).
    PyTorch: ``torch.optim.Adafactor(params, lr=lr, beta2_decay=beta2_decay,
    eps=(eps1, eps2), d=d, weight_decay=weight_decay, maximize=...)``.

    Typical lr: about 5x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = Adafactor(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.6987, -1.6987])
    """

    lr_vs_adamw = 5.0

    elementwise = False
    per_parameter = True
    _fixed = ("decoupled_weight_decay",)

    def __init__(
        self,
        lr: float = 0.01,
        beta2_decay: float = -0.8,
        eps1: float | None = None,
        eps2: float = 1e-3,
        d: float = 1.0,
        weight_decay: float = 0.0,
        **kw: Any,
    ) -> None:
        super().__init__(lr, **kw)  # the decay is this rule's own, in its own place
        self.weight_decay = check_positive("weight_decay", weight_decay, allow_zero=True)
        if not (isinstance(beta2_decay, (int, float)) and -math.inf < beta2_decay <= 0):
            raise ConfigError(f"beta2_decay must be a finite number <= 0, got {beta2_decay!r}")
        self.beta2_decay = float(beta2_decay)
        self.eps1 = None if eps1 is None else check_positive("eps1", eps1)
        self.eps2 = check_positive("eps2", eps2, allow_zero=True)
        if not (isinstance(d, (int, float)) and 1 <= d < math.inf):
            raise ConfigError(f"d must be a finite number >= 1, got {d!r}")
        self.d = float(d)
        self._beta2_hat = self._lr_t = 1.0
        self._scratch = Scratch()

    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        if p.ndim > 1:  # the row and column statistics of the last two axes
            return {
                "row": np.zeros((*p.shape[:-1], 1), p.dtype),
                "col": np.zeros((*p.shape[:-2], 1, p.shape[-1]), p.dtype),
            }
        return {"v": np.zeros_like(p)}

    def _begin_step(self) -> None:
        self._beta2_hat = float(self.t) ** self.beta2_decay
        self._lr_t = min(self.lr, 1 / math.sqrt(self.t))

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        eps1 = np.finfo(p.dtype).eps if self.eps1 is None else self.eps1
        alpha = self._lr_t * max(self.eps2, rms(p))
        if self.weight_decay:
            p *= 1 - self.lr * self.weight_decay
        g2 = np.multiply(g, g, out=self._scratch.like(g))
        if "v" in s:
            v = s["v"]
            g2 -= v
            g2 *= self._beta2_hat
            v += g2  # v + beta2_hat * (g^2 - v)
        else:
            row, col = s["row"], s["col"]
            row += self._beta2_hat * (g2.mean(axis=-1, keepdims=True) - row)
            col += self._beta2_hat * (g2.mean(axis=-2, keepdims=True) - col)
            v = np.matmul(row, col, out=g2)  # g2 is no longer needed
            v /= np.maximum(row.mean(axis=-2, keepdims=True), eps1)
        u = np.maximum(v, eps1 * eps1, out=g2)
        np.sqrt(u, out=u)
        np.divide(g, u, out=u)  # u = g / sqrt(max(v, eps1^2))
        u *= alpha / max(1.0, rms(u) / self.d)
        p -= u


def rms(x: np.ndarray) -> float:
    """The root mean square of the entries of ``x``."""
    return float(np.linalg.norm(x.ravel()) / math.sqrt(x.size))
