"""Per-parameter learning rates: AdaGrad, RMSprop and Adadelta."""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab import kernels
from trainlab.optim.base import Kernel, Optimizer
from trainlab.validate import check_positive, check_unit


class AdaGrad(Optimizer):
    r"""AdaGrad: divide by the root of the summed squared gradients.

    Equations (the notes when ``lr_decay=0, initial_accumulator_value=0``)::

        h <- h + g * g                              h starts at initial_accumulator_value
        lr_t = lr / (1 + (t - 1) * lr_decay)        t counts steps from 1
        W <- W - lr_t * g / (sqrt(h) + eps)

    Paper: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online
    Learning and Stochastic Optimization", JMLR 2011.
    Defaults: ``lr=0.01, eps=1e-7`` (the notes), ``lr_decay=0,
    initial_accumulator_value=0``.
    PyTorch: ``torch.optim.Adagrad(params, lr=lr, lr_decay=lr_decay,
    initial_accumulator_value=..., eps=eps, weight_decay=...)``, same placement
    of eps (PyTorch's default eps is 1e-10).

    Typical lr: about 5x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = AdaGrad(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.8293, -1.8293])
    """

    lr_vs_adamw = 5.0

    state_names = ("h",)

    def __init__(
        self,
        lr: float = 0.01,
        eps: float = 1e-7,
        lr_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        **kw: Any,
    ) -> None:
        super().__init__(lr, **kw)
        self.eps = check_positive("eps", eps)
        self.lr_decay = check_positive("lr_decay", lr_decay, allow_zero=True)
        self.initial_accumulator_value = check_positive(
            "initial_accumulator_value", initial_accumulator_value, allow_zero=True
        )

    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        return {"h": np.full_like(p, self.initial_accumulator_value)}

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        h = s["h"]
        h += g * g
        lr_t = self.lr / (1.0 + (self.t - 1) * self.lr_decay)
        p -= lr_t * g / (np.sqrt(h) + self.eps)


class RMSprop(Optimizer):
    r"""RMSprop: AdaGrad with an exponential moving average of squared gradients.

    Equations (the notes when ``momentum=0, centered=False``)::

        h <- decay_rate * h + (1 - decay_rate) * g * g
        c <- c + (1 - decay_rate) * (g - c)          if centered (mean gradient)
        s = sqrt(h - c * c) + eps  if centered  else  sqrt(h) + eps
        b <- momentum * b + g / s;  W <- W - lr * b  if momentum > 0
        W <- W - lr * g / s                          otherwise

    Paper: Tieleman & Hinton, "Lecture 6.5 - rmsprop", COURSERA: Neural
    Networks for Machine Learning, 2012; centered form: Graves, "Generating
    Sequences With Recurrent Neural Networks", 2013.
    Defaults: ``lr=0.01, decay_rate=0.99, eps=1e-7`` (the notes),
    ``momentum=0, centered=False``.
    PyTorch: ``torch.optim.RMSprop(params, lr=lr, alpha=decay_rate, eps=eps,
    momentum=momentum, centered=centered, weight_decay=...)`` (PyTorch's default
    eps is 1e-8).
    Speed: on parameters that share one buffer, not centered and without
    momentum, a step is one call of :func:`trainlab.kernels.rmsprop_notes`
    (bit-identical to the NumPy code here).

    Typical lr: about 0.2x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = RMSprop(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([-0.7089, -0.2911])
    """

    lr_vs_adamw = 0.2

    def __init__(
        self,
        lr: float = 0.01,
        decay_rate: float = 0.99,
        eps: float = 1e-7,
        momentum: float = 0.0,
        centered: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(lr, **kw)
        self.decay_rate = check_unit("decay_rate", decay_rate)
        self.eps = check_positive("eps", eps)
        self.momentum = check_positive("momentum", momentum, allow_zero=True)
        self.centered = bool(centered)
        self.state_names = ("h",) + ("c",) * self.centered + ("b",) * bool(self.momentum)

    def _kernel(self) -> Kernel | None:
        if self.centered or self.momentum:
            return None
        return lambda p, g, s: kernels.rmsprop_notes(
            p, g, s["h"], self.lr, self.decay_rate, self.eps
        )

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        rho, h = self.decay_rate, s["h"]
        h[...] = rho * h + (1 - rho) * (g * g)
        if self.centered:
            c = s["c"]
            c += (1 - rho) * (g - c)
            denom = np.sqrt(h - c * c) + self.eps
        else:
            denom = np.sqrt(h) + self.eps
        d = g / denom
        if self.momentum:
            b = s["b"]
            b[...] = self.momentum * b + d
            d = b
        p -= self.lr * d


class Adadelta(Optimizer):
    r"""Adadelta: RMSprop whose step is scaled by the RMS of past updates.

    Equations::

        h <- rho * h + (1 - rho) * g * g
        d = sqrt(u + eps) / sqrt(h + eps) * g
        u <- rho * u + (1 - rho) * d * d
        W <- W - lr * d

    The ratio of the two RMS values has the units of W, so the method needs no
    learning rate (lr=1); ``lr`` remains as a plain multiplier, as in PyTorch.

    Paper: Zeiler, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701, 2012.
    Defaults: ``lr=1.0, rho=0.9, eps=1e-6`` (PyTorch's).
    PyTorch: ``torch.optim.Adadelta(params, lr=lr, rho=rho, eps=eps, weight_decay=...)``.

    Typical lr: about 200x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = Adadelta()
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.9936, -1.9936])
    """

    lr_vs_adamw = 200.0

    state_names = ("h", "u")

    def __init__(self, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6, **kw: Any) -> None:
        super().__init__(lr, **kw)
        self.rho = check_unit("rho", rho)
        self.eps = check_positive("eps", eps)

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        rho, eps, h, u = self.rho, self.eps, s["h"], s["u"]
        h[...] = rho * h + (1 - rho) * (g * g)
        d = np.sqrt(u + eps) / np.sqrt(h + eps) * g
        u[...] = rho * u + (1 - rho) * (d * d)
        p -= self.lr * d
