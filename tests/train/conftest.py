"""Shared data for the training tests: the embedded digits, split once."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="session")
def digits():
    """``(x_train, t_train), (x_val, t_val), (x_test, t_test)``: 1200/300/297 digits."""
    from trainlab.data import load

    (x, t), (xt, tt) = load("digits")
    order = np.random.default_rng(123).permutation(len(x))
    tr, va = order[:1200], order[1200:]
    return (x[tr], t[tr]), (x[va], t[va]), (xt, tt)


@pytest.fixture
def make_net():
    """``make_net(**kw)``: the notes' 64→100×4→10 network (smaller via ``hidden``)."""
    from trainlab.nn import MultiLayerNet

    def make(hidden=(100, 100, 100, 100), seed=1, **kw):
        return MultiLayerNet(64, list(hidden), 10, rng=np.random.default_rng(seed), **kw)

    return make
