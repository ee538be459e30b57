"""Read a loss curve the way the lecture's closing figure does.

The figure (loss against epochs for very high, high, good and low learning
rates) comes with advice: a loss that blows up or starts to jump means the
learning rate is too high (lower it, or raise Adam's eps); a loss that falls
in a straight line means it is too low (raise it); a loss that does not move
at all points to the initial weights; a fast fall that levels off is healthy.

:func:`classify` applies four plain tests, in this order, to a loss curve
``y[0..n]`` (``y[0]`` the loss before training, one point per epoch):

1. ``diverging``: a value is NaN or infinite, or the curve ends above its start.
2. ``spiking``: some step goes up by more than ``spike`` times the fall
   achieved so far (``y[0] - min(y[:i])``) and by more than ``floor`` times
   ``y[0]`` (so tiny wiggles near a flat line do not count).
3. ``plateau``: the curve fell by less than ``stall`` times ``y[0]`` in all.
4. ``slow``: the second half of the curve still falls by more than ``linear``
   times what the first half fell: no levelling off, a straight line.

Anything else is ``healthy``.
"""

from __future__ import annotations

import numpy as np

from trainlab.errors import ConfigError

ADVICE = {
    "diverging": "lower the lr, or raise Adam's eps",
    "spiking": "lower the lr, or raise Adam's eps",
    "slow": "raise the lr",
    "plateau": "check the initial weights",
    "healthy": "healthy",
}


def classify(losses, *, spike: float = 0.1, floor: float = 0.02, stall: float = 0.05,
             linear: float = 0.5) -> str:
    """One of ``diverging``, ``spiking``, ``plateau``, ``slow``, ``healthy``."""
    y = np.array([np.nan if v is None else float(v) for v in losses], dtype=float)
    if not np.all(np.isfinite(y)) or (y.size > 1 and y[-1] > y[0]):
        return "diverging"
    if y.size < 3:
        raise ConfigError(f"a finite loss curve needs at least 3 points to classify, got {y.size}")
    fallen = y[0] - np.minimum.accumulate(y)[:-1]  # fall achieved before each step
    ups = np.diff(y)
    if np.any((ups > spike * fallen) & (ups > floor * y[0])):
        return "spiking"
    if y[0] - y[-1] < stall * y[0]:
        return "plateau"
    mid = y.size // 2
    if y[mid] - y[-1] > linear * (y[0] - y[mid]):
        return "slow"
    return "healthy"


def verdict(losses, **kw) -> tuple[str, str]:
    """``(kind, advice)`` for a loss curve, e.g. ``("slow", "raise the lr")``."""
    kind = classify(losses, **kw)
    return kind, ADVICE[kind]
