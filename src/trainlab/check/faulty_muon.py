"""Muon written with one typical mistake, as a learner writes it from Keller Jordan's post.

trainlab's ``muon`` (:class:`~trainlab.optim.MuonAdamW`) is Muon on the weight
matrices and AdamW on the rest; :func:`muon_adamw` builds it with its Muon
group replaced by one of the faulty steps below (or given other options), so
that only the matrices' step is wrong. Plain instead of Nesterov momentum is an
option (``nesterov=False``), not a class here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.optim import Muon, MuonAdamW, options
from trainlab.optim.muon import newton_schulz


def muon_adamw(step: type[Muon] = Muon, muon_options: dict | None = None, **hp: Any) -> MuonAdamW:
    """trainlab's ``muon`` with options ``hp``, its matrices stepped by ``step`` with
    ``muon_options`` changed from the ones ``MuonAdamW`` gives its Muon."""
    rule = MuonAdamW(**hp)
    muon = rule.rules[0]
    given = {name: getattr(muon, name) for name in options(Muon)}
    rule.rules[0] = step(**{**given, **(muon_options or {})})
    return rule


class MuonNotNormalised(Muon):
    """Muon whose Newton-Schulz iteration starts from the momentum itself, not from
    ``M / ||M||_F``: singular values above about 1.5 blow up, small ones stay small::

    X <- M;   X <- a X + (b X X^T + c (X X^T)^2) X   (ns_steps times)
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        B = s["B"]
        B += (1 - self.momentum) * (g - B)
        M = g + self.momentum * (B - g) if self.nesterov else B
        a, b, c = self.ns_coefficients
        tall = M.shape[0] > M.shape[1]
        X = M.T if tall else M
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(self.ns_steps):
                A = X @ X.T
                X = a * X + (b * A + c * A @ A) @ X
        p -= self._scaled_lr(*p.shape) * (X.T if tall else X)


class MuonNotScaled(Muon):
    """Muon whose step is not scaled for the matrix's shape: ``W <- W - lr * Q``."""

    def _scaled_lr(self, rows: int, cols: int) -> float:
        return self.lr


class MuonOrthogonalisedGradient(Muon):
    """Muon that orthogonalises the gradient, then takes the momentum of the results::

    Q <- NS(g);   B <- B + (1 - momentum) * (Q - B)
    W <- W - lr * scale * (Q + momentum * (B - Q)  if nesterov  else  B)
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        B = s["B"]
        Q = newton_schulz(g, self.ns_coefficients, self.ns_steps, self.eps, self.ns_dtype)
        B += (1 - self.momentum) * (Q - B)
        M = Q + self.momentum * (B - Q) if self.nesterov else B
        p -= self._scaled_lr(*p.shape) * M
