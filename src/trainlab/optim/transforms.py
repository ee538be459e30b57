"""Gradient transforms: small steps between the gradient and the update rule.

A transform is a callable ``transform(grads, params) -> grads`` on two lists
of arrays of the same shapes (one gradient per parameter; with
:class:`trainlab.nn.MultiLayerNet` each list is the one flat buffer). It
returns the gradient to use next: the same arrays changed in place (the
clipping transforms, which work on arrays their caller owns) or new arrays
(the others, which never write to their input). :func:`chain` applies a list
of them in the order given, in the style of optax's ``chain``::

    g <- g + weight_decay * W          add_decayed_weights(weight_decay)
    g <- -g                            negate()            (maximize)
    g <- g * min(1, c / ||g||)         clip_by_norm(c)
    g <- clamp(g, -c, c)               clip_by_value(c)
    g <- g + N(0, eta / (1 + t)^gamma) add_noise(eta, gamma, rng)
    stop if ||g|| > c                  stop_above_norm(c)  (raises GradientNormError)

The update rules build their coupled weight decay and ``maximize`` from the
first two; the :class:`trainlab.train.Trainer` applies the others
(``TrainConfig(clip_norm=..., transforms=[...])``).

>>> import numpy as np
>>> g, w = [np.array([3.0, 4.0])], [np.array([1.0, 1.0])]
>>> chain(negate(), clip_by_norm(1.0))(g, w)[0]
array([-0.6, -0.8])
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from trainlab.errors import ConfigError, DivergenceError
from trainlab.validate import check_positive

#: a gradient transform: ``transform(grads, params) -> grads`` on lists of arrays
Transform = Callable[[list[np.ndarray], Any], list[np.ndarray]]


class GradientNormError(DivergenceError):
    """The gradient norm exceeded :func:`stop_above_norm`'s bound (or is not finite)."""

    def __init__(self, norm: float, max_norm: float) -> None:
        super().__init__(f"gradient norm {norm:.3g} exceeds max_grad_norm {max_norm:g}")
        self.norm, self.max_norm = norm, max_norm


def chain(*transforms: Transform) -> Transform:
    """One transform that applies ``transforms`` in the order given."""

    def chained(grads: list[np.ndarray], params: Any) -> list[np.ndarray]:
        for transform in transforms:
            grads = transform(grads, params)
        return grads

    vars(chained)["transforms"] = transforms  # the parts, for whoever inspects it
    return chained


def apply_in_place(
    transforms: list[Transform], grads: list[np.ndarray], params: list[np.ndarray]
) -> None:
    """Run ``transforms`` in order and leave their result in the arrays ``grads``."""
    out = chain(*transforms)(grads, params)
    for g, new in zip(grads, out, strict=False):
        if new is not g:
            np.copyto(g, new)


def add_decayed_weights(weight_decay: float) -> Transform:
    """Coupled L2 weight decay, ``g <- g + weight_decay * W`` (the gradient of
    ``weight_decay / 2 * ||W||^2``); new arrays."""
    wd = check_positive("weight_decay", weight_decay)
    return lambda grads, params: [g + wd * p for g, p in zip(grads, params, strict=False)]


def negate() -> Transform:
    """``g <- -g``: climb the objective instead of descending it; new arrays."""
    return lambda grads, params: [-g for g in grads]


def grad_norm(arrays: list[np.ndarray]) -> float:
    """L2 norm over all ``arrays`` together (in float64 when the dtype would overflow)."""
    total = 0.0
    for a in arrays:
        a = a.reshape(-1)
        sq = float(np.dot(a, a))
        if not math.isfinite(sq):  # float32 overflow: redo in float64
            sq = float(np.dot(a.astype(np.float64), a.astype(np.float64)))
        total += sq
    return math.sqrt(total)


class Measured:
    """A transform that measures the joint norm of the gradient it is given
    (kept in ``self.norm`` for the caller's records)."""

    norm: float | None = None

    def measure(self, grads: list[np.ndarray]) -> float:
        self.norm = grad_norm(grads)
        return self.norm


