r"""The Hessian's top eigenvalues (Lanczos) and its trace (Hutchinson), from
Hessian-vector products alone (:func:`trainlab.nn.hessian.hessian_vector_product`).

The top eigenvalue is the loss's *sharpness*: along its eigenvector a gradient
step of size η multiplies the error by ``1 − η λ_max``, which overshoots and
grows once ``λ_max > 2 / η`` (see :mod:`trainlab.theory`).

Lanczos: ``m`` products build an orthonormal basis ``Q`` of the Krylov space
``{q, Hq, …, H^{m−1} q}`` and the tridiagonal ``T = Qᵀ H Q``; the largest
eigenvalues of ``T`` converge to the largest of ``H`` first (re-orthogonalised
against every earlier vector, so no ghost copies appear).
Hutchinson: ``tr H = E[zᵀ H z]`` for ``z`` of independent ±1 entries.

Paper: Lanczos 1950; Hutchinson, "A stochastic estimator of the trace of the
influence matrix for Laplacian smoothing splines", 1990; Yao et al.,
"PyHessian", 2020.

Example: the Hessian ``diag(3, 1, 0.5)``.

>>> import numpy as np
>>> h = np.diag([3.0, 1.0, 0.5])
>>> lanczos(lambda v: h @ v, 3, k=2, rng=np.random.default_rng(0)).round(6).tolist()
[3.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.nn.hessian import hessian_vector_product
from trainlab.nn.net import MultiLayerNet
from trainlab.validate import check_count

MatVec = Callable[[np.ndarray], np.ndarray]


def lanczos(
    matvec: MatVec,
    n: int,
    k: int = 1,
    iterations: int = 20,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """The ``k`` largest eigenvalues (descending) of the symmetric ``n × n`` operator
    ``matvec``, from ``min(iterations, n)`` products started at a random unit vector."""
    k, m = check_count("k", k), min(check_count("iterations", iterations), n)
    if k > m:
        raise ConfigError(f"k={k} eigenvalues need at least {k} iterations; raise iterations")
    rng = np.random.default_rng(0) if rng is None else rng
    q = rng.standard_normal(n)
    basis = [q / np.linalg.norm(q)]
    alpha: list[float] = []
    beta: list[float] = []
    for j in range(m):
        w = np.asarray(matvec(basis[j]), dtype=np.float64)
        if not np.all(np.isfinite(w)):
            return np.full(k, np.nan)  # a network whose loss is no longer finite
        alpha.append(float(basis[j] @ w))
        for b in basis:  # full re-orthogonalisation, twice is enough
            w -= (b @ w) * b
        for b in basis:
            w -= (b @ w) * b
        norm = float(np.linalg.norm(w))
        if j == m - 1 or norm < 1e-10 * max(1.0, abs(alpha[0])):
            break
        beta.append(norm)
        basis.append(w / norm)
    size = len(alpha)
    t = np.diag(alpha) + np.diag(beta[: size - 1], 1) + np.diag(beta[: size - 1], -1)
    return np.sort(np.linalg.eigvalsh(t))[::-1][:k]


def _flat_hvp(net: MultiLayerNet, x: Any, t: Any) -> MatVec:
    def matvec(v: np.ndarray) -> np.ndarray:
        hv = hessian_vector_product(net, x, t, v)
        return np.concatenate([a.ravel() for a in hv.values()]).astype(np.float64)

    return matvec


def top_eigenvalues(
    net: MultiLayerNet,
    x: Any,
    t: Any,
    k: int = 1,
    iterations: int = 20,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """The ``k`` largest eigenvalues of the Hessian of ``net``'s training loss on
    ``(x, t)``, by :func:`lanczos` (``iterations`` Hessian-vector products)."""
    return lanczos(_flat_hvp(net, x, t), net.flat_params.size, k, iterations, rng)


def hutchinson_trace(
    net: MultiLayerNet, x: Any, t: Any, samples: int = 20, rng: np.random.Generator | None = None
) -> tuple[float, float]:
    """Hutchinson's estimate of the Hessian's trace and its standard error,
    from ``samples`` Rademacher vectors (one Hessian-vector product each)."""
    samples = check_count("samples", samples)
    rng = np.random.default_rng(0) if rng is None else rng
    matvec, n = _flat_hvp(net, x, t), net.flat_params.size
    draws = []
    for _ in range(samples):
        z = rng.integers(0, 2, n).astype(np.float64) * 2 - 1
        draws.append(float(z @ matvec(z)))
    spread = float(np.std(draws, ddof=1) / np.sqrt(samples)) if samples > 1 else float("nan")
    return float(np.mean(draws)), spread
