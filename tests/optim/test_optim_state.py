"""Stop after k steps, save to .npz, load into a fresh optimizer, go on:
the parameters are bit-identical to those of an uninterrupted run, for every rule."""

from __future__ import annotations

import numpy as np
import pytest
from optim_testkit import FACTORIES

from trainlab.io import load_npz, save_npz

STEPS, STOP = 30, 11


def problem(flat: bool):
    rng = np.random.default_rng(5)
    shapes = [(6, 4), (), (5,), (2, 3, 2)]
    sizes = [int(np.prod(s)) for s in shapes]
    start = rng.standard_normal(sum(sizes))
    noise = rng.standard_normal((STEPS, sum(sizes)))

    def params():
        buf = start.copy()
        out, off = {}, 0
        for i, (s, n) in enumerate(zip(shapes, sizes, strict=False)):
            view = buf[off : off + n].reshape(s)
            out[f"p{i}"] = view if flat else view.copy()
            off += n
        return out

    def grads(p, k):
        out, off = {}, 0
        gbuf = np.empty(sum(sizes))
        for key, v in p.items():
            view = gbuf[off : off + v.size].reshape(v.shape)
            view[...] = 0.3 * v + noise[k, off : off + v.size].reshape(v.shape)
            out[key] = view if flat else view.copy()
            off += v.size
        return out

    return params, grads


@pytest.mark.parametrize("flat", [False, True], ids=["per-array", "one-pass"])
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_resume_from_npz_is_bit_identical(name, flat, tmp_path):
    make = FACTORIES[name]
    params, grads = problem(flat)

    whole, opt = params(), make()
    for k in range(STEPS):
        opt.update(whole, grads(whole, k))

    part, opt = params(), make()
    for k in range(STOP):
        opt.update(part, grads(part, k))
    sd = opt.state_dict()
    for key, arr in sd.items():
        assert isinstance(arr, np.ndarray) and arr.dtype.kind in "biuf", key
    save_npz(tmp_path / "opt.npz", sd)
    del opt
    fresh = make()
    fresh.load_state_dict(load_npz(tmp_path / "opt.npz"))
    assert fresh.t == STOP
    for k in range(STOP, STEPS):
        fresh.update(part, grads(part, k))

    for key in whole:
        assert np.array_equal(part[key], whole[key]), key
    moved = max(np.max(np.abs(v - params()[k])) for k, v in whole.items())
    assert moved > 1e-3


def test_state_dict_holds_what_each_rule_needs():
    p = {"w": np.ones(3)}
    g = {"w": np.full(3, 0.5)}
    expect = {
        "amsgrad": "state/w/vmax",
        "nadam": "extra/mu_product",
        "swats": "extra/switch_step",
        "noise-adam": "noise/rng/state/state",
        "rmsprop-centered": "state/w/c",
        "sgd-momentum": "state/w/b",
        "adadelta": "state/w/u",
    }
    for name, key in expect.items():
        opt = FACTORIES[name]()
        opt.update(p, g)
        assert key in opt.state_dict(), (name, key)
    # a restored schedule-changed lr comes back too
    opt = FACTORIES["adam"]()
    opt.lr = 0.123
    fresh = FACTORIES["adam"]()
    fresh.load_state_dict(opt.state_dict())
    assert fresh.lr == 0.123
