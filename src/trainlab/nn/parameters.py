"""A network's parameters in one contiguous buffer: their layout and their views.

Every parameter (``W1, b1, gamma1, beta1, W2, ...``) is a view into one flat
array, and so is every gradient, so that an optimizer can update all of them
in one vectorized pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab import limits

Layout = list[tuple[str, tuple[int, ...]]]


def layout(sizes: list[int], use_batchnorm: bool) -> Layout:
    """(name, shape) of every parameter, in buffer order."""
    out: Layout = []
    for i in range(1, len(sizes)):
        out += [(f"W{i}", (sizes[i - 1], sizes[i])), (f"b{i}", (sizes[i],))]
        if use_batchnorm and i < len(sizes) - 1:
            out += [(f"gamma{i}", (sizes[i],)), (f"beta{i}", (sizes[i],))]
    return out


def check_size(sizes: list[int], itemsize: int = 4) -> None:
    """Refuse, before allocating, a network whose parameters, gradients and an
    optimizer's state would not fit in memory (see :mod:`trainlab.limits`)."""
    n_params = sum(int(a) * int(b) + int(b) for a, b in zip(sizes[:-1], sizes[1:], strict=False))
    limits.check(
        n_params * itemsize * 5,
        f"a network of layer sizes {list(sizes)} "
        f"({n_params:,} parameters, their gradients and an optimizer's state)",
        "choose smaller hidden layers (--hidden)",
    )


def views(flat: np.ndarray, shapes: Layout) -> dict[str, np.ndarray]:
    """``flat`` cut into arrays of the layout's shapes, in order (views, not copies)."""
    out: dict[str, Any] = {}
    off = 0
    for name, shape in shapes:
        n = int(np.prod(shape))
        out[name] = flat[off : off + n].reshape(shape)
        off += n
    return out
