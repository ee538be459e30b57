"""Gradient descent and its momentum forms."""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab import kernels
from trainlab.errors import ConfigError
from trainlab.optim.base import Kernel, Optimizer
from trainlab.validate import check_positive


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with PyTorch-form momentum.

    Equation (the notes, ``momentum=0``)::

        W <- W - lr * g

    With ``momentum > 0`` it is PyTorch's form (buffer ``b``, t counts steps)::

        b <- g                                    at t = 1
        b <- momentum * b + (1 - dampening) * g   at t > 1
        d <- g + momentum * b  if nesterov  else  b
        W <- W - lr * d

    ``b`` holds no learning rate, so changing ``lr`` mid-run rescales the whole
    step at once (compare :class:`Momentum`, whose velocity keeps the old rate).

    Paper: Robbins & Monro, "A Stochastic Approximation Method", 1951;
    momentum: Polyak 1964; Nesterov form: Sutskever et al., ICML 2013.
    Defaults: ``lr=0.01`` (the notes), ``momentum=0, dampening=0, nesterov=False``.
    PyTorch: ``torch.optim.SGD(params, lr=lr, momentum=momentum,
    dampening=dampening, nesterov=nesterov, weight_decay=weight_decay)``
    (``from_torch('SGD', ...)``; PyTorch's default lr is 1e-3).

    Typical lr: about 20x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = SGD(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.9, -1.9])
    """

    lr_vs_adamw = 20.0

    def __init__(
        self,
        lr: float = 0.01,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(lr, **kw)
        self.momentum = check_positive("momentum", momentum, allow_zero=True)
        self.dampening = check_positive("dampening", dampening, allow_zero=True)
        self.nesterov = bool(nesterov)
        if self.nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ConfigError(
                "nesterov=True needs momentum > 0 and dampening = 0; set momentum or drop nesterov"
            )
        self.state_names = ("b",) if self.momentum else ()

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        if not self.momentum:
            p -= self.lr * g
            return
        b = s["b"]
        if self.t == 1:
            b[...] = g
        else:
            b[...] = self.momentum * b + (1 - self.dampening) * g
        d = g + self.momentum * b if self.nesterov else b
        p -= self.lr * d


class Momentum(Optimizer):
    r"""SGD with (heavy-ball) momentum, in the notes' form.

    Equations::

        v <- momentum * v - lr * g
        W <- W + v

    Paper: Polyak, "Some methods of speeding up the convergence of iteration
    methods", 1964.
    Defaults: ``lr=0.01, momentum=0.9`` (the notes).
    PyTorch: ``torch.optim.SGD(params, lr=lr, momentum=momentum)`` keeps
    ``b <- momentum * b + g`` and steps ``W <- W - lr * b``; with a constant lr
    ``v = -lr * b`` and the two agree. If lr changes mid-run they differ: here
    ``v`` carries the old lr, PyTorch's ``b`` is rescaled by the new one (use
    :class:`SGD` with ``momentum=`` for that behaviour).
    Speed: on parameters that share one buffer, a step is one call of
    :func:`trainlab.kernels.momentum_notes` (bit-identical to the NumPy code here).

    Typical lr: about 2x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = Momentum(lr=0.1, momentum=0.9)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.855, -1.855])
    """

    lr_vs_adamw = 2.0

    state_names = ("v",)

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, **kw: Any) -> None:
        super().__init__(lr, **kw)
        self.momentum = check_positive("momentum", momentum, allow_zero=True)

    def _kernel(self) -> Kernel | None:
        return lambda p, g, s: kernels.momentum_notes(p, g, s["v"], self.lr, self.momentum)

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        v = s["v"]
        v[...] = self.momentum * v - self.lr * g
        p += v


class Nesterov(Optimizer):
    r"""Nesterov accelerated gradient, in the notes' look-ahead form.

    Equations (``v`` on the right is the value before this step)::

        W <- W + momentum^2 * v - (1 + momentum) * lr * g
        v <- momentum * v - lr * g

    This is the corrected order: the book's code updates ``v`` first and then
    uses the new ``v`` in the step, which is not Nesterov's method. With the
    order above and a constant lr the path equals PyTorch's ``SGD(nesterov=True)``.

    Paper: Nesterov, "A method for unconstrained convex minimization problem
    with the rate of convergence O(1/k^2)", 1983; Sutskever et al., "On the
    importance of initialization and momentum in deep learning", ICML 2013.
    Defaults: ``lr=0.01, momentum=0.9``.
    PyTorch: ``torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=True)``.

    Typical lr: about 5x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = Nesterov(lr=0.1, momentum=0.9)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.7695, -1.7695])
    """

    lr_vs_adamw = 5.0

    state_names = ("v",)

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, **kw: Any) -> None:
        super().__init__(lr, **kw)
        self.momentum = check_positive("momentum", momentum, allow_zero=True)

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        mu, v = self.momentum, s["v"]
        p += mu * mu * v
        p -= (1 + mu) * self.lr * g
        v[...] = mu * v - self.lr * g
