"""SOAP: Adam run in the eigenbasis of Shampoo's preconditioner."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.base import Optimizer
from trainlab.validate import check_count, check_positive, check_unit


def merge_small_dims(shape: tuple[int, ...], max_dim: int) -> tuple[int, ...]:
    """Neighbouring axes multiplied together while the product stays <= ``max_dim``
    (``(2, 3, 4)`` with 6 gives ``(6, 4)``); one axis left means nothing to merge."""
    merged, product = [], 1
    for dim in shape:
        product *= dim
        if product > max_dim:
            merged.append(product // dim)
            product = dim
    merged.append(product)
    return tuple(merged) if len(merged) > 1 else shape


class SOAP(Optimizer):
    r"""SOAP: Adam's moments kept in the eigenbasis of Shampoo's preconditioner.

    Equations for a matrix parameter W (t counts steps from 1; the first step
    only sets the basis up; ``lerp(a, b, w) = a + w (b - a)``)::

        L <- lerp(L, G G^T, 1 - shampoo_beta);   R <- lerp(R, G^T G, 1 - shampoo_beta)
        at t = 1:  Q_L, Q_R = eigenvectors of L and R (largest eigenvalue first)
        G' = Q_L^T G Q_R                           # the gradient in the eigenbasis
        m <- lerp(m, G, 1 - beta1);   v <- lerp(v, G'*G', 1 - beta2)
        U = Q_L ((Q_L^T m Q_R) / (sqrt(v) + eps)) Q_R^T
        W <- W - lr sqrt(1 - beta2^k) / (1 - beta1^k) U;   W <- W (1 - lr weight_decay)
        every precondition_frequency steps: Q <- qr(L Q) (one power iteration),
            columns (and the axes of v) sorted by the estimated eigenvalues

    with k = t - 1. A tensor gets one such factor per axis (an axis longer
    than ``max_precondition_dim`` keeps the identity; ``merge_dims`` first
    merges small neighbouring axes); a vector only with ``precondition_1d``;
    a 0-d parameter is plain Adam.

    The one idea: Shampoo's preconditioner ``L^(-1/4) G R^(-1/4)`` is, nearly,
    Adam in the basis where ``L`` and ``R`` are diagonal; run Adam there, and
    the basis needs refreshing only now and then. Where a factor is singular
    (a rectangular matrix's first steps) its eigenbasis is not unique, so two
    correct implementations may take different steps from the same start.
    Like the reference, the refresh runs its QR in float32. Two LAPACKs round
    that QR differently, and the reference's own path moves by 1.6e-7 to
    3e-7 over 100 steps (lr 0.01) when its float32 QR is rounded another valid
    way: with its own refreshes, this rule follows the reference to 1e-6;
    given the reference's basis, or between refreshes, to float64's rounding.

    Paper: Vyas, Morwani, Zhao, Kwun, Shapira, Brandfonbrener, Janson & Kakade,
    "SOAP: Improving and Stabilizing Shampoo using Adam", ICLR 2025
    (arXiv:2409.11321).
    Defaults: ``lr=3e-3, beta1=0.95, beta2=0.95, shampoo_beta=beta2,
    weight_decay=0.01, precondition_frequency=10, max_precondition_dim=10000,
    merge_dims=False, precondition_1d=False, correct_bias=True,
    normalize_gradient=False, data_format='channels_first', eps=1e-8``
    (the reference's).
    PyTorch: none in ``torch.optim``; the reference is
    ``pytorch_optimizer.SOAP(params, lr=lr, betas=(beta1, beta2), ...)`` with
    the option names above (``from_reference('pytorch_optimizer.SOAP', ...)``).

    Typical lr: about 1x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``
    (the first step sets up the basis and does not move W).

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = SOAP(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.8991, -1.8981])
    """

    lr_vs_adamw = 1.0

    per_parameter = True
    elementwise = False
    _fixed = ("decoupled_weight_decay",)

    def __init__(
        self,
        lr: float = 3e-3,
        beta1: float = 0.95,
        beta2: float = 0.95,
        shampoo_beta: float | None = None,
        weight_decay: float = 1e-2,
        precondition_frequency: int = 10,
        max_precondition_dim: int = 10000,
        merge_dims: bool = False,
        precondition_1d: bool = False,
        correct_bias: bool = True,
        normalize_gradient: bool = False,
        data_format: str = "channels_first",
        eps: float = 1e-8,
        **kw: Any,
    ) -> None:
        super().__init__(lr, **kw)
        self.beta1 = check_unit("beta1", beta1)
        self.beta2 = check_unit("beta2", beta2)
        if shampoo_beta is not None and (
            isinstance(shampoo_beta, bool) or not isinstance(shampoo_beta, (int, float))
        ):
            raise ConfigError(
                f"shampoo_beta must be a number in [0, 1) or None, got {shampoo_beta!r}"
            )
        self.shampoo_beta = (
            self.beta2 if shampoo_beta is None else check_unit("shampoo_beta", shampoo_beta)
        )
        # decoupled, after the step (not the base class's decay before it)
        self.weight_decay = check_positive("weight_decay", weight_decay, allow_zero=True)
        self.decoupled_weight_decay = False
        self.precondition_frequency = check_count("precondition_frequency", precondition_frequency)
        self.max_precondition_dim = check_count("max_precondition_dim", max_precondition_dim)
        self.merge_dims, self.precondition_1d = bool(merge_dims), bool(precondition_1d)
        self.correct_bias, self.normalize_gradient = bool(correct_bias), bool(normalize_gradient)
        if data_format not in ("channels_first", "channels_last"):
            raise ConfigError(
                f"data_format must be 'channels_first' or 'channels_last', got {data_format!r}"
            )
        self.data_format = data_format
        self.eps = check_positive("eps", eps, allow_zero=True)

    # -- the shapes: which axes get a preconditioner --------------------------------
    def _merged(self, a: np.ndarray) -> np.ndarray:
        """``a`` with its small axes merged (NHWC tensors first made NCHW)."""
        if not self.merge_dims or a.ndim == 1:
            return a
        if self.data_format == "channels_last" and a.ndim == 4:
            a = a.transpose(0, 3, 1, 2)
        return a.reshape(merge_small_dims(a.shape, self.max_precondition_dim))

    def _unmerged(self, a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        if not self.merge_dims or len(shape) == 1:
            return a
        if self.data_format == "channels_last" and len(shape) == 4:
            n, h, w, c = shape
            return a.reshape(n, c, h, w).transpose(0, 2, 3, 1)
        return a.reshape(shape)

    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        s = {"m": np.zeros_like(p), "v": np.zeros_like(p)}
        if p.ndim == 1 and not self.precondition_1d:
            return s
        for i, n in enumerate(self._merged(p).shape if p.ndim else ()):
            if n <= self.max_precondition_dim:
                s[f"GG{i}"] = np.zeros((n, n), p.dtype)
                s[f"Q{i}"] = np.zeros((n, n), p.dtype)
        return s

    # -- the rule ------------------------------------------------------------------
    def _project(self, a: np.ndarray, s: dict[str, np.ndarray], back: bool = False) -> np.ndarray:
        """``Q^T a`` along every preconditioned axis (``Q a`` with ``back``)."""
        shape, a = a.shape, self._merged(a)
        for i in range(a.ndim):  # each axis in turn comes first and goes last
            q = s.get(f"Q{i}")
            a = (
                np.moveaxis(a, 0, -1)
                if q is None
                else np.tensordot(a, q, ([0], [1 if back else 0]))
            )
        return self._unmerged(a, shape)

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        if self.t == 1:  # the first gradient only sets the basis up
            self._precondition(g, s, 0)
            return
        k, m, v = self.t - 1, s["m"], s["v"]
        step = self.lr
        if self.correct_bias:
            step *= math.sqrt(1.0 - self.beta2**k) / (1.0 - self.beta1**k)
        g_rot = self._project(g, s)
        m += (1 - self.beta1) * (g - m)
        v += (1 - self.beta2) * (g_rot * g_rot - v)
        u = self._project(self._project(m, s) / (np.sqrt(v) + self.eps), s, back=True)
        if self.normalize_gradient:
            u = u / (np.sqrt(np.mean(u * u)) + self.eps)
        p -= step * u
        if self.weight_decay:
            p *= 1.0 - self.weight_decay * self.lr
        self._precondition(g, s, k)

    def _precondition(self, g: np.ndarray, s: dict[str, np.ndarray], k: int) -> None:
        """Shampoo's factors take in ``g``; the basis is set (k = 0) or refreshed."""
        g = self._merged(g)
        axes = [i for i in range(g.ndim) if f"GG{i}" in s]
        for i in axes:
            others = [j for j in range(g.ndim) if j != i]
            gg = s[f"GG{i}"]
            gg += (1 - self.shampoo_beta) * (np.tensordot(g, g, (others, others)) - gg)
        if k == 0:
            for i in axes:  # eigenvectors, the largest eigenvalue first
                gg = s[f"GG{i}"] + 1e-30 * np.eye(len(s[f"GG{i}"]), dtype=s[f"GG{i}"].dtype)
                s[f"Q{i}"][...] = np.linalg.eigh(gg)[1][:, ::-1]
        elif k % self.precondition_frequency == 0:
            self._refresh(s, axes)

    def _refresh(self, s: dict[str, np.ndarray], axes: list[int]) -> None:
        """One power iteration ``Q <- qr(GG Q)``, sorted by the estimated eigenvalues."""
        v = self._merged(s["v"])
        for i in axes:
            gg_q = s[f"GG{i}"] @ s[f"Q{i}"]
            order = np.argsort(-(s[f"Q{i}"] * gg_q).sum(axis=0), kind="stable")
            v = np.take(v, order, axis=i)
            s[f"Q{i}"][...] = np.linalg.qr(gg_q[:, order].astype(np.float32))[0]
        s["v"][...] = self._unmerged(v, s["v"].shape)
