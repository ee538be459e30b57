"""ASGD: SGD with a decaying step size, and the average of the iterates kept beside it."""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.optim.base import Optimizer
from trainlab.validate import check_positive


class ASGD(Optimizer):
    r"""Averaged SGD (Polyak–Ruppert averaging), in PyTorch's form.

    Equations (t counts steps from 1; ``eta_1 = lr``, ``mu_1 = 1``)::

        W   <- W * (1 - lambd * eta_t) - eta_t * g
        ax  <- ax + mu_t * (W - ax)               # ax = W while mu_t = 1
        eta_{t+1} = lr / (1 + lambd * lr * t)^alpha
        mu_{t+1}  = 1 / max(1, t - t0)

    The weights take plain SGD steps whose size shrinks like ``t^-alpha``; from
    step ``t0`` on, ``ax`` is the running mean of the weights visited since
    then. The mean of a noisy SGD path lies closer to the minimum than its last
    point, and for convex problems it converges as fast as any method that
    sees one gradient per step can. The weights themselves keep moving; the
    average is the answer: read it as ``opt.state[name]["ax"]``. ``lambd``
    both slows the decay of the step size and shrinks the weights by
    ``lambd * eta_t`` per step.

    Paper: Polyak & Juditsky, "Acceleration of Stochastic Approximation by
    Averaging", SIAM J. Control Optim. 1992; the step sizes: Bottou,
    "Stochastic Gradient Descent Tricks", Neural Networks: Tricks of the Trade, 2012.
    Defaults: ``lr=0.01, lambd=1e-4, alpha=0.75, t0=1e6`` (PyTorch's: with
    ``t0=1e6`` the averaging starts only after a million steps).
    PyTorch: ``torch.optim.ASGD(params, lr=lr, lambd=lambd, alpha=alpha, t0=t0,
    weight_decay=wd, maximize=...)`` (coupled L2 decay, as here by default).

    Typical lr: about 20x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = ASGD(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.9, -1.9])
    """

    lr_vs_adamw = 20.0

    state_names = ("ax",)

    def __init__(
        self,
        lr: float = 0.01,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        **kw: Any,
    ) -> None:
        super().__init__(lr, **kw)
        self.lambd = check_positive("lambd", lambd, allow_zero=True)
        self.alpha = check_positive("alpha", alpha, allow_zero=True)
        self.t0 = check_positive("t0", t0, allow_zero=True)
        self._eta, self._mu = self.lr, 1.0

    def _begin_step(self) -> None:
        if self.t == 1:  # the first step's size is the rate in force at that step
            self._eta, self._mu = self.lr, 1.0

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        ax = s["ax"]
        p *= 1 - self.lambd * self._eta
        p -= self._eta * g
        if self._mu != 1:
            ax += (p - ax) * self._mu
        else:
            ax[...] = p

    def _end_step(self) -> None:
        self._eta = self.lr / (1 + self.lambd * self.lr * self.t) ** self.alpha
        self._mu = 1 / max(1, self.t - self.t0)

    def _extra_state(self) -> dict[str, Any]:
        return {"eta": self._eta, "mu": self._mu}

    def _load_extra_state(self, extra: dict[str, Any]) -> None:
        self._eta, self._mu = float(extra["eta"]), float(extra["mu"])
