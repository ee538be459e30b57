"""Download IDX files from public mirrors, verified by SHA-256.

A file is accepted only if its SHA-256 is in :data:`SHA256` for its data set;
anything else (wrong bytes, an HTML error page, a truncated transfer) is thrown
away and the next mirror is tried.  The file is streamed into a temporary file
beside its destination and renamed into place only once verified (see
:mod:`trainlab.data.atomic`), so the cache never holds a partial or unverified
download.

Mirrors, in order of preference (first one that works wins):

* the ``mirrors`` argument, else
* the ``TRAINLAB_MIRRORS`` environment variable: base URLs separated by spaces
  or commas; ``{name}`` in a URL is replaced by the data set name, else
* :data:`MIRRORS`, the usual public mirrors.

``TRAINLAB_OFFLINE=1`` turns downloading off altogether.  Only ``urllib`` is
used, with a timeout (:data:`TIMEOUT` seconds per network operation) and an
overall deadline per file (:data:`DEADLINE`); a killed download's ``.part``
file is removed by the next one.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from trainlab.atomic import atomic_write
from trainlab.data.deadline import Watch
from trainlab.errors import ConfigError, DataError

#: Base URLs per data set; a file's URL is ``base + file name``.
MIRRORS: dict[str, tuple[str, ...]] = {
    "mnist": (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
    "fashion-mnist": ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
}

#: Accepted SHA-256 digests of each compressed file.  The first digest of each
#: entry is the published one of the original file served by the mirrors (the
#: values torchvision, TensorFlow Datasets and others pin).  A second digest,
#: where present, is that of a re-compressed copy of the same content, as listed
#: in the project's ``shared/data/SHA256SUMS``: MNIST's t10k files (same length as
#: the originals, re-gzipped in 2024; the images decompress to the published MD5
#: ``2646ac647ad5339dbf082846283269ea``) and Debian's Fashion-MNIST package
#: (each file is shorter than the original by exactly the file-name field of
#: the gzip header, which Debian strips).
SHA256: dict[str, dict[str, tuple[str, ...]]] = {
    "mnist": {
        "train-images-idx3-ubyte.gz": (
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        ),
        "train-labels-idx1-ubyte.gz": (
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        ),
        "t10k-images-idx3-ubyte.gz": (
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "926e4547836be65a6a3d05d85c25d192db7768150f2585996e449d3d82d87af9",
        ),
        "t10k-labels-idx1-ubyte.gz": (
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            "12cda9139cd5634a87fb5d315b59ae5f8a8988972ed019cb984fae8e41298240",
        ),
    },
    "fashion-mnist": {
        "train-images-idx3-ubyte.gz": (
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
        ),
        "train-labels-idx1-ubyte.gz": (
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
        ),
        "t10k-images-idx3-ubyte.gz": (
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
        ),
        "t10k-labels-idx1-ubyte.gz": (
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
            "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
        ),
    },
}

#: Seconds allowed for each network operation (connect, each read).
TIMEOUT = 15.0
#: Seconds one file's download may take in all, over every mirror (``TRAINLAB_DOWNLOAD_DEADLINE``
#: overrides): a server that trickles bytes cannot hold a command for longer.
DEADLINE = 300.0
#: No known file is larger than 27 MB; refuse to store more than this.
MAX_BYTES = 64 * 1024 * 1024
_CHUNK = 1 << 20
_HINT = "put the files in a folder and pass --data-dir DIR (or set TRAINLAB_DATA=DIR)"


class _Rejected(Exception):
    """A mirror answered, but with bytes we do not accept."""


def offline() -> bool:
    """True when ``TRAINLAB_OFFLINE`` asks for no network access."""
    return os.environ.get("TRAINLAB_OFFLINE", "").strip().lower() not in ("", "0", "false", "no")


def mirrors_for(name: str, mirrors: Sequence[str] | None = None) -> list[str]:
    """The base URLs to try for data set ``name``, in order."""
    if mirrors is None:
        env = os.environ.get("TRAINLAB_MIRRORS", "").strip()
        mirrors = re.split(r"[\s,]+", env) if env else MIRRORS.get(name, ())
    bases = [m.replace("{name}", name) for m in mirrors if m]
    for base in bases:
        if not base.startswith(("http://", "https://")):
            raise ConfigError(
                f"mirror {base!r} is not an http:// or https:// URL; fix TRAINLAB_MIRRORS"
            )
    return bases


def sha256_of(path: str | Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(
    name: str,
    filename: str,
    dest_dir: str | Path,
    mirrors: Sequence[str] | None = None,
    timeout: float | None = None,
) -> Path:
    """Download ``filename`` of data set ``name`` into ``dest_dir`` and return its path.

    Tries each mirror in turn; raises :class:`DataError` naming the file, every
    URL tried with its failure, and how to supply the file by hand.
    """
    known = SHA256.get(name, {}).get(filename)
    if not known:
        raise DataError(
            f"{name}/{filename}: no known SHA-256 to verify a download against; {_HINT}"
        )
    bases = mirrors_for(name, mirrors)
    if not bases:
        raise DataError(f"{name}/{filename}: no download mirror configured; {_HINT}")
    dest_dir = Path(dest_dir)
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(
            f"cannot create cache folder {dest_dir} ({exc}); "
            "set TRAINLAB_CACHE to a writable folder"
        ) from exc
    dest = dest_dir / filename
    _remove_stale_parts(dest)
    failures = []
    deadline = time.monotonic() + _deadline()
    for base in bases:
        url = base.rstrip("/") + "/" + filename
        if time.monotonic() >= deadline:
            failures.append(f"{url} (not tried: the {_deadline():g} s deadline had passed)")
            continue
        try:
            _fetch_one(url, dest, known, TIMEOUT if timeout is None else timeout, deadline)
            return dest
        except (_Rejected, OSError, http.client.HTTPException, ValueError) as exc:
            failures.append(f"{url} ({_reason(exc)})")
    raise DataError(
        f"could not download {name} file {filename}; tried {'; '.join(failures)}; {_HINT}"
    )


def _deadline() -> float:
    text = os.environ.get("TRAINLAB_DOWNLOAD_DEADLINE", "").strip()
    if not text:
        return DEADLINE
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise ConfigError(f"TRAINLAB_DOWNLOAD_DEADLINE={text!r} is not a number of seconds > 0")
    return value


def _remove_stale_parts(dest: Path) -> None:
    """Partial downloads of ``dest`` left by a killed process (``.NAME.*.tmp``, or
    ``.part`` as older versions named them)."""
    for suffix in ("tmp", "part"):
        for stale in dest.parent.glob(f".{dest.name}.*.{suffix}"):
            try:
                stale.unlink()
            except OSError:
                pass


def _fetch_one(
    url: str, dest: Path, known: tuple[str, ...], timeout: float, deadline: float = float("inf")
) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "trainlab"})
    left = deadline - time.monotonic()
    watch = Watch()
    timer = threading.Timer(max(0.0, left), watch.expire)
    timer.daemon = True
    timer.start()
    try:
        with watch.opener().open(request, timeout=max(0.01, min(timeout, left))) as response:
            _store(response, dest, known, deadline)
    except (_Rejected, OSError, http.client.HTTPException, ValueError):
        if watch.expired:  # the socket was shut to end a wait: say why
            raise _Rejected(_too_slow()) from None
        raise
    finally:
        timer.cancel()


def _too_slow() -> str:
    return f"too slow: not finished within the {_deadline():g} s deadline"


def _store(
    response: http.client.HTTPResponse, dest: Path, known: tuple[str, ...], deadline: float
) -> None:
    with atomic_write(dest) as out:
        digest, size = hashlib.sha256(), 0
        # read1: one network read at a time, so the deadline is checked between them
        for chunk in iter(lambda: response.read1(_CHUNK), b""):
            if time.monotonic() > deadline:
                raise _Rejected(_too_slow())
            size += len(chunk)
            if size > MAX_BYTES:
                raise _Rejected(f"more than {MAX_BYTES} bytes")
            digest.update(chunk)
            out.write(chunk)
        if digest.hexdigest() not in known:
            raise _Rejected(f"SHA-256 mismatch: got {digest.hexdigest()}, expected {known[0]}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__
