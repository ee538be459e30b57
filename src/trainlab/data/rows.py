"""New rows for a trained network: the feature columns it was trained on, by name.

:func:`read_rows` reads a ``.csv``/``.tsv`` file with a header row, or a ``.npz``
file with an array ``x``, and returns its features in the order the network
learned them. As scikit-learn's ``predict`` does with a data frame, the columns
are matched by name: their order does not matter, the training target's column
may be there or not (its values are returned when present), and every other
difference is one :class:`~trainlab.errors.DataError` that names the missing and
the unexpected columns.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import numpy as np

from trainlab.data.cells import MISSING, is_number, require_finite
from trainlab.errors import DataError


def read_rows(
    path: str | Path, features: list[str], target: str | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """``(x, y)``: features (N, F) float64 in the order of ``features``, and the
    ``target`` column's values (``None`` when the file has none)."""
    path = str(path)
    if not Path(path).is_file():
        raise DataError(f"{path}: no such file; pass an existing .csv, .tsv or .npz to --data")
    suffix = Path(path).suffix.lower()
    if suffix == ".npz":
        return _read_npz_rows(path, len(features))
    if suffix not in (".csv", ".tsv", ".txt"):
        raise DataError(f"{path}: predict reads .csv, .tsv or .npz files, not {suffix or 'this'}")
    header, body = _table(path)
    missing = [f for f in features if f not in header]
    extra = [h for h in header if h not in features and h != target]
    if missing or extra:
        said = [f"missing column(s) {', '.join(map(repr, missing))}"] if missing else []
        said += [f"unexpected column(s) {', '.join(map(repr, extra))}"] if extra else []
        raise DataError(
            f"{path}: {'; '.join(said)}; the network was trained on the columns "
            f"{', '.join(features)}"
        )
    x = np.empty((len(body), len(features)))
    for k, name in enumerate(features):
        j = header.index(name)
        for n, row in enumerate(body, start=1):
            x[n - 1, k] = _number(path, row[j], name, n)
    require_finite(path, "the features", x)
    if target is None or target not in header:
        return x, None
    values = [row[header.index(target)] for row in body]
    numeric = all(is_number(v) for v in values)
    return x, np.array([float(v) for v in values] if numeric else values)


def _table(path: str) -> tuple[list[str], list[list[str]]]:
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = [r for r in csv.reader(fh, delimiter=delimiter) if any(c.strip() for c in r)]
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not a UTF-8 text file ({exc.reason})") from None
    except csv.Error as exc:
        raise DataError(f"{path}: malformed table ({exc})") from None
    if len(rows) < 2:
        raise DataError(f"{path}: needs a header row and at least one data row")
    header = [h.strip() for h in rows[0]]
    if len(set(header)) != len(header):
        raise DataError(f"{path}: the header repeats a column name")
    for n, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise DataError(f"{path}: row {n} has {len(row)} fields, the header {len(header)}")
    return header, [[c.strip() for c in r] for r in rows[1:]]


def _number(path: str, text: str, column: str, row: int) -> float:
    if text.lower() in MISSING:
        raise DataError(f"{path}: missing value in column {column!r} at row {row}; fill it")
    try:
        return float(text)
    except ValueError:
        raise DataError(
            f"{path}: non-numeric value {text!r} in column {column!r} at row {row}; "
            "features must be numbers"
        ) from None


def _read_npz_rows(path: str, n_features: int) -> tuple[np.ndarray, None]:
    try:
        with np.load(path, allow_pickle=False) as z:
            if "x" not in z.files:
                raise DataError(f"{path}: no array 'x' (it holds {', '.join(z.files)}); save x")
            x = z["x"]
    except DataError:
        raise
    except ValueError as exc:
        raise DataError(f"{path}: {exc}; save numeric arrays only") from None
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"{path}: not a readable .npz file ({exc})") from None
    if x.dtype.kind not in "biuf" or x.ndim == 0 or len(x) == 0:
        raise DataError(f"{path}: x should be a non-empty array of numbers")
    x = x.reshape(len(x), -1).astype(np.float64)
    if x.shape[1] != n_features:
        raise DataError(
            f"{path}: x has {x.shape[1]} features per row; the network was trained on {n_features}"
        )
    require_finite(path, "x", x)
    return x, None
