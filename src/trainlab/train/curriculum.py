"""Curriculum learning: easy examples first, then harder ones (Bengio et al., 2009).

The notes: "쉬운 것부터 학습하고 점점 어려운 것을 학습시킴" (learn the easy
ones first, then the harder ones, as a pupil goes through school).

* difficulty: :func:`difficulty_scores` gives each training sample the
  cross-entropy it has under a small reference model, a softmax regression
  trained briefly on the same data; a high loss is a hard (or mislabelled)
  sample;
* pacing: :class:`Curriculum` trains epoch ``e`` (0-based) on the easiest
  ``start + (1 - start) * e / ramp`` share of the data (at least one sample),
  the pool widening linearly to the whole set at epoch ``ramp`` (by default
  half the epochs). Batches are drawn from the pool as usual (shuffled, with
  replacement, or, with ``sampling='sequential'``, from easy to hard).
"""

from __future__ import annotations

import math

import numpy as np

from trainlab.data.batching import epoch_indices
from trainlab.errors import ConfigError
from trainlab.nn import MultiLayerNet, log_softmax
from trainlab.optim import create


def difficulty_scores(
    x, t, rng: np.random.Generator, *, epochs: int = 3, batch_size: int = 100, lr: float = 0.01
) -> np.ndarray:
    """Per-sample loss of a softmax regression trained for ``epochs`` with Adam."""
    t = np.asarray(t)
    labels = t.argmax(axis=1) if t.ndim == 2 else t
    n = len(x)
    net = MultiLayerNet(
        x.shape[1], [], int(labels.max()) + 1, weight_init_std=0.01, dtype=np.float64, rng=rng
    )
    opt = create("adam", lr=lr)
    for _ in range(epochs):
        for idx in epoch_indices(n, min(batch_size, n), rng):
            opt.update(net.params, net.gradient(x[idx], labels[idx]))
    logp = log_softmax(net.predict(x))
    return -logp[np.arange(n), labels]


class Curriculum:
    """Easiest-first pools over ``scores`` (lower = easier)."""

    def __init__(self, scores, start: float = 0.3, ramp: int | None = None):
        scores = np.asarray(scores, dtype=np.float64)
        if scores.ndim != 1 or scores.size == 0 or not np.all(np.isfinite(scores)):
            raise ConfigError("curriculum scores must be a non-empty 1-D array of finite numbers")
        if not 0.0 < start <= 1.0:
            raise ConfigError(f"curriculum start must be in (0, 1], got {start}")
        if ramp is not None and (int(ramp) != ramp or ramp < 1):
            raise ConfigError(f"curriculum ramp must be a positive integer, got {ramp}")
        self.scores, self.start, self.ramp = scores, float(start), ramp
        self.order = np.argsort(scores, kind="stable")

    def size(self, epoch: int, epochs: int) -> int:
        """How many samples epoch ``epoch`` (0-based) of ``epochs`` trains on."""
        ramp = self.ramp or max(1, epochs // 2)
        share = min(1.0, self.start + (1.0 - self.start) * epoch / ramp)
        return max(1, min(self.order.size, math.ceil(share * self.order.size)))

    def pool(self, epoch: int, epochs: int) -> np.ndarray:
        """Indices of that epoch's samples, from easiest to hardest."""
        return self.order[: self.size(epoch, epochs)]
