"""A fair learning rate for each rule: same search, same budget, same objective.

Only the learning rate is tuned; every other setting keeps the rule's default.
Each rule gets the same log-spaced grid (``points`` rates over ``[low, high]``)
and then, optionally, the same number ``refine`` of golden-section steps on
log(lr) between the neighbours of its best grid rate.

The objective is the mean of f over the whole path, start included. It rewards
getting low early *and* staying low, so it is not won by a rule that starts
fast and stalls, nor lost by one (AdaGrad) whose rate shrinks by itself as it
goes. A path that diverges scores +inf.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from trainlab.errors import ConfigError
from trainlab.landscape.paths import Trace, trace
from trainlab.optim import create

INVPHI = (math.sqrt(5.0) - 1.0) / 2.0  # 1/golden ratio


def objective(t: Trace) -> float:
    """Mean function value over the path; +inf if it diverged."""
    score = t.mean_value
    return score if math.isfinite(score) else math.inf


#: the most points a tuning grid has
MAX_POINTS = 1000


def grid(points: int = 25, low: float = 1e-4, high: float = 10.0) -> np.ndarray:
    """``points`` learning rates, evenly spaced in log between ``low`` and ``high``."""
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or points < 2:
        raise ConfigError(f"the tuning grid needs a whole number ≥ 2 of points, got {points!r}")
    if points > MAX_POINTS:
        raise ConfigError(
            f"a tuning grid of {points:,} points is more than the {MAX_POINTS:,} "
            "trainlab tries (each point is a whole path); choose fewer "
            "--tune-points"
        )
    if not (0.0 < low < high and math.isfinite(high)):
        raise ConfigError(f"tuning range must satisfy 0 < low < high, got [{low}, {high}]")
    return np.geomspace(low, high, int(points))


@dataclass
class Tuning:
    """Every rate tried (grid first, then refinement) and its score; the best one."""

    name: str
    lrs: list = field(default_factory=list)
    scores: list = field(default_factory=list)

    @property
    def best(self) -> int:
        return int(np.argmin(self.scores))

    @property
    def lr(self) -> float:
        return float(self.lrs[self.best])

    @property
    def score(self) -> float:
        return float(self.scores[self.best])

    @property
    def evaluations(self) -> int:
        return len(self.lrs)


def tune_lr(
    function,
    name: str,
    start=None,
    steps=None,
    *,
    points: int = 25,
    low: float = 1e-4,
    high: float = 10.0,
    refine: int = 0,
    options=None,
) -> Tuning:
    """Tune the learning rate of rule ``name`` on ``function`` (see module doc);
    ``options``: the rule's other settings, kept as they are."""
    if isinstance(refine, bool) or not isinstance(refine, (int, np.integer)) or refine < 0:
        raise ConfigError(f"refine must be a whole number ≥ 0, got {refine!r}")
    if refine > MAX_POINTS:
        raise ConfigError(
            f"refine={refine:,} is more than the {MAX_POINTS:,} golden-section "
            "steps trainlab takes; choose a smaller --tune-refine"
        )
    lrs = grid(points, low, high)
    options = dict(options or {})
    create(name, **options)  # unknown names and options fail here, before any work
    result = Tuning(name)

    def score(lr: float) -> float:
        lr = float(lr)
        s = objective(trace(function, create(name, lr=lr, **options), start, steps))
        result.lrs.append(lr)
        result.scores.append(s)
        return s

    for lr in lrs:
        score(lr)
    i = result.best
    a = math.log(lrs[max(i - 1, 0)])
    b = math.log(lrs[min(i + 1, len(lrs) - 1)])
    c, d = b - INVPHI * (b - a), a + INVPHI * (b - a)
    fc = fd = None
    for _ in range(refine):  # one evaluation per round
        if fc is not None and fd is not None:
            if fc <= fd:  # the minimum lies in [a, d]
                b, d, fd = d, c, fc
                c, fc = b - INVPHI * (b - a), None
            else:  # the minimum lies in [c, b]
                a, c, fc = c, d, fd
                d, fd = a + INVPHI * (b - a), None
        if fc is None:
            fc = score(math.exp(c))
        else:
            fd = score(math.exp(d))
    return result
