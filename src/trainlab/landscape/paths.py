"""Follow an update rule across a two-dimensional function."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.landscape.functions import check_start, get_function
from trainlab.landscape.rules import stepping
from trainlab.limits import human
from trainlab.validate import check_count


@dataclass(frozen=True)
class Trace:
    """Where a rule went: ``points`` (steps+1, 2) and ``values`` (steps+1,).

    If an update produced inf or NaN (in the point, its value or its gradient),
    the path stopped there: ``diverged_at`` is that step and the remaining rows
    hold the last finite point, so the arrays never contain NaN.
    """

    points: np.ndarray
    values: np.ndarray
    diverged_at: int | None = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def last(self) -> int:
        """Index of the last point the rule really reached."""
        return len(self.points) - 1 if self.diverged_at is None else self.diverged_at - 1

    @property
    def final_value(self) -> float:
        """f at the end of the path; inf when the path diverged."""
        return math.inf if self.diverged else float(self.values[-1])

    @property
    def mean_value(self) -> float:
        """Mean of f over the whole path, start included; inf when the path diverged."""
        return math.inf if self.diverged else float(np.mean(self.values))


def saved_trace(record: dict) -> Trace:
    """The :class:`Trace` a ``paths.json`` record (``points``, ``values``,
    ``diverged_at``) holds."""
    return Trace(
        np.asarray(record["points"], dtype=float),
        np.asarray(record["values"], dtype=float),
        record["diverged_at"],
    )


#: the most updates a path may take: each is a Python-level step, kept in memory
MAX_STEPS = 100_000


def check_steps(steps) -> int:
    steps = check_count("steps", steps)
    if steps > MAX_STEPS:
        raise ConfigError(
            f"steps={steps:,} is more than the {MAX_STEPS:,} a landscape path "
            f"takes (its points alone would need {human(steps * 16)} per "
            "rule); choose fewer --steps"
        )
    return steps


def trace(function, optimizer, start=None, steps=None) -> Trace:
    """Run ``optimizer`` from ``start`` for ``steps`` updates on ``function``.

    ``function`` is a name (see :data:`FUNCTIONS`) or an object with
    ``value(x, y)`` and ``grad(x, y)``; ``optimizer`` anything with
    ``update(params, grads)``, given ``params = {'x': 0-d array, 'y': 0-d array}``,
    or with ``step(params, closure)`` (LBFGS: one step per point, see
    :mod:`trainlab.landscape.rules`). ``start`` and ``steps`` default to the function's own.
    """
    f = get_function(function)
    rule = stepping(f, optimizer)
    steps = check_steps(getattr(f, "steps", None) if steps is None else steps)
    x: Any
    y: Any
    x, y = (np.float64(v) for v in check_start(f, start))  # NumPy floats overflow to inf
    with np.errstate(all="ignore"):
        v = float(f.value(x, y))
    if not math.isfinite(v):
        raise ConfigError(f"f({x:g}, {y:g}) is not finite; pick another start")
    points = np.empty((steps + 1, 2))
    values = np.empty(steps + 1)
    points[0], values[0] = (x, y), v
    params = {"x": np.array(x, dtype=np.float64), "y": np.array(y, dtype=np.float64)}
    diverged_at = None
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            gx, gy = (np.asarray(g, dtype=np.float64) for g in f.grad(x, y))
            if not (np.isfinite(gx) and np.isfinite(gy)):
                diverged_at = k
                break
            rule.update(params, {"x": gx, "y": gy})
            x, y = params["x"][()], params["y"][()]
            v = float(f.value(x, y))
            if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(v)):
                diverged_at = k
                break
            points[k], values[k] = (x, y), v
    if diverged_at is not None:
        points[diverged_at:] = points[diverged_at - 1]
        values[diverged_at:] = values[diverged_at - 1]
    return Trace(points, values, diverged_at)


def path(function, optimizer, start=None, steps=None) -> np.ndarray:
    """The points of :func:`trace`: shape (steps+1, 2), the start first."""
    return trace(function, optimizer, start, steps).points
