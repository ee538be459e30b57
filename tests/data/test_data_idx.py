"""IDX parsing on small files written by the tests: good ones and every kind of broken one."""

from __future__ import annotations

import gzip
import time

import numpy as np
import pytest
from data_testkit import idx_bytes, synthetic_set, write_idx

import trainlab.data as data
from trainlab.data.idx import read_images, read_labels
from trainlab.errors import DataError


def _no_cache_files(cache):
    return not cache.exists() or [p for p in cache.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("gz", [True, False])
def test_good_files_round_trip(tmp_path, gz):
    images = np.arange(3 * 4 * 5, dtype=np.uint8).reshape(3, 4, 5)
    labels = np.array([7, 0, 9], dtype=np.uint8)
    got_images = read_images(write_idx(tmp_path / "img", images, gz=gz))
    got_labels = read_labels(write_idx(tmp_path / "lab", labels, gz=gz))
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)
    assert got_images.dtype == np.uint8 and got_images.flags.writeable


def test_gzip_is_recognised_by_content_not_name(tmp_path):
    labels = np.array([1, 2, 3], dtype=np.uint8)
    path = tmp_path / "labels.idx"  # gzip data under a name without .gz
    path.write_bytes(gzip.compress(idx_bytes(labels)))
    np.testing.assert_array_equal(read_labels(path), labels)


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_file(tmp_path, gz):
    good = idx_bytes(np.zeros((4, 28, 28), dtype=np.uint8))
    path = write_idx(tmp_path / "img", raw=good[:-100], gz=gz)
    with pytest.raises(DataError, match=r"img.*truncated.*need 3136 bytes, found 3036"):
        read_images(path)


def test_truncated_header(tmp_path):
    path = write_idx(tmp_path / "lab", raw=b"\x00\x00\x08", gz=False)
    with pytest.raises(DataError, match="lab.*truncated"):
        read_labels(path)


def test_wrong_magic(tmp_path):
    path = write_idx(tmp_path / "img", np.zeros((2, 3, 3)), magic=0x12345678)
    with pytest.raises(DataError, match=r"img: bad magic number 0x12345678, expected 0x00000803"):
        read_images(path)


def test_labels_file_given_as_images(tmp_path):
    path = write_idx(tmp_path / "lab", np.zeros(5))
    with pytest.raises(DataError, match=r"lab: IDX file has 1 dimensions, an IDX image file has 3"):
        read_images(path)


def test_wrong_dimension_count(tmp_path):
    path = write_idx(tmp_path / "img", np.zeros((2, 3, 3, 1)))  # magic 0x804
    with pytest.raises(DataError, match=r"img: IDX file has 4 dimensions"):
        read_images(path)


def test_extra_bytes(tmp_path):
    path = write_idx(tmp_path / "lab", raw=idx_bytes(np.zeros(3)) + b"junk")
    with pytest.raises(DataError, match="lab: extra bytes"):
        read_labels(path)


def test_zero_count(tmp_path):
    path = write_idx(tmp_path / "lab", raw=idx_bytes(np.zeros(0)))
    with pytest.raises(DataError, match="lab: IDX header has a zero size"):
        read_labels(path)


def test_lying_header_fails_fast(tmp_path):
    # Claims 2**32-1 images of 65535x65535: must fail on the short file, not allocate.
    raw = idx_bytes(np.zeros((1, 2, 2)), count=2**32 - 1)
    path = write_idx(
        tmp_path / "img", raw=raw.replace(b"\x00\x00\x00\x02", b"\x00\x00\xff\xff"), gz=True
    )
    start = time.perf_counter()
    with pytest.raises(DataError, match="img.*truncated"):
        read_images(path)
    assert time.perf_counter() - start < 2


def test_corrupt_gzip_stream(tmp_path):
    blob = bytearray(gzip.compress(idx_bytes(np.arange(200, dtype=np.uint8).reshape(2, 10, 10))))
    blob[20:30] = b"\xff" * 10
    path = tmp_path / "img.gz"
    path.write_bytes(bytes(blob))
    with pytest.raises(DataError, match=r"img\.gz: corrupt gzip stream"):
        read_images(path)


