"""The value checks of the run spec's parts: each raises one-line :class:`ConfigError`
naming the setting and what it must be."""

from __future__ import annotations

import math
from typing import Any

from trainlab.errors import ConfigError


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def positive(name: str, v: Any, optional: bool = True) -> None:
    if v is None and optional:
        return
    if not is_number(v) or not math.isfinite(v) or v <= 0:
        raise ConfigError(f"{name} must be a finite number > 0, got {v!r}")


def count(name: str, v: Any, minimum: int = 1, optional: bool = False) -> None:
    if v is None and optional:
        return
    if not is_int(v) or v < minimum:
        raise ConfigError(f"{name} must be an integer ≥ {minimum}, got {v!r}")


def share(name: str, v: Any, flag: str) -> None:
    if not is_number(v) or not 0.0 <= v < 1.0:
        raise ConfigError(f"{flag} must be in [0, 1), got {v}")


def one_of(name: str, v: Any, allowed: tuple) -> None:
    if v not in allowed:
        named = ", ".join(str(a) for a in allowed if a is not None)
        raise ConfigError(f"{name} must be one of {named}, got {v!r}")


def text(name: str, v: Any, optional: bool = True) -> None:
    if not (isinstance(v, str) and v) and not (v is None and optional):
        raise ConfigError(f"{name} must be a non-empty string, got {v!r}")


def scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, bool)) or (is_number(v) and math.isfinite(v))


def json_list(name: str, values: dict) -> list:
    if not isinstance(values[name], list):
        raise ConfigError(f"{name} must be a list, got {values[name]!r}")
    return values[name]


def json_object(what: str, v: Any) -> dict:
    if not isinstance(v, dict):
        raise ConfigError(f"a {what} must be an object, got {v!r}")
    return v
