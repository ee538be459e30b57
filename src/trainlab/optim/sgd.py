"""Gradient descent and its momentum forms."""

from __future__ import annotations

import numpy as np

from trainlab.optim.base import Optimizer, check_positive


class SGD(Optimizer):
    r"""Stochastic gradient descent.

    Equation:  ``W <- W - lr * dL/dW``

    Paper: Robbins & Monro, "A Stochastic Approximation Method", 1951.
    Defaults: ``lr=0.01`` (the notes).
    PyTorch: ``torch.optim.SGD(params, lr=lr)``.
    """

    def __init__(self, lr: float = 0.01, **kw):
        super().__init__(lr, **kw)

    def _apply(self, p, g, s):
        p -= self.lr * g


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
    ``v`` carries the old lr, PyTorch's ``b`` is rescaled by the new one.
    """

    state_names = ("v",)

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, **kw):
        super().__init__(lr, **kw)
        self.momentum = check_positive("momentum", momentum, allow_zero=True)

    def _apply(self, p, g, s):
        v = s["v"]
        v *= self.momentum
        v -= self.lr * g
        p += v


class Nesterov(Optimizer):
    r"""Nesterov accelerated gradient, in the notes' look-ahead form.

    Equations (``v`` on the right is the value before this step)::

        W <- W + momentum^2 * v - (1 + momentum) * lr * g
        v <- momentum * v - lr * g

    This is the corrected order: the book's code updates ``v`` first and then
    uses the new ``v`` in the step, which is not Nesterov's method. With the
    order above the path equals PyTorch's ``SGD(nesterov=True)``.

    Paper: Nesterov, "A method for unconstrained convex minimization problem
    with the rate of convergence O(1/k^2)", 1983; Sutskever et al., "On the
    importance of initialization and momentum in deep learning", ICML 2013.
    Defaults: ``lr=0.01, momentum=0.9``.
    PyTorch: ``torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=True)``.
    """

    state_names = ("v",)

    def __init__(self, lr: float = 0.01, momentum: float = 0.9, **kw):
        super().__init__(lr, **kw)
        self.momentum = check_positive("momentum", momentum, allow_zero=True)

    def _apply(self, p, g, s):
        m, v = self.momentum, s["v"]
        p += (m * m) * v
        p -= ((1.0 + m) * self.lr) * g
        v *= m
        v -= self.lr * g
