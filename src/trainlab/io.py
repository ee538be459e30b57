"""Plain, safe files: JSON for configs and metrics, ``.npz`` for arrays.

Every write goes through :func:`trainlab.atomic.write_atomic`, so a crash or
a full disk never leaves a half-written file where a good one was. Arrays are read back with ``allow_pickle=False``: nothing is pickled.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from trainlab.atomic import write_atomic


def _plain(obj):
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _plain(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, float) and not np.isfinite(obj):
        return None if np.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if isinstance(obj, Path):
        return str(obj)
    return obj


def write_json(path, obj) -> Path:
    """Write ``obj`` as indented JSON, atomically. NumPy values become plain ones;
    NaN becomes null and infinities the strings "inf"/"-inf", so the file stays valid JSON."""
    text = json.dumps(_plain(obj), indent=2, allow_nan=False) + "\n"
    return write_atomic(path, lambda fh: fh.write(text.encode()))


def read_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def save_npz(path, arrays: dict) -> Path:
    """Save a dict of arrays to ``.npz`` atomically (object arrays are refused)."""
    arrays = {k: np.asarray(v) for k, v in arrays.items()}
    for k, v in arrays.items():
        if v.dtype == object:
            raise ValueError(f"array {k!r} has dtype object; only numeric arrays are saved")
    return write_atomic(path, lambda fh: np.savez(fh, **arrays))


def load_npz(path) -> dict:
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}
