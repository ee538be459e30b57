"""The real MNIST (t10k) and Fashion-MNIST files in ../shared/data, through trainlab."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import struct

import numpy as np
import pytest

import trainlab.data as data
from trainlab.data.download import SHA256
from trainlab.errors import DataError


def _sums(shared):
    lines = (shared / "SHA256SUMS").read_text().split("\n")
    return {name: digest for digest, name in (line.split() for line in lines if line.strip())}


def _reference(path, offset):
    """Independent parse: skip the header, keep the bytes."""
    return np.frombuffer(gzip.decompress(path.read_bytes()), dtype=np.uint8, offset=offset)


@pytest.fixture(scope="module")
def fashion_raw(shared, tmp_path_factory):
    """Fashion-MNIST as raw uint8, loaded once for the module (parsing 47 MB takes ~1 s)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAINLAB_CACHE", str(tmp_path_factory.mktemp("fashion-cache")))
        mp.setenv("TRAINLAB_OFFLINE", "1")
        yield data.load_with_info("fashion-mnist", normalize=False, flatten=False, data_dir=shared)


def test_shared_files_match_sha256sums(shared):
    sums = _sums(shared)
    assert len(sums) == 6
    for name, digest in sums.items():
        assert hashlib.sha256((shared / name).read_bytes()).hexdigest() == digest, name


def test_checksum_table_accepts_the_shared_copies(shared):
    for name, digest in _sums(shared).items():
        folder, filename = name.split("/")
        assert digest in SHA256[folder][filename], name


def test_mnist_t10k_images_have_published_md5_and_shape(shared):
    raw = gzip.decompress((shared / "mnist" / "t10k-images-idx3-ubyte.gz").read_bytes())
    assert hashlib.md5(raw).hexdigest() == "2646ac647ad5339dbf082846283269ea"
    assert struct.unpack(">IIII", raw[:16]) == (0x803, 10_000, 28, 28)
    assert len(raw) == 16 + 10_000 * 28 * 28


def test_fashion_counts_and_class_balance(shared):
    for stem, n, per_class in (("train", 60_000, 6_000), ("t10k", 10_000, 1_000)):
        labels = _reference(shared / "fashion-mnist" / f"{stem}-labels-idx1-ubyte.gz", 8)
        images = _reference(shared / "fashion-mnist" / f"{stem}-images-idx3-ubyte.gz", 16)
        assert len(labels) == n and len(images) == n * 784
        assert labels.min() == 0 and labels.max() == 9
        assert np.bincount(labels).tolist() == [per_class] * 10


def test_load_fashion_mnist_matches_independent_parse(shared, fashion_raw):
    ((x_tr, t_tr), (x_te, t_te)), info = fashion_raw
    assert x_tr.shape == (60_000, 1, 28, 28) and x_te.shape == (10_000, 1, 28, 28)
    assert x_tr.dtype == np.uint8 and t_tr.dtype == np.int64
    folder = shared / "fashion-mnist"
    np.testing.assert_array_equal(
        x_tr.ravel(), _reference(folder / "train-images-idx3-ubyte.gz", 16)
    )
    np.testing.assert_array_equal(t_tr, _reference(folder / "train-labels-idx1-ubyte.gz", 8))
    np.testing.assert_array_equal(
        x_te.ravel(), _reference(folder / "t10k-images-idx3-ubyte.gz", 16)
    )
    np.testing.assert_array_equal(t_te, _reference(folder / "t10k-labels-idx1-ubyte.gz", 8))
    assert info["name"] == "fashion-mnist" and info["fallback"] is False
    assert (info["n_train"], info["n_test"], info["image_shape"]) == (60_000, 10_000, (28, 28))
    assert info["source"]["train-images"] == str(folder / "train-images-idx3-ubyte.gz")


def test_load_fashion_normalized_flat_and_one_hot(shared, fashion_raw, isolated):
    (_, (x_raw, t_raw)), _ = fashion_raw
    (x_tr, t_tr), (x_te, t_te) = data.load("fashion_mnist", one_hot_label=True, data_dir=shared)
    assert x_tr.shape == (60_000, 784) and x_te.shape == (10_000, 784)
    assert (
        x_tr.dtype == np.float32 and 0.0 <= x_tr.min() and x_tr.max() <= 1.0 and x_tr.max() == 1.0
    )
    np.testing.assert_array_equal(x_te, x_raw.reshape(10_000, 784).astype(np.float32) / 255)
    assert t_te.shape == (10_000, 10) and t_te.dtype == np.float32
    np.testing.assert_array_equal(t_te.argmax(axis=1), t_raw)
    assert t_te.sum(axis=1).tolist() == [1.0] * 10_000
    assert sorted(p.name for p in (isolated / "fashion-mnist").iterdir()) == [
        "test.npz",
        "train.npz",
    ]


