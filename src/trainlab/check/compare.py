"""Where a rule first departs from another: step, parameter, element, both values.

Two steps agree when they differ by no more than rounding: a millionth of the
step itself (or of the typical step of that array, where the step is near
zero), plus a few units in the last place of the parameter. Formulas that are
equal on paper (``beta1 * m + (1 - beta1) * g`` or ``m + (1 - beta1) * (g - m)``)
agree; anything that changes the rule does not.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

RTOL = 1e-6  # of the step
ULPS = 1e-13  # of the parameter


@dataclass
class Departure:
    """The first place where a rule's numbers leave trainlab's."""

    scenario: str
    step: int  # 1-based
    kind: str  # 'value', 'error', 'replaced', 'grads', 'unreadable'
    key: str = ""
    index: tuple = ()
    before: float = math.nan
    yours: float = math.nan
    trainlab: float = math.nan
    what: str = ""  # what was new at this step, if anything
    detail: str = ""  # the exception, or what was written into grads

    @property
    def abs_diff(self) -> float:
        return abs(self.yours - self.trainlab)

    @property
    def rel_diff(self) -> float:
        """The difference as a multiple of trainlab's step."""
        step = abs(self.trainlab - self.before)
        return self.abs_diff / step if step else math.inf

    def to_dict(self) -> dict:
        d = asdict(self)
        d["index"] = list(self.index)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Departure:
        return cls(**{**d, "index": tuple(d.get("index", ()))})


def _far(before, mine, ref) -> np.ndarray:
    """Elements where ``mine`` and ``ref`` (both after a step from ``before``) differ."""
    with np.errstate(invalid="ignore", over="ignore"):
        step = np.abs(ref - before)
    finite = np.isfinite(step)
    step = np.where(finite, step, 0.0)  # a NaN elsewhere must not blur this element
    typical = np.sqrt(np.mean(np.square(step[finite]))) if finite.any() else 0.0
    tol = RTOL * (step + typical) + ULPS * np.abs(before) + 1e-300
    with np.errstate(invalid="ignore"):
        close = np.abs(mine - ref) <= tol
    both_nan = np.isnan(mine) & np.isnan(ref)
    same_inf = np.isinf(mine) & (mine == ref)
    return ~(close | both_nan | same_inf)


def first_departure(scenario, outputs, against=None, values_only=False) -> Departure | None:
    """The first step where ``outputs`` leaves ``against`` (default: trainlab's numbers)."""
    against = scenario.reference if against is None else against
    for k, step in enumerate(scenario.steps):
        if k >= outputs.steps:
            if outputs.error is not None and not values_only:
                return Departure(
                    scenario.name,
                    k + 1,
                    "error",
                    what=step.what,
                    detail=f"{type(outputs.error).__name__}: {outputs.error}",
                )
            return None
        mine, ref = outputs.after[k], against[k]
        for key in step.params_order:
            before = step.before[key]
            if mine[key] is None:
                return Departure(scenario.name, k + 1, "unreadable", key, what=step.what)
            far = _far(before, mine[key], ref[key])
            if far.any():
                i = np.unravel_index(int(np.argmax(far.reshape(-1))), far.shape)
                return Departure(
                    scenario.name,
                    k + 1,
                    "value",
                    key,
                    tuple(int(j) for j in i),
                    float(before[i]),
                    float(mine[key][i]),
                    float(ref[key][i]),
                    what=step.what,
                )
        if values_only:
            continue
        if outputs.replaced[k]:
            key = outputs.replaced[k][0]
            return Departure(scenario.name, k + 1, "replaced", key, what=step.what)
        if outputs.written[k]:
            w = outputs.written[k][0]
            return Departure(
                scenario.name, k + 1, "grads", w.key, w.index, w.was, w.now, w.was, what=step.what
            )
    return None


def same_behaviour(scenario, a, b) -> bool:
    """Whether two rules' outputs on ``scenario`` are the same, rounding aside:
    the same numbers, the same arrays replaced, the same writes into ``grads``,
    an exception at the same step."""
    if a.steps != b.steps or bool(a.skipped) != bool(b.skipped):
        return False
    if (a.error is None) != (b.error is None):
        return False
    if first_departure(scenario, a, against=b.after, values_only=True) is not None:
        return False
    return all(set(x) == set(y) for x, y in zip(a.replaced, b.replaced, strict=False)) and all(
        bool(x) == bool(y) for x, y in zip(a.written, b.written, strict=False)
    )
