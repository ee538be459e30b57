"""load(): names, the packaged digits, and where files are searched for."""

from __future__ import annotations

import csv
import gzip
import io
import os
from pathlib import Path

import numpy as np
import pytest
from data_testkit import synthetic_set

import trainlab.data as data
from trainlab.data import locations
from trainlab.data.locations import cache_dir, search_dirs
from trainlab.errors import ConfigError, DataError

DIGITS_CSV = Path(__file__).resolve().parents[2] / "src" / "trainlab" / "data" / "digits.csv.gz"


def _digits_reference():
    rows = list(csv.reader(io.StringIO(gzip.decompress(DIGITS_CSV.read_bytes()).decode())))
    table = np.array(rows, dtype=np.int64)
    return table[:, :64], table[:, 64]


# Names


def test_unknown_name_lists_valid_names():
    with pytest.raises(
        ConfigError, match="unknown data set 'cifar'; valid names: digits, mnist, fashion-mnist"
    ):
        data.load("cifar")


@pytest.mark.parametrize("alias", ["fashion_mnist", "Fashion-MNIST", "fashion-mnist"])
def test_fashion_aliases(alias):
    assert data.canonical_name(alias) == "fashion-mnist"


def test_non_string_name():
    with pytest.raises(ConfigError):
        data.load(None)


def test_missing_data_dir_is_an_error(tmp_path):
    with pytest.raises(DataError, match="nope does not exist.*--data-dir"):
        data.load("mnist", data_dir=tmp_path / "nope")


# Digits


def test_digits_shapes_and_values():
    ((x_tr, t_tr), (x_te, t_te)), info = data.load_with_info("digits")
    assert x_tr.shape == (1500, 64) and x_te.shape == (297, 64)
    assert x_tr.dtype == np.float32 and x_tr.min() == 0.0 and x_tr.max() == 1.0
    assert t_tr.dtype == np.int64 and set(np.unique(t_tr)) == set(range(10))
    assert (info["name"], info["n_train"], info["n_test"], info["image_shape"]) == (
        "digits",
        1500,
        297,
        (8, 8),
    )
    assert info["fallback"] is False and "297" in info["note"]


def test_digits_split_matches_reference_and_documented_seed():
    pixels, labels = _digits_reference()
    (x_tr, t_tr), (x_te, t_te) = data.load("digits", normalize=False, flatten=False)
    assert x_tr.shape == (1500, 1, 8, 8) and x_tr.dtype == np.uint8
    order = np.random.default_rng(0).permutation(1797)
    test_idx, train_idx = np.sort(order[1500:]), np.sort(order[:1500])
    np.testing.assert_array_equal(x_te.reshape(297, 64), pixels[test_idx])
    np.testing.assert_array_equal(t_tr, labels[train_idx])
    # Pin the split itself, so a change in NumPy's generator stream is noticed.
    assert test_idx[:10].tolist() == [1, 3, 4, 6, 7, 9, 16, 29, 30, 50]
    np.testing.assert_array_equal(np.sort(np.concatenate([t_tr, t_te])), np.sort(labels))


def test_digits_normalize_divides_by_16_and_one_hot():
    (x_raw, t_raw), _ = data.load("digits", normalize=False)
    (x, t), _ = data.load("digits", one_hot_label=True)
    np.testing.assert_array_equal(x, x_raw.astype(np.float32) / 16)
    assert t.shape == (1500, 10) and t.dtype == np.float32
    np.testing.assert_array_equal(t, np.eye(10, dtype=np.float32)[t_raw])


def test_digits_arrays_are_fresh_copies():
    (x, _), _ = data.load("digits", normalize=False)
    x[:] = 0
    (x2, _), _ = data.load("digits", normalize=False)
    assert x2.max() == 16


# Search order


def _set_for(folder, seed):
    """A one-image-per-class synthetic set whose first label identifies it."""
    return synthetic_set(folder, n_train=10, n_test=5, seed=seed)


