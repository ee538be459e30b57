"""Detect parameters that tile one contiguous buffer, for the one-pass update."""

from __future__ import annotations

import numpy as np


def _address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


def covering_buffer(arrays: list[np.ndarray]) -> np.ndarray | None:
    """Return a 1-D array that is exactly ``arrays`` laid end to end, or None.

    It is the shared base buffer when the arrays are C-contiguous views that
    follow each other in memory with no gap, in the order given, and together
    cover the whole base (so the buffer holds nothing else).
    """
    if not arrays:
        return None
    first = arrays[0]
    base = first.base
    if base is None or not isinstance(base, np.ndarray):
        return None
    while isinstance(base.base, np.ndarray):
        base = base.base
    if base.ndim != 1 or not base.flags.c_contiguous or base.dtype != first.dtype:
        return None
    expected = _address(base)
    for a in arrays:
        if (not isinstance(a, np.ndarray) or a.dtype != base.dtype
                or not a.flags.c_contiguous or _address(a) != expected):
            return None
        root = a.base
        while isinstance(root, np.ndarray) and isinstance(root.base, np.ndarray):
            root = root.base
        if root is not base:
            return None
        expected += a.nbytes
    if expected != _address(base) + base.nbytes:
        return None
    return base
