"""The one set of argument checks (numbers, fractions, counts) and the parse of a
setting written as text.

Each returns the value as a plain ``float`` or ``int``, or raises
:class:`trainlab.errors.ConfigError` naming the argument.

>>> check_positive("lr", 0.1), check_unit("beta1", 0.9), check_count("epochs", 3)
(0.1, 0.9, 3)
"""

from __future__ import annotations

import json
import math
import numbers
from typing import Any

from trainlab.errors import ConfigError


def check_positive(name: str, value: Any, *, allow_zero: bool = False) -> float:
    """A finite number > 0 (≥ 0 with ``allow_zero``)."""
    bound = "≥ 0" if allow_zero else "> 0"
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if (
        isinstance(value, bool)
        or not math.isfinite(number)
        or not (number >= 0 if allow_zero else number > 0)
    ):
        raise ConfigError(f"{name} must be a finite number {bound}, got {value!r}")
    return number


def check_unit(name: str, value: Any) -> float:
    """A number in [0, 1) (a decay rate)."""
    number = float(value)
    if not (0.0 <= number < 1.0):
        raise ConfigError(f"{name} must be in [0, 1), got {number}")
    return number


#: The most steps (and epochs, iterations, trials, ...) trainlab accepts: 10⁹ steps of
#: even the smallest network take days; a larger count is a typo, not a plan.
MAX_COUNT = 10**9


def check_count(name: str, value: Any, *, minimum: int = 1) -> int:
    """A whole number ≥ ``minimum`` (ints, NumPy ints and integral floats; not bools)."""
    whole = (
        not isinstance(value, bool)
        and isinstance(value, numbers.Real)
        and math.isfinite(value)
        and math.trunc(value) == value
    )
    if not whole or value < minimum:
        kind = "a positive integer" if minimum == 1 else f"a whole number ≥ {minimum}"
        raise ConfigError(f"{name} must be {kind}, got {value!r}")
    if value > MAX_COUNT:
        raise ConfigError(
            f"{name} must be at most {MAX_COUNT:,} (the largest accepted), got {value!r}"
        )
    return int(value)


def parse_scalar(text: str) -> Any:
    """A setting written as text: a JSON number, bool or null, else the plain string.

    >>> parse_scalar("0.01"), parse_scalar("True"), parse_scalar("relu")
    (0.01, True, 'relu')
    """
    low = text.strip()
    if low.lower() in ("true", "false"):
        return low.lower() == "true"
    try:
        return json.loads(low)
    except ValueError:
        return low
