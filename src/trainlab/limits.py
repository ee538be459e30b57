"""Memory estimated before allocating: a request that cannot fit is refused in one line.

The budget is ``TRAINLAB_MAX_MEMORY`` (bytes, or with a suffix: ``512M``,
``8G``) when set, else half of this machine's physical memory.
"""

from __future__ import annotations

import os

from trainlab.errors import ConfigError

_SUFFIX = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def budget() -> int:
    """Bytes one allocation plan may use."""
    text = os.environ.get("TRAINLAB_MAX_MEMORY", "").strip().upper().removesuffix("B")
    if text:
        unit = text[-1] if text[-1] in _SUFFIX else ""
        try:
            value = float(text[:-1] if unit else text) * _SUFFIX[unit]
        except ValueError:
            raise ConfigError(
                f"TRAINLAB_MAX_MEMORY={os.environ['TRAINLAB_MAX_MEMORY']!r} is "
                "not a size; give bytes or e.g. 512M, 8G"
            ) from None
        if value > 0:
            return int(value)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def human(nbytes: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if nbytes < 1024 or unit == "PB":
            return f"{nbytes:,.0f} {unit}" if unit == "bytes" else f"{nbytes:,.1f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.3g} PB"


def check(nbytes: int, what: str, fix: str) -> None:
    """Refuse ``what`` when it would need more than :func:`budget` bytes."""
    limit = budget()
    if nbytes > limit:
        raise ConfigError(
            f"{what} needs about {human(nbytes)}, more than the {human(limit)} "
            f"trainlab allows here (TRAINLAB_MAX_MEMORY); {fix}"
        )
