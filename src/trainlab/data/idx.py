"""Read IDX files, the format MNIST and Fashion-MNIST are published in.

An IDX file is a big-endian header followed by raw bytes:

* images: magic ``0x00000803``, then count, rows, cols (four ``>I`` words),
  then ``count * rows * cols`` unsigned bytes;
* labels: magic ``0x00000801``, then count, then ``count`` unsigned bytes.

Files may be raw or gzip-compressed; compression is recognised by the gzip
magic bytes, not by the file name.  Every defect (short file, wrong magic,
wrong number of dimensions, extra bytes, a corrupt gzip stream) raises
:class:`~trainlab.errors.DataError` naming the file, and the reader never
allocates more than the header promises and the file can deliver, so a
hostile header cannot make it hang or exhaust memory.
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from pathlib import Path
from typing import Protocol

import numpy as np

from trainlab.errors import DataError
from trainlab.io import open_regular

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
_GZIP_MAGIC = b"\x1f\x8b"
_FIX = "replace it with a good copy (or delete it so it is downloaded again)"


class _Stream(Protocol):
    """What the parser reads from: a plain or a gzip file."""

    def read(self, size: int = -1, /) -> bytes: ...


def read_images(path: str | Path) -> np.ndarray:
    """Return the images of an IDX image file as a ``uint8`` array ``(N, rows, cols)``."""
    return _read(Path(path), IMAGES_MAGIC, "image")


def read_labels(path: str | Path) -> np.ndarray:
    """Return the labels of an IDX label file as a ``uint8`` array ``(N,)``."""
    return _read(Path(path), LABELS_MAGIC, "label")


#: the most bytes an IDX body may claim (the largest known file, MNIST's training
#: images, is 47 MB); and deflate's largest possible expansion of one compressed byte
MAX_BODY_BYTES = 1 << 30
_DEFLATE_RATIO = 1032


def _read(path: Path, magic: int, kind: str) -> np.ndarray:
    ndim = magic & 0xFF
    try:
        with open_regular(path, limit=MAX_BODY_BYTES) as raw:
            size = os.fstat(raw.fileno()).st_size
            compressed = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
            with stream:
                return _parse(stream, path, magic, ndim, kind, _room(size, compressed))
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataError(f"{path}: corrupt gzip stream ({exc}); {_FIX}") from exc
    except DataError:
        raise
    except OSError as exc:
        raise DataError(f"{path}: cannot read IDX {kind} file ({exc}); {_FIX}") from exc


def _room(size: int, compressed: bool) -> int:
    """The most bytes a body may claim: what deflate can expand a gzip file of ``size``
    bytes to (a raw body is read in chunks and costs no more memory than the file
    itself), and never more than :data:`MAX_BODY_BYTES`."""
    return min(size * _DEFLATE_RATIO if compressed else MAX_BODY_BYTES, MAX_BODY_BYTES)


def _parse(stream: _Stream, path: Path, magic: int, ndim: int, kind: str, room: int) -> np.ndarray:
    (found,) = struct.unpack(">I", _read_exactly(stream, 4, path, "magic number"))
    if found != magic:
        if found >> 8 == 0x08:
            raise DataError(
                f"{path}: IDX file has {found & 0xFF} dimensions, an IDX {kind} file has "
                f"{ndim} (magic 0x{found:08X}, expected 0x{magic:08X}); {_FIX}"
            )
        raise DataError(
            f"{path}: bad magic number 0x{found:08X}, expected 0x{magic:08X} for an IDX "
            f"{kind} file; {_FIX}"
        )
    dims = struct.unpack(f">{ndim}I", _read_exactly(stream, 4 * ndim, path, "header"))
    if 0 in dims:
        raise DataError(f"{path}: IDX header has a zero size {dims}; {_FIX}")
    size = math.prod(dims)  # Python int: a lying header cannot overflow it
    if size > room:  # refused before the body is allocated
        if isinstance(stream, gzip.GzipFile):  # a damaged stream says so (chunks, no memory)
            while stream.read(1 << 20):
                pass
        raise DataError(
            f"{path}: truncated or forged IDX file: its header claims {dims[0]:,} "
            f"{kind}s ({size:,} bytes), more "
            f"than a file of {os.path.getsize(path):,} bytes can hold (at most "
            f"{room:,}); {_FIX}"
        )
    body = _read_exactly(stream, size, path, f"{dims[0]} {kind}s")
    if stream.read(1):
        raise DataError(
            f"{path}: extra bytes after the {dims[0]} {kind}s the header announces; {_FIX}"
        )
    return np.frombuffer(body, dtype=np.uint8).reshape(dims).copy()  # writable, like np.load's


def _read_exactly(stream: _Stream, size: int, path: Path, what: str) -> bytes:
    """Read ``size`` bytes in chunks, so a lying header costs no more memory than the file."""
    parts, got = [], 0
    while got < size:
        chunk = stream.read(min(size - got, 1 << 24))
        if not chunk:
            raise DataError(
                f"{path}: truncated IDX file: {what} need {size} bytes, found {got}; {_FIX}"
            )
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


#: IDX type byte → big-endian NumPy dtype (the format's full table)
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | Path) -> np.ndarray:
    """Any IDX file: magic ``0x0000TTDD`` (type ``TT`` from :data:`IDX_TYPES`,
    ``DD`` dimensions), ``DD`` big-endian sizes, then the values. Returns a
    native-endian array of that shape; defects raise :class:`DataError`."""
    path = Path(path)
    try:
        with open(path, "rb") as raw:
            compressed = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            room = _room(os.fstat(raw.fileno()).st_size, compressed)
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
            with stream:
                head = _read_exactly(stream, 4, path, "magic number")
                if head[:2] != b"\0\0" or head[2] not in IDX_TYPES or head[3] == 0:
                    raise DataError(
                        f"{path}: not an IDX file (magic 0x{head.hex().upper()}); "
                        "an IDX file starts with 0x0000, a type byte and a "
                        "number of dimensions"
                    )
                dtype, ndim = np.dtype(IDX_TYPES[head[2]]), head[3]
                dims = struct.unpack(f">{ndim}I", _read_exactly(stream, 4 * ndim, path, "header"))
                if 0 in dims:
                    raise DataError(f"{path}: IDX header has a zero size {dims}")
                size = math.prod(dims) * dtype.itemsize
                if size > room:  # refused before the body is read
                    raise DataError(
                        f"{path}: truncated or forged IDX file: its header claims "
                        f"{size:,} bytes, more than a file of "
                        f"{os.path.getsize(path):,} bytes can hold"
                    )
                body = _read_exactly(stream, size, path, f"{dims[0]} items")
                if stream.read(1):
                    raise DataError(
                        f"{path}: extra bytes after the {dims[0]} items the header announces"
                    )
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataError(f"{path}: corrupt gzip stream ({exc})") from exc
    except DataError:
        raise
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return np.frombuffer(body, dtype=dtype).reshape(dims).astype(dtype.newbyteorder("="))
