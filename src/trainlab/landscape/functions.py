"""Two-dimensional test functions with analytic gradients and Hessians, by name.

What each function knows: :class:`~trainlab.landscape.base.Function`. The
functions themselves, by family: :mod:`.quadratics` (the notes' bowl, a rotated
quadratic), :mod:`.classics` (Rosenbrock, Beale, Himmelblau, Rastrigin) and
:mod:`.flats` (a saddle, a plateau).

Look one up by name with :func:`get_function`; parameters follow a colon, e.g.
``get_function('quadratic:kappa=100,angle=45')``.
"""

from __future__ import annotations

import math

from trainlab.errors import ConfigError
from trainlab.landscape.base import Function
from trainlab.landscape.classics import Beale, Himmelblau, Rastrigin, Rosenbrock
from trainlab.landscape.flats import Plateau, Saddle
from trainlab.landscape.quadratics import Bowl, Quadratic

__all__ = [
    "FUNCTIONS",
    "Function",
    "Bowl",
    "Quadratic",
    "Rosenbrock",
    "Beale",
    "Saddle",
    "Himmelblau",
    "Rastrigin",
    "Plateau",
    "get_function",
    "check_start",
]


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
