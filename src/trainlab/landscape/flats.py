"""Where the gradient vanishes without a minimum: a saddle point and a plateau."""

from __future__ import annotations

import numpy as np

from trainlab.landscape.base import Function


class Saddle(Function):
    """The saddle ``x² - y²``: the gradient vanishes at (0, 0), yet it is no minimum.

    Unbounded below, so there are no minima and paths leave the window along y.
    """

    name = "saddle"
    window = ((-2.0, 2.0), (-2.0, 2.0))
    domain = ((-10.0, 10.0), (-10.0, 10.0))
    start = (-1.5, 0.01)
    steps = 50
    minima = ()
    min_value = None
    saddles = ((0.0, 0.0),)
    # picked by hand: unbounded below, so tuning just takes the largest rate
    lrs = {
        "sgd": 0.1,
        "momentum": 0.03,
        "nesterov": 0.03,
        "adagrad": 0.3,
        "rmsprop": 0.03,
        "adam": 0.1,
    }

    def value(self, x, y):
        return x * x - y * y

    def grad(self, x, y):
        return 2.0 * x, -2.0 * y

    def hessian(self, x, y):
        one = np.ones_like(np.asarray(x, dtype=np.float64))
        return ((2.0 * one, 0.0 * one), (0.0 * one, -2.0 * one))


class Plateau(Function):
    """A narrow well in a wide plateau, ``1 - exp(-(x² + y²) / 2)``.

    Far from the well the gradient is tiny: plain SGD crawls, while rules that
    divide by the gradient's size (AdaGrad, RMSprop, Adam) keep their speed.
    """

    name = "plateau"
    window = ((-4.0, 4.0), (-4.0, 4.0))
    domain = ((-10.0, 10.0), (-10.0, 10.0))
    start = (3.0, 2.0)
    steps = 200
    minima = ((0.0, 0.0),)
    lrs = {
        "sgd": 1.0,
        "momentum": 2.0,
        "nesterov": 1.0,
        "adagrad": 1.0,
        "rmsprop": 0.05,
        "adam": 1.0,
    }

    def value(self, x, y):
        return 1.0 - np.exp(-(x * x + y * y) / 2.0)

    def grad(self, x, y):
        e = np.exp(-(x * x + y * y) / 2.0)
        return x * e, y * e

    def hessian(self, x, y):
        e = np.exp(-(x * x + y * y) / 2.0)
        return ((e * (1.0 - x * x), -x * y * e), (-x * y * e, e * (1.0 - y * y)))
