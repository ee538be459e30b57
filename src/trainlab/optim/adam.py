"""Adam and AdamW (AMSGrad is an option of Adam); NAdam, RAdam and SWATS build on its moments."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab import kernels
from trainlab.errors import ConfigError
from trainlab.optim.base import Kernel, Optimizer
from trainlab.validate import check_positive, check_unit


class Moments(Optimizer):
    """Shared part of the Adam family: ``beta1``, ``beta2`` and ``eps``."""

    def __init__(self, lr: float, beta1: float, beta2: float, eps: float, **kw: Any) -> None:
        super().__init__(lr, **kw)
        self.beta1 = check_unit("beta1", beta1)
        self.beta2 = check_unit("beta2", beta2)
        self.eps = check_positive("eps", eps)

    def moments(self, g: np.ndarray, m: np.ndarray, v: np.ndarray) -> None:
        """Adam's two moving averages, in place: of the gradient and of its square."""
        m += (1 - self.beta1) * (g - m)
        v += (1 - self.beta2) * (g * g - v)


class Adam(Moments):
    r"""Adam; by default in the notes' form, optionally in PyTorch's.

    Equations (t counts steps from 1; ``v*`` is ``v``, or with ``amsgrad=True``
    the running maximum ``vmax <- max(vmax, v)``)::

        m <- m + (1 - beta1) * (g - m)          # = beta1*m + (1-beta1)*g
        v <- v + (1 - beta2) * (g*g - v)        # = beta2*v + (1-beta2)*g*g
        eps_placement='notes':
            lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
            W <- W - lr_t * m / (sqrt(v*) + eps)
        eps_placement='torch':
            W <- W - lr / (1 - beta1^t) * m / (sqrt(v*) / sqrt(1 - beta2^t) + eps)
        eps_placement='inside' (the lecture's Adam with its warm start):
            W <- W - lr * (m / (1 - beta1^t)) / sqrt(v* / (1 - beta2^t) + eps)

    The factors ``1 - beta^t`` are the bias correction that the lecture notes
    call the "warm start": m and v start at zero, so early on they
    underestimate the moments; ``bias_correction=False`` drops them (every
    factor becomes 1) to show what they do. The two biases do not cancel: the
    first uncorrected step is ``(1 - beta1) / sqrt(1 - beta2)`` times the
    corrected one (3.16 times with the defaults), and the steps stay too large
    until ``beta2^t`` has faded, after about ``1 / (1 - beta2)`` steps.

    Where eps goes: the notes add eps to ``sqrt(v)`` *before* the correction,
    PyTorch adds it to ``sqrt(v / (1 - beta2^t))`` *after*. The notes' form
    equals PyTorch's with eps replaced by ``eps / sqrt(1 - beta2^t)``, which
    changes with t: no constant eps makes the two agree, and the difference is
    largest in the first steps and where ``v`` is small. The lecture puts eps
    inside the root, after the correction (``eps_placement='inside'``); that
    differs from the other two only where ``v`` is near eps.

    Weight decay: ``weight_decay`` is coupled L2 by default, ``g <- g + wd * W``
    before the moments; then the decay is divided by ``sqrt(v)`` like the rest
    of the gradient, so weights with large gradients are hardly decayed. With
    ``decoupled_weight_decay=True`` (that is :class:`AdamW`) the weights shrink
    as ``W <- W * (1 - lr * wd)`` outside the moments, the same for every weight.

    Paper: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015
    (arXiv:1412.6980); AMSGrad: Reddi, Kale & Kumar, "On the Convergence of
    Adam and Beyond", ICLR 2018.
    Defaults: ``lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7`` (the notes),
    ``amsgrad=False, bias_correction=True, eps_placement='notes'``.
    PyTorch: ``torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps,
    amsgrad=amsgrad, weight_decay=wd)`` is ``Adam(..., eps_placement='torch')``
    (``from_torch('Adam', ...)``; PyTorch's default eps is 1e-8).
    Speed: on parameters that share one buffer, with the notes' eps placement
    and no AMSGrad, a step is one call of :func:`trainlab.kernels.adam_notes`
    (bit-identical to the NumPy code here).

    Typical lr: about 1x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = Adam(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.8, -1.8])
    """

    lr_vs_adamw = 1.0

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-7,
        amsgrad: bool = False,
        bias_correction: bool = True,
        eps_placement: str = "notes",
        **kw: Any,
    ) -> None:
        super().__init__(lr, beta1, beta2, eps, **kw)
        if eps_placement not in ("notes", "torch", "inside"):
            raise ConfigError(
                f"eps_placement must be 'notes', 'torch' or 'inside', got {eps_placement!r}"
            )
        self.amsgrad = bool(amsgrad)
        self.bias_correction = bool(bias_correction)
        self.eps_placement = eps_placement
        self.state_names = ("m", "v") + ("vmax",) * self.amsgrad
        self._bc1 = self._bc2 = 1.0

    def _begin_step(self) -> None:
        if self.bias_correction:
            self._bc1 = 1.0 - self.beta1**self.t
            self._bc2 = 1.0 - self.beta2**self.t

    def _lr_t(self) -> float:
        """The notes' step size, ``lr * sqrt(1 - beta2^t) / (1 - beta1^t)``."""
        return self.lr * math.sqrt(self._bc2) / self._bc1

    def _kernel(self) -> Kernel | None:
        if self.amsgrad or self.eps_placement != "notes":
            return None
        return lambda p, g, s: kernels.adam_notes(
            p, g, s["m"], s["v"], self._lr_t(), self.beta1, self.beta2, self.eps
        )

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, v = s["m"], s["v"]
        self.moments(g, m, v)
        if self.amsgrad:
            np.maximum(s["vmax"], v, out=s["vmax"])
            v = s["vmax"]
        if self.eps_placement == "notes":
            p -= self._lr_t() * m / (np.sqrt(v) + self.eps)
        elif self.eps_placement == "torch":
            p -= m / (np.sqrt(v) / math.sqrt(self._bc2) + self.eps) * (self.lr / self._bc1)
        else:
            p -= self.lr * (m / self._bc1) / np.sqrt(v / self._bc2 + self.eps)


