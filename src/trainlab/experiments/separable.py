"""Wilson et al. (2017), section 3.3: the separable linear problem on which
AdaGrad, RMSprop and Adam predict the majority class for every new point,
while SGD (and Momentum) classify every new point right.

The problem (the paper's, with the positive class the majority, as it assumes):
each point ``i`` with label ``y_i`` in {+1, -1} has the features::

    x_i1 = y_i                          the label itself
    x_i2 = x_i3 = 1                     two ones, shared by every point
    x_i,j = 1  for j = 4 + 5(i-1) ... 4 + 5(i-1) + 2(1 - y_i)
                                        a block of its own: one 1 for a
                                        positive point, five 1s for a negative one
    0 otherwise

A linear model ``w`` is fitted to the least-squares loss
``f(w) = ½ mean((X w - y)²)`` from ``w = 0`` with full-batch gradients. Every
rule fits the training data (training error 0). A new point has its own block,
which no training point touches, so its weights there stay 0 and the model
sees only ``w1·y + w2 + w3``.

Why (the paper's Lemma 3.1): here ``X sign(Xᵀy) = 4y``, so from ``w = 0`` every
gradient is a multiple of ``Xᵀy`` and every adaptive step, which divides each
coordinate by its own gradient size, is a multiple of ``sign(Xᵀy)``; the
solution is ``w ∝ sign(Xᵀy) = (1, 1, 1, ±1…)``, and a new point gets
``w·x ∝ y + 2 > 0``: positive, whatever its label. SGD stays in the span of the
rows of X and ends at the minimum-norm solution ``Xᵀ(XXᵀ)⁻¹y``, which labels
new points by the sign of ``w1·y + w2 + w3`` correctly.

The paper draws each label +1 with probability p; here a share ``p`` of the
points, rounded, is positive (their order drawn from the seed), so that the
minority class's share, the adaptive rules' test error, is exact.
"""

from __future__ import annotations

import numpy as np

from trainlab.optim import create


def labels(n: int, share: float, rng) -> np.ndarray:
    """``n`` labels in {+1, -1}, ``round(share·n)`` of them +1, in a random order."""
    y = -np.ones(n)
    y[: int(round(share * n))] = 1.0
    return rng.permutation(y)


def features(y, *, blocks: int | None = None) -> np.ndarray:
    """The paper's features of points with labels ``y``: columns ``y``, 1, 1, then
    a block of five per point (``blocks``: how many blocks; default one per point).
    A point beyond ``blocks`` has its own block outside the matrix (all zero here)."""
    n = len(y)
    blocks = n if blocks is None else blocks
    x = np.zeros((n, 3 + 5 * blocks))
    x[:, 0] = y
    x[:, 1:3] = 1.0
    for i in range(min(n, blocks)):
        ones = 1 if y[i] > 0 else 5
        x[i, 3 + 5 * i : 3 + 5 * i + ones] = 1.0
    return x


def fit_linear(x, y, rule: str, lr: float, steps: int, record=(), **options):
    """``w`` after ``steps`` full-batch steps of ``rule`` (with ``options``, e.g.
    ``eps``) on ½ mean((xw - y)²) from 0; and the training loss at each step in ``record``."""
    opt = create(rule, lr=lr, **options)
    params = {"w": np.zeros(x.shape[1])}
    losses = {}
    for step in range(1, steps + 1):
        residual = x @ params["w"] - y
        opt.update(params, {"w": x.T @ residual / len(y)})
        if step in record:
            losses[step] = float(0.5 * np.mean((x @ params["w"] - y) ** 2))
    return params["w"], losses


def error(x, y, w) -> float:
    """Share of points whose sign of ``x w`` is not their label (0 counts as wrong)."""
    return float(np.mean(np.sign(x @ w) != y))


def checkpoints(steps: int) -> list[int]:
    """Log-spaced steps 1 … ``steps`` at which the curves are recorded."""
    return sorted({int(s) for s in np.geomspace(1, steps, 20).round()})
