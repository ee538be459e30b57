"""NAdam: Adam with Nesterov momentum."""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.optim.adam import Moments
from trainlab.optim.base import Optimizer
from trainlab.validate import check_positive


class NAdam(Moments):
    r"""NAdam: Adam with Nesterov momentum, in PyTorch's form (momentum schedule).

    Equations (t counts steps from 1, ``P`` is the running product of ``mu``)::

        mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))
        P_t = P_{t-1} * mu_t                                   (P_0 = 1)
        m, v as in Adam;  s = sqrt(v / (1 - beta2^t)) + eps
        W <- W - lr * (1 - mu_t) / (1 - P_t) * g / s
               - lr * mu_{t+1} / (1 - P_t * mu_{t+1}) * m / s

    Paper: Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016 workshop.
    Defaults: ``lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8, momentum_decay=0.004``
    (PyTorch's).
    PyTorch: ``torch.optim.NAdam(params, lr=lr, betas=(beta1, beta2), eps=eps,
    momentum_decay=momentum_decay, weight_decay=wd, decoupled_weight_decay=...)``.

    Typical lr: about 1x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = NAdam(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.816, -1.816])
    """

    lr_vs_adamw = 1.0

    state_names = ("m", "v")
    _runtime = Optimizer._runtime + ("mu_product",)

    def __init__(
        self,
        lr: float = 0.002,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        momentum_decay: float = 0.004,
        **kw: Any,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, **kw)
        self.momentum_decay = check_positive("momentum_decay", momentum_decay, allow_zero=True)
        self.mu_product = 1.0

    def _begin_step(self) -> None:
        t, b1, md = self.t, self.beta1, self.momentum_decay
        mu = b1 * (1.0 - 0.5 * 0.96 ** (t * md))
        mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * md))
        self.mu_product *= mu
        self._c_grad = self.lr * (1.0 - mu) / (1.0 - self.mu_product)
        self._c_mom = self.lr * mu_next / (1.0 - self.mu_product * mu_next)
        self._bc2 = 1.0 - self.beta2**t

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, v = s["m"], s["v"]
        m += (1 - self.beta1) * (g - m)
        v += (1 - self.beta2) * (g * g - v)
        denom = np.sqrt(v / self._bc2) + self.eps
        p -= g / denom * self._c_grad
        p -= m / denom * self._c_mom

    def _extra_state(self) -> dict[str, Any]:
        return {"mu_product": self.mu_product}

    def _load_extra_state(self, extra: dict[str, Any]) -> None:
        self.mu_product = float(extra["mu_product"])
