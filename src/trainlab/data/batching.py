"""Mini-batches for one epoch.

Two ways to draw an epoch's batches:

* without replacement (default): a fresh permutation of ``0..n-1`` from
  ``rng`` on every call, cut into consecutive batches (``shuffle=False`` keeps
  the data order instead); every sample is seen exactly once per epoch;
* with replacement (``replacement=True``): the sampling of *Deep Learning
  from Scratch*, ``np.random.choice(train_size, batch_size)`` per iteration,
  here ``rng.choice(n, batch_size)``, ``max(1, n // batch_size)`` times per
  epoch; a sample may appear several times or not at all.

All randomness comes from the ``numpy.random.Generator`` passed in, so the
same seed gives bit-identical batches, and successive epochs drawn from the
same generator differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from trainlab.errors import ConfigError, DataError
from trainlab.validate import check_count


def epoch_indices(
    n: int,
    batch_size: int,
    rng: np.random.Generator | None,
    shuffle: bool = True,
    replacement: bool = False,
    drop_last: bool = False,
) -> list[np.ndarray]:
    """The index arrays of one epoch's batches over ``n`` samples.

    ``rng`` may be ``None`` only when nothing is random (``shuffle=False``
    without replacement): a silent default seed would repeat the same "random"
    order every epoch.  ``drop_last`` drops a final batch smaller than
    ``batch_size`` (without replacement only; with replacement every batch is
    full).
    """
    check_count("n", n)
    check_count("batch_size", batch_size)
    if (shuffle or replacement) and not isinstance(rng, np.random.Generator):
        raise ConfigError(
            "rng must be a numpy.random.Generator (e.g. np.random.default_rng(0)), "
            f"not {type(rng).__name__}"
        )
    if replacement:
        assert rng is not None  # checked above
        return [rng.choice(n, batch_size) for _ in range(max(1, n // batch_size))]
    order = rng.permutation(n) if shuffle and rng is not None else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    if stop == 0:
        raise ConfigError(
            f"batch_size={batch_size} exceeds the {n} samples and drop_last=True leaves no batch; "
            "use a smaller batch"
        )
    return [order[i : i + batch_size] for i in range(0, stop, batch_size)]


def minibatches(
    x: Any,
    t: Any,
    batch_size: int,
    rng: np.random.Generator | None,
    shuffle: bool = True,
    replacement: bool = False,
    drop_last: bool = False,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(x_batch, t_batch)`` for one epoch; see :func:`epoch_indices`.

    The indices are drawn when this is called, not lazily, so the generator's
    state advances by one epoch even if the loop stops early.
    """
    x, t = np.asarray(x), np.asarray(t)
    if len(x) != len(t):
        raise DataError(f"x has {len(x)} samples but t has {len(t)}; pass matching arrays")
    batches = epoch_indices(len(x), batch_size, rng, shuffle, replacement, drop_last)
    return ((x[idx], t[idx]) for idx in batches)
