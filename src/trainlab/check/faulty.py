"""Rules after the notes written with one typical mistake in the order of their lines.

Each class is trainlab's rule with its equation (``_apply``) rewritten in the
wrong order (or, for LAMB, in its paper's form); the catalogue
(:mod:`.after_notes`) builds them and names one only when it reproduces a
learner's numbers. Mistakes that an option or a wrapper
can build (Lion's betas swapped, LAMB without its trust ratio) are not here.
"""

from __future__ import annotations

import math

import numpy as np

from trainlab.optim import (
    ADOPT,
    LAMB,
    SOAP,
    Adafactor,
    Adamax,
    Lion,
    Prodigy,
    Rprop,
    ScheduleFreeAdamW,
    ScheduleFreeSGD,
)


class LionMomentumFirst(Lion):
    """Lion with ``m`` updated before the sign is taken (the interpolation reads the new ``m``)::

    m <- beta2 * m + (1 - beta2) * g
    W <- W - lr * sign(beta1 * m + (1 - beta1) * g)
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m = s["m"]
        m *= self.beta2
        m += (1 - self.beta2) * g
        p -= self.lr * np.sign(self.beta1 * m + (1 - self.beta1) * g)


class LionSignOfMomentum(Lion):
    """Lion without its interpolation: the sign of the momentum itself, updated first::

    m <- beta2 * m + (1 - beta2) * g
    W <- W - lr * sign(m)
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m = s["m"]
        m *= self.beta2
        m += (1 - self.beta2) * g
        p -= self.lr * np.sign(m)


class ADOPTAdamOrder(ADOPT):
    """ADOPT normalising after the momentum, in Adam's order::

    m <- m + (1 - beta1) * (g - m)
    W <- W - lr * clip(m / max(sqrt(v), eps), t^(1/4))       # v of the steps before
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, v = s["m"], s["v"]
        if self.t == 1:
            v += g * g
            return
        m += (1 - self.beta1) * (g - m)
        n = m / np.maximum(np.sqrt(v), self.eps)
        if self.clip:
            bound = math.pow(self.t, 0.25)
            np.clip(n, -bound, bound, out=n)
        p -= self.lr * n
        v += (1 - self.beta2) * (g * g - v)


class ADOPTCurrentV(ADOPT):
    """ADOPT with ``v`` updated before the division, so that ``g`` divides by its own square::

    v <- v + (1 - beta2) * (g*g - v)
    n = clip(g / max(sqrt(v), eps), t^(1/4));  m <- m + (1 - beta1) * (n - m);  W <- W - lr * m
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, v = s["m"], s["v"]
        if self.t == 1:
            v += g * g
            return
        v += (1 - self.beta2) * (g * g - v)
        n = g / np.maximum(np.sqrt(v), self.eps)
        if self.clip:
            bound = math.pow(self.t, 0.25)
            np.clip(n, -bound, bound, out=n)
        m += (1 - self.beta1) * (n - m)
        p -= self.lr * m


class LAMBPaperForm(LAMB):
    """LAMB as its paper writes it: both moments bias-corrected inside ``r``, and no
    correction outside the trust ratio (which then cancels most of it)::

    r = (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
    W <- W - lr * trust * r
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, v = s["m"], s["v"]
        m *= self.beta1
        m += (1 - self.beta1 if self.grad_averaging else 1.0) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        m_hat, v_hat = m / (1 - self.beta1**self.t), v / (1 - self.beta2**self.t)
        r = m_hat / (np.sqrt(v_hat) + self.eps)
        if self.weight_decay and not self.decoupled_weight_decay:
            r += self.weight_decay * p
        w_norm, r_norm = min(float(np.linalg.norm(p)), self.clamp), float(np.linalg.norm(r))
        trust = w_norm / (r_norm + self.eps) if w_norm and r_norm and self.trust_ratio else 1.0
        p -= self.lr * trust * r


class LAMBWithoutEps(LAMB):
    """LAMB with no eps in Adam's direction (the trust ratio keeps its own)::

    r = m / sqrt(v);   trust = min(||W||, clamp) / (||r|| + eps)
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, v = s["m"], s["v"]
        m *= self.beta1
        m += (1 - self.beta1 if self.grad_averaging else 1.0) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        r = m / np.sqrt(v)
        if self.weight_decay and not self.decoupled_weight_decay:
            r += self.weight_decay * p
        w_norm, r_norm = min(float(np.linalg.norm(p)), self.clamp), float(np.linalg.norm(r))
        # a NaN norm (0/0 in r) fails the tests, as in the reference: trust is then 1
        known = w_norm > 0 and r_norm > 0 and self.trust_ratio
        trust = w_norm / (r_norm + self.eps) if known else 1.0
        p -= (self.lr / (1.0 - math.pow(self.beta1, self.t)) * trust) * r


