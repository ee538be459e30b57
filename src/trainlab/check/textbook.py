"""The notes' rules written out plainly, with one mistake switched on at a time.

With no fault, :class:`Textbook` gives trainlab's numbers (a test holds it to
that, rounding aside); each fault changes exactly the one thing its name says.
The diagnosis builds these and runs them on the learner's scenarios: a fault
is named only when it reproduces the learner's numbers.

Faults:
    ``reset:NAME``   state ``NAME`` (``h``, ``v``, ``m``, ``u``, ``t``) starts afresh every call
    ``nesterov2016`` Nesterov with the velocity updated first (the book before 2021)
    ``t+1``, ``t-1`` Adam's step counter one ahead (starts at 1) or behind (used before +1)
    ``eps_inside``   ``sqrt(h + eps)`` in place of ``sqrt(h) + eps``
    ``no_root``      ``h`` in place of ``sqrt(h)``
    ``square``       ``h ** 2`` in place of ``sqrt(h)``
    ``g_not_squared`` ``g`` in place of ``g * g`` in the accumulated squares
    ``swap_decay``   RMSprop's ``decay_rate`` and ``1 - decay_rate`` swapped
    ``swap_beta1``, ``swap_beta2``  the same for Adam's betas
    ``paper_form``   Adam as the paper writes it: m̂ = m/(1-beta1^t), v̂ = v/(1-beta2^t),
                     W -= lr m̂ / (sqrt(v̂) + eps)
    ``no_bias_correction``  Adam with every bias correction factor 1
"""

from __future__ import annotations

import numpy as np

RULES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adadelta")
OPTIONS = ("lr", "momentum", "decay_rate", "beta1", "beta2", "rho", "eps")
STATE = {
    "sgd": (),
    "momentum": ("v",),
    "nesterov": ("v",),
    "adagrad": ("h",),
    "rmsprop": ("h",),
    "adam": ("m", "v"),
    "adadelta": ("h", "u"),
}


class Textbook:
    def __init__(
        self,
        rule: str,
        faults=(),
        *,
        lr,
        momentum=0.9,
        decay_rate=0.99,
        beta1=0.9,
        beta2=0.999,
        rho=0.9,
        eps=None,
        state: dict | None = None,
    ):
        """``state``: the per-key state dict to use (one dict given to several
        objects makes them share it, as a class attribute would)."""
        self.rule, self.faults = rule, frozenset(faults)
        self.lr, self.momentum, self.decay_rate = lr, momentum, decay_rate
        self.beta1, self.beta2, self.rho = beta1, beta2, rho
        self.eps = (1e-6 if rule == "adadelta" else 1e-7) if eps is None else eps
        self.state: dict[str, dict] = {} if state is None else state
        self.t = 0

    # -- pieces a fault may change -------------------------------------------
    def _root(self, h):
        if "no_root" in self.faults:
            return h
        if "square" in self.faults:
            return h * h
        return np.sqrt(h)

    def _denominator(self, h):
        if "eps_inside" in self.faults:
            return self._root(h + self.eps)
        return self._root(h) + self.eps

    def _squared(self, g):
        return g if "g_not_squared" in self.faults else g * g

    def _average(self, old, new, keep, swap):
        """``keep * old + (1 - keep) * new`` (the notes' incremental form)."""
        if swap:
            return (1.0 - keep) * old + keep * new
        return old + (1.0 - keep) * (new - old)

    # -- the interface -------------------------------------------------------
    def update(self, params, grads):
        self.t = 1 if "reset:t" in self.faults else self.t + 1
        t = self.t + ("t+1" in self.faults) - ("t-1" in self.faults)
        for key in params:
            p, g = params[key], np.asarray(grads[key], dtype=np.float64)
            s = self.state.get(key)
            if s is None:
                s = self.state[key] = {n: np.zeros_like(p) for n in STATE[self.rule]}
            for n in STATE[self.rule]:
                if f"reset:{n}" in self.faults:
                    s[n] = np.zeros_like(p)
            getattr(self, "_" + self.rule)(p, g, s, t)

    def _sgd(self, p, g, s, t):
        p -= self.lr * g

    def _momentum(self, p, g, s, t):
        s["v"] = self.momentum * s["v"] - self.lr * g
        p += s["v"]

    def _nesterov(self, p, g, s, t):
        mu = self.momentum
        if "nesterov2016" in self.faults:
            s["v"] = mu * s["v"] - self.lr * g
        p += mu * mu * s["v"]
        p -= (1 + mu) * self.lr * g
        if "nesterov2016" not in self.faults:
            s["v"] = mu * s["v"] - self.lr * g

    def _adagrad(self, p, g, s, t):
        s["h"] = s["h"] + self._squared(g)
        p -= self.lr * g / self._denominator(s["h"])

    def _rmsprop(self, p, g, s, t):
        s["h"] = self._average(
            s["h"], self._squared(g), self.decay_rate, "swap_decay" in self.faults
        )
        p -= self.lr * g / self._denominator(s["h"])

    def _adam(self, p, g, s, t):
        b1, b2 = np.float64(self.beta1), np.float64(self.beta2)
        c1, c2 = 1.0 - b1**t, 1.0 - b2**t
        if "no_bias_correction" in self.faults:
            c1 = c2 = 1.0
        s["m"] = self._average(s["m"], g, self.beta1, "swap_beta1" in self.faults)
        s["v"] = self._average(s["v"], self._squared(g), self.beta2, "swap_beta2" in self.faults)
        if "paper_form" in self.faults:
            p -= self.lr * (s["m"] / c1) / self._denominator(s["v"] / c2)
        else:
            p -= self.lr * np.sqrt(c2) / c1 * s["m"] / self._denominator(s["v"])

    def _adadelta(self, p, g, s, t):
        s["h"] = self.rho * s["h"] + (1 - self.rho) * g * g
        d = np.sqrt(s["u"] + self.eps) / np.sqrt(s["h"] + self.eps) * g
        s["u"] = self.rho * s["u"] + (1 - self.rho) * d * d
        p -= self.lr * d