def test_data_dir_beats_environment_beats_cache(tmp_path, monkeypatch, isolated):
    a = _set_for(tmp_path / "a" / "fashion-mnist", 1)
    b = _set_for(tmp_path / "b", 2)  # files directly in the root
    c = _set_for(isolated / "fashion-mnist", 3)
    monkeypatch.setenv("TRAINLAB_DATA", str(tmp_path / "b"))

    def first(**kw):
        return data.load("fashion-mnist", normalize=False, **kw)[0][1]

    np.testing.assert_array_equal(first(data_dir=tmp_path / "a"), a["train-labels-idx1-ubyte"])
    np.testing.assert_array_equal(first(), b["train-labels-idx1-ubyte"])
    monkeypatch.delenv("TRAINLAB_DATA")
    np.testing.assert_array_equal(first(), c["train-labels-idx1-ubyte"])


def test_trainlab_data_may_list_several_folders(tmp_path, monkeypatch):
    monkeypatch.setenv(
        "TRAINLAB_DATA", os.pathsep.join([str(tmp_path / "empty"), str(tmp_path / "full")])
    )
    arrays = _set_for(tmp_path / "full" / "fashion-mnist", 4)
    _, info = data.load_with_info("fashion-mnist")
    assert info["source"]["test-labels"] == str(
        tmp_path / "full" / "fashion-mnist" / "t10k-labels-idx1-ubyte.gz"
    )
    assert info["n_train"] == len(arrays["train-labels-idx1-ubyte"])


def test_cache_location_from_environment(tmp_path, monkeypatch):
    assert cache_dir() == tmp_path / "cache"
    monkeypatch.delenv("TRAINLAB_CACHE")
    assert cache_dir() == tmp_path / "xdg" / "trainlab"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == tmp_path / "home" / ".cache" / "trainlab"


def test_search_dirs_order(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINLAB_DATA", str(tmp_path / "env"))
    monkeypatch.setattr(locations, "SYSTEM_DIRS", {"fashion-mnist": (tmp_path / "sys",)})
    expected = [
        tmp_path / "arg" / "fashion-mnist",
        tmp_path / "arg",
        tmp_path / "env" / "fashion-mnist",
        tmp_path / "env",
        tmp_path / "cache" / "fashion-mnist",
        tmp_path / "cache",
        tmp_path / "sys" / "fashion-mnist",
        tmp_path / "sys",
    ]
    assert search_dirs("fashion-mnist", tmp_path / "arg") == expected
    assert tmp_path / "sys" not in search_dirs("mnist", tmp_path / "arg")


def test_debian_location_is_searched_for_fashion(tmp_path, monkeypatch):
    assert locations.SYSTEM_DIRS == {}  # the fixture hides the real one
    monkeypatch.setattr(locations, "SYSTEM_DIRS", {"fashion-mnist": (tmp_path / "usr-share",)})
    _set_for(tmp_path / "usr-share", 5)
    _, info = data.load_with_info("fashion-mnist")
    assert info["source"]["train-images"].startswith(str(tmp_path / "usr-share"))


def test_real_debian_location_is_configured():
    assert locations.DEBIAN_FASHION_MNIST == Path("/usr/share/datasets/fashion-mnist")


def test_gz_preferred_but_raw_accepted_in_same_folder(tmp_path):
    folder = tmp_path / "fashion-mnist"
    gz = _set_for(folder, 6)
    raw = synthetic_set(tmp_path / "raw", n_train=10, n_test=5, seed=8, gz=False)
    (folder / "t10k-labels-idx1-ubyte").write_bytes(
        (tmp_path / "raw" / "t10k-labels-idx1-ubyte").read_bytes()
    )
    (_, (_, t_te)) = data.load("fashion-mnist", data_dir=tmp_path)
    np.testing.assert_array_equal(t_te, gz["t10k-labels-idx1-ubyte"])
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    (_, (_, t_te)) = data.load("fashion-mnist", data_dir=tmp_path)
    np.testing.assert_array_equal(t_te, raw["t10k-labels-idx1-ubyte"])
