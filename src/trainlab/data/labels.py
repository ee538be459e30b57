"""Label encodings."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from trainlab.errors import ConfigError, DataError


def one_hot(t: Any, n_classes: int) -> np.ndarray:
    """One-hot encode integer labels: shape ``t.shape + (n_classes,)``, ``float32``.

    Labels must be integers in ``0 .. n_classes-1``; anything else raises
    rather than silently producing an all-zero row.
    """
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or n_classes < 1:
        raise ConfigError(f"n_classes={n_classes!r} must be a positive integer")
    t = np.asarray(t)
    if not np.issubdtype(t.dtype, np.integer):
        raise DataError(
            f"labels must be integers, got dtype {t.dtype}; convert them with astype(int)"
        )
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        raise DataError(
            f"labels range {t.min()}..{t.max()} is outside 0..{n_classes - 1}; check n_classes"
        )
    out = np.zeros(t.shape + (int(n_classes),), dtype=np.float32)
    np.put_along_axis(out, t[..., None].astype(np.intp), 1.0, axis=-1)
    return out
