"""Prodigy: Adam whose step size ``d`` is learned from how far the weights have gone."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.base import Optimizer
from trainlab.optim.scratch import Scratch
from trainlab.validate import check_count, check_positive, check_unit


class Prodigy(Optimizer):
    r"""Prodigy: Adam with a learned step size ``d`` (D-adaptation made faster).

    Equations (t counts steps from 1; ``W0`` the starting weights; the sums
    ``<.,.>`` and ``|.|_1`` run over every parameter; ``d`` on the right is the
    value before this step)::

        lr_t = d * lr * sqrt(1 - beta2^t) / (1 - beta1^t)   (no fraction by default)
        m <- beta1 m + d (1 - beta1) g
        v <- beta2 v + d^2 (1 - beta2) g*g
        r <- beta3 r + (d / d0) lr_t <g, W0 - W>
        s <- beta3 s + (d / d0) lr_t g               (d / d0) d g  with safeguard_warmup
        d <- max(d, min(d_max, d_coef r / |s|_1))    (d_max: the largest estimate so far;
                                                      growth at most d * growth_rate)
        W <- W - weight_decay lr_t W                 (decouple=True)
        W <- W - lr_t m / (sqrt(v) + d eps)          (with beta1 = 0: lr_t d g / ...)

    The one idea: the distance to the solution sets Adam's step size, and
    ``r / |s|_1`` is a lower bound on it that grows as the weights travel, so
    ``d`` starts tiny (``d0``) and rises to the right scale by itself; ``lr``
    stays 1 and only scales what was learned.

    The estimate reduces over all parameters, so the rule is not element-wise:
    on the one-pass path it gets the whole buffer and sums per parameter
    (``self.flat.segments``), as the per-array path does, so both agree bit for bit.
    With ``slice_p > 1`` the sums read every ``slice_p``-th element of each
    parameter (``W0`` and ``s`` are still kept whole here). A step whose
    gradients are all zero moves nothing and is not counted, as in the reference.

    Paper: Mishchenko & Defazio, "Prodigy: An Expeditiously Adaptive
    Parameter-Free Learner", ICML 2024 (arXiv:2306.06101).
    Defaults: ``lr=1.0, beta1=0.9, beta2=0.999, beta3=sqrt(beta2), eps=1e-8,
    weight_decay=0, decouple=True, use_bias_correction=False,
    safeguard_warmup=False, d0=1e-6, d_coef=1.0, growth_rate=inf, slice_p=1``
    (the reference's).
    PyTorch: none in ``torch.optim``; the reference is ``prodigyopt.Prodigy(params,
    lr=lr, betas=(beta1, beta2), beta3=beta3, eps=eps, weight_decay=weight_decay,
    decouple=decouple, use_bias_correction=use_bias_correction,
    safeguard_warmup=safeguard_warmup, d0=d0, d_coef=d_coef,
    growth_rate=growth_rate, slice_p=slice_p)``
    (``from_reference('prodigyopt.Prodigy', ...)``).

    Typical lr: about 50x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = Prodigy(d0=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.2588, -1.2588])
    """

    lr_vs_adamw = 50.0

    elementwise = False
    _runtime = Optimizer._runtime + ("d", "d_max")
    _fixed = ("decoupled_weight_decay",)

    def __init__(
        self,
        lr: float = 1.0,
        beta1: float = 0.9,
        beta2: float = 0.999,
        beta3: float | None = None,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decouple: bool = True,
        use_bias_correction: bool = False,
        safeguard_warmup: bool = False,
        d0: float = 1e-6,
        d_coef: float = 1.0,
        growth_rate: float = math.inf,
        slice_p: int = 1,
        **kw: Any,
    ) -> None:
        wd = check_positive("weight_decay", weight_decay, allow_zero=True)
        super().__init__(lr, weight_decay=0.0 if decouple else wd, **kw)
        self.weight_decay, self.decouple = wd, bool(decouple)  # decoupled: at lr_t, below
        self.decoupled_weight_decay = False
        self.beta1 = check_unit("beta1", beta1)
        self.beta2 = check_unit("beta2", beta2)
        if not (beta3 is None or isinstance(beta3, (int, float)) and not isinstance(beta3, bool)):
            raise ConfigError(f"beta3 must be a number in [0, 1) or None, got {beta3!r}")
        self.beta3 = math.sqrt(self.beta2) if beta3 is None else check_unit("beta3", beta3)
        self.eps = check_positive("eps", eps)
        self.use_bias_correction = bool(use_bias_correction)
        self.safeguard_warmup = bool(safeguard_warmup)
        self.d0 = check_positive("d0", d0)
        self.d_coef = check_positive("d_coef", d_coef)
        if not (isinstance(growth_rate, (int, float)) and growth_rate > 0):
            raise ConfigError(
                f"growth_rate must be a number > 0 (inf: no limit), got {growth_rate}"
            )
        self.growth_rate = float(growth_rate)
        self.slice_p = check_count("slice_p", slice_p)
        self.state_names = ("m",) * (self.beta1 > 0) + ("v", "s")
        self.d = self.d_max = self.d0
        self._r = 0.0  # the numerator r
        self._pending: list[tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]] = []
        self._lr_t = self._delta = self._s_norm = 0.0
        self._scratch = Scratch()

    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        return {"p0": p.copy(), **{name: np.zeros_like(p) for name in self.state_names}}

    def _begin_step(self) -> None:
        t, bc = self.t, 1.0
        if self.use_bias_correction:
            bc = ((1 - self.beta2**t) ** 0.5) / (1 - self.beta1**t)
        self._lr_t = self.d * self.lr * bc
        self._delta = self._s_norm = 0.0
        self._pending = []

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        """The moments and the sums for ``d``; the step waits for the new ``d``."""
        d, d0, b1, b2 = self.d, self.d0, self.beta1, self.beta2
        flat_p, flat_g = p.reshape(-1), g.reshape(-1)
        flat_s, flat_p0 = s["s"].reshape(-1), s["p0"].reshape(-1)
        scale = (d / d0) * (d if self.safeguard_warmup else self._lr_t)
        work = self._scratch.like(p)
        for lo, hi in self.flat.segments or [(0, p.size)]:  # one parameter at a time
            every = slice(lo, hi, self.slice_p)
            g_i, s_i, w_i = flat_g[every], flat_s[every], work.reshape(-1)[every]
            moved = np.subtract(flat_p0[every], flat_p[every], out=w_i)
            moved *= g_i
            self._delta += (d / d0) * self._lr_t * float(moved.sum())  # <g, p0 - p>
            s_i *= self.beta3
            s_i += np.multiply(g_i, scale, out=w_i)
            self._s_norm += float(np.abs(s_i, out=w_i).sum())
        if b1 > 0:
            s["m"] *= b1
            s["m"] += np.multiply(g, d * (1 - b1), out=work)
        gg = np.multiply(g, d * d * (1 - b2), out=work)
        gg *= g
        s["v"] *= b2
        s["v"] += gg
        self._pending.append((p, g, s))

    def _end_step(self) -> None:
        """The new ``d`` from the sums, then the step of every parameter."""
        pending, self._pending = self._pending, []
        if self._s_norm == 0.0:  # no gradient at all: nothing to learn from
            self.t -= 1
            return
        self._r = self.beta3 * self._r + self._delta
        d_hat = self.d_coef * self._r / self._s_norm
        d = max(self.d, d_hat) if self.d == self.d0 else self.d
        self.d_max = max(self.d_max, d_hat)
        self.d = min(self.d_max, d * self.growth_rate)
        for p, g, s in pending:
            step = np.sqrt(s["v"], out=self._scratch.like(p))
            step += self.d * self.eps
            if self.weight_decay and self.decouple:
                p -= self.weight_decay * self._lr_t * p
            if self.beta1 > 0:
                np.divide(s["m"], step, out=step)
                step *= self._lr_t
            else:
                np.divide(g, step, out=step)
                step *= self._lr_t * self.d
            p -= step

    def _extra_state(self) -> dict[str, Any]:
        return {"d": self.d, "d_max": self.d_max, "r": self._r}

    def _load_extra_state(self, extra: dict[str, Any]) -> None:
        self.d, self.d_max, self._r = (float(extra[k]) for k in ("d", "d_max", "r"))
