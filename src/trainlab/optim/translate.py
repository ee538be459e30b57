"""The one lookup behind :func:`~trainlab.optim.from_torch` and
:func:`~trainlab.optim.from_reference`: a class named by its library, and its
options filled in with that library's defaults."""

from __future__ import annotations

from typing import Any, TypeVar

from trainlab.errors import ConfigError

Entry = TypeVar("Entry")


def filled(
    table: dict[str, tuple[Entry, dict[str, Any]]],
    name: str,
    given: dict[str, Any],
    ignored: tuple[str, ...],
    kind: str,
    prefix: str = "",
) -> tuple[Entry, dict[str, Any]]:
    """``(entry, options)``: ``table``'s entry for ``name`` (any case) and the
    options ``given`` over the library's defaults, those in ``ignored`` left out.
    An unknown name or option is refused in one line (``kind`` names what the
    table holds, ``prefix`` the library's module)."""
    match = {k.lower(): k for k in table}.get(str(name).lower())
    if match is None:
        raise ConfigError(f"unknown {kind} {name!r}; choose one of {', '.join(table)}")
    entry, defaults = table[match]
    unknown = sorted(set(given) - set(defaults) - set(ignored))
    if unknown:
        valid = list(defaults) + (list(ignored) if prefix else [])
        raise ConfigError(
            f"{prefix}{match} has no option {', '.join(unknown)} here; "
            f"valid options are {', '.join(valid)}"
        )
    return entry, {**defaults, **{k: v for k, v in given.items() if k not in ignored}}
