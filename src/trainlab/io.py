"""Plain, safe files: JSON for configs and metrics, ``.npz`` for arrays.

Every write goes through :func:`trainlab.atomic.write_atomic`, so a crash or
a full disk never leaves a half-written file where a good one was. Arrays are
read back with ``allow_pickle=False``: nothing is pickled.
"""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from trainlab.atomic import write_atomic
from trainlab.errors import DataError


def plain(obj: Any) -> Any:
    """``obj`` as JSON can hold it: NumPy values as plain ones, paths as strings,
    NaN as null and infinities as "inf"/"-inf"."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return plain(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, float) and not np.isfinite(obj):
        return None if np.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if isinstance(obj, Path):
        return str(obj)
    return obj


def write_json(path: str | Path, obj: Any) -> Path:
    """Write ``obj`` as indented JSON, atomically. NumPy values become plain ones;
    NaN becomes null and infinities the strings "inf"/"-inf", so the file stays valid JSON."""
    text = json.dumps(plain(obj), indent=2, allow_nan=False) + "\n"
    return write_atomic(path, lambda fh: fh.write(text.encode()))


#: Largest JSON or ``.npz`` file trainlab reads (bytes); a bigger one is refused unread.
MAX_FILE_BYTES = 1 << 30


def open_regular(path: str | Path, limit: int = MAX_FILE_BYTES, follow: bool = True) -> BinaryIO:
    """Open ``path`` for binary reading only if it is a regular file of at most
    ``limit`` bytes: a folder, FIFO, socket or device gives one clear
    :class:`~trainlab.errors.DataError` instead of a hang. The open itself
    never blocks (``O_NONBLOCK``), so a FIFO swapped in after the check cannot
    hang either. ``follow=False`` refuses a symbolic link (``O_NOFOLLOW``). A missing
    file raises ``FileNotFoundError``."""
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if not follow and path.is_symlink():
            raise DataError(
                f"{path} is a symbolic link; trainlab reads only the files "
                "written in the folder itself"
            ) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise DataError(
                f"{path} is {what}; trainlab expected a file there (remove or rename it)"
            )
        if info.st_size > limit:
            raise DataError(
                f"{path} is {info.st_size:,} bytes, more than the {limit:,} "
                "trainlab reads; it is not a file trainlab wrote"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_json(path: str | Path) -> Any:
    """Parse the JSON file at ``path``. A file that is not a regular file, is not
    UTF-8 or is not valid JSON raises :class:`~trainlab.errors.DataError` naming
    it (a ``ValueError``); a missing one ``FileNotFoundError``."""
    with open_regular(path) as fh:
        raw = fh.read()
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DataError(
            f"{path} is not a text file (not UTF-8); it is damaged: restore it or make it again"
        ) from None
    except RecursionError:
        raise DataError(
            f"{path} nests too deeply to be a file trainlab wrote; restore it or make it again"
        ) from None
    except ValueError as exc:
        raise DataError(
            f"{path} is not valid JSON ({exc}); it is damaged or "
            "truncated: restore it or make it again"
        ) from None


def save_npz(path: str | Path, arrays: dict[str, Any]) -> Path:
    """Save a dict of arrays to ``.npz`` atomically (object arrays are refused)."""
    arrays = {k: np.asarray(v) for k, v in arrays.items()}
    for k, v in arrays.items():
        if v.dtype == object:
            raise ValueError(f"array {k!r} has dtype object; only numeric arrays are saved")
    return write_atomic(path, lambda fh: np.savez(fh, **arrays))


def load_npz(path: str | Path, data: bytes | None = None) -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` file (``allow_pickle=False``). A damaged,
    truncated or non-regular file raises :class:`~trainlab.errors.DataError`
    naming it; a missing one ``FileNotFoundError``. ``data``: the file's bytes,
    already read (and checked) by the caller; ``path`` then only names it."""
    with open_regular(path) if data is None else io.BytesIO(data) as fh:
        try:
            with np.load(fh, allow_pickle=False) as z:
                if not hasattr(z, "files"):
                    raise ValueError("not an .npz archive")
                return {k: z[k] for k in z.files}
        except (
            ValueError,
            EOFError,
            OSError,
            KeyError,
            zipfile.BadZipFile,
            zlib.error,
            NotImplementedError,
            RuntimeError,
            OverflowError,
            MemoryError,
        ) as exc:
            raise DataError(
                f"{path} is damaged or truncated ({type(exc).__name__}: "
                f"{str(exc)[:120]}); restore it or make it again"
            ) from None
