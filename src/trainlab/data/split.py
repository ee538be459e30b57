"""Seeded train/validation splits.

Every split here is a function of an explicit ``numpy.random.Generator`` (or a
fixed seed), never of NumPy's global random state, so the same seed always
gives the same split.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from trainlab.errors import ConfigError, DataError


def fixed_split(n: int, n_test: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, test)`` of a fixed split of ``n`` samples.

    The test set is the last ``n_test`` entries of
    ``np.random.default_rng(seed).permutation(n)``; both index arrays are then
    sorted, so each part keeps the original file order.  Used for the digits
    split and the MNIST fallback.
    """
    if not 0 < n_test < n:
        raise ConfigError(f"n_test={n_test} must be between 1 and n-1={n - 1}")
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[: n - n_test]), np.sort(order[n - n_test :])


def train_val_split(
    x: Any, t: Any, val_ratio: float = 0.2, rng: np.random.Generator | None = None
) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """Split ``(x, t)`` at random into ``(x_train, t_train), (x_val, t_val)``.

    ``int(len(x) * val_ratio)`` samples (as in *Deep Learning from Scratch*'s
    ``shuffle_dataset`` recipe) go to validation, drawn with ``rng``
    (``None`` means ``np.random.default_rng(0)``, so the default is
    reproducible).  The two parts are disjoint and together hold every sample.
    """
    if (
        isinstance(val_ratio, bool)
        or not isinstance(val_ratio, numbers.Real)
        or not math.isfinite(val_ratio)
        or not 0.0 < val_ratio < 1.0
    ):
        raise ConfigError(f"val_ratio={val_ratio!r} must be a number strictly between 0 and 1")
    if rng is None:
        rng = np.random.default_rng(0)
    elif not isinstance(rng, np.random.Generator):
        raise ConfigError(f"rng must be a numpy.random.Generator, not {type(rng).__name__}")
    x, t = np.asarray(x), np.asarray(t)
    if len(x) != len(t):
        raise DataError(f"x has {len(x)} samples but t has {len(t)}; pass matching arrays")
    n_val = int(len(x) * val_ratio)
    if n_val == 0 or n_val == len(x):
        raise ConfigError(
            f"val_ratio={val_ratio} of {len(x)} samples leaves an empty part; "
            "use more data or another ratio"
        )
    order = rng.permutation(len(x))
    val, train = order[:n_val], order[n_val:]
    return (x[train], t[train]), (x[val], t[val])
