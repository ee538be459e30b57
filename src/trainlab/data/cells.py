"""What a data file's cells may hold: the words for a missing value, numbers, finite rows.

Shared by the training-data reader (:mod:`trainlab.data.files`) and the new-row
reader (:mod:`trainlab.data.rows`), so that both refuse the same things with the
same one-line :class:`~trainlab.errors.DataError`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.errors import DataError

#: cell texts read as a missing value (compared in lower case)
MISSING = {"", "na", "n/a", "nan", "null", "none", "?"}


def is_number(text: Any) -> bool:
    """True when ``float(text)`` reads it."""
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


def require_finite(spec: str, name: str, a: np.ndarray) -> None:
    """Refuse NaN or infinity in ``a``, naming the first row that holds one."""
    bad = ~np.isfinite(a.reshape(len(a), -1)).all(axis=1)
    if bad.any():
        row = int(np.argmax(bad))
        raise DataError(
            f"{spec}: NaN or infinite value in {name} at row {row + 1}; "
            "remove or fill the missing values"
        )
