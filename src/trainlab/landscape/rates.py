"""A quadratic's eigen-directions, and the contraction per step along each: the
one :mod:`trainlab.theory` predicts beside the one measured on a path.

    >>> from trainlab.landscape.rates import contraction
    >>> c = contraction("bowl", "sgd", lr=0.95, steps=30)
    >>> c.eigenvalues.round(2).tolist(), c.predicted.round(3).tolist()
    ([0.1, 2.0], [0.905, 0.9])
    >>> bool(abs(c.measured - c.predicted).max() < 1e-9)
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab import theory
from trainlab.errors import ConfigError
from trainlab.landscape.functions import get_function
from trainlab.landscape.paths import Trace, trace
from trainlab.optim import create

#: below this share of its start an error is rounding, not the rule's arithmetic
FLOOR = 1e-12


@dataclass(frozen=True)
class Contraction:
    """Per eigen-direction (the columns of ``directions``, sharpest last): its
    eigenvalue, the predicted rate and the rate measured on ``trace``'s points
    (``nan`` where the error along it fell to rounding before the window)."""

    eigenvalues: np.ndarray
    directions: np.ndarray
    minimum: np.ndarray
    predicted: np.ndarray
    measured: np.ndarray
    trace: Trace


def eigen(function) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(eigenvalues ascending, eigenvectors as columns, the minimum) of a quadratic."""
    f = get_function(function)
    minima: tuple[tuple[float, float], ...] = tuple(getattr(f, "minima", ()))
    (x0, x1), (y0, y1) = f.window
    probes = [(x0, y0), (x1, y1), (0.5 * (x0 + x1), y1)]
    hs = [np.array(f.hessian(np.float64(x), np.float64(y)), dtype=np.float64) for x, y in probes]
    if len(minima) != 1 or any(not np.allclose(h, hs[0], rtol=1e-12, atol=0) for h in hs):
        raise ConfigError(
            f"{f.spec} is not a quadratic (its Hessian changes from point to point), "
            "so it has no exact rates; choose bowl or quadratic:kappa=K,angle=A"
        )
    lam, vecs = np.linalg.eigh(hs[0])
    return lam, vecs, np.array(minima[0], dtype=np.float64)


def measured_rates(points, directions, minimum) -> np.ndarray:
    """Per direction, ``(|e_{t+k}| / |e_t|)^{1/k}`` over the second half of the
    steps before its error falls to rounding (``nan`` if fewer than 4 remain),
    with ``|e_s|`` the norm of the pair (e_s, e_{s-1}) along that direction (a
    pair, so that an oscillating error is not caught at a zero crossing)."""
    coords = (np.asarray(points) - minimum) @ directions
    pair = np.hypot(coords[1:], coords[:-1])
    floor = FLOOR * np.max(pair[0])
    out = np.full(pair.shape[1], np.nan)
    for i in range(pair.shape[1]):
        low = np.flatnonzero(~(pair[:, i] > floor))
        last = (low[0] if low.size else len(pair)) - 1
        first = last // 2
        if last - first >= 4:
            out[i] = (pair[last, i] / pair[first, i]) ** (1.0 / (last - first))
    return out


def contraction(function, rule, lr, momentum=0.0, *, start=None, steps=None):
    """Follow ``rule`` on a quadratic and compare each direction's rate with theory's
    (measured by :func:`measured_rates`, once the transient has passed)."""
    lam, vecs, low = eigen(function)
    t = trace(function, create(rule, lr=lr, momentum=momentum), start, steps)
    measured = np.full(len(lam), np.nan) if t.diverged else measured_rates(t.points, vecs, low)
    predicted = theory.rates(lam, rule, lr, momentum)
    return Contraction(lam, vecs, low, predicted, measured, t)
