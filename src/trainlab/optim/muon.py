"""Muon: momentum, orthogonalised by a Newton-Schulz iteration, for weight matrices."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.base import Optimizer
from trainlab.validate import check_count, check_positive, check_unit

#: Keller Jordan's quintic coefficients: the steepest slope at zero that still
#: brings every singular value into about [0.7, 1.2] in five steps
NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


class Muon(Optimizer):
    r"""Muon, in PyTorch's form: momentum whose matrix is made orthogonal.

    Equations (``W`` and ``g`` are m x n matrices; ``B`` is the momentum buffer)::

        B <- B + (1 - momentum) * (g - B)
        M <- g + momentum * (B - g)  if nesterov  else  B
        Q <- NS(M)                                 # about U V^T, where M = U S V^T
        W <- W * (1 - lr * weight_decay)
        W <- W - lr * sqrt(max(1, m / n)) * Q      # adjust_lr_fn='original'
           (or lr * 0.2 * sqrt(max(m, n)) with adjust_lr_fn='match_rms_adamw')

    where NS runs ``ns_steps`` quintic Newton-Schulz iterations (on the wide
    orientation of ``M``, so that ``X X^T`` is the smaller square)::

        X <- M / max(||M||_F, eps)
        X <- a X + (b X X^T + c (X X^T)^2) X       (a, b, c) = ns_coefficients

    One idea: replace the step's singular values by (about) one, so that every
    direction the matrix can move in gets a step of the same size: the rare
    directions, which a plain gradient step barely moves, are not drowned out by
    the few dominant ones.

    Precision: PyTorch runs NS in bfloat16 (values with an 8-bit significand,
    products summed in float32). ``ns_dtype='bfloat16'`` does the same with
    ``ml_dtypes``, rounding where PyTorch rounds; most steps equal PyTorch's bit
    for bit, and the rest differ by under 2^-6 of their size, where a float32
    sum taken in another order rounds the other way and NS magnifies it.
    ``ns_dtype='float'`` runs NS in the parameters' own float type.

    Only for 2-D weight matrices: biases, gains and other parameters need
    another rule (AdamW, say), given to them by a partition of the parameters.

    Paper: Jordan et al., "Muon: An optimizer for hidden layers in neural
    networks", 2024 (kellerjordan.github.io/posts/muon); the 'match_rms_adamw'
    scale: Liu et al., "Muon is Scalable for LLM Training", 2025 (arXiv:2502.16982).
    Defaults: ``lr=0.001, weight_decay=0.1, momentum=0.95, nesterov=True,
    ns_coefficients=(3.4445, -4.7750, 2.0315), eps=1e-7, ns_steps=5,
    adjust_lr_fn='original', ns_dtype='bfloat16'`` (PyTorch's).
    PyTorch: ``torch.optim.Muon(params, lr, weight_decay, momentum, nesterov,
    ns_coefficients, eps, ns_steps, adjust_lr_fn)`` (``from_torch('Muon', ...)``).

    Example: two steps from ``W = [[1, -2]]`` with the gradient ``[[0.5, -0.5]]``
    (a 1 x 2 matrix: ``Q`` is ``g / ||g||`` times the singular value that five
    iterations leave of 1, 0.70 here, so each step moves W by about 0.1 * 0.70 / sqrt(2)).

    >>> import numpy as np
    >>> params, grads = {"W": np.array([[1.0, -2.0]])}, {"W": np.array([[0.5, -0.5]])}
    >>> opt = Muon(lr=0.1, weight_decay=0.0, ns_dtype="float")
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([[ 0.9015, -1.9015]])
    """

    per_parameter = True
    elementwise = False
    state_names = ("B",)
    _fixed = ("decoupled_weight_decay",)

    def __init__(
        self,
        lr: float = 0.001,
        weight_decay: float = 0.1,
        momentum: float = 0.95,
        nesterov: bool = True,
        ns_coefficients: tuple[float, float, float] = NS_COEFFICIENTS,
        eps: float = 1e-7,
        ns_steps: int = 5,
        adjust_lr_fn: str = "original",
        ns_dtype: str = "bfloat16",
        **kw: Any,
    ) -> None:
        super().__init__(lr, weight_decay=weight_decay, decoupled_weight_decay=True, **kw)
        self.momentum = check_unit("momentum", momentum)
        self.nesterov = bool(nesterov)
        try:
            a, b, c = (float(v) for v in ns_coefficients)
        except (TypeError, ValueError):
            raise ConfigError(
                f"ns_coefficients must be three numbers (a, b, c), got {ns_coefficients!r}"
            ) from None
        self.ns_coefficients = (a, b, c)
        self.eps = check_positive("eps", eps)
        self.ns_steps = check_count("ns_steps", ns_steps)
        if self.ns_steps >= 100:
            raise ConfigError(f"ns_steps must be below 100, got {ns_steps!r}")
        if adjust_lr_fn not in ("original", "match_rms_adamw"):
            raise ConfigError(
                f"adjust_lr_fn must be 'original' or 'match_rms_adamw', got {adjust_lr_fn!r}"
            )
        self.adjust_lr_fn = adjust_lr_fn
        if ns_dtype not in ("bfloat16", "float"):
            raise ConfigError(f"ns_dtype must be 'bfloat16' or 'float', got {ns_dtype!r}")
        _arithmetic(ns_dtype)  # without ml_dtypes, say so now rather than at the first step
        self.ns_dtype = ns_dtype

    def update(self, params: dict[str, np.ndarray], grads: dict[str, Any]) -> None:
        """Refuse any parameter that is not a matrix, before anything changes; then step."""
        for k, p in params.items():
            if np.ndim(p) != 2:
                raise ConfigError(
                    f"muon updates 2-D weight matrices only, and {k} has shape "
                    f"{np.shape(p)}: give it to another rule (e.g. AdamW) by a partition"
                )
        super().update(params, grads)

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        B = s["B"]
        B += (1 - self.momentum) * (g - B)
        M = g + self.momentum * (B - g) if self.nesterov else B
        Q = newton_schulz(M, self.ns_coefficients, self.ns_steps, self.eps, self.ns_dtype)
        p -= self._scaled_lr(*p.shape) * Q

    def _scaled_lr(self, rows: int, cols: int) -> float:
        """The rate that gives updates of one RMS size whatever the matrix's shape."""
        if self.adjust_lr_fn == "match_rms_adamw":
            return self.lr * 0.2 * math.sqrt(max(rows, cols))
        return self.lr * math.sqrt(max(1.0, rows / cols))


def newton_schulz(
    M: np.ndarray,
    coefficients: tuple[float, float, float] = NS_COEFFICIENTS,
    steps: int = 5,
    eps: float = 1e-7,
    dtype: str = "float",
) -> np.ndarray:
    """About ``U V^T`` for ``M = U S V^T``: ``steps`` quintic Newton-Schulz iterations.

    ``dtype='float'`` computes in ``M``'s float type; ``'bfloat16'`` rounds to
    bfloat16 (``ml_dtypes``) where PyTorch's CPU bfloat16 arithmetic does.
    """
    a, b, c = coefficients
    rounded, axpby = _arithmetic(dtype)
    tall = M.shape[0] > M.shape[1]
    X = rounded(M.T if tall else M)
    X = rounded(X / max(float(rounded(np.linalg.norm(X))), eps))
    for _ in range(steps):
        A = rounded(X @ X.T)
        B = axpby(b, A, c, A @ A)  # b A + c A^2
        X = axpby(a, X, 1.0, B @ X)  # a X + B X
    return X.T if tall else X


Arithmetic = tuple[
    Callable[[Any], np.ndarray], Callable[[float, np.ndarray, float, np.ndarray], np.ndarray]
]


def _arithmetic(dtype: str) -> Arithmetic:
    """``rounded(x)`` and ``axpby(beta, C, alpha, P) = beta C + alpha P`` for ``dtype``.

    For bfloat16, values are held in float32 and rounded to bfloat16 after every
    operation; products are summed in float32; ``axpby`` is PyTorch's ``addmm``
    epilogue: float32 coefficients, ``beta C`` fused into ``alpha P`` (one
    rounding), which matters where the two nearly cancel."""
    if dtype == "float":
        return np.asarray, lambda beta, C, alpha, P: beta * C + alpha * P
    try:
        import ml_dtypes  # optional: needed for this precision only
    except ImportError:
        raise ConfigError(
            "ns_dtype='bfloat16' needs ml_dtypes: pip install ml_dtypes (or use ns_dtype='float')"
        ) from None
    bf16 = ml_dtypes.bfloat16

    def rounded(x: Any) -> np.ndarray:
        return np.asarray(x, dtype=np.float32).astype(bf16).astype(np.float32)

    def axpby(beta: float, C: np.ndarray, alpha: float, P: np.ndarray) -> np.ndarray:
        fused = float(np.float32(beta)) * C.astype(np.float64) + np.float32(alpha) * P
        return rounded(fused)

    return rounded, axpby
