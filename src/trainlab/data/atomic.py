"""Write a file so that readers see either the old file or the whole new one.

The data goes to a temporary file in the destination's own folder (same file
system, so the rename is atomic), is flushed and fsync'ed, and only then
``os.replace``'d onto the final name.  Any exception inside the ``with`` block
deletes the temporary file, so an interrupted download or a failed check never
leaves a partial file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: int = 0o644) -> Iterator[BinaryIO]:
    """Yield a binary file object; on a clean exit it becomes ``path`` with permissions ``mode``."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp creates 0600; a cache file is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
