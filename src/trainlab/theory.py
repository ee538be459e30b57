r"""Exact convergence rates of gradient descent, Momentum and Nesterov on a quadratic.

On ``f(w) = ½ Σ_i λ_i u_i²`` (``u_i`` the coordinate along the Hessian's i-th
eigenvector, ``λ_i`` its eigenvalue) every rule below is linear and acts on each
eigen-direction separately. With the gradient ``λ u`` and trainlab's equations
(:class:`~trainlab.optim.Momentum`, :class:`~trainlab.optim.Nesterov`), one step
maps the pair (position, velocity) of one direction by a 2×2 matrix::

    gradient descent     u <- (1 - ηλ) u
    Momentum             v <- α v - ηλ u,        u <- u + v
                         [u, v] <- [[1 - ηλ, α], [-ηλ, α]] [u, v]
    Nesterov             u <- u + α² v - (1 + α) ηλ u,   v <- α v - ηλ u
                         [u, v] <- [[1 - (1 + α) ηλ, α²], [-ηλ, α]] [u, v]

After many steps the error along that direction shrinks by the matrix's spectral
radius ``ρ`` per step (its largest eigenvalue in modulus): ``ρ < 1`` converges,
``ρ > 1`` overshoots and grows. The slowest direction sets the rate of the whole
path, ``max_i ρ_i``. With ``T`` the trace and ``D`` the determinant the matrix's
eigenvalues are ``(T ± √(T² − 4D)) / 2``: ``T = 1 + α − ηλ, D = α`` for Momentum
and ``T = (1 + α)(1 − ηλ), D = α (1 − ηλ)`` for Nesterov.

Paper: Polyak 1964 (heavy ball); Goh, "Why Momentum Really Works", Distill 2017;
Lessard, Recht & Packard, "Analysis and design of optimization algorithms via
integral quadratic constraints", SIAM J. Optim. 2016 (Nesterov's tuning).

Example: on the notes' ``x²/20 + y²`` (eigenvalues 0.1 and 2), SGD with lr 0.95.

>>> import numpy as np
>>> rates([0.1, 2.0], "sgd", lr=0.95).round(3)
array([0.905, 0.9  ])
>>> best = optimal([0.1, 2.0], "momentum")
>>> round(best.lr, 4), round(best.momentum, 4), round(best.rate, 4)
(1.3358, 0.4026, 0.6345)
>>> max_lr([0.1, 2.0], "sgd")
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from trainlab.errors import ConfigError
from trainlab.validate import check_positive

#: the rules whose rate on a quadratic is known exactly ('sgd' is gradient descent
#: without momentum, or PyTorch-form momentum, which is Momentum at a constant lr)
RULES = ("sgd", "momentum", "nesterov")


@dataclass(frozen=True)
class Tuning:
    """The best constant ``lr`` and ``momentum`` for a condition number, and the
    rate (error shrink per step) that they give on the slowest direction."""

    lr: float
    momentum: float
    rate: float


def check_eigenvalues(eigenvalues) -> np.ndarray:
    """The Hessian's eigenvalues as a 1-D float array; all finite and > 0."""
    lam = np.asarray(eigenvalues, dtype=np.float64).reshape(-1)
    if lam.size == 0 or not np.all(np.isfinite(lam)) or np.any(lam <= 0):
        raise ConfigError(
            "eigenvalues must be finite numbers > 0 (a convex quadratic's curvatures), "
            f"got {np.asarray(eigenvalues).tolist()!r}"
        )
    return lam


def _check_rule(rule: str, momentum: float) -> tuple[str, float]:
    if rule not in RULES:
        raise ConfigError(f"no exact rate for rule {rule!r}; choose one of {', '.join(RULES)}")
    momentum = check_positive("momentum", momentum, allow_zero=True)
    if momentum >= 1:
        raise ConfigError(f"momentum must be in [0, 1), got {momentum}")
    return ("momentum" if rule == "sgd" else rule), momentum


