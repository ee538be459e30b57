"""Gradient transformations in training: the same bits wherever they join the chain
(the transformations themselves: tests/optim/test_optim_transforms.py)."""

from __future__ import annotations

import numpy as np

from trainlab.optim import GradientNoise, create
from trainlab.optim.transforms import add_decayed_weights, add_noise
from trainlab.train import Data, TrainConfig, Trainer


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
