"""Write a file so that readers see either the old file or the whole new one.

The data goes to a temporary file in the destination's own folder (same file
system, so the rename is atomic), is flushed and fsync'ed, and only then
``os.replace``'d onto the final name. Any exception on the way deletes the
temporary file, so a crash, a full disk or an interrupted download never
leaves a half-written file where a good one was. A full disk is reported in
one line that names the file (the ``OSError`` keeps its ``errno``).

Two forms of the one writer: :func:`atomic_write`, a context manager that
yields the open binary file, and :func:`write_atomic`, which calls
``write(fh)``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: the mode an ordinary new file gets (mkstemp makes 0600)
FILE_MODE = 0o666 & ~_current_umask()


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: int = FILE_MODE) -> Iterator[BinaryIO]:
    """Yield a binary file object; on a clean exit it becomes ``path`` with permissions ``mode``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in FULL:
            raise _full(path, exc) from None
        raise
    _fsync_dir(path.parent)


#: the errors of a full disk or an exhausted quota
FULL = (errno.ENOSPC, errno.EDQUOT)


def _full(path: Path, exc: OSError) -> OSError:
    """One line naming the file and the fix; ``errno`` is kept for callers that test it."""
    error = OSError(
        f"cannot write {path}: {exc.strerror}; free some disk space or choose another "
        "output folder (earlier files are intact)"
    )
    error.errno = exc.errno
    return error


def write_atomic(path: str | Path, write: Callable[[BinaryIO], object]) -> Path:
    """Write ``path`` atomically with ``write(fh)`` (``fh`` an open binary file)."""
    with atomic_write(path) as fh:
        write(fh)
    return Path(path)


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
