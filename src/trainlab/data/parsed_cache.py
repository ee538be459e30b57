"""Cache parsed IDX arrays as ``.npz`` so the next load skips gzip and parsing.

Each entry stores the images, the labels and a ``source`` key made of the
source files' resolved paths, sizes and modification times; an entry whose key
does not match the files found now is stale and is parsed again and replaced.
Entries are written atomically and read with ``allow_pickle=False``: nothing is
ever pickled.  The cache is an optimisation only: an unreadable entry is
ignored, and a cache folder that cannot be written to is skipped silently.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np

from trainlab.atomic import atomic_write
from trainlab.io import open_regular


def source_key(*paths: Path) -> str:
    """Identify the exact files an entry was parsed from."""
    parts = []
    for path in paths:
        stat = path.stat()
        parts.append(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def load_entry(path: Path, key: str) -> tuple[np.ndarray, np.ndarray] | None:
    """Return ``(images, labels)`` from a valid entry for ``key``, else ``None``."""
    try:
        # Open the file ourselves: np.load(path) leaks its handle when the zip is corrupt.
        # a FIFO in the cache must not hang a load
        with open_regular(path) as handle, np.load(handle, allow_pickle=False) as entry:
            if str(entry["source"]) != key:
                return None
            images, labels = entry["images"], entry["labels"]
    except (OSError, ValueError, KeyError, EOFError, TypeError, AttributeError, zipfile.BadZipFile):
        return None
    ok = (
        images.dtype == np.uint8
        and labels.dtype == np.uint8
        and images.ndim == 3
        and labels.ndim == 1
        and len(images) == len(labels) > 0
    )
    return (images, labels) if ok else None


def save_entry(path: Path, key: str, images: np.ndarray, labels: np.ndarray) -> bool:
    """Store an entry atomically; return False (and store nothing) if that is impossible."""
    try:
        os.makedirs(path.parent, exist_ok=True)
        with atomic_write(path) as out:
            np.savez(out, images=images, labels=labels, source=np.array(key))
    except OSError:
        return False
    return True
