"""Arrays a layer keeps from call to call, and sums that BLAS does fast.

The network's own layers write their outputs and gradients into arrays kept
between steps (one set per batch shape) instead of allocating new ones at every
step; row and column sums of float32 arrays go through BLAS.
"""

from __future__ import annotations

from typing import Any

import numpy as np

KEEP_SHAPES = 4  # buffers kept per layer: training, last partial and evaluation batches


def reused_buffer(
    cache: dict[Any, np.ndarray], shape: tuple[int, ...], dtype: Any, fill: float | None = None
) -> np.ndarray:
    """An array of ``shape`` and ``dtype`` reused from call to call (uninitialised
    unless ``fill`` is given, which is written once, when it is created)."""
    key = (shape, dtype)
    buf = cache.get(key)
    if buf is None:
        if len(cache) >= KEEP_SHAPES:
            cache.clear()
        buf = cache[key] = np.empty(shape, dtype) if fill is None else np.full(shape, fill, dtype)
    return buf


CONSTANTS: dict[tuple[str, int, Any], np.ndarray] = {}


def constant(kind: str, n: int, dtype: Any) -> np.ndarray:
    """A cached read-only ``arange(n)`` (``kind='rows'``) or ``ones(n, dtype)``."""
    key = (kind, n, dtype)
    arr = CONSTANTS.get(key)
    if arr is None:
        if len(CONSTANTS) >= 64:
            CONSTANTS.clear()
        arr = np.arange(n) if kind == "rows" else np.ones(n, dtype)
        arr.flags.writeable = False
        CONSTANTS[key] = arr
    return arr


def row_sums(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=1)`` of a 2-D array; in float32 as a product with a vector of
    ones, which BLAS does several times faster than NumPy's reduction on the
    small arrays of a training step (same sum, other order of additions)."""
    sums: np.ndarray
    if a.dtype == np.float32:
        sums = a @ constant("ones", a.shape[1], a.dtype)
    else:
        sums = np.add.reduce(a, axis=1)
    return sums


def col_sums(a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``a.sum(axis=0)`` of a 2-D array (into ``out``), by BLAS in float32 as
    :func:`row_sums`."""
    if a.dtype == np.float32 and a.ndim == 2 and (out is None or out.dtype == a.dtype):
        sums: np.ndarray = np.matmul(constant("ones", a.shape[0], a.dtype), a, out=out)
    else:
        sums = np.add.reduce(a, axis=0, out=out)
    return sums
