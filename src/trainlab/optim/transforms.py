"""The gradient transformations, each written once (the protocol: :mod:`.transformation`)::

    g <- g + weight_decay * W            add_decayed_weights(weight_decay)   coupled L2
    W <- W * (1 - lr * weight_decay)     decay_weights(weight_decay)         decoupled (AdamW)
    g <- -g                              negate()                            maximize
    g <- g * min(1, c / ||g||)           clip_by_norm(c)
    g <- clamp(g, -c, c)                 clip_by_value(c)
    g <- g + N(0, eta / (1 + t)^gamma)   add_noise(eta, gamma, rng)
    stop if ||g|| > c                    stop_above_norm(c)   (raises GradientNormError)

An update rule chains the ones its options ask for (``maximize``, weight
decay) after the ones it is given (``opt.with_transforms(clip_by_norm(1.0))``,
or the run spec's chain), then takes its own step.

>>> import numpy as np
>>> g, w = [np.array([3.0, 4.0])], [np.array([1.0, 1.0])]
>>> both = chain(negate(), clip_by_norm(1.0))
>>> both.update(g, both.init(w), w, Step())[0]
array([-0.6, -0.8])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from trainlab.errors import DivergenceError
from trainlab.optim.transformation import (
    State,
    Step,
    Transformation,
    chain,
    fresh_generator,
)
from trainlab.validate import check_positive

__all__ = [
    "GradientNormError",
    "State",
    "Step",
    "Transformation",
    "add_decayed_weights",
    "add_noise",
    "chain",
    "clip_by_norm",
    "clip_by_value",
    "decay_weights",
    "grad_norm",
    "negate",
    "stop_above_norm",
]

Arrays = list[np.ndarray]


class GradientNormError(DivergenceError):
    """The gradient norm exceeded :func:`stop_above_norm`'s bound (or is not finite)."""

    def __init__(self, norm: float, max_norm: float) -> None:
        super().__init__(f"gradient norm {norm:.3g} exceeds max_grad_norm {max_norm:g}")
        self.norm, self.max_norm = norm, max_norm


def grad_norm(arrays: Arrays) -> float:
    """L2 norm over all ``arrays`` together (in float64 when the dtype would overflow)."""
    total = 0.0
    for a in arrays:
        a = a.reshape(-1)
        sq = float(np.dot(a, a))
        if not math.isfinite(sq):  # float32 overflow: redo in float64
            sq = float(np.dot(a.astype(np.float64), a.astype(np.float64)))
        total += sq
    return math.sqrt(total)


def measure(grads: Arrays, step: Step) -> float:
    """The joint norm of ``grads``, kept in ``step.norm`` when it is the step's first."""
    norm = grad_norm(grads)
    if step.norm is None:
        step.norm = norm
    return norm


# -- the rule's own options ----------------------------------------------------------------
class add_decayed_weights(Transformation):  # noqa: N801 (named for what it does)
    """Coupled L2 weight decay, ``g <- g + weight_decay * W`` (the gradient of
    ``weight_decay / 2 * ||W||^2``); new arrays."""

    name = "add_decayed_weights"

    def __init__(self, weight_decay: float) -> None:
        self.weight_decay = check_positive("weight_decay", weight_decay)

    def update(self, grads: Arrays, state: State, params: Arrays, step: Step) -> Arrays:
        wd = self.weight_decay
        return [g + wd * p for g, p in zip(grads, params, strict=True)]


class decay_weights(Transformation):  # noqa: N801
    """Decoupled weight decay, ``W <- W * (1 - lr * weight_decay)`` before the rule's
    step, outside its gradient statistics (Loshchilov & Hutter, "Decoupled Weight
    Decay Regularization", ICLR 2019; PyTorch's AdamW). The gradient is left alone."""

    name = "decay_weights"

    def __init__(self, weight_decay: float) -> None:
        self.weight_decay = check_positive("weight_decay", weight_decay)

    def update(self, grads: Arrays, state: State, params: Arrays, step: Step) -> Arrays:
        for p in params:
            p *= 1.0 - step.lr * self.weight_decay
        return grads


class negate(Transformation):  # noqa: N801
    """``g <- -g``: climb the objective instead of descending it; new arrays."""

    name = "negate"

    def update(self, grads: Arrays, state: State, params: Arrays, step: Step) -> Arrays:
        return [-g for g in grads]