def test_truncated_gzip_stream(tmp_path):
    blob = gzip.compress(idx_bytes(np.arange(200, dtype=np.uint8).reshape(2, 10, 10)))
    path = tmp_path / "img.gz"
    path.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(DataError, match=r"img\.gz: (corrupt gzip stream|truncated)"):
        read_images(path)


def test_bad_crc(tmp_path):
    blob = bytearray(gzip.compress(idx_bytes(np.zeros(3))))
    blob[-8] ^= 0xFF  # CRC32 of the trailer
    path = tmp_path / "lab.gz"
    path.write_bytes(bytes(blob))
    with pytest.raises(DataError, match=r"lab\.gz: corrupt gzip stream"):
        read_labels(path)


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="nothere"):
        read_labels(tmp_path / "nothere")


# Through load(): the error names the file and no cache entry is left behind.


def _break(folder, stem, raw):
    write_idx(folder / f"{stem}.gz", raw=raw)


@pytest.mark.parametrize(
    "stem, raw, message",
    [
        ("train-images-idx3-ubyte", idx_bytes(np.zeros((30, 28, 28)))[:-1], "truncated"),
        ("train-images-idx3-ubyte", idx_bytes(np.zeros((30, 28, 28)), magic=0x801), "magic"),
        (
            "t10k-labels-idx1-ubyte",
            idx_bytes(np.zeros(11)),
            "holds 12 images but .* holds 11 labels",
        ),
        ("t10k-labels-idx1-ubyte", idx_bytes(np.full(12, 10)), "label 10 is outside 0..9"),
    ],
)
def test_load_reports_bad_file_and_caches_nothing(tmp_path, isolated, stem, raw, message):
    folder = tmp_path / "data" / "fashion-mnist"
    synthetic_set(folder)
    _break(folder, stem, raw)
    with pytest.raises(DataError, match=message) as info:
        data.load("fashion-mnist", data_dir=tmp_path / "data")
    assert stem in str(info.value) and "\n" not in str(info.value)
    assert not list(isolated.rglob("*.npz")) and not list(isolated.rglob("*.part"))


def test_load_reports_corrupt_gzip_and_caches_nothing(tmp_path, isolated):
    folder = tmp_path / "data"
    synthetic_set(folder)
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b\x08\x00garbage-not-deflate")
    with pytest.raises(DataError, match=r"train-labels-idx1-ubyte\.gz: corrupt gzip"):
        data.load("fashion-mnist", data_dir=folder)
    assert _no_cache_files(isolated)


def test_load_synthetic_set(tmp_path, isolated):
    arrays = synthetic_set(tmp_path / "fashion-mnist", gz=False)
    (x_tr, t_tr), (x_te, t_te) = data.load(
        "fashion-mnist", normalize=False, flatten=False, data_dir=tmp_path
    )
    np.testing.assert_array_equal(x_tr[:, 0], arrays["train-images-idx3-ubyte"])
    np.testing.assert_array_equal(t_te, arrays["t10k-labels-idx1-ubyte"])
    assert t_tr.dtype == np.int64 and x_te.shape == (12, 1, 28, 28)
    assert sorted(p.name for p in (isolated / "fashion-mnist").iterdir()) == [
        "test.npz",
        "train.npz",
    ]


def test_train_and_test_of_different_shapes(tmp_path):
    synthetic_set(tmp_path)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((12, 8, 8)))
    with pytest.raises(DataError, match="supply files of one data set"):
        data.load("fashion-mnist", data_dir=tmp_path)


def test_corrupt_npz_entry_is_reparsed(tmp_path, isolated):
    arrays = synthetic_set(tmp_path)
    data.load("fashion-mnist", data_dir=tmp_path)
    (isolated / "fashion-mnist" / "train.npz").write_bytes(b"PK\x03\x04 broken zip")
    (_, t_tr), _ = data.load("fashion-mnist", data_dir=tmp_path)
    np.testing.assert_array_equal(t_tr, arrays["train-labels-idx1-ubyte"])
    with np.load(isolated / "fashion-mnist" / "train.npz", allow_pickle=False) as entry:
        assert entry["labels"].shape == (30,)
