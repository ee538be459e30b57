"""Data sets trainlab does not ship, made by the tests: a classification CSV with
text labels, a regression NPZ, their TSV/IDX forms and scikit-learn's breast cancer
set written to CSV; all from fixed seeds."""

from __future__ import annotations

import csv
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np

import trainlab

SRC = str(Path(trainlab.__file__).resolve().parents[1])
LABELS = np.array(["cat", "dog", "fox"])


def classification(n: int = 300, seed: int = 1):
    """Three Gaussian blobs in 4 dimensions (one column with a large scale)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = np.array([[0, 0, 0, 0], [3, 0, 1, 0], [0, 3, 0, 1]], float)
    x = centres[y] + rng.standard_normal((n, 4))
    x[:, 3] = x[:, 3] * 1000 + 5000
    return x, y


def regression(n: int = 300, seed: int = 2):
    """y = x·w + small noise, 5 features."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 5))
    w = np.array([1.5, -2.0, 0.5, 0.0, 1.0])
    return x, x @ w + 0.1 * rng.standard_normal(n)


def _s(v) -> str:
    return repr(float(v))  # round-trips every float64 exactly


def write_csv(path, header, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def class_csv(folder: Path, name="blobs.csv", delimiter=",") -> Path:
    """Features f0..f3, then the text target ``animal`` in the middle of the header."""
    x, y = classification()
    rows = [[*map(_s, r[:2]), LABELS[c], *map(_s, r[2:])] for r, c in zip(x, y, strict=False)]
    return write_csv(folder / name, ["f0", "f1", "animal", "f2", "f3"], rows, delimiter)


def reg_npz(folder: Path, name="linear.npz") -> Path:
    x, y = regression()
    np.savez(folder / name, x=x, y=y)
    return folder / name


def idx_file(path: Path, array: np.ndarray, code: int = 0x08) -> Path:
    dtype = {0x08: ">u1", 0x0D: ">f4"}[code]
    head = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(head + np.ascontiguousarray(array, dtype=dtype).tobytes())
    return path


def breast_cancer_csv(folder: Path) -> Path:
    """scikit-learn's breast cancer set (569 × 30) with the target as text."""
    from sklearn.datasets import load_breast_cancer

    d = load_breast_cancer()
    names = [n.replace(" ", "_") for n in d.feature_names]
    rows = [[*map(_s, r), d.target_names[t]] for r, t in zip(d.data, d.target, strict=False)]
    return write_csv(folder / "breast_cancer.csv", [*names, "diagnosis"], rows)


def cli(tmp_path, *argv, timeout=300):
    """``python -m trainlab.cli ARGV`` in a child process: (code, stdout, stderr)."""
    env = dict(
        os.environ,
        PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
        TRAINLAB_OFFLINE="1",
        TRAINLAB_CACHE=str(tmp_path / "cache"),
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
    )
    p = subprocess.run(
        [sys.executable, "-m", "trainlab.cli", *map(str, argv)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    return p.returncode, p.stdout, p.stderr
