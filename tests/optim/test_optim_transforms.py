"""Gradient transformations: each against its formula written here, chains in the order
given, their state through ``state_dict``, and a rule as a chain ending in its step."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.io import load_npz, save_npz
from trainlab.optim import SGD, GradientNoise, create
from trainlab.optim.transforms import (
    GradientNormError,
    Step,
    add_decayed_weights,
    add_noise,
    chain,
    clip_by_norm,
    clip_by_value,
    decay_weights,
    negate,
    stop_above_norm,
)
from trainlab.train import TrainConfig


def run(transformation, grads, params=None, step=None):
    """One update from a fresh state; returns the gradient and the step."""
    params = grads if params is None else params
    step = Step() if step is None else step
    out = transformation.update(grads, transformation.init(params), params, step)
    return out, step


def problem(seed=0):
    rng = np.random.default_rng(seed)
    g = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    w = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    return g, w


# -- each transformation against its formula --------------------------------------------------
def test_the_rules_options_follow_their_formulas():
    g, w = problem()
    (a, b), _ = run(add_decayed_weights(0.1), [x.copy() for x in g], w)
    np.testing.assert_array_equal(a, g[0] + 0.1 * w[0])
    np.testing.assert_array_equal(b, g[1] + 0.1 * w[1])
    (a, _), _ = run(negate(), g, w)
    np.testing.assert_array_equal(a, -g[0])
    shrunk = [x.copy() for x in w]
    out, _ = run(decay_weights(0.1), g, shrunk, Step(lr=0.5))
    assert out is g  # the gradient is left alone; the weights shrink
    np.testing.assert_array_equal(shrunk[0], w[0] * (1 - 0.5 * 0.1))


def test_clipping_follows_its_formulas_in_place():
    g, w = problem(1)
    norm = np.sqrt(sum(np.sum(x * x) for x in g))
    clipped = [x.copy() for x in g]
    out, step = run(clip_by_norm(1.0), clipped, w)
    assert out[0] is clipped[0] and step.norm == pytest.approx(norm)
    np.testing.assert_allclose(clipped[1], g[1] * (1.0 / norm), rtol=1e-15)
    valued = [x.copy() for x in g]
    run(clip_by_value(0.5), valued, w)
    np.testing.assert_array_equal(valued[0], np.minimum(np.maximum(g[0], -0.5), 0.5))


def test_noise_follows_its_formula_and_leaves_the_gradient_alone():
    g, w = problem(2)
    before = [x.copy() for x in g]
    noise = add_noise(eta=0.3, gamma=0.55, rng=5)
    state = noise.init(w)
    out = noise.update(g, state, w, Step(t=3))
    draws = np.random.default_rng(5).standard_normal(17) * np.sqrt(0.3 / (1 + 3) ** 0.55)
    np.testing.assert_array_equal(out[0], before[0] + draws[:12].reshape(3, 4))
    np.testing.assert_array_equal(out[1], before[1] + draws[12:])
    assert all(np.array_equal(a, b) for a, b in zip(g, before, strict=True))


def test_chain_applies_in_the_order_given():
    g, w = [np.array([3.0, -4.0])], [np.array([10.0, 10.0])]
    clipped_then_decayed, _ = run(
        chain(clip_by_norm(1.0), add_decayed_weights(0.1)), [g[0].copy()], w
    )
    decayed_then_clipped, _ = run(
        chain(add_decayed_weights(0.1), clip_by_norm(1.0)), [g[0].copy()], w
    )
    np.testing.assert_allclose(clipped_then_decayed[0], [1.6, 0.2])
    np.testing.assert_allclose(decayed_then_clipped[0], [0.8, -0.6])
    np.testing.assert_array_equal(run(chain(negate(), clip_by_value(2.0)), g, w)[0][0], [-2.0, 2.0])


def test_stop_above_norm_says_the_norm():
    stop = stop_above_norm(1.0)
    out, step = run(stop, [np.array([0.6, 0.8])])
    assert out is not None and step.norm == pytest.approx(1.0)
    with pytest.raises(GradientNormError, match="gradient norm 5 exceeds max_grad_norm 1"):
        run(stop, [np.array([3.0, 4.0])])
    with pytest.raises(GradientNormError):
        run(stop, [np.array([np.nan, 0.0])])


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), "x"])
def test_bad_bounds_are_refused(bad):
    with pytest.raises(ConfigError):
        clip_by_norm(bad)
    with pytest.raises(ConfigError):
        TrainConfig(clip_value=bad)


def test_a_chain_holds_transformations_only():
    with pytest.raises(ConfigError, match="gradient transformations"):
        chain(lambda grads, params: grads)


# -- a rule is a chain ending in its step ------------------------------------------------------
def sgd_steps(opt, w0, grads):
    params = {"w": w0.copy()}
    for g in grads:
        opt.update(params, {"w": g.copy()})
    return params["w"]


def test_a_rule_runs_the_given_chain_then_its_options_then_its_step():
    rng = np.random.default_rng(3)
    w0, grads = rng.standard_normal(6), [3 * rng.standard_normal(6) for _ in range(4)]
    lr, wd, c = 0.1, 0.01, 1.0
    mine = sgd_steps(
        SGD(lr=lr, weight_decay=wd, decoupled_weight_decay=True, maximize=True).with_transforms(
            clip_by_norm(c)
        ),
        w0,
        grads,
    )
    w = w0.copy()
    for g in grads:
        g = g * min(1.0, c / np.linalg.norm(g))  # given: clip
        w = w * (1 - lr * wd)  # options: decoupled decay (and maximize)
        w = w + lr * g  # the step, climbing
    np.testing.assert_allclose(mine, w, rtol=0, atol=1e-15)


def test_adamw_is_decoupled_decay_then_adam():
    rng = np.random.default_rng(4)
    w0, grads = rng.standard_normal(6), [rng.standard_normal(6) for _ in range(5)]
    adamw = sgd_steps(create("adamw", lr=0.01, weight_decay=0.1), w0, grads)
    adam = create(
        "adam",
        lr=0.01,
        eps=1e-8,
        eps_placement="torch",
        weight_decay=0.1,
        decoupled_weight_decay=True,
    )
    assert np.array_equal(adamw, sgd_steps(adam, w0, grads))


def test_the_given_chain_is_checkpointed_and_the_noise_draws_the_same_after_resume(tmp_path):
    rng = np.random.default_rng(5)
    w0, grads = rng.standard_normal(6), [rng.standard_normal(6) for _ in range(8)]

    def make():
        return create("adam", lr=0.01).with_transforms(clip_by_norm(0.5), add_noise(0.3, rng=7))

    whole = sgd_steps(make(), w0, grads)
    first = make()
    params = {"w": w0.copy()}
    for g in grads[:3]:
        first.update(params, {"w": g.copy()})
    save_npz(tmp_path / "opt.npz", first.state_dict())
    assert "noise/rng/state/state" in first.state_dict()
    resumed = make()
    resumed.load_state_dict(load_npz(tmp_path / "opt.npz"))  # before its first step
    for g in grads[3:]:
        resumed.update(params, {"w": g.copy()})
    assert np.array_equal(params["w"], whole)


def test_gradient_noise_is_the_rule_with_noise_in_its_chain():
    rule = create("momentum", lr=0.1)
    noisy = GradientNoise(rule, eta=0.01, rng=1)
    assert noisy is rule and isinstance(rule.transforms[-1], add_noise)
    assert repr(noisy).startswith("GradientNoise(rule='Momentum', lr=0.1")
    assert repr(noisy).endswith("eta=0.01, gamma=0.55)")


def test_the_norm_the_chain_measured_is_the_first_measurement():
    opt = SGD(lr=0.1).with_transforms(stop_above_norm(100.0), clip_by_norm(1.0))
    opt.update({"w": np.zeros(2)}, {"w": np.array([3.0, 4.0])})
    assert opt.measures_norm and opt.measured_norm == pytest.approx(5.0)
    assert not SGD(lr=0.1).measures_norm