class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay.

    Equations (``m``, ``v``, ``t`` as in :class:`Adam`, PyTorch's eps placement)::

        W <- W * (1 - lr * weight_decay)
        W <- W - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    L2 vs decoupled: Adam with ``weight_decay`` adds ``wd * W`` to the gradient,
    so the decay goes through the moments and is divided by ``sqrt(v)``; it
    shrinks weights with small gradients much more than weights with large
    ones, and is not the same as decaying the weights. AdamW applies the decay
    to the weights directly, at rate ``lr * wd`` for every weight, and leaves
    ``m`` and ``v`` to the loss gradient alone. For plain SGD the two coincide
    (up to rescaling wd by lr); for adaptive rules they do not.

    Paper: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
    Defaults: ``lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01,
    amsgrad=False`` (PyTorch's).
    PyTorch: ``torch.optim.AdamW(params, lr=lr, betas=(beta1, beta2), eps=eps,
    weight_decay=weight_decay, amsgrad=amsgrad)``.

    Typical lr: about 1x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the quick built-in problems.

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = AdamW(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.7981, -1.7961])
    """

    lr_vs_adamw = 1.0

    _fixed = ("decoupled_weight_decay",)

    def __init__(
        self,
        lr: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 0.01,
        amsgrad: bool = False,
        eps_placement: str = "torch",
        **kw: Any,
    ) -> None:
        super().__init__(
            lr,
            beta1,
            beta2,
            eps,
            amsgrad=amsgrad,
            eps_placement=eps_placement,
            weight_decay=weight_decay,
            decoupled_weight_decay=True,
            **kw,
        )
