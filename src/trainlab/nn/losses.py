"""Output layers for regression: the mean squared error and the R² score.

``MeanSquaredError`` sits where :class:`~trainlab.nn.layers.SoftmaxWithLoss`
sits in a classifier: the network's last Affine gives ``y`` (N, K) and

    L = (1 / (N K)) Σ_i Σ_k (y_ik − t_ik)²,     ∂L/∂y = 2 (y − t) / (N K),

the mean over every output, as ``sklearn.metrics.mean_squared_error`` computes
it. Targets may be (N,) for one output or (N, K).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _as_targets(y: np.ndarray, t: Any) -> np.ndarray:
    return np.asarray(t, dtype=y.dtype).reshape(y.shape)


def mean_squared_error(y: np.ndarray, t: Any) -> float:
    """Mean over samples and outputs of ``(y − t)²``."""
    y = np.asarray(y, dtype=np.float64)
    d = y - _as_targets(y, t)
    return float(np.mean(d * d))


def r2_score(y: np.ndarray, t: Any) -> float:
    """Coefficient of determination ``1 − Σ(y − t)² / Σ(t − mean t)²`` (per output,
    then averaged, as scikit-learn's default); 1 is perfect, 0 predicts the mean.
    ``nan`` when a target column is constant."""
    y = np.asarray(y, dtype=np.float64)
    t = _as_targets(y, t)
    y, t = y.reshape(len(y), -1), t.reshape(len(t), -1)
    ss_res = np.sum((y - t) ** 2, axis=0)
    ss_tot = np.sum((t - t.mean(axis=0)) ** 2, axis=0)
    if len(t) < 2 or np.any(ss_tot == 0):
        return float("nan")
    return float(np.mean(1.0 - ss_res / ss_tot))


class MeanSquaredError:
    """The regression output layer: forward gives the mean squared error of the
    raw outputs ``x`` against ``t``; backward ``2 (x − t) / x.size``."""

    def __init__(self) -> None:
        self.diff: np.ndarray | None = None

    def forward(self, x: np.ndarray, t: Any) -> float:
        self.diff = diff = x - _as_targets(x, t)
        return float(np.mean(diff.astype(np.float64) ** 2))

    def backward(self, dout: float = 1) -> np.ndarray:
        assert self.diff is not None, "backward before forward"
        return self.diff * (2.0 * dout / self.diff.size)
