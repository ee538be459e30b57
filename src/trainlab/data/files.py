"""A practitioner's own data: ``.npz``, ``.csv``/``.tsv`` or a pair of IDX files.

:func:`load_file` reads one ``--data`` argument into a :class:`FileData`:

* ``.npz``: arrays ``x`` (N, ...) and ``y`` (N,) or (N, K), optionally
  ``x_test``/``y_test``; read with ``allow_pickle=False``;
* ``.csv`` / ``.tsv``: a header row, numeric feature columns and one target
  column (``target``, default the last); a target with text values is a
  categorical one;
* ``IMAGES,LABELS[,TEST_IMAGES,TEST_LABELS]``: IDX files of any type and shape
  (see :func:`trainlab.data.idx.read_idx`).

The task is ``task`` when given, else inferred (:func:`infer_task`): text
targets, or integer-valued ones with at most :data:`MAX_INFERRED_CLASSES`
distinct values, are classes; anything else is regression. Class targets are
mapped to ``0..C-1`` in sorted order; ``classes[i]`` is the original value of
class ``i``. Every defect raises :class:`~trainlab.errors.DataError` with one
line naming the file and the problem (missing column, non-numeric value at
row N, NaN, one class only, ...).
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.data.cells import MISSING, is_number, require_finite
from trainlab.data.idx import read_idx
from trainlab.errors import ConfigError, DataError

TASKS = ("classification", "regression")
MAX_INFERRED_CLASSES = 20


@dataclass
class FileData:
    """The arrays of one data file, before splitting and scaling."""

    x: np.ndarray
    y: np.ndarray  # class numbers (int64) or real targets (float64)
    task: str
    source: str
    classes: list[Any] | None = None  # original value of each class number
    features: list[str] = field(default_factory=list)
    target: str | None = None
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None

    @property
    def n_outputs(self) -> int:
        if self.task == "classification":
            assert self.classes is not None  # set for every classification table
            return len(self.classes)
        return 1 if self.y.ndim == 1 else int(self.y.shape[1])


def load_file(spec: str, target: str | None = None, task: str | None = None) -> FileData:
    """Read ``spec`` (a path, or comma-separated IDX paths); see the module docstring."""
    if task is not None and task not in TASKS:
        raise ConfigError(f"unknown --task {task!r}; choose classification or regression")
    spec = str(spec)
    parts = [s.strip() for s in spec.split(",")] if "," in spec else [spec]
    for p in parts:
        if not Path(p).is_file():
            raise DataError(
                f"{p}: no such file; pass an existing .npz, .csv, .tsv or IDX file to --data"
            )
    suffix = Path(parts[0]).suffix.lower()
    if len(parts) == 1 and suffix == ".npz":
        x, y, xt, yt = _read_npz(parts[0])
        features, column = [f"x{i}" for i in range(int(np.prod(x.shape[1:])))], None
    elif len(parts) == 1 and suffix in (".csv", ".tsv", ".txt"):
        x, y, features, column = _read_table(parts[0], target)
        xt = yt = None
    elif len(parts) in (2, 4):
        x, y, xt, yt = _read_idx_pairs(parts)
        features, column = [f"x{i}" for i in range(int(np.prod(x.shape[1:])))], None
    else:
        raise DataError(
            f"{spec}: give one .npz, .csv or .tsv file, or IDX files as "
            "IMAGES,LABELS[,TEST_IMAGES,TEST_LABELS]"
        )
    if target is not None and column is None:
        raise ConfigError(f"--target names a column of a .csv/.tsv file; {spec} has none")
    x = x.reshape(len(x), -1)
    xt = None if xt is None else xt.reshape(len(xt), -1)
    if xt is not None and xt.shape[1] != x.shape[1]:
        raise DataError(f"{spec}: x has {x.shape[1]} features but x_test has {xt.shape[1]}")
    task = task or infer_task(y)
    y, yt, classes = _targets(spec, y, yt, task)
    for name, a in (("x", x), ("x_test", xt)):
        if a is not None:
            require_finite(spec, name, a)
    return FileData(
        x.astype(np.float64),
        y,
        task,
        spec,
        classes,
        features,
        column,
        None if xt is None else xt.astype(np.float64),
        yt,
    )


def infer_task(y: np.ndarray) -> str:
    """``classification`` for text targets or integer-valued ones with few distinct
    values (≤ :data:`MAX_INFERRED_CLASSES`), else ``regression``."""
    y = np.asarray(y)
    if y.dtype.kind in "USO":
        return "classification"
    if y.ndim != 1 or y.dtype.kind == "b":
        return "classification" if y.dtype.kind == "b" else "regression"
    finite = y[np.isfinite(y)] if y.dtype.kind == "f" else y
    if np.all(finite == np.round(finite)) and len(np.unique(finite)) <= MAX_INFERRED_CLASSES:
        return "classification"
    return "regression"


def _targets(
    spec: str, y: np.ndarray, yt: np.ndarray | None, task: str
) -> tuple[np.ndarray, np.ndarray | None, list[Any] | None]:
    if task == "regression":
        out: list[np.ndarray | None] = []
        for name, a in (("y", y), ("y_test", yt)):
            if a is None:
                out.append(None)
                continue
            if a.dtype.kind in "USO":
                bad = next(i for i, v in enumerate(a.reshape(-1)) if not is_number(v))
                raise DataError(
                    f"{spec}: non-numeric target {str(a.reshape(-1)[bad])!r} at row "
                    f"{bad + 1} of {name}; regression needs numbers (or pass "
                    "--task classification)"
                )
            a = a.astype(np.float64)
            require_finite(spec, name, a)
            out.append(a)
        y_real, yt_real = out
        assert y_real is not None  # y is always given
        return y_real, yt_real, None
    if y.ndim != 1:
        raise DataError(
            f"{spec}: class targets must be one value per sample, got shape "
            f"{y.shape}; pass --task regression for several outputs"
        )
    if y.dtype.kind == "f":
        require_finite(spec, "y", y)
        if not np.all(y == np.round(y)):
            row = int(np.argmax(y != np.round(y)))
            raise DataError(
                f"{spec}: target {y[row]:g} at row {row + 1} is not a whole "
                "number; pass --task regression for real-valued targets"
            )
    values = np.unique(y if yt is None else np.concatenate([y, yt.astype(y.dtype)]))
    if len(np.unique(y)) < 2:
        raise DataError(
            f"{spec}: the target has one class only ({_plain(y[0])!r}); "
            "classification needs at least two"
        )
    classes = [_plain(v) for v in values]
    lookup = np.searchsorted(values, y)
    t_test = None if yt is None else np.searchsorted(values, yt.astype(y.dtype)).astype(np.int64)
    return lookup.astype(np.int64), t_test, classes


def _plain(v: Any) -> Any:
    v = v.item() if hasattr(v, "item") else v
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _read_npz(path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    try:
        with np.load(path, allow_pickle=False) as z:
            names = set(z.files)
            missing = [k for k in ("x", "y") if k not in names]
            if missing:
                raise DataError(
                    f"{path}: no array {' or '.join(map(repr, missing))} (it holds "
                    f"{', '.join(sorted(names)) or 'nothing'}); save x and y"
                )
            if ("x_test" in names) != ("y_test" in names):
                raise DataError(f"{path}: x_test and y_test come together; save both or neither")
            arrays = {k: z[k] for k in ("x", "y", "x_test", "y_test") if k in names}
    except DataError:
        raise
    except ValueError as exc:  # object arrays need pickle, which is refused
        raise DataError(f"{path}: {exc}; save numeric or text arrays only") from None
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"{path}: not a readable .npz file ({exc})") from None
    for k, a in arrays.items():
        if a.dtype.kind not in "biufUS":
            raise DataError(f"{path}: array {k} has dtype {a.dtype}; save numbers")
        if a.ndim == 0 or len(a) == 0:
            raise DataError(f"{path}: array {k} is empty")
    for a, b in (("x", "y"), ("x_test", "y_test")):
        if a in arrays and len(arrays[a]) != len(arrays[b]):
            raise DataError(f"{path}: {a} has {len(arrays[a])} rows but {b} has {len(arrays[b])}")
        if a in arrays and arrays[a].dtype.kind not in "biuf":
            raise DataError(f"{path}: {a} holds text; features must be numbers")
    return arrays["x"], arrays["y"], arrays.get("x_test"), arrays.get("y_test")


def _read_table(
    path: str, target: str | None
) -> tuple[np.ndarray, np.ndarray, list[str], str | None]:
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh, delimiter=delimiter))
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not a UTF-8 text file ({exc.reason})") from None
    except csv.Error as exc:
        raise DataError(
            f"{path}: malformed {'TSV' if delimiter == chr(9) else 'CSV'} ({exc})"
        ) from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise DataError(f"{path}: needs a header row and at least one data row")
    header = [h.strip() for h in rows[0]]
    if len(set(header)) != len(header):
        raise DataError(f"{path}: the header repeats a column name")
    if len(header) < 2:
        raise DataError(
            f"{path}: needs at least one feature column and a target column "
            f"(found {len(header)} column; is the delimiter "
            f"{'a tab' if delimiter == chr(9) else 'a comma'}?)"
        )
    column = header[-1] if target is None else str(target)
    if column not in header:
        raise DataError(
            f"{path}: no column {column!r} for --target; columns are {', '.join(header)}"
        )
    j = header.index(column)
    features = [h for i, h in enumerate(header) if i != j]
    x = np.empty((len(rows) - 1, len(header) - 1))
    y = []
    for n, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise DataError(f"{path}: row {n} has {len(row)} fields, the header {len(header)}")
        cells = [c.strip() for c in row]
        for k, (i, c) in enumerate((i, c) for i, c in enumerate(cells) if i != j):
            if c.lower() in MISSING:
                raise DataError(
                    f"{path}: missing value (NaN) in column {header[i]!r} at row "
                    f"{n}; remove or fill it"
                )
            try:
                x[n - 1, k] = float(c)
            except ValueError:
                raise DataError(
                    f"{path}: non-numeric value {c!r} in column {header[i]!r} at "
                    f"row {n}; features must be numbers"
                ) from None
        if cells[j].lower() in MISSING:
            raise DataError(f"{path}: missing target (NaN) in column {column!r} at row {n}")
        y.append(cells[j])
    require_finite(path, "the features", x)
    numeric = all(is_number(v) for v in y)
    return x, (np.array([float(v) for v in y]) if numeric else np.array(y)), features, column


def _read_idx_pairs(
    parts: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray | None]:
    arrays = [read_idx(p) for p in parts]
    for (xp, yp), (x, y) in zip(
        zip(parts[::2], parts[1::2], strict=False),
        zip(arrays[::2], arrays[1::2], strict=False),
        strict=False,
    ):
        if len(x) != len(y):
            raise DataError(
                f"{xp} holds {len(x)} items but {yp} holds {len(y)}; pass a "
                "matching pair as IMAGES,LABELS"
            )
    x, y = arrays[0], arrays[1]
    xt, yt = (arrays[2], arrays[3]) if len(arrays) == 4 else (None, None)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
        yt = None if yt is None else yt.reshape(len(yt))
    return x.astype(np.float64), y, None if xt is None else xt.astype(np.float64), yt
