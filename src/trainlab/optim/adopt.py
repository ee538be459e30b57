"""ADOPT: Adam that normalises by the second moment of the steps before, then takes momentum."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab.optim.adam import Moments


class ADOPT(Moments):
    r"""ADOPT: the gradient is divided by ``sqrt(v)`` of the *previous* steps, then averaged.

    Equations (t counts steps from 1; the first step only seeds ``v``)::

        t = 1:   v <- g*g                                   (W does not move)
        t > 1:   n = g / max(sqrt(v), eps)                  # v from steps 1 .. t-1
                 n <- clip(n, -t^(1/4), t^(1/4))            (clip=True)
                 m <- m + (1 - beta1) * (n - m)             # momentum of the normalised g
                 W <- W - lr * m
                 v <- v + (1 - beta2) * (g*g - v)

    The one idea: in Adam the current gradient sits in the ``v`` that divides it,
    so a large gradient shrinks its own step, and Adam can diverge unless
    ``beta2`` is tuned to the problem. ADOPT divides by the ``v`` of the steps
    before, and takes the momentum after the division, so it converges for any
    ``beta2``; the clip at ``t^(1/4)`` guards the first steps, where ``v`` rests
    on few gradients. No bias correction is needed: ``v`` starts at ``g*g``.

    Paper: Taniguchi et al., "ADOPT: Modified Adam Can Converge with Any beta2
    with the Optimal Rate", NeurIPS 2024 (arXiv:2411.02853).
    Defaults: ``lr=0.001, beta1=0.9, beta2=0.9999, eps=1e-6, clip=True`` (the paper's).
    PyTorch: ``pytorch_optimizer.ADOPT(params, lr=lr, betas=(beta1, beta2),
    eps=eps, weight_decay=wd, weight_decouple=decoupled_weight_decay,
    maximize=maximize)``, with ``clip_lambda=None`` for ``clip=False``
    (``from_reference('pytorch_optimizer.ADOPT', ...)``).

    Typical lr: about 1x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = ADOPT(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.99, -1.99])
    """

    lr_vs_adamw = 1.0

    state_names = ("m", "v")

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.9999,
        eps: float = 1e-6,
        clip: bool = True,
        **kw: Any,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, **kw)
        self.clip = bool(clip)
        self._bound = math.inf

    def _begin_step(self) -> None:
        self._bound = math.pow(self.t, 0.25) if self.clip else math.inf

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, v = s["m"], s["v"]
        if self.t == 1:  # the first gradient only seeds v
            v += g * g
            return
        n = np.sqrt(v)
        np.maximum(n, self.eps, out=n)
        np.divide(g, n, out=n)  # n = g / max(sqrt(v), eps)
        if self.clip:
            np.clip(n, -self._bound, self._bound, out=n)
        m += (1 - self.beta1) * (n - m)
        p -= self.lr * m
        v += (1 - self.beta2) * (g * g - v)