def iteration(lam, rule: str, lr: float, momentum: float = 0.0) -> np.ndarray:
    """The 2×2 matrix of one step along each direction: shape (len(lam), 2, 2),
    acting on (position, velocity); gradient descent is Momentum with α = 0."""
    rule, a = _check_rule(rule, momentum)
    h = lr * np.asarray(lam, dtype=np.float64)
    m = np.empty(h.shape + (2, 2))
    if rule == "momentum":
        m[..., 0, 0], m[..., 0, 1] = 1 - h, a
    else:
        m[..., 0, 0], m[..., 0, 1] = 1 - (1 + a) * h, a * a
    m[..., 1, 0], m[..., 1, 1] = -h, a
    return m


def rates(eigenvalues, rule: str, lr: float, momentum: float = 0.0) -> np.ndarray:
    """Per eigen-direction, the factor by which the error shrinks per step once
    the start is forgotten: the spectral radius of :func:`iteration` (≥ 1: diverges).

    ``rule``: 'sgd' (gradient descent; with ``momentum`` PyTorch's form, which
    at a constant lr is Momentum's), 'momentum' or 'nesterov'.
    """
    lam = check_eigenvalues(eigenvalues)
    lr = check_positive("lr", lr)
    m = iteration(lam, rule, lr, momentum)
    trace = m[:, 0, 0] + m[:, 1, 1]
    det = m[:, 0, 0] * m[:, 1, 1] - m[:, 0, 1] * m[:, 1, 0]
    root = np.sqrt(trace * trace - 4 * det + 0j)
    return np.maximum(np.abs(trace + root), np.abs(trace - root)) / 2


def rate(eigenvalues, rule: str, lr: float, momentum: float = 0.0) -> float:
    """The rate of the whole path: the slowest direction's, ``max(rates(...))``."""
    return float(np.max(rates(eigenvalues, rule, lr, momentum)))


def max_lr(eigenvalues, rule: str, momentum: float = 0.0) -> float:
    """The largest stable learning rate (every rate < 1 for any lr below it):

    gradient descent ``2 / L``; Momentum ``2 (1 + α) / L``;
    Nesterov ``2 (1 + α) / ((1 + 2α) L)``, with ``L`` the largest eigenvalue.
    """
    big = float(np.max(check_eigenvalues(eigenvalues)))
    rule, a = _check_rule(rule, momentum)
    if rule == "momentum":
        return 2 * (1 + a) / big
    return 2 * (1 + a) / ((1 + 2 * a) * big)


def optimal(eigenvalues, rule: str) -> Tuning:
    """The best constant lr and momentum for the eigenvalues' condition number
    ``κ = L / μ`` (largest over smallest), with the rate they give:

    - gradient descent ('sgd'): ``η = 2 / (L + μ)``, rate ``(κ − 1) / (κ + 1)``;
    - Momentum: ``η = 4 / (√L + √μ)²``, ``α = ((√κ − 1) / (√κ + 1))²``, rate ``√α``;
    - Nesterov: ``η = 4 / (3L + μ)``, ``α = (√(3κ+1) − 2) / (√(3κ+1) + 2)``,
      rate ``1 − 2 / √(3κ + 1)`` (Lessard et al. 2016).
    """
    lam = check_eigenvalues(eigenvalues)
    _check_rule(rule, 0.0)
    big, small = float(lam.max()), float(lam.min())
    kappa = big / small
    if rule == "sgd":
        return Tuning(2 / (big + small), 0.0, (kappa - 1) / (kappa + 1))
    if rule == "momentum":
        root = math.sqrt(kappa)
        a = ((root - 1) / (root + 1)) ** 2
        return Tuning(4 / (math.sqrt(big) + math.sqrt(small)) ** 2, a, math.sqrt(a))
    root = math.sqrt(3 * kappa + 1)
    return Tuning(4 / (3 * big + small), (root - 2) / (root + 2), 1 - 2 / root)


def rate_map(eigenvalues, rule: str, lrs, momenta) -> np.ndarray:
    """``rate`` on a grid: shape (len(momenta), len(lrs)), rows by momentum."""
    return np.array([[rate(eigenvalues, rule, lr, a) for lr in lrs] for a in momenta])