class clip_by_norm(Measured):  # noqa: N801  (a transform is named for what it does)
    """If ``||g|| > max_norm`` (over every array at once), ``g <- g * max_norm / ||g||``,
    in place: the direction is kept."""

    def __init__(self, max_norm: float) -> None:
        self.max_norm = check_positive("clip_norm", max_norm)

    def __call__(self, grads: list[np.ndarray], params: Any = None) -> list[np.ndarray]:
        norm = self.measure(grads)
        if norm > self.max_norm:
            scale = self.max_norm / norm
            for g in grads:
                g *= g.dtype.type(scale)
        return grads


class stop_above_norm(Measured):  # noqa: N801 (named for what it does, as clip_by_norm)
    """Raise :class:`GradientNormError` when ``||g|| > max_norm`` or is not finite."""

    def __init__(self, max_norm: float) -> None:
        self.max_norm = check_positive("max_grad_norm", max_norm)

    def __call__(self, grads: list[np.ndarray], params: Any = None) -> list[np.ndarray]:
        norm = self.measure(grads)
        if not norm <= self.max_norm:
            raise GradientNormError(norm, self.max_norm)
        return grads


def clip_by_value(max_value: float) -> Transform:
    """Clamp every element to ``[-max_value, max_value]``, in place."""
    c = check_positive("clip_value", max_value)

    def clip(grads: list[np.ndarray], params: Any = None) -> list[np.ndarray]:
        for g in grads:
            np.clip(g, -c, c, out=g)
        return grads

    return clip


class add_noise:  # noqa: N801 (named for what it does, as clip_by_norm)
    r"""Annealed Gaussian noise, ``g <- g + N(0, sigma_t^2)``, ``sigma_t^2 = eta / (1 + t)^gamma``.

    ``t`` is the number of steps taken before this one; it counts calls, and
    its owner may set it (:class:`trainlab.optim.GradientNoise` sets it to the
    wrapped rule's step count). The noise is drawn in the gradients' dtype, for
    all arrays at once in the order given; new arrays.
    Paper: Neelakantan et al., "Adding Gradient Noise Improves Learning for
    Very Deep Networks", arXiv:1511.06807, 2015.
    """

    def __init__(
        self, eta: float = 0.01, gamma: float = 0.55, rng: np.random.Generator | int | None = None
    ) -> None:
        self.eta = check_positive("eta", eta)
        self.gamma = check_positive("gamma", gamma, allow_zero=True)
        if rng is None or isinstance(rng, (int, np.integer)):
            rng = np.random.default_rng(0 if rng is None else int(rng))
        if not isinstance(rng, np.random.Generator):
            raise ConfigError(
                f"rng must be a numpy.random.Generator or an int seed, got {type(rng).__name__}"
            )
        self.rng, self.t = rng, 0
        self._buf: np.ndarray | None = None

    def sigma(self, t: int) -> float:
        """Standard deviation of the noise added at the step after ``t`` steps."""
        return math.sqrt(self.eta / (1.0 + t) ** self.gamma)

    def __call__(self, grads: list[np.ndarray], params: Any = None) -> list[np.ndarray]:
        dtype = np.result_type(*(g.dtype for g in grads))
        if dtype not in (np.float32, np.float64):  # e.g. integer gradients
            dtype = np.dtype(np.float64)
        total = sum(g.size for g in grads)
        if self._buf is None or self._buf.size != total or self._buf.dtype != dtype:
            self._buf = np.empty(total, dtype)
        noise = self._buf  # one buffer, so flat gradients stay one buffer
        self.rng.standard_normal(dtype=dtype, out=noise)
        noise *= self.sigma(self.t)
        self.t += 1
        out, off = [], 0
        for g in grads:
            view = noise[off : off + g.size].reshape(g.shape)
            view += g
            out.append(view)
            off += g.size
        return out
