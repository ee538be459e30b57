"""Helpers for the data tests: an IDX writer independent of trainlab's reader, free ports."""

from __future__ import annotations

import gzip
import socket
import struct
from pathlib import Path

import numpy as np

SHARED = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def idx_bytes(array: np.ndarray, magic: int | None = None, count: int | None = None) -> bytes:
    """An IDX file written independently of trainlab's reader: big-endian header, then bytes."""
    array = np.asarray(array, dtype=np.uint8)
    magic = 0x00000800 | array.ndim if magic is None else magic
    dims = list(array.shape)
    if count is not None:
        dims[0] = count
    return struct.pack(f">I{len(dims)}I", magic, *dims) + array.tobytes()


def write_idx(path: Path, array=None, *, raw: bytes | None = None, gz: bool = True, **kw) -> Path:
    data = raw if raw is not None else idx_bytes(array, **kw)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def synthetic_set(
    folder: Path,
    n_train: int = 30,
    n_test: int = 12,
    side: int = 28,
    seed: int = 1,
    gz: bool = True,
):
    """Write four small, valid IDX files; return the arrays they hold."""
    rng = np.random.default_rng(seed)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (n_train, side, side), dtype=np.uint8),
        "train-labels-idx1-ubyte": rng.integers(0, 10, n_train, dtype=np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (n_test, side, side), dtype=np.uint8),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    for stem, array in arrays.items():
        write_idx(folder / (stem + (".gz" if gz else "")), array, gz=gz)
    return arrays