def test_load_mnist_falls_back_to_split_test_set(shared):
    with pytest.warns(data.DataFallbackWarning, match="8000/2000"):
        (x_tr, t_tr), (x_te, t_te) = data.load("mnist", data_dir=shared)
    ((x_tr2, _), _), info = data.load_with_info("mnist", data_dir=shared)
    np.testing.assert_array_equal(x_tr, x_tr2)
    assert x_tr.shape == (8_000, 784) and x_te.shape == (2_000, 784)
    assert info["fallback"] is True and (info["n_train"], info["n_test"]) == (8_000, 2_000)
    assert (
        "MNIST training files not found" in info["note"] and "10,000-image test set" in info["note"]
    )
    assert set(info["source"]) == {"test-images", "test-labels"}
    assert "train-images-idx3-ubyte" in info["reason"]
    # The split is the documented one: last 2000 of default_rng(0).permutation(10000),
    # in file order.
    images = _reference(shared / "mnist" / "t10k-images-idx3-ubyte.gz", 16).reshape(10_000, 784)
    labels = _reference(shared / "mnist" / "t10k-labels-idx1-ubyte.gz", 8)
    order = np.random.default_rng(0).permutation(10_000)
    test_idx, train_idx = np.sort(order[8_000:]), np.sort(order[:8_000])
    np.testing.assert_array_equal(x_te, images[test_idx] / np.float32(255))
    np.testing.assert_array_equal(t_tr, labels[train_idx])
    assert not set(test_idx) & set(train_idx)


def test_mnist_without_fallback_is_an_error(shared):
    with pytest.raises(DataError, match="train-images-idx3-ubyte.*--data-dir"):
        data.load("mnist", data_dir=shared, allow_fallback=False)


def test_raw_and_gz_parse_the_same(shared, tmp_path):
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    for name in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        (raw_dir / name).write_bytes(
            gzip.decompress((shared / "mnist" / f"{name}.gz").read_bytes())
        )
    from_raw, info_raw = data.load_with_info(
        "mnist", normalize=False, data_dir=raw_dir, download=False
    )
    from_gz, _ = data.load_with_info("mnist", normalize=False, data_dir=shared, download=False)
    assert info_raw["source"]["test-images"] == str(raw_dir / "t10k-images-idx3-ubyte")
    for a, b in zip(from_raw, from_gz, strict=False):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])


def test_parsed_cache_is_used_and_refreshed(shared, tmp_path, isolated):
    folder = tmp_path / "d" / "mnist"
    folder.mkdir(parents=True)
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        shutil.copy(shared / "mnist" / name, folder / name)
    first, info1 = data.load_with_info("mnist", data_dir=tmp_path / "d", download=False)
    second, info2 = data.load_with_info("mnist", data_dir=tmp_path / "d", download=False)
    assert (info1["cached"], info2["cached"]) == (False, True)
    np.testing.assert_array_equal(first[0][0], second[0][0])
    entry = isolated / "mnist" / "test.npz"
    with np.load(entry, allow_pickle=False) as npz:
        assert npz["images"].shape == (10_000, 28, 28) and npz["labels"].dtype == np.uint8
    # Replacing the source file invalidates the entry.
    labels = gzip.decompress((folder / "t10k-labels-idx1-ubyte.gz").read_bytes())
    flipped = labels[:8] + bytes((9 - b) for b in labels[8:])
    target = folder / "t10k-labels-idx1-ubyte.gz"
    before = target.stat().st_mtime_ns
    target.write_bytes(gzip.compress(flipped))
    os.utime(target, ns=(before + 10**9, before + 10**9))
    third, info3 = data.load_with_info("mnist", data_dir=tmp_path / "d", download=False)
    assert info3["cached"] is False
    np.testing.assert_array_equal(third[0][1], 9 - first[0][1])


def test_rows_loads_only_the_head_of_each_set_with_the_same_bits(shared, isolated):
    (x_all, t_all), (xt_all, tt_all) = data.load("fashion-mnist", data_dir=shared)
    ((x, t), (xt, tt)), info = data.load_with_info("fashion-mnist", data_dir=shared, rows=(1000, 0))
    assert x.shape == (1000, 784) and xt.shape == (0, 784) and tt.shape == (0,)
    assert x.tobytes() == x_all[:1000].tobytes() and np.array_equal(t, t_all[:1000])
    # info still describes the whole data set, as a run's config reports it
    assert (info["n_train"], info["n_test"]) == (60_000, 10_000)
    assert "60,000 training and 10,000 test images" in info["note"]
    ((_, _), (xt5, _)), _ = data.load_with_info("fashion-mnist", data_dir=shared, rows=(None, 5))
    assert xt5.tobytes() == xt_all[:5].tobytes()
