"""The one-pass update over a contiguous buffer equals the per-array update, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from optim_testkit import FACTORIES

from trainlab.optim.engine import CHUNK

# one parameter larger than a chunk, so the chunked path crosses a boundary
SHAPES = [(200, 180), (), (5,), (3, 2, 4)]


def flat_views(arrays: dict, dtype=np.float32):
    total = sum(a.size for a in arrays.values())
    buf = np.empty(total, dtype)
    views, off = {}, 0
    for k, a in arrays.items():
        views[k] = buf[off : off + a.size].reshape(a.shape)
        views[k][...] = a
        off += a.size
    return buf, views


def inner(opt):
    return getattr(opt, "optimizer", opt)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_flat_buffer_equals_separate_arrays(name, dtype, kernel_backend):
    # the one-pass path (fused kernel where the rule has one, with either backend)
    # against the per-array path, which runs the rule's own NumPy code
    assert SHAPES[0][0] * SHAPES[0][1] > CHUNK
    rng = np.random.default_rng(3)
    start = {f"p{i}": rng.standard_normal(s).astype(dtype) for i, s in enumerate(SHAPES)}
    noise = [
        {k: rng.standard_normal(v.shape).astype(dtype) for k, v in start.items()} for _ in range(20)
    ]
    _, flat = flat_views(start, dtype)
    sep = {k: v.copy() for k, v in start.items()}
    gbuf, gflat = flat_views(start, dtype)
    opt_flat, opt_sep = FACTORIES[name](), FACTORIES[name]()
    for n in noise:
        for k in flat:  # gradient of 0.15 * ||p||^2 plus noise, written into the flat buffer
            np.multiply(flat[k], 0.3, out=gflat[k])
            gflat[k] += n[k]
        gsep = {k: sep[k] * dtype(0.3) + n[k] for k in sep}
        opt_flat.update(flat, gflat)
        opt_sep.update(sep, gsep)
    if inner(opt_flat).per_parameter:  # a matrix rule: one parameter at a time, on the views
        assert inner(opt_flat)._flat_state is None
    else:
        assert inner(opt_flat)._flat_state is not None, "the one-pass path was not taken"
    assert inner(opt_sep)._flat_state is None
    for k in start:
        assert flat[k].dtype == dtype
        assert np.array_equal(flat[k], sep[k]), k
        assert not np.array_equal(flat[k], start[k]), k  # the rule did move the weights
    for k, s in inner(opt_sep).state.items():
        for field, arr in s.items():
            assert np.array_equal(inner(opt_flat).state[k][field], arr), (k, field)
    if "swats" in name:  # both phases ran, and switched at the same step
        assert inner(opt_flat).switch_step is not None
        assert inner(opt_flat).switch_step == inner(opt_sep).switch_step
        assert inner(opt_flat).switch_lr == inner(opt_sep).switch_lr


def test_flat_update_is_in_place_and_leaves_grads_alone():
    rng = np.random.default_rng(0)
    start = {"a": rng.standard_normal((4, 3)), "b": rng.standard_normal(2)}
    buf, params = flat_views(start, np.float64)
    gbuf, grads = flat_views(
        {k: rng.standard_normal(v.shape) for k, v in start.items()}, np.float64
    )
    before = gbuf.copy()
    opt = FACTORIES["adam"]()
    opt.update(params, grads)
    assert np.array_equal(gbuf, before)
    assert np.shares_memory(params["a"], buf)
    # the step went into the caller's buffer: Adam's first step is about lr * sign(g)
    np.testing.assert_allclose(
        buf,
        np.concatenate([v.ravel() for v in start.values()]) - 0.01 * np.sign(before),
        rtol=0,
        atol=1e-6,
    )
