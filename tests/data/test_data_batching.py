"""Mini-batches, train/validation splits and one-hot labels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainlab.data import epoch_indices, minibatches, one_hot, train_val_split
from trainlab.errors import ConfigError, DataError


def _xt(n):
    x = np.arange(n * 3, dtype=np.float32).reshape(n, 3)  # row i starts with 3*i
    return x, np.arange(n) % 10


# epoch_indices / minibatches without replacement


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 300), batch_size=st.integers(1, 64), seed=st.integers(0, 2**32 - 1))
def test_each_sample_once_per_epoch(n, batch_size, seed):
    batches = epoch_indices(n, batch_size, np.random.default_rng(seed))
    assert len(batches) == -(-n // batch_size)
    assert all(len(b) == batch_size for b in batches[:-1]) and 1 <= len(batches[-1]) <= batch_size
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(n))


def test_drop_last():
    batches = epoch_indices(10, 4, np.random.default_rng(0), drop_last=True)
    assert [len(b) for b in batches] == [4, 4]
    assert len(set(np.concatenate(batches))) == 8
    with pytest.raises(ConfigError, match="drop_last"):
        epoch_indices(3, 4, np.random.default_rng(0), drop_last=True)


def test_no_shuffle_keeps_order_and_needs_no_rng():
    batches = epoch_indices(7, 3, None, shuffle=False)
    assert [b.tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6]]


def test_same_seed_identical_batches_and_new_order_each_epoch():
    x, t = _xt(50)

    def run(rng):
        return [(xb.copy(), tb.copy()) for xb, tb in minibatches(x, t, 8, rng)]

    rng_a, rng_b = np.random.default_rng(123), np.random.default_rng(123)
    epoch1_a, epoch1_b = run(rng_a), run(rng_b)
    for (xa, ta), (xb, tb) in zip(epoch1_a, epoch1_b, strict=True):
        assert xa.tobytes() == xb.tobytes() and ta.tobytes() == tb.tobytes()
    epoch2_a = run(rng_a)
    order1 = np.concatenate([xb[:, 0] for xb, _ in epoch1_a])
    order2 = np.concatenate([xb[:, 0] for xb, _ in epoch2_a])
    assert not np.array_equal(order1, order2)
    np.testing.assert_array_equal(np.sort(order1), np.sort(order2))


def test_batches_keep_x_and_t_aligned():
    x, t = _xt(23)
    for xb, tb in minibatches(x, t, 5, np.random.default_rng(1)):
        rows = (xb[:, 0] / 3).astype(int)
        np.testing.assert_array_equal(tb, rows % 10)
        np.testing.assert_array_equal(xb, x[rows])


def test_minibatch_order_is_the_permutation_from_rng():
    x, t = _xt(12)
    expected = np.random.default_rng(9).permutation(12)
    got = np.concatenate(
        [tb for _, tb in minibatches(x, np.arange(12), 5, np.random.default_rng(9))]
    )
    np.testing.assert_array_equal(got, expected)


# With replacement (the book's np.random.choice sampling)


def test_replacement_matches_book_sampling():
    batches = epoch_indices(100, 16, np.random.default_rng(5), replacement=True)
    reference = np.random.default_rng(5)
    assert len(batches) == 100 // 16
    for batch in batches:
        np.testing.assert_array_equal(batch, reference.choice(100, 16))


def test_replacement_at_least_one_batch_and_repeats_allowed():
    batches = epoch_indices(5, 32, np.random.default_rng(0), replacement=True)
    assert len(batches) == 1 and len(batches[0]) == 32
    assert len(np.unique(batches[0])) <= 5 and batches[0].min() >= 0 and batches[0].max() < 5


def test_replacement_draws_duplicates_over_an_epoch():
    batches = epoch_indices(1000, 100, np.random.default_rng(0), replacement=True)
    seen = np.concatenate(batches)
    assert len(seen) == 1000 and len(np.unique(seen)) < 1000  # ~63% distinct expected


def test_minibatches_with_replacement():
    x, t = _xt(40)
    out = list(minibatches(x, t, 10, np.random.default_rng(2), replacement=True))
    assert len(out) == 4 and all(xb.shape == (10, 3) for xb, _ in out)


# Validation


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "8", None])
def test_batch_size_validated(bad):
    with pytest.raises(ConfigError, match="batch_size"):
        epoch_indices(10, bad, np.random.default_rng(0))


def test_rng_required_when_random():
    with pytest.raises(ConfigError, match="Generator"):
        epoch_indices(10, 2, None)
    with pytest.raises(ConfigError, match="Generator"):
        epoch_indices(10, 2, 42, replacement=True)


def test_mismatched_lengths():
    with pytest.raises(DataError, match="x has 5 samples but t has 4"):
        minibatches(np.zeros((5, 2)), np.zeros(4), 2, np.random.default_rng(0))


# train_val_split


def test_split_sizes_disjoint_and_complete():
    x, t = _xt(101)
    (x_tr, t_tr), (x_val, t_val) = train_val_split(x, t, 0.2, np.random.default_rng(3))
    assert len(x_val) == 20 and len(x_tr) == 81
    rows_tr, rows_val = (x_tr[:, 0] / 3).astype(int), (x_val[:, 0] / 3).astype(int)
    assert not set(rows_tr) & set(rows_val)
    np.testing.assert_array_equal(np.sort(np.concatenate([rows_tr, rows_val])), np.arange(101))
    np.testing.assert_array_equal(t_tr, rows_tr % 10)
    np.testing.assert_array_equal(t_val, rows_val % 10)


def test_split_is_seeded():
    x, t = _xt(60)
    default = train_val_split(x, t)
    seed0 = train_val_split(x, t, rng=np.random.default_rng(0))
    other = train_val_split(x, t, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(default[1][0], seed0[1][0])
    assert not np.array_equal(default[1][0], other[1][0])
    expected_val = np.random.default_rng(0).permutation(60)[:12]
    np.testing.assert_array_equal(default[1][1], expected_val % 10)


@pytest.mark.parametrize("ratio", [0, 1, -0.1, 1.5, float("nan"), True, "0.2"])
def test_split_ratio_validated(ratio):
    with pytest.raises(ConfigError, match="val_ratio"):
        train_val_split(*_xt(10), val_ratio=ratio)


def test_split_too_small():
    with pytest.raises(ConfigError, match="empty part"):
        train_val_split(*_xt(3), val_ratio=0.2)


# one_hot


def test_one_hot_matches_eye():
    t = np.array([3, 0, 9, 3])
    out = one_hot(t, 10)
    assert out.dtype == np.float32 and out.shape == (4, 10)
    np.testing.assert_array_equal(out, np.eye(10, dtype=np.float32)[t])


def test_one_hot_validates():
    with pytest.raises(DataError, match="outside 0..2"):
        one_hot(np.array([0, 3]), 3)
    with pytest.raises(DataError, match="outside"):
        one_hot(np.array([-1]), 3)
    with pytest.raises(DataError, match="integers"):
        one_hot(np.array([0.5]), 3)
    with pytest.raises(ConfigError, match="n_classes"):
        one_hot(np.array([0]), 0)
