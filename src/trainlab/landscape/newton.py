"""Newton's method, the second-order reference path.

A first-order rule only sees the gradient ``g``; Newton's method also uses the
Hessian ``H`` (the notes: "a second-order approximation") and jumps to the
stationary point of the local quadratic model, ``p <- p - H⁻¹ g``. On a
quadratic that point is the minimum, so one step lands on it.

``H`` is split into eigenvalues and eigenvectors. Directions whose eigenvalue
is (nearly) zero get no step, so a singular Hessian never blows up the step.
A negative eigenvalue makes plain Newton climb along that direction: it is
attracted to any stationary point, and on ``x² - y²`` it jumps straight onto
the saddle. ``saddle_free=True`` uses ``|H|`` instead (Dauphin et al., 2014),
which turns those directions downhill and escapes saddles.
"""

from __future__ import annotations

import numpy as np

from trainlab.validate import check_positive


class Newton:
    """``update(params, grads)`` with a Newton step, for :func:`trainlab.landscape.trace`.

    ``function`` must provide ``hessian(x, y)``; ``lr`` scales the step
    (1 is the full Newton step); eigenvalues below ``tol`` times the largest
    are treated as zero.
    """

    def __init__(self, function, lr: float = 1.0, saddle_free: bool = False, tol: float = 1e-12):
        self.function = function
        self.lr = check_positive("lr", lr)
        self.saddle_free = bool(saddle_free)
        self.tol = tol
        self.t = 0

    def step(self, x: float, y: float, g) -> np.ndarray:
        """The step ``H⁻¹ g`` (or ``|H|⁻¹ g``) at (x, y), before scaling by ``lr``."""
        h = np.asarray(self.function.hessian(x, y), dtype=np.float64).reshape(2, 2)
        if not np.all(np.isfinite(h)):
            return np.full(2, np.nan)
        lam, q = np.linalg.eigh(h)
        if self.saddle_free:
            lam = np.abs(lam)
        keep = np.abs(lam) > self.tol * max(np.abs(lam).max(), np.finfo(float).tiny)
        inv = np.divide(1.0, lam, out=np.zeros(2), where=keep)
        return q @ (inv * (q.T @ np.asarray(g, dtype=np.float64)))

    def update(self, params: dict, grads: dict) -> None:
        self.t += 1
        d = self.step(float(params["x"]), float(params["y"]), (grads["x"], grads["y"]))
        params["x"] -= self.lr * d[0]
        params["y"] -= self.lr * d[1]
