"""The shape of a loss curve, read the way the lecture's closing figure reads it.

The figure (loss against epochs for a very high, a high, a good and a low
learning rate) comes with advice: a loss that blows up or starts to jump
means the learning rate is too high (lower it, or raise Adam's eps); a loss
that falls in a straight line means it is too low (raise it); a loss that
does not move at all points to the initial weights; a fast fall that levels
off is healthy.

Every rule is a ratio of the curve to itself, never a loss value tuned to
one data set, so the same rules read digits, Fashion-MNIST and the values
along a path on a 2-D function. For ``y[0..n]`` (``y[0]`` before training):

* **fall**: ``y[0]`` minus the end level (the median of the last 3 points);
* **jump**: the largest rise of one step, against the fall achieved before it;
* **early share**: the part of the fall made in the first quarter of the
  steps. A fast fall that levels off makes most of it early; a straight
  line makes about a quarter.

:func:`classify` applies, in this order:

1. ``diverging``: a value is NaN or infinite, or the curve ends above its start.
2. ``spiking``: one step rises by more than ``spike`` times the fall achieved
   before it and by more than ``floor`` times ``y[0]`` (so tiny wiggles of a
   nearly flat line do not count).
3. ``plateau``: the curve fell by less than ``stall`` times ``y[0]`` in all.
4. ``slow``: less than ``early`` of the fall came in the first quarter: no
   levelling off, a straight or gently bending line.

Anything else is ``healthy``.
"""

from __future__ import annotations

import math

import numpy as np

from trainlab.errors import ConfigError

ADVICE = {
    "diverging": "lower the lr, or raise Adam's eps",
    "spiking": "lower the lr, or raise Adam's eps",
    "slow": "raise the lr",
    "plateau": "check the initial weights",
    "healthy": "healthy",
}


def _values(losses) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in losses], dtype=float)


def early_share(losses) -> float:
    """Share of the fall (``y[0]`` − the median of the last 3 points) made by
    step ⌈n/4⌉; NaN when the curve did not fall or has fewer than 3 points."""
    y = _values(losses)
    n = y.size - 1
    if n < 2 or not np.all(np.isfinite(y)):
        return math.nan
    fall = y[0] - float(np.median(y[-3:]))
    if fall <= 0:
        return math.nan
    return float((y[0] - y[math.ceil(n / 4)]) / fall)


def classify(
    losses, *, spike: float = 0.25, floor: float = 0.02, stall: float = 0.05, early: float = 0.5
) -> str:
    """One of ``diverging``, ``spiking``, ``plateau``, ``slow``, ``healthy``."""
    y = _values(losses)
    if not np.all(np.isfinite(y)) or (y.size > 1 and y[-1] > y[0]):
        return "diverging"
    if y.size < 3:
        raise ConfigError(f"a finite loss curve needs at least 3 points to classify, got {y.size}")
    fallen = y[0] - np.minimum.accumulate(y)[:-1]  # fall achieved before each step
    ups = np.diff(y)
    if np.any((ups > spike * fallen) & (ups > floor * abs(y[0]))):
        return "spiking"
    if y[0] - y.min() < stall * abs(y[0]):
        return "plateau"
    share = early_share(y)
    if not math.isfinite(share) or share < early:
        return "slow"
    return "healthy"
