"""Two-dimensional test functions with analytic gradients and Hessians.

Each function knows its minima (and the value there), a plotting window, a
domain that start points must lie in, a default start and number of steps,
whether its contours read better on a log scale, and default learning rates
per update rule (:attr:`Function.lrs`). ``value``, ``grad`` and ``hessian``
work element-wise on arrays, so ``value(X, Y)`` on a mesh gives the contours.

Look one up by name with :func:`get_function`; parameters follow a colon, e.g.
``get_function('quadratic:kappa=100,angle=45')``.
"""

from __future__ import annotations

import math

import numpy as np

from trainlab.errors import ConfigError


class Function:
    """Base class: subclasses define ``value``, ``grad`` and ``hessian``."""

    name = ""
    window = ((-1.0, 1.0), (-1.0, 1.0))  # (x range, y range) drawn
    domain = window  # start points must lie inside this box
    start = (0.5, 0.5)
    steps = 300
    minima: tuple = ()  # ((x, y), ...) global (or listed local) minima
    min_value: float | None = 0.0  # value at the minima; None if unbounded below
    saddles: tuple = ()
    log_scale = False  # draw contours of f - min on a log scale
    #: default learning rate per update rule: the best of a 25-point log grid plus
    #: 8 golden-section steps under the mean-value objective (see tune.py), from
    #: the default start and steps, rounded down to 1, 2, 3 or 5 times a power of ten
    lrs: dict = {}

    def value(self, x, y):
        raise NotImplementedError

    def grad(self, x, y):
        raise NotImplementedError

    def hessian(self, x, y):
        """((f_xx, f_xy), (f_xy, f_yy)) at (x, y)."""
        raise NotImplementedError

    @property
    def spec(self) -> str:
        """The name that :func:`get_function` turns back into this function."""
        return self.name

    def __repr__(self) -> str:
        return f"<function {self.spec}>"


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


#: name -> class (called with the parameters after the colon); 'notes' is the bowl
FUNCTIONS: dict[str, type[Function]] = {
    "bowl": Bowl,
    "notes": Bowl,
    "quadratic": Quadratic,
    "rosenbrock": Rosenbrock,
    "beale": Beale,
    "saddle": Saddle,
    "himmelblau": Himmelblau,
    "rastrigin": Rastrigin,
    "plateau": Plateau,
}


def get_function(spec) -> Function:
    """A function from its name, ``'name:key=value,...'``, or an object passed through.

    An object passes through if it has ``value(x, y)`` and ``grad(x, y)``.
    """
    if not isinstance(spec, str):
        if callable(getattr(spec, "value", None)) and callable(getattr(spec, "grad", None)):
            return spec
        raise ConfigError(
            f"function must be a name or have value(x, y) and grad(x, y), got {type(spec).__name__}"
        )
    name, _, rest = spec.strip().partition(":")
    cls = FUNCTIONS.get(name.strip().lower())
    if cls is None:
        raise ConfigError(f"unknown function {name!r}; choose one of {', '.join(FUNCTIONS)}")
    kwargs = {}
    for item in filter(None, (s.strip() for s in rest.split(","))):
        key, eq, val = item.partition("=")
        try:
            kwargs[key.strip()] = float(val)
        except ValueError:
            eq = ""
        if not eq:
            raise ConfigError(
                f"bad function parameter {item!r} in {spec!r}; write name:key=number,key=number"
            )
    try:
        return cls(**kwargs)
    except TypeError:
        raise ConfigError(
            f"{cls.name} takes no parameter(s) {', '.join(kwargs)}; "
            f"use {cls.name}" + ("" if cls is not Quadratic else ":kappa=K,angle=DEGREES")
        ) from None


def check_start(function, start=None) -> tuple[float, float]:
    """The start point as two floats: finite, and inside the function's domain if it has one."""
    if start is None:
        start = getattr(function, "start", None)
        if start is None:
            raise ConfigError(
                "no start point given and the function has no default; pass start=(x, y)"
            )
    try:
        x, y = (float(v) for v in start)
    except (TypeError, ValueError):
        raise ConfigError(f"start must be two numbers (x, y), got {start!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ConfigError(f"start ({x}, {y}) is not finite; give two finite numbers")
    domain = getattr(function, "domain", None)
    if domain is not None:
        (x0, x1), (y0, y1) = domain
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            raise ConfigError(
                f"start ({x:g}, {y:g}) is outside the domain of "
                f"{getattr(function, 'name', 'the function')}, "
                f"[{x0:g}, {x1:g}] × [{y0:g}, {y1:g}]; pick a start inside it"
            )
    return x, y
