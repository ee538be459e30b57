"""Checking the shape of a JSON document a user's file gave us.

``read_json`` (in :mod:`trainlab.io`) says whether a file is JSON at all;
these helpers say whether it is the JSON trainlab wrote: a dict with the
keys it needs, each of the right type. Every failure is one
:class:`~trainlab.errors.DataError` that names the file, the key and the fix.
"""

from __future__ import annotations

import math
from pathlib import Path

from trainlab.errors import DataError

NUMBER = "number"
INT = "integer"
BOOL = "true or false"
STR = "string"
LIST = "list"
DICT = "object"
NONE = "null"


def _is(value, kind: str) -> bool:
    if kind == NUMBER:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == STR:
        return isinstance(value, str)
    if kind == LIST:
        return isinstance(value, list)
    if kind == DICT:
        return isinstance(value, dict)
    if kind == NONE:
        return value is None
    raise ValueError(kind)


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def document(doc, path, fix: str) -> dict:
    """``doc`` itself must be a JSON object."""
    if not isinstance(doc, dict):
        raise DataError(
            f"{path} holds a JSON {type(doc).__name__}, not the object trainlab writes; {fix}"
        )
    return doc


def need(doc: dict, key: str, kinds, path, fix: str, *, optional: bool = False, minimum=None):
    """``doc[key]``, checked to be one of ``kinds`` (and ≥ ``minimum`` when a number)."""
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    if key not in doc:
        if optional:
            return None
        raise DataError(f"{path} has no {key!r}; {fix}")
    value = doc[key]
    if not any(_is(value, k) for k in kinds):
        raise DataError(
            f"{path}: {key!r} should be {' or '.join(kinds)}, got {_show(value)}; {fix}"
        )
    if _is(value, NUMBER):
        if isinstance(value, float) and not math.isfinite(value):
            raise DataError(f"{path}: {key!r} is {value}, not a finite number; {fix}")
        if minimum is not None and value < minimum:
            raise DataError(f"{path}: {key!r} is {value}, below {minimum}; {fix}")
    return value


def numbers(values, path, where: str, fix: str) -> list:
    """A list of numbers (``null`` allowed, as trainlab writes NaN), e.g. a history."""
    if not isinstance(values, list):
        raise DataError(f"{path}: {where} should be a list of numbers, got {_show(values)}; {fix}")
    for v in values:
        if v is None or v in ("inf", "-inf"):
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise DataError(f"{path}: {where} holds {_show(v)}, not a number; {fix}")
    return values


#: the series of a training history that hold one number per entry
NUMERIC_SERIES = (
    "train_loss",
    "epoch",
    "lr",
    "time",
    "train_loss_epoch",
    "train_acc",
    "val_loss",
    "val_acc",
    "test_loss",
    "test_acc",
    "grad_norm_max",
)


def history(value, path, where: str, fix: str, required=()) -> dict:
    """A training history: names → lists (of numbers for :data:`NUMERIC_SERIES`)."""
    if not isinstance(value, dict):
        raise DataError(f"{path}: {where} should be an object of lists, got {_show(value)}; {fix}")
    for key in required:
        if key not in value:
            raise DataError(f"{path}: {where} has no {key!r} series; {fix}")
    for key, series in value.items():
        if key in NUMERIC_SERIES:
            numbers(series, path, f"{where}[{key!r}]", fix)
        elif not isinstance(series, list):
            raise DataError(
                f"{path}: {where}[{key!r}] should be a list, got {_show(series)}; {fix}"
            )
    return value


def rel_name(value, path: Path, key: str, fix: str) -> str:
    """A plain file name inside the same folder (no folders, no ``..``)."""
    if (
        not isinstance(value, str)
        or not value
        or "/" in value
        or "\\" in value
        or value in (".", "..")
        or "\0" in value
    ):
        raise DataError(f"{path}: {key!r} should name a file beside it, got {_show(value)}; {fix}")
    return value
