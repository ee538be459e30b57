"""Splits fixed by seed and scaling fitted on the training split only, checked
against the definitions computed here."""

from __future__ import annotations

import numpy as np
import pytest
from owndata_testkit import class_csv, classification, reg_npz, regression

from trainlab.data.files import load_file
from trainlab.data.prepared import open_data, prepare, split_indices
from trainlab.errors import DataError


def test_split_is_the_seeded_permutation_cut_in_three():
    order = np.random.default_rng(7).permutation(100)
    idx = split_indices(100, 0.25, 0.2, seed=7)
    assert np.array_equal(idx["test"], np.sort(order[:20]))
    assert np.array_equal(idx["val"], np.sort(order[20:40]))  # int(80 * 0.25)
    assert np.array_equal(idx["train"], np.sort(order[40:]))
    assert np.array_equal(split_indices(100, 0.25, 0.2, seed=7)["val"], idx["val"])
    assert not np.array_equal(split_indices(100, 0.25, 0.2, seed=8)["val"], idx["val"])


@pytest.mark.parametrize("scale", ["standard", "minmax", "none"])
def test_scaling_uses_training_statistics_only(tmp_path, scale):
    x, y = classification()
    p = open_data(str(class_csv(tmp_path)), target="animal", scale=scale, seed=3)
    tr, va, te = p.indices["train"], p.indices["val"], p.indices["test"]
    assert sorted(np.concatenate([tr, va, te]).tolist()) == list(range(len(x)))
    ref = x[tr]
    if scale == "standard":
        shift, div = ref.mean(axis=0), ref.std(axis=0)
    elif scale == "minmax":
        shift, div = ref.min(axis=0), ref.max(axis=0) - ref.min(axis=0)
    else:
        shift, div = 0.0, 1.0
    for part, rows in ((p.train, tr), (p.val, va), (p.test, te)):
        assert np.allclose(part[0], ((x[rows] - shift) / div).astype(np.float32), atol=1e-6)
        assert np.array_equal(part[1], y[rows])
    if scale == "standard":  # the held-out parts are not standardised by their own stats
        assert abs(p.val[0].mean(axis=0)).max() > 1e-3
    rec = p.split_record()
    assert rec["train"] == tr.tolist() and rec["seed"] == 3 and rec["rows"] == len(x)


def test_a_file_with_its_own_test_set_keeps_it(tmp_path):
    x, y = regression()
    np.savez(tmp_path / "r.npz", x=x[:200], y=y[:200], x_test=x[200:], y_test=y[200:])
    p = open_data(str(tmp_path / "r.npz"), val_ratio=0.2)
    assert p.indices["test"] is None and len(p.test[0]) == 100
    assert p.info["task"] == "regression" and p.train[1].dtype == np.float32
    assert len(p.val[0]) == 40 and len(p.train[0]) == 160


def test_too_few_samples_for_the_batch_size(tmp_path):
    data = load_file(str(reg_npz(tmp_path)))
    with pytest.raises(
        DataError,
        match="linear.npz: the training split holds 192 samples, fewer than the batch size 500",
    ):
        prepare(data, batch_size=500)
    with pytest.raises(DataError, match="too few"):
        prepare(data, limit=3)
