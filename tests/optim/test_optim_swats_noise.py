"""SWATS and gradient noise against their papers' algorithms, written out here."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.io import load_npz, save_npz
from trainlab.optim import SGD, SWATS, GradientNoise, create

SHAPES = {"a": (4, 3), "b": (3,), "c": ()}


def quadratic(seed: int, steps: int, noise: float):
    """Curvatures, start point and noise for g = curv * w + noise_k (flattened, key order)."""
    rng = np.random.default_rng(seed)
    n = sum(int(np.prod(s)) for s in SHAPES.values())
    return (
        rng.uniform(0.5, 2.0, n),
        rng.standard_normal(n),
        noise * rng.standard_normal((steps, n)),
    )


def split(vec):
    out, off = {}, 0
    for k, s in SHAPES.items():
        n = int(np.prod(s))
        out[k] = vec[off : off + n].reshape(s).copy()
        off += n
    return out


def join(d):
    return np.concatenate([np.ravel(d[k]) for k in SHAPES])


def swats_reference(w, curv, noise, lr, beta1, beta2, eps, tol):
    """Keskar & Socher (2017), Algorithm 1, on one flat vector."""
    b1, b2 = beta1, beta2
    m, a, lam, phase, v, rate, switch = 0 * w, 0 * w, 0.0, "adam", None, None, None
    for k in range(1, len(noise) + 1):
        g = curv * w + noise[k - 1]
        if phase == "sgd":
            v = b1 * v + g
            w = w - (1 - b1) * rate * v
            continue
        m = b1 * m + (1 - b1) * g
        a = b2 * a + (1 - b2) * g * g
        p = -lr * np.sqrt(1 - b2**k) / (1 - b1**k) * m / (np.sqrt(a) + eps)
        w = w + p
        if p @ g != 0:
            gamma = (p @ p) / (-(p @ g))
            lam = b2 * lam + (1 - b2) * gamma
            if k > 1 and abs(lam / (1 - b2**k) - gamma) < tol:
                phase, v, rate, switch = "sgd", 0 * w, lam / (1 - b2**k), k
    return w, switch, rate


def run(opt, curv, w0, noise, stop=None, tmp_path=None, make=None):
    params = split(w0)
    for k, nz in enumerate(noise):
        if stop is not None and k == stop:  # save, and continue with a fresh optimizer
            save_npz(tmp_path / "opt.npz", opt.state_dict())
            opt = make()
            opt.load_state_dict(load_npz(tmp_path / "opt.npz"))
        g = split(curv * join(params) + nz)
        opt.update(params, g)
    return join(params), opt


@pytest.mark.parametrize("seed,tol,noise_scale", [(4, 1e-5, 0.3), (3, 1e-6, 0.0), (1, 1e-3, 0.0)])
def test_swats_follows_the_paper(seed, tol, noise_scale):
    curv, w0, noise = quadratic(seed, 120, noise_scale)
    kw = dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-9, tol=tol)
    ref, switch, rate = swats_reference(w0, curv, noise, **kw)
    assert switch is not None, "pick a problem on which the switch happens"
    mine, opt = run(SWATS(**kw), curv, w0, noise)
    assert opt.switch_step == switch
    assert abs(opt.switch_lr - rate) <= 1e-12 * rate
    assert np.max(np.abs(mine - ref)) <= 1e-12
    # the switch made a difference: Adam alone goes elsewhere
    adam_only, _ = run(create("adam", lr=0.01, eps=1e-9), curv, w0, noise)
    assert np.max(np.abs(adam_only - ref)) > 1e-6


def test_swats_switches_late_on_a_noisy_problem_and_resumes_across_it(tmp_path):
    curv, w0, noise = quadratic(4, 120, 0.3)

    def make():
        return SWATS(lr=0.01, tol=1e-5)

    whole, opt = run(make(), curv, w0, noise)
    assert opt.switch_step is not None and opt.switch_step > 10
    resumed, opt2 = run(
        make(), curv, w0, noise, stop=opt.switch_step - 3, tmp_path=tmp_path, make=make
    )
    assert np.array_equal(resumed, whole)
    assert (opt2.switch_step, opt2.switch_lr) == (opt.switch_step, opt.switch_lr)
    sd = opt.state_dict()
    assert int(sd["extra/switch_step"]) == opt.switch_step
    assert float(sd["extra/switch_lr"]) == opt.switch_lr


def test_swats_is_not_elementwise():
    assert SWATS.elementwise is False


def test_gradient_noise_follows_the_paper():
    """g~ = g + N(0, eta / (1 + t)^gamma), then the wrapped rule (here SGD)."""
    eta, gamma, lr, seed = 0.3, 0.55, 0.05, 11
    curv, w0, _ = quadratic(2, 1, 0.0)
    ref_rng = np.random.default_rng(seed)
    w = w0.copy()
    for t in range(25):
        g = curv * w
        w = w - lr * (g + np.sqrt(eta / (1 + t) ** gamma) * ref_rng.standard_normal(w.size))
    opt = GradientNoise(SGD(lr=lr), eta=eta, gamma=gamma, rng=np.random.default_rng(seed))
    params = split(w0)
    for _ in range(25):
        grads = split(curv * join(params))
        before = {k: v.copy() for k, v in grads.items()}
        opt.update(params, grads)
        for k in grads:  # the caller's gradients are left as they were
            assert np.array_equal(grads[k], before[k])
    assert np.max(np.abs(join(params) - w)) <= 1e-12
    assert opt.t == 25


def test_gradient_noise_shares_lr_and_state_with_the_wrapped_rule():
    inner = create("momentum", lr=0.1)
    opt = GradientNoise(inner, rng=3)
    opt.lr = 0.02
    assert inner.lr == 0.02
    p = {"w": np.zeros(3)}
    opt.update(p, {"w": np.ones(3)})
    assert opt.state is inner.state and opt.t == inner.t == 1
    with pytest.raises(ConfigError, match="eta"):
        GradientNoise(create("sgd"), eta=-1.0)
    with pytest.raises(ConfigError, match="wraps"):
        GradientNoise("sgd")