# -- given to a rule (the run spec's chain) ---------------------------------------------------
class clip_by_value(Transformation):  # noqa: N801
    """Clamp every element to ``[-max_value, max_value]``, in place."""

    name = "clip_by_value"

    def __init__(self, max_value: float) -> None:
        self.max_value = check_positive("clip_value", max_value)

    def update(self, grads: Arrays, state: State, params: Arrays, step: Step) -> Arrays:
        c = self.max_value
        for g in grads:
            np.clip(g, -c, c, out=g)
        return grads


class clip_by_norm(Transformation):  # noqa: N801
    """If ``||g|| > max_norm`` (over every array at once), ``g <- g * max_norm / ||g||``,
    in place: the direction is kept. (PyTorch: ``torch.nn.utils.clip_grad_norm_``.)"""

    name, measures = "clip_by_norm", True

    def __init__(self, max_norm: float) -> None:
        self.max_norm = check_positive("clip_norm", max_norm)

    def update(self, grads: Arrays, state: State, params: Arrays, step: Step) -> Arrays:
        norm = measure(grads, step)
        if norm > self.max_norm:
            scale = self.max_norm / norm
            for g in grads:
                g *= g.dtype.type(scale)
        return grads


class stop_above_norm(Transformation):  # noqa: N801
    """Raise :class:`GradientNormError` when ``||g|| > max_norm`` or is not finite."""

    name, measures = "stop_above_norm", True

    def __init__(self, max_norm: float) -> None:
        self.max_norm = check_positive("max_grad_norm", max_norm)

    def update(self, grads: Arrays, state: State, params: Arrays, step: Step) -> Arrays:
        norm = measure(grads, step)
        if not norm <= self.max_norm:
            raise GradientNormError(norm, self.max_norm)
        return grads


class add_noise(Transformation):  # noqa: N801
    r"""Annealed Gaussian noise, ``g <- g + N(0, sigma_t^2)``, ``sigma_t^2 = eta / (1 + t)^gamma``.

    ``t`` is the number of steps the rule took before this one (``step.t``).
    The state is the random generator (a copy of ``rng``, or seeded by it), so
    a resumed run draws the same noise. The noise is drawn in the gradients'
    dtype, for all arrays at once in the order given, into one buffer: new
    arrays, views of that buffer, so a flat gradient stays one buffer.
    Paper: Neelakantan et al., "Adding Gradient Noise Improves Learning for
    Very Deep Networks", arXiv:1511.06807, 2015.
    """

    name = "noise"

    def __init__(
        self, eta: float = 0.01, gamma: float = 0.55, rng: np.random.Generator | int | None = None
    ) -> None:
        self.eta = check_positive("eta", eta)
        self.gamma = check_positive("gamma", gamma, allow_zero=True)
        self.rng = fresh_generator(rng)
        self._buf: np.ndarray | None = None  # reused from step to step (not state)

    def init(self, params: Arrays) -> State:
        return {"rng": fresh_generator(self.rng)}

    def sigma(self, t: int) -> float:
        """Standard deviation of the noise added at the step after ``t`` steps."""
        return math.sqrt(self.eta / (1.0 + t) ** self.gamma)

    def update(self, grads: Arrays, state: State, params: Arrays, step: Step) -> Arrays:
        dtype = np.result_type(*(g.dtype for g in grads))
        if dtype not in (np.float32, np.float64):  # e.g. integer gradients
            dtype = np.dtype(np.float64)
        total = sum(g.size for g in grads)
        if self._buf is None or self._buf.size != total or self._buf.dtype != dtype:
            self._buf = np.empty(total, dtype)
        noise = self._buf
        state["rng"].standard_normal(dtype=dtype, out=noise)
        noise *= self.sigma(step.t)
        out, off = [], 0
        for g in grads:
            view = noise[off : off + g.size].reshape(g.shape)
            view += g
            out.append(view)
            off += g.size
        return out

    def describe(self, rule: str, settings: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Named as run folders have always named it: ``GradientNoise(rule=..., eta, gamma)``."""
        return "GradientNoise", {"rule": rule, **settings, "eta": self.eta, "gamma": self.gamma}
