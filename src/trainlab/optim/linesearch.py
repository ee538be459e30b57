"""The strong-Wolfe line search that :class:`trainlab.optim.lbfgs.LBFGS` may use.

Along a direction ``d`` from the point ``x``, look for a step ``t`` with

    f(x + t d) <= f(x) + c1 t g.d          (sufficient decrease, Armijo)
    |g(x + t d).d| <= c2 |g.d|              (the slope has flattened, strong Wolfe)

First *bracket*: grow ``t`` (cubic extrapolation, at most ten times) until an
interval holds such a point; then *zoom*: shrink the interval by cubic
interpolation until a point satisfies both conditions.

Reference: Nocedal & Wright, "Numerical Optimization" (2nd ed., 2006),
Algorithms 3.5 and 3.6; the same steps as ``torch.optim.lbfgs._strong_wolfe``
(itself a port of ``lswolfe.lua`` from Torch7's optim), with its constants
``c1=1e-4``, ``c2=0.9`` and bracket tolerance ``1e-9``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

#: ``evaluate(t) -> (loss, flat gradient)`` at ``x + t * d``
Evaluate = Callable[[float], tuple[float, np.ndarray]]

C1, C2 = 1e-4, 0.9
TOLERANCE_CHANGE = 1e-9


class Point(NamedTuple):
    """One trial step: ``t``, the loss ``f`` and gradient ``g`` there, the slope ``gtd = g.d``."""

    t: float
    f: float
    g: np.ndarray
    gtd: float


def cubic_minimum(a: Point, b: Point, bounds: tuple[float, float] | None = None) -> float:
    """The minimum of the cubic through ``a`` and ``b`` (values and slopes), clipped to
    ``bounds`` (default: between the two); their midpoint when the cubic has none."""
    lo, hi = bounds if bounds is not None else (min(a.t, b.t), max(a.t, b.t))
    x1, x2 = np.float64(a.t), np.float64(b.t)
    with np.errstate(divide="ignore", invalid="ignore"):
        d1 = a.gtd + b.gtd - 3 * (a.f - b.f) / (x1 - x2)
        d2_square = d1**2 - a.gtd * b.gtd
        if not d2_square >= 0:
            return (lo + hi) / 2.0
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            t = x2 - (x2 - x1) * ((b.gtd + d2 - d1) / (b.gtd - a.gtd + 2 * d2))
        else:
            t = x1 - (x1 - x2) * ((a.gtd + d2 - d1) / (a.gtd - b.gtd + 2 * d2))
    return float(min(max(t, lo), hi))


def strong_wolfe(
    evaluate: Evaluate, d: np.ndarray, start: Point, max_ls: int = 25
) -> tuple[Point, int]:
    """The accepted step and the number of evaluations it took.

    ``start`` holds the first trial step ``t`` with the loss, gradient and slope
    at ``t = 0``; ``max_ls`` bounds the evaluations after the first."""
    bracket, done, tries = _bracket(evaluate, d, start, max_ls)
    low, tries = _zoom(evaluate, d, start, bracket, done, tries, max_ls)
    return low, tries + 1


def _probe(evaluate: Evaluate, d: np.ndarray, t: float) -> Point:
    f, g = evaluate(t)
    return Point(t, f, g, float(g @ d))


def _bracket(
    evaluate: Evaluate, d: np.ndarray, start: Point, max_ls: int
) -> tuple[list[Point], bool, int]:
    """An interval holding an acceptable step (or the step itself, done=True)."""
    f, gtd = start.f, start.gtd
    new, prev = _probe(evaluate, d, start.t), Point(0.0, f, start.g, gtd)
    tries = 0
    while tries < max_ls:
        if new.f > f + C1 * new.t * gtd or (tries > 1 and new.f >= prev.f):
            return [prev, new], False, tries
        if abs(new.gtd) <= -C2 * gtd:
            return [new], True, tries
        if new.gtd >= 0:
            return [prev, new], False, tries
        # still going down: extrapolate, between 1.01 and 10 times further
        t = cubic_minimum(prev, new, bounds=(new.t + 0.01 * (new.t - prev.t), new.t * 10))
        prev, new = new, _probe(evaluate, d, t)
        tries += 1
    return [Point(0.0, f, start.g, gtd), new], False, tries


def _zoom(
    evaluate: Evaluate,
    d: np.ndarray,
    start: Point,
    bracket: list[Point],
    done: bool,
    tries: int,
    max_ls: int,
) -> tuple[Point, int]:
    """Shrink the bracket until its low end satisfies the strong Wolfe conditions."""
    d_norm = float(np.max(np.abs(d)))
    low, high = (0, 1) if bracket[0].f <= bracket[-1].f else (1, 0)
    insufficient = False
    while not done and tries < max_ls:
        if abs(bracket[1].t - bracket[0].t) * d_norm < TOLERANCE_CHANGE:
            break
        t = cubic_minimum(bracket[0], bracket[1])
        t, insufficient = _away_from_ends(t, bracket[0].t, bracket[1].t, insufficient)
        new = _probe(evaluate, d, t)
        tries += 1
        if new.f > start.f + C1 * t * start.gtd or new.f >= bracket[low].f:
            bracket[high] = new
            low, high = (0, 1) if bracket[0].f <= bracket[1].f else (1, 0)
        else:
            if abs(new.gtd) <= -C2 * start.gtd:
                done = True
            elif new.gtd * (bracket[high].t - bracket[low].t) >= 0:
                bracket[high] = bracket[low]  # the old high becomes the new low
            bracket[low] = new
    return bracket[low], tries


def _away_from_ends(t: float, t1: float, t2: float, insufficient: bool) -> tuple[float, bool]:
    """Keep a trial step a tenth of the interval from its ends when the last one
    made too little progress (or this one lies on an end)."""
    lo, hi = min(t1, t2), max(t1, t2)
    eps = 0.1 * (hi - lo)
    if not min(hi - t, t - lo) < eps:
        return t, False
    if insufficient or t >= hi or t <= lo:
        return (hi - eps if abs(t - hi) < abs(t - lo) else lo + eps), False
    return t, True


__all__ = ["Point", "cubic_minimum", "strong_wolfe"]
