"""AdEMAMix: Adam with a second, much slower momentum mixed into its step."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.adam import Moments
from trainlab.validate import check_positive, check_unit


class AdEMAMix(Moments):
    r"""AdEMAMix: Adam's step plus ``alpha`` times a slow moving average of the gradients.

    Equations (t counts steps from 1; ``m1`` and ``v`` are Adam's, ``m2`` is slow)::

        m1 <- m1 + (1 - beta1) * (g - m1)                  # fast: the last ~10 steps
        v  <- v + (1 - beta2) * (g*g - v)
        m2 <- m2 + (1 - beta3_t) * (g - m2)                # slow: the last ~10 000 steps
        W  <- W - lr * (m1 / (1 - beta1^t) + alpha_t * m2)
                     / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    With ``t_alpha_beta3 = T`` both slow quantities warm up over the first T
    steps (without it, ``alpha_t = alpha`` and ``beta3_t = beta3``)::

        alpha_t = min(t * alpha / T, alpha)
        beta3_t = min(exp(ln(beta1) ln(beta3) / ((1 - t/T) ln(beta3) + (t/T) ln(beta1))), beta3)

    The one idea: one momentum cannot both follow the last few gradients and
    remember thousands of old ones; AdEMAMix keeps both and adds them. The slow
    average ``m2`` is not bias-corrected: it starts at zero and grows in, which
    (with the warm-up of ``alpha`` and ``beta3``, whose half-life grows linearly
    from ``beta1``'s to ``beta3``'s) keeps the early steps Adam's.

    Paper: Pagliardini, Ablin & Grangier, "The AdEMAMix Optimizer: Better,
    Faster, Older", ICLR 2025 (arXiv:2409.03137, 2024).
    Defaults: ``lr=0.001, beta1=0.9, beta2=0.999, beta3=0.9999, alpha=5,
    t_alpha_beta3=None, eps=1e-8`` (pytorch_optimizer's; the paper sets T to the
    length of the training).
    PyTorch: ``pytorch_optimizer.AdEMAMix(params, lr=lr, betas=(beta1, beta2,
    beta3), alpha=alpha, t_alpha_beta3=t_alpha_beta3, eps=eps, weight_decay=wd,
    weight_decouple=decoupled_weight_decay, maximize=maximize)``
    (``from_reference('pytorch_optimizer.AdEMAMix', ...)``).

    Typical lr: about 1x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = AdEMAMix(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.7999, -1.7999])
    """

    lr_vs_adamw = 1.0

    state_names = ("m1", "v", "m2")

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        beta3: float = 0.9999,
        alpha: float = 5.0,
        t_alpha_beta3: float | None = None,
        eps: float = 1e-8,
        **kw: Any,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, **kw)
        self.beta3 = check_unit("beta3", beta3)
        self.alpha = check_positive("alpha", alpha, allow_zero=True)
        self.t_alpha_beta3 = None
        if t_alpha_beta3 is not None:
            self.t_alpha_beta3 = check_positive("t_alpha_beta3", t_alpha_beta3)
            if self.beta1 == 0 or self.beta3 == 0:
                raise ConfigError("beta1 and beta3 must be > 0 to warm up beta3 (t_alpha_beta3)")
        self._alpha_t, self._beta3_t = self.alpha, self.beta3

    def _begin_step(self) -> None:
        t, big_t = self.t, self.t_alpha_beta3
        self._bc1 = 1.0 - math.pow(self.beta1, t)
        self._sqrt_bc2 = math.sqrt(1.0 - math.pow(self.beta2, t))
        if big_t is not None:
            self._alpha_t = min(t * self.alpha / big_t, self.alpha)
            # 1 / ln(beta3_t), the half-life, goes linearly from beta1's to beta3's
            ln1, ln3 = math.log(self.beta1), math.log(self.beta3)
            mixed = (1.0 - t / big_t) * ln3 + (t / big_t) * ln1
            self._beta3_t = min(math.exp(ln1 * ln3 / mixed), self.beta3)

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m1, v, m2 = s["m1"], s["v"], s["m2"]
        m1 += (1 - self.beta1) * (g - m1)
        v += (1 - self.beta2) * (g * g - v)
        m2 += (1 - self._beta3_t) * (g - m2)
        # the step above with both bias corrections moved onto lr and eps, as in Adam
        step = (self._alpha_t * self._bc1) * m2
        step += m1
        denom = np.sqrt(v)
        denom += self.eps * self._sqrt_bc2
        step /= denom
        step *= self.lr * self._sqrt_bc2 / self._bc1
        p -= step
