"""Gradient clipping, in place on the network's gradient buffer.

* by norm: if ``||g|| > max_norm`` (the L2 norm over every parameter at
  once), ``g <- g * max_norm / ||g||``; the direction is kept;
* by value: every element is clamped to ``[-max_value, max_value]``.

Both work on a list of arrays; with :class:`trainlab.nn.MultiLayerNet` the list
is the one contiguous buffer ``net.flat_grads``, so each is a single pass.
"""

from __future__ import annotations

import math

import numpy as np


def grad_norm(arrays) -> float:
    """L2 norm over all ``arrays`` together (in float64 when the dtype would overflow)."""
    total = 0.0
    for a in arrays:
        a = a.reshape(-1)
        sq = float(np.dot(a, a))
        if not math.isfinite(sq):  # float32 overflow: redo in float64
            sq = float(np.dot(a.astype(np.float64), a.astype(np.float64)))
        total += sq
    return math.sqrt(total)


def clip_by_norm(arrays, max_norm: float, norm: float | None = None) -> float:
    """Scale ``arrays`` in place so their joint norm is at most ``max_norm``.

    Returns the norm before clipping (pass ``norm`` if it is already known)."""
    norm = grad_norm(arrays) if norm is None else norm
    if norm > max_norm:
        scale = max_norm / norm
        for a in arrays:
            a *= a.dtype.type(scale)
    return norm


def clip_by_value(arrays, max_value: float) -> None:
    """Clamp every element of ``arrays`` to ``[-max_value, max_value]`` in place."""
    for a in arrays:
        np.clip(a, -max_value, max_value, out=a)


def grad_buffers(network, grads: dict) -> list[np.ndarray]:
    """The arrays holding the gradients: the net's flat buffer when it has one."""
    flat = getattr(network, "flat_grads", None)
    return [flat] if isinstance(flat, np.ndarray) else list(grads.values())