class AtZ:
    """A schedule-free rule with the weights at ``z``: its own step on ``z``, the
    average ``x`` unused (without warm-up)::

    z <- z - lr * d;   W = z
    """

    lr: float

    def _step(self, y: np.ndarray, z: np.ndarray, d: np.ndarray) -> None:
        z -= self.lr * d
        y[...] = z


class ScheduleFreeSGDAtZ(AtZ, ScheduleFreeSGD):
    """Schedule-Free SGD at ``z``: plain SGD."""


class ScheduleFreeAdamWAtZ(AtZ, ScheduleFreeAdamW):
    """Schedule-Free AdamW at ``z``: Adam's normalised step without momentum."""


class SOAPNotProjectedBack(SOAP):
    """SOAP whose step stays in the eigenbasis (no ``Q_L ... Q_R^T`` around it)::

    U = (Q_L^T m Q_R) / (sqrt(v) + eps)
    """

    def _project(self, a: np.ndarray, s: dict[str, np.ndarray], back: bool = False) -> np.ndarray:
        return a if back else super()._project(a, s)


class SOAPUnrotatedV(SOAP):
    """SOAP with Adam's ``v`` of the gradient itself, not of the rotated one::

    v <- lerp(v, G*G, 1 - beta2);   U = Q_L ((Q_L^T m Q_R) / (sqrt(v) + eps)) Q_R^T
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        if self.t == 1:
            self._precondition(g, s, 0)
            return
        k, m, v = self.t - 1, s["m"], s["v"]
        step = self.lr
        if self.correct_bias:
            step *= math.sqrt(1.0 - self.beta2**k) / (1.0 - self.beta1**k)
        m += (1 - self.beta1) * (g - m)
        v += (1 - self.beta2) * (g * g - v)
        u = self._project(self._project(m, s) / (np.sqrt(v) + self.eps), s, back=True)
        if self.normalize_gradient:
            u = u / (np.sqrt(np.mean(u * u)) + self.eps)
        p -= step * u
        if self.weight_decay:
            p *= 1.0 - self.weight_decay * self.lr
        self._precondition(g, s, k)


class ProdigyStartNotCopied(Prodigy):
    """Prodigy whose starting point ``W0`` follows the weights (``self.W0 = params``, no
    copy): ``<g, W0 - W>`` is 0, so ``r`` and ``d`` never grow from ``d0``."""

    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        return {"p0": p, **{name: np.zeros_like(p) for name in self.state_names}}


class ProdigyLatestEstimate(Prodigy):
    """Prodigy with ``d`` the latest estimate, not the largest so far (no growth limit)::

    d <- max(d0, d_coef r / |s|_1)
    """

    def _end_step(self) -> None:
        self.d = self.d_max = self.d0  # forget the estimates before this step
        super()._end_step()


class AdamaxEpsOutside(Adamax):
    """Adamax with eps added to ``u`` in the step rather than inside the maximum (Keras's)::

    u <- max(beta2 * u, |g|);   W <- W - lr / (1 - beta1^t) * m / (u + eps)
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m, u = s["m"], s["u"]
        m += (1 - self.beta1) * (g - m)
        np.maximum(self.beta2 * u, np.abs(g), out=u)
        p -= self.lr / (1 - self.beta1**self.t) * (m / (u + self.eps))


class RpropNoStandstill(Rprop):
    """Rprop without iRprop-'s standstill: after a flip of sign the weight steps at once,
    and the flipped gradient is kept for the next comparison::

    prev <- g;   W <- W - sign(g) * step
    """

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        prev, step = s["prev"], s["step"]
        agree = g * prev
        step *= np.where(agree > 0, self.etaplus, np.where(agree < 0, self.etaminus, 1.0))
        np.clip(step, self.step_size_min, self.step_size_max, out=step)
        prev[...] = g
        p -= np.sign(g) * step


class AdafactorUnfactored(Adafactor):
    """Adafactor with a full second moment ``v`` for every parameter, matrices too
    (Adam's memory): ``V <- V + beta2_hat * (g^2 - V)`` in place of the row and
    column means."""

    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        return {"v": np.zeros_like(p)}
