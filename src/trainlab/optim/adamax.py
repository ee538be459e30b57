"""Adamax: Adam with the infinity norm in place of the root mean square."""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.optim.adam import Moments


class Adamax(Moments):
    r"""Adamax: Adam whose second moment is an exponentially weighted maximum.

    Equations (t counts steps from 1)::

        m <- m + (1 - beta1) * (g - m)
        u <- max(beta2 * u, |g| + eps)
        W <- W - lr / (1 - beta1^t) * m / u

    Adam divides by the root of a running mean of ``g^2``, the L2 norm of the
    past gradients; Adamax lets the power go to infinity, and the L^p norm
    becomes a maximum: ``u`` is the largest recent ``|g|``, each older one
    discounted by ``beta2`` per step. ``u`` needs no bias correction (a maximum
    is not pulled towards its zero start), and ``u >= eps`` always, so eps
    only keeps the first division finite.

    Paper: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015
    (arXiv:1412.6980), section 7.1.
    Defaults: ``lr=0.002, beta1=0.9, beta2=0.999, eps=1e-8`` (PyTorch's and the paper's).
    PyTorch: ``torch.optim.Adamax(params, lr=lr, betas=(beta1, beta2), eps=eps,
    weight_decay=wd, maximize=...)`` (coupled L2 decay, as here by default).

    Typical lr: about 2x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = Adamax(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.8, -1.8])
    """

    lr_vs_adamw = 2.0

    state_names = ("m", "u")

    def __init__(
        self,
        lr: float = 0.002,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        **kw: Any,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, **kw)
        self._bc1 = 1.0

    def _begin_step(self) -> None:
        self._bc1 = 1.0 - self.beta1**self.t

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, u = s["m"], s["u"]
        m += (1 - self.beta1) * (g - m)
        np.maximum(self.beta2 * u, np.abs(g) + self.eps, out=u)
        p -= self.lr / self._bc1 * (m / u)
