"""Gradient transforms: one mechanism, in the order given, the same bits wherever it runs."""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.optim import GradientNoise, create
from trainlab.optim.transforms import (
    GradientNormError,
    add_decayed_weights,
    add_noise,
    chain,
    clip_by_norm,
    clip_by_value,
    negate,
    stop_above_norm,
)
from trainlab.train import Data, TrainConfig, Trainer


def test_chain_applies_in_the_order_given():
    g, w = [np.array([3.0, -4.0])], [np.array([10.0, 10.0])]
    clipped_then_decayed = chain(clip_by_norm(1.0), add_decayed_weights(0.1))([g[0].copy()], w)
    decayed_then_clipped = chain(add_decayed_weights(0.1), clip_by_norm(1.0))([g[0].copy()], w)
    np.testing.assert_allclose(clipped_then_decayed[0], [1.6, 0.2])
    np.testing.assert_allclose(decayed_then_clipped[0], [0.8, -0.6])
    np.testing.assert_array_equal(chain(negate(), clip_by_value(2.0))(g, w)[0], [-2.0, 2.0])


def test_stop_above_norm_says_the_norm():
    stop = stop_above_norm(1.0)
    assert stop([np.array([0.6, 0.8])]) is not None and stop.norm == pytest.approx(1.0)
    with pytest.raises(GradientNormError, match="gradient norm 5 exceeds max_grad_norm 1"):
        stop([np.array([3.0, 4.0])])
    with pytest.raises(GradientNormError):
        stop([np.array([np.nan, 0.0])])


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), "x"])
def test_bad_bounds_are_refused(bad):
    with pytest.raises(ConfigError):
        clip_by_norm(bad)
    with pytest.raises(ConfigError):
        TrainConfig(clip_value=bad)


def run(digits, make_net, opt, **config):
    (x, t), _, _ = digits
    net = make_net(hidden=[30])
    Trainer(
        net,
        Data(x[:300], t[:300]),
        opt,
        TrainConfig(epochs=2, progress=False, rng=np.random.default_rng(2), **config),
    ).train()
    return net.flat_params


def test_the_rules_weight_decay_is_the_trainers_transform_bit_for_bit(digits, make_net):
    by_rule = run(digits, make_net, create("momentum", lr=0.05, weight_decay=0.01))
    by_trainer = run(
        digits, make_net, create("momentum", lr=0.05), transforms=[add_decayed_weights(0.01)]
    )
    assert by_rule.tobytes() == by_trainer.tobytes()


def test_noise_as_a_transform_is_gradient_noise_bit_for_bit(digits, make_net):
    wrapped = run(digits, make_net, GradientNoise(create("sgd", lr=0.1), eta=0.3, rng=8))
    chained = run(digits, make_net, create("sgd", lr=0.1), transforms=[add_noise(0.3, rng=8)])
    assert wrapped.tobytes() == chained.tobytes()
