"""RAdam: Adam with the variance of its adaptive rate rectified."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab.optim.adam import Moments


class RAdam(Moments):
    r"""RAdam: Adam with the variance of the adaptive rate rectified.

    Equations (t counts steps from 1; m, v as in Adam)::

        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
        if rho_t > 5:
            r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
            W <- W - lr * r * m / (1 - beta1^t) * sqrt(1 - beta2^t) / (sqrt(v) + eps)
        else:                                   # too few steps: plain momentum SGD
            W <- W - lr * m / (1 - beta1^t)

    Paper: Liu et al., "On the Variance of the Adaptive Learning Rate and
    Beyond", ICLR 2020.
    Defaults: ``lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8`` (PyTorch's).
    PyTorch: ``torch.optim.RAdam(params, lr=lr, betas=(beta1, beta2), eps=eps,
    weight_decay=wd, decoupled_weight_decay=...)``.

    Typical lr: about 2x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = RAdam(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.9, -1.9])
    """

    lr_vs_adamw = 2.0

    state_names = ("m", "v")

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        **kw: Any,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, **kw)

    def _begin_step(self) -> None:
        t, b2 = self.t, self.beta2
        self._bc1 = 1.0 - self.beta1**t
        self._bc2 = 1.0 - b2**t
        rho_inf = 2.0 / (1.0 - b2) - 1.0
        rho_t = rho_inf - 2.0 * t * b2**t / self._bc2
        self._rect = None
        if rho_t > 5.0:
            self._rect = math.sqrt(
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            )

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, v = s["m"], s["v"]
        m += (1 - self.beta1) * (g - m)
        v += (1 - self.beta2) * (g * g - v)
        if self._rect is None:  # too few steps: momentum SGD
            p -= m * (self.lr / self._bc1)
        else:
            p -= (
                math.sqrt(self._bc2)
                / (np.sqrt(v) + self.eps)
                * m
                * (self.lr * self._rect / self._bc1)
            )
