"""A data file made ready to train on: fixed splits and feature scaling.

:func:`prepare` turns a :class:`~trainlab.data.files.FileData` into a
:class:`Prepared`:

1. **splits, fixed by seed**: with ``np.random.default_rng(seed).permutation(n)``
   of the file's rows, the first ``int(n * test_ratio)`` are the test split
   (none when the file brings its own ``x_test``/``y_test``), the next
   ``int(rest * val_ratio)`` validate, the others train; every index array is
   then sorted (file order). ``Prepared.indices`` holds them, row numbers of the
   file counted from 0, for :meth:`Prepared.split_record`;
2. **scaling fitted on the training split only**: ``standard`` (subtract the
   training mean, divide by the training std), ``minmax`` (map the training
   range to [0, 1]) or ``none``; a constant column is shifted but not divided.
   The same shift and scale then apply to validation and test;
3. **regression targets standardised on the training split** with
   ``target_scale="standard"`` (``t -> (t - mean) / std``, per output, the
   training split's mean and std; :meth:`Scaler.invert` maps a network's output
   back to the target's own units), or left as they are with ``"none"``. A
   target in the thousands makes the first squared errors millions and the
   first steps explode; on the standardised scale they start near 1.
   ``Prepared.raw_targets`` keeps every split's targets in their own units.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.data.files import FileData, load_file
from trainlab.errors import ConfigError, DataError

SCALES = ("standard", "minmax", "none")
TARGET_SCALES = ("standard", "none")


@dataclass(frozen=True)
class Scaler:
    kind: str
    shift: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray, kind: str = "standard") -> Scaler:
        if kind not in SCALES:
            raise ConfigError(f"unknown --scale {kind!r}; choose standard, minmax or none")
        if kind == "standard":
            shift, scale = x.mean(axis=0), x.std(axis=0)
        elif kind == "minmax":
            shift, scale = x.min(axis=0), x.max(axis=0) - x.min(axis=0)
        else:
            shift, scale = np.zeros(x.shape[1]), np.ones(x.shape[1])
        return cls(kind, shift, np.where(scale > 0, scale, 1.0))

    def apply(self, x: np.ndarray, dtype: Any = np.float32) -> np.ndarray:
        scaled: np.ndarray = (x - self.shift) / self.scale
        return scaled.astype(dtype)

    def invert(self, z: np.ndarray) -> np.ndarray:
        """Back to the original units: ``z * scale + shift`` (float64)."""
        units: np.ndarray = np.asarray(z, dtype=np.float64) * self.scale + self.shift
        return units

    def record(self) -> dict[str, Any]:
        """Kind, shift and scale as plain JSON."""
        return {"kind": self.kind, "shift": self.shift.tolist(), "scale": self.scale.tolist()}


@dataclass
class Prepared:
    train: tuple[np.ndarray, np.ndarray]
    val: tuple[np.ndarray, np.ndarray] | None
    test: tuple[np.ndarray, np.ndarray]
    indices: dict[
        str, np.ndarray | None
    ]  # split name -> sorted row numbers of the file (test: None if given)
    scaler: Scaler
    info: dict[str, Any]
    target_scaler: Scaler | None = None  # regression with target_scale="standard"
    raw_targets: dict[str, np.ndarray] | None = None  # split name -> targets in their own units

    def split_record(self) -> dict[str, Any]:
        """The splits as plain JSON: row numbers of the file, counted from 0."""
        return {
            "source": self.info["source"],
            "seed": self.info["split_seed"],
            "rows": self.info["rows"],
            "note": "row numbers of the data file, counted "
            "from 0 (the CSV header not counted); test: null when the file holds x_test",
            **{k: (None if v is None else v.tolist()) for k, v in self.indices.items()},
        }


def split_indices(n: int, val_ratio: float, test_ratio: float, seed: int) -> dict[str, np.ndarray]:
    """``{"train", "val", "test"}`` → sorted row numbers; see the module docstring."""
    order = np.random.default_rng(seed).permutation(n)
    n_test = int(n * test_ratio)
    n_val = int((n - n_test) * val_ratio)
    return {
        "train": np.sort(order[n_test + n_val :]),
        "val": np.sort(order[n_test : n_test + n_val]),
        "test": np.sort(order[:n_test]),
    }


def prepare(
    data: FileData,
    *,
    val_ratio: float = 0.2,
    test_ratio: float = 0.2,
    seed: int = 0,
    scale: str = "standard",
    target_scale: str = "none",
    batch_size: int | None = None,
    limit: int | None = None,
    dtype: Any = np.float32,
) -> Prepared:
    """Split, scale and check ``data``; see the module docstring. ``limit`` keeps the
    first rows only; ``batch_size`` must not exceed the training split;
    ``target_scale`` applies to regression targets only."""
    if target_scale not in TARGET_SCALES:
        raise ConfigError(f"unknown --target-scale {target_scale!r}; choose standard or none")
    for name, r in (("--val-ratio", val_ratio), ("--test-ratio", test_ratio)):
        if not 0.0 <= r < 1.0:
            raise ConfigError(f"{name} must be in [0, 1), got {r}")
    x, y = data.x, data.y
    if limit:
        x, y = x[:limit], y[:limit]
    given_test = data.x_test is not None
    test_ratio = 0.0 if given_test else test_ratio  # the file brings its own test split
    idx: dict[str, np.ndarray] = split_indices(len(x), val_ratio, test_ratio, seed)
    _check_splits(data, y, idx, val_ratio, test_ratio, batch_size)
    scaler = Scaler.fit(x[idx["train"]], scale)
    raw = {k: y[i] for k, i in idx.items()}
    xs = {k: x[i] for k, i in idx.items()}
    rows: dict[str, np.ndarray | None] = dict(idx)
    if data.x_test is not None and data.y_test is not None:  # given_test
        raw["test"], xs["test"] = data.y_test, data.x_test
        rows["test"] = None
    t_scaler = None
    if data.task == "regression" and target_scale == "standard":
        t_scaler = Scaler.fit(raw["train"].reshape(len(raw["train"]), -1), "standard")
    part = {
        k: (scaler.apply(xs[k], dtype), _targets(raw[k], data.task, t_scaler, dtype)) for k in xs
    }
    val = part["val"] if val_ratio > 0 else None
    n_split = (len(part["train"][0]), 0 if val is None else len(val[0]), len(part["test"][0]))
    scaling = {"scale": scale, "target_scale": target_scale, "split_seed": seed}
    info = _describe(data, x, n_split, scaler, t_scaler, scaling, given_test)
    return Prepared(part["train"], val, part["test"], rows, scaler, info, t_scaler, raw)


def _check_splits(
    data: FileData,
    y: np.ndarray,
    idx: dict[str, np.ndarray],
    val_ratio: float,
    test_ratio: float,
    batch_size: int | None,
) -> None:
    """Refuse splits too small to train, validate or test on, in one line each."""
    src, n = data.source, len(y)
    if len(idx["train"]) == 0 or (val_ratio > 0 and len(idx["val"]) == 0):
        raise DataError(
            f"{src}: {n} samples are too few for a training and a "
            "validation split; use more data or other ratios"
        )
    if test_ratio > 0 and len(idx["test"]) == 0:
        raise DataError(f"{src}: {n} samples are too few for a test split")
    if batch_size is not None and len(idx["train"]) < batch_size:
        raise DataError(
            f"{src}: the training split holds {len(idx['train'])} samples, fewer "
            f"than the batch size {batch_size}; use more data or a smaller "
            "--batch-size"
        )
    if data.task == "classification" and len(np.unique(y[idx["train"]])) < 2:
        raise DataError(
            f"{src}: the training split has one class only; classification needs at least two"
        )


def _describe(
    data: FileData,
    x: np.ndarray,
    n_split: tuple[int, int, int],
    scaler: Scaler,
    t_scaler: Scaler | None,
    scaling: dict[str, Any],
    given_test: bool,
) -> dict[str, Any]:
    """``Prepared.info``: what was read, how it was split and scaled, and a note."""
    src, scale, seed = data.source, scaling["scale"], scaling["split_seed"]
    name = _stem(src)
    info = {
        "name": name,
        "title": name,
        "source": src,
        "task": data.task,
        "target": data.target,
        "features": list(data.features),
        "n_classes": data.n_outputs if data.task == "classification" else None,
        "n_outputs": data.n_outputs,
        "classes": data.classes,
        "rows": len(x),
        "n_train": n_split[0],
        "n_val": n_split[1],
        "n_test": n_split[2],
        "scale": scale,
        "scaler": {"shift": scaler.shift.tolist(), "scale": scaler.scale.tolist()},
        "target_scale": scaling["target_scale"] if data.task == "regression" else None,
        "target_scaler": None if t_scaler is None else t_scaler.record(),
        "split_seed": seed,
        "test_from_file": given_test,
    }
    kind = (
        f"{data.n_outputs}-class classification"
        if data.task == "classification"
        else "regression (mean squared error)"
    )
    info["note"] = (
        f"{src}: {len(x)} rows, {x.shape[1]} features, {kind}; "
        f"{info['n_train']}/{info['n_val']}/{info['n_test']} train/validation/test "
        f"(split seed {seed}{', test from the file' if given_test else ''}), "
        f"{scale} scaling fitted on the training split"
        + (", targets standardised likewise" if t_scaler is not None else "")
    )
    return info


def _targets(t: np.ndarray, task: str, t_scaler: Scaler | None, dtype: Any) -> np.ndarray:
    """Class numbers as int64; real targets as ``dtype``, standardised when a
    target scaler is given (its shape kept: (N,) or (N, K))."""
    if task == "classification":
        return t.astype(np.int64)
    if t_scaler is None:
        return t.astype(dtype)
    return t_scaler.apply(t.reshape(len(t), -1), dtype).reshape(t.shape)


def _stem(spec: str) -> str:
    return Path(spec.split(",")[0]).stem


def open_data(
    spec: str, *, target: str | None = None, task: str | None = None, **kw: Any
) -> Prepared:
    """:func:`~trainlab.data.files.load_file` then :func:`prepare` (keywords as there)."""
    return prepare(load_file(spec, target=target, task=task), **kw)
