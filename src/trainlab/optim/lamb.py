"""LAMB: Adam's direction, scaled per layer by the ratio of the weights' norm to the step's."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab.optim.adam import Moments
from trainlab.validate import check_positive


class LAMB(Moments):
    r"""LAMB: each parameter (a layer's matrix) steps by Adam's direction times a trust ratio.

    Equations (t counts steps from 1; norms over the whole parameter)::

        W <- W * (1 - lr * weight_decay)           (decoupled_weight_decay=True)
        m <- beta1 * m + (1 - beta1) * g           (grad_averaging=False: + g)
        v <- beta2 * v + (1 - beta2) * g*g
        r = m / (sqrt(v) + eps)                    # Adam's direction
        r <- r + weight_decay * W                  (decoupled_weight_decay=False)
        trust = min(||W||, clamp) / (||r|| + eps)  (1 where either norm is 0,
                                                    or with trust_ratio=False)
        W <- W - lr / (1 - beta1^t) * trust * r

    The one idea: with very large batches one learning rate cannot suit every
    layer, because the ratio of a layer's step to its weights differs from layer
    to layer; LAMB normalises each layer's step to the size of its weights
    (``||W||``, capped at ``clamp``), so that every layer moves by about ``lr``
    times its own size. This let BERT train with batches of 32 000 sentences.
    The trust ratio needs each parameter whole: the rule reads one parameter
    at a time (``per_parameter``).

    Weight decay: decoupled by default (the reference's ``weight_decouple=True``);
    the coupled form is LAMB's own, added to Adam's direction ``r`` (inside the
    trust ratio) rather than to the gradient.

    Paper: You et al., "Large Batch Optimization for Deep Learning: Training
    BERT in 76 minutes", ICLR 2020 (arXiv:1904.00962).
    Defaults: ``lr=0.001, beta1=0.9, beta2=0.999, eps=1e-6, weight_decay=0,
    decoupled_weight_decay=True, grad_averaging=True, trust_ratio=True,
    clamp=10`` (pytorch_optimizer's: only ``m``'s bias is corrected).
    PyTorch: ``pytorch_optimizer.Lamb(params, lr=lr, betas=(beta1, beta2),
    eps=eps, weight_decay=wd, weight_decouple=decoupled_weight_decay,
    grad_averaging=grad_averaging, adam=not trust_ratio, maximize=maximize)``
    with ``Lamb.clamp = clamp`` (``from_reference('pytorch_optimizer.Lamb', ...)``).

    Typical lr: about 1x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``
    (each step's norm is ``lr / (1 - beta1^t) * ||W||``, a tenth of ``||W||``
    at the first step with ``lr=0.01``).

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = LAMB(lr=0.01)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.7665, -1.7665])
    """

    lr_vs_adamw = 1.0

    state_names = ("m", "v")
    elementwise = False
    per_parameter = True

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = True,
        grad_averaging: bool = True,
        trust_ratio: bool = True,
        clamp: float = 10.0,
        **kw: Any,
    ) -> None:
        # the base class decays decoupled; the coupled form is LAMB's own (on r)
        decoupled = bool(decoupled_weight_decay)
        wd = check_positive("weight_decay", weight_decay, allow_zero=True)
        super().__init__(
            lr,
            beta1,
            beta2,
            eps,
            weight_decay=wd if decoupled else 0.0,
            decoupled_weight_decay=decoupled,
            **kw,
        )
        self.weight_decay = wd
        self.grad_averaging = bool(grad_averaging)
        self.trust_ratio = bool(trust_ratio)
        self.clamp = check_positive("clamp", clamp)
        self._bc1 = 1.0

    def _begin_step(self) -> None:
        self._bc1 = 1.0 - math.pow(self.beta1, self.t)

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, v = s["m"], s["v"]
        m *= self.beta1
        m += (1 - self.beta1 if self.grad_averaging else 1.0) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        r = m / (np.sqrt(v) + self.eps)
        if self.weight_decay and not self.decoupled_weight_decay:
            r += self.weight_decay * p
        w_norm, r_norm = min(float(np.linalg.norm(p)), self.clamp), float(np.linalg.norm(r))
        trust = w_norm / (r_norm + self.eps) if w_norm and r_norm and self.trust_ratio else 1.0
        p -= (self.lr / self._bc1 * trust) * r
