"""``alloc``: the normalised images written straight into arrays the caller gives."""

from __future__ import annotations

import numpy as np

from trainlab.data import load_with_info


def test_the_images_are_written_into_the_given_arrays_with_the_same_bits():
    given = {}

    def alloc(which, shape):
        given[which] = np.full(shape, np.nan, np.float32)
        return given[which]

    ((x, t), (xt, tt)), _ = load_with_info("digits", alloc=alloc)
    ((x0, t0), (xt0, tt0)), info = load_with_info("digits")
    assert x is given["x"] and xt is given["x_test"]  # not copied afterwards
    assert x.view(np.uint32).tobytes() == x0.view(np.uint32).tobytes()
    assert xt.view(np.uint32).tobytes() == xt0.view(np.uint32).tobytes()
    # the book's normalisation, written out: pixel / 16 in float32
    from trainlab.data import digits

    raw_train, _ = digits.load_digits_split()[0]
    expected = raw_train.reshape(len(raw_train), -1).astype(np.float32) / np.float32(info["scale"])
    assert np.array_equal(x, expected) and np.array_equal(t, t0) and np.array_equal(tt, tt0)
