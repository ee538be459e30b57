"""The IDX readers on random and corrupted bytes: an array or a DataError, never a crash."""

import gzip
import struct
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from trainlab.data.idx import read_images, read_labels
from trainlab.errors import DataError

SETTINGS = settings(max_examples=60, deadline=2000)


def read(reader, data: bytes):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "file"
        path.write_bytes(data)
        try:
            return reader(path)
        except DataError as exc:
            assert str(path) in str(exc)  # the message names the file
            return None


def images(n, rows, cols, seed=0):
    body = np.random.default_rng(seed).integers(0, 256, n * rows * cols, dtype=np.uint8)
    return struct.pack(">4I", 0x803, n, rows, cols) + body.tobytes(), body.reshape(n, rows, cols)


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from([read_images, read_labels]))
def test_random_bytes(data, reader):
    out = read(reader, data)
    assert out is None or (
        out.dtype == np.uint8 and out.ndim == (3 if reader is read_images else 1)
    )


@SETTINGS
@given(st.binary(max_size=200), st.sampled_from([read_images, read_labels]))
def test_random_bytes_behind_a_valid_magic(tail, reader):
    magic = 0x803 if reader is read_images else 0x801
    out = read(reader, struct.pack(">I", magic) + tail)
    if out is not None:  # then the header and the body agree exactly
        dims = struct.unpack(f">{magic & 0xFF}I", tail[: 4 * (magic & 0xFF)])
        assert out.shape == dims and out.tobytes() == tail[4 * len(dims) :]


@SETTINGS
@given(
    n=st.integers(1, 4),
    rows=st.integers(1, 5),
    cols=st.integers(1, 5),
    cut=st.integers(0, 200),
    flip=st.integers(0, 200),
    extra=st.binary(max_size=3),
    compress=st.booleans(),
)
def test_corrupted_valid_files(n, rows, cols, cut, flip, extra, compress):
    good, array = images(n, rows, cols)
    assert np.array_equal(read(read_images, gzip.compress(good) if compress else good), array)
    bad = bytearray(good[: max(0, len(good) - 1 - cut % len(good))])  # truncated ...
    if bad and flip % 2:
        bad[flip % len(bad)] ^= 0xFF  # ... and perhaps a flipped byte
    bad = bytes(bad)
    if compress:
        bad = gzip.compress(good)[: -1 - cut % 8]  # a cut gzip stream
    assert read(read_images, bad) is None
    assert read(read_images, good + extra) is None or not extra


def test_lying_header_fails_fast():
    huge = struct.pack(">4I", 0x803, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + b"\0" * 64
    assert read(read_images, huge) is None
