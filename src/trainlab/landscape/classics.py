"""The classic test functions of optimisation: Rosenbrock, Beale, Himmelblau, Rastrigin."""

from __future__ import annotations

import math

import numpy as np

from trainlab.landscape.base import Function


class Rosenbrock(Function):
    """Rosenbrock's banana ``(1 - x)² + 100 (y - x²)²``: a curved, flat-bottomed valley."""

    name = "rosenbrock"
    window = ((-2.0, 2.0), (-1.0, 3.0))
    domain = ((-5.0, 10.0), (-5.0, 10.0))
    start = (-1.2, 1.0)
    steps = 500
    minima = ((1.0, 1.0),)
    log_scale = True
    lrs = {
        "sgd": 0.003,
        "momentum": 0.001,
        "nesterov": 0.001,
        "adagrad": 1.0,
        "rmsprop": 0.03,
        "adam": 0.3,
    }

    def value(self, x, y):
        return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2

    def grad(self, x, y):
        return -2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)

    def hessian(self, x, y):
        return ((2.0 - 400.0 * y + 1200.0 * x * x, -400.0 * x), (-400.0 * x, 200.0 + 0.0 * x))


class Beale(Function):
    """Beale's function: steep walls and a flat, curved valley towards (3, 0.5)."""

    name = "beale"
    window = ((-4.5, 4.5), (-4.5, 4.5))
    domain = window
    start = (1.0, 1.5)
    steps = 300
    minima = ((3.0, 0.5),)
    log_scale = True
    lrs = {
        "sgd": 0.01,
        "momentum": 0.005,
        "nesterov": 0.003,
        "adagrad": 1.0,
        "rmsprop": 0.1,
        "adam": 0.5,
    }

    @staticmethod
    def _terms(x, y):
        # a_i = c_i - x + x y^i and their derivatives
        a = (1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y**3)
        ax = (y - 1.0, y * y - 1.0, y**3 - 1.0)
        ay = (x, 2.0 * x * y, 3.0 * x * y * y)
        return a, ax, ay

    def value(self, x, y):
        a, _, _ = self._terms(x, y)
        return a[0] ** 2 + a[1] ** 2 + a[2] ** 2

    def grad(self, x, y):
        a, ax, ay = self._terms(x, y)
        return (
            2.0 * sum(ai * d for ai, d in zip(a, ax, strict=False)),
            2.0 * sum(ai * d for ai, d in zip(a, ay, strict=False)),
        )

    def hessian(self, x, y):
        a, ax, ay = self._terms(x, y)
        ayy = (0.0, 2.0 * x, 6.0 * x * y)  # d²a_i/dy²  (d²a_i/dx² = 0)
        axy = (1.0, 2.0 * y, 3.0 * y * y)  # d²a_i/dxdy
        fxx = 2.0 * sum(d * d for d in ax)
        fxy = 2.0 * sum(dx * dy + ai * c for ai, dx, dy, c in zip(a, ax, ay, axy, strict=False))
        fyy = 2.0 * sum(dy * dy + ai * c for ai, dy, c in zip(a, ay, ayy, strict=False))
        return ((fxx, fxy), (fxy, fyy))


class Himmelblau(Function):
    """Himmelblau's function ``(x² + y - 11)² + (x + y² - 7)²``: four minima, all zero."""

    name = "himmelblau"
    window = ((-5.0, 5.0), (-5.0, 5.0))
    domain = window
    start = (-0.5, -1.5)
    steps = 200
    minima = (
        (3.0, 2.0),
        (-2.805118086952745, 3.131312518250573),
        (-3.779310253377747, -3.283185991286169),
        (3.5844283403304917, -1.8481265269644034),
    )
    log_scale = True
    lrs = {
        "sgd": 0.01,
        "momentum": 0.005,
        "nesterov": 0.005,
        "adagrad": 1.0,
        "rmsprop": 0.1,
        "adam": 1.0,
    }

    def value(self, x, y):
        return (x * x + y - 11.0) ** 2 + (x + y * y - 7.0) ** 2

    def grad(self, x, y):
        a, b = x * x + y - 11.0, x + y * y - 7.0
        return 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b

    def hessian(self, x, y):
        fxy = 4.0 * x + 4.0 * y
        return ((12.0 * x * x + 4.0 * y - 42.0, fxy), (fxy, 4.0 * x + 12.0 * y * y - 26.0))


class Rastrigin(Function):
    """Rastrigin's ``20 + x² + y² - 10 (cos 2πx + cos 2πy)``: a bowl of local minima."""

    name = "rastrigin"
    window = ((-5.12, 5.12), (-5.12, 5.12))
    domain = window
    start = (3.2, 2.1)
    steps = 200
    minima = ((0.0, 0.0),)
    lrs = {
        "sgd": 0.003,
        "momentum": 0.0005,
        "nesterov": 0.001,
        "adagrad": 1.0,
        "rmsprop": 0.1,
        "adam": 0.3,
    }  # adam: tuned 2.4 is chaotic, 1 and 2 leave the window

    def value(self, x, y):
        tau = 2.0 * math.pi
        return 20.0 + x * x + y * y - 10.0 * (np.cos(tau * x) + np.cos(tau * y))

    def grad(self, x, y):
        tau = 2.0 * math.pi
        return 2.0 * x + 10.0 * tau * np.sin(tau * x), 2.0 * y + 10.0 * tau * np.sin(tau * y)

    def hessian(self, x, y):
        tau = 2.0 * math.pi
        zero = 0.0 * np.asarray(x, dtype=np.float64)
        return (
            (2.0 + 10.0 * tau * tau * np.cos(tau * x), zero),
            (zero, 2.0 + 10.0 * tau * tau * np.cos(tau * y)),
        )
