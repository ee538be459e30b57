"""Digests that make a changed checkpoint unusable.

A checkpoint is a JSON document and the ``.npz`` file it names. The document
records the SHA-256 of the ``.npz`` bytes (``files``), the fingerprint of the
run that wrote it (``run``: the starting weights and random generators, so a
checkpoint copied in from another run does not fit), and the SHA-256 of
everything else it holds (``digest``). A flipped bit, a truncated file, an array
added or removed, or a file swapped in from another run changes one of them,
and :func:`verify` refuses it in one line that names the file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from trainlab.errors import DataError
from trainlab.io import MAX_FILE_BYTES, open_regular


def _canonical(meta: dict) -> bytes:
    return json.dumps(meta, sort_keys=True, allow_nan=False, separators=(",", ":")).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seal(meta: dict) -> dict:
    """``meta`` (plain JSON values only) with its own digest added."""
    return {**meta, "digest": sha256(_canonical(meta))}


def run_fingerprint(params: dict, rngs) -> str:
    """SHA-256 of a run's starting point: its parameters (names and bytes) and the
    states of its random generators. Two runs built from the same configuration
    share it; runs with other seeds or shapes do not."""
    h = hashlib.sha256()
    for name in sorted(params):
        a = np.ascontiguousarray(params[name])
        h.update(f"{name}:{a.dtype.str}:{a.shape};".encode())
        h.update(a.tobytes())
    for rng in rngs:
        state = None if rng is None else rng.bit_generator.state
        h.update(_canonical({"rng": state}))
    return h.hexdigest()


def read_file(path: Path) -> bytes:
    """The bytes of ``path``, a regular file of at most the size trainlab reads."""
    with open_regular(path, MAX_FILE_BYTES) as fh:
        return fh.read()


def verify(meta: dict, path: Path, fingerprint: str) -> None:
    """Refuse the checkpoint document ``meta`` (read from ``path``) unless its
    own digest holds and it was written by the run with ``fingerprint``."""
    body = {k: v for k, v in meta.items() if k != "digest"}
    if not isinstance(meta.get("digest"), str) or sha256(_canonical(body)) != meta["digest"]:
        raise DataError(f"{path} does not match its recorded digest: it was changed on disk")
    if meta.get("run") != fingerprint:
        raise DataError(
            f"{path} was written by another run (its starting weights or seeds differ), "
            "so it does not fit this one"
        )
    if not isinstance(meta.get("files"), dict) or meta.get("arrays") not in meta["files"]:
        raise DataError(f"{path} records no digest for its arrays: it was changed on disk")


def verified_bytes(folder: Path, meta: dict) -> bytes:
    """The bytes of the ``.npz`` file ``meta`` names, checked against its digest."""
    name = meta["arrays"]
    try:
        data = read_file(folder / name)
    except FileNotFoundError:
        raise DataError(f"{folder / name} is missing") from None
    if sha256(data) != meta["files"][name]:
        raise DataError(
            f"{folder / name} does not match the digest its checkpoint recorded: "
            "it was changed on disk"
        )
    return data
