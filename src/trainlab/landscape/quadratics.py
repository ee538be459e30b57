"""Quadratic bowls: the notes' anisotropic bowl and a rotated one of any condition number."""

from __future__ import annotations

import math

import numpy as np

from trainlab.errors import ConfigError
from trainlab.landscape.base import Function


class Bowl(Function):
    """The notes' anisotropic bowl ``x²/20 + y²``: SGD zig-zags across the narrow axis.

    Written exactly as the book's ``optimizer_compare_naive.py`` (gradient
    ``(x / 10, 2y)``) so that paths match its figure number for number.
    """

    name = "bowl"
    window = ((-10.0, 10.0), (-5.0, 5.0))
    domain = ((-100.0, 100.0), (-100.0, 100.0))
    start = (-7.0, 2.0)
    steps = 30
    minima = ((0.0, 0.0),)
    lrs = {
        "sgd": 0.95,
        "momentum": 0.1,
        "adagrad": 1.5,
        "adam": 0.3,  # the notes'
        "nesterov": 0.3,
        "rmsprop": 0.2,
    }  # tuned

    def value(self, x, y):
        return x**2 / 20.0 + y**2

    def grad(self, x, y):
        return x / 10.0, 2.0 * y

    def hessian(self, x, y):
        one = np.ones_like(np.asarray(x, dtype=np.float64))
        return ((0.1 * one, 0.0 * one), (0.0 * one, 2.0 * one))


class Quadratic(Function):
    """A convex quadratic ``½ (u²/kappa + v²)`` with condition number ``kappa``,
    its axes (u, v) rotated by ``angle`` degrees from (x, y).

    With a rotation the narrow valley no longer lines up with a coordinate axis,
    so per-coordinate rates (AdaGrad, RMSprop, Adam) lose their advantage.
    """

    name = "quadratic"
    window = ((-10.0, 10.0), (-10.0, 10.0))
    domain = ((-100.0, 100.0), (-100.0, 100.0))
    start = (-7.0, 2.0)
    steps = 100
    minima = ((0.0, 0.0),)
    log_scale = True
    lrs = {
        "sgd": 1.0,
        "momentum": 0.2,
        "nesterov": 0.5,
        "adagrad": 3.0,
        "rmsprop": 0.3,
        "adam": 1.0,
    }

    def __init__(self, kappa: float = 10.0, angle: float = 30.0):
        kappa, angle = float(kappa), float(angle)
        if not (math.isfinite(kappa) and kappa >= 1.0):
            raise ConfigError(f"quadratic: kappa must be a finite number ≥ 1, got {kappa}")
        if not math.isfinite(angle):
            raise ConfigError(f"quadratic: angle must be finite (degrees), got {angle}")
        self.kappa, self.angle = kappa, angle
        c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        a, b = 1.0 / kappa, 1.0  # curvatures along u = (c, s) and v = (-s, c)
        self._h = (a * c * c + b * s * s, (a - b) * c * s, a * s * s + b * c * c)

    @property
    def spec(self) -> str:
        return f"quadratic:kappa={self.kappa:g},angle={self.angle:g}"

    def value(self, x, y):
        hxx, hxy, hyy = self._h
        return 0.5 * (hxx * x * x + 2.0 * hxy * x * y + hyy * y * y)

    def grad(self, x, y):
        hxx, hxy, hyy = self._h
        return hxx * x + hxy * y, hxy * x + hyy * y

    def hessian(self, x, y):
        hxx, hxy, hyy = self._h
        one = np.ones_like(np.asarray(x, dtype=np.float64))
        return ((hxx * one, hxy * one), (hxy * one, hyy * one))
