"""The one builder with what a caller brings: data in memory, its own random
streams, trainer settings beyond the spec; the same numbers as a hand-made trainer."""

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.nn import MultiLayerNet
from trainlab.optim import GradientNoise, create
from trainlab.train import Data, TrainConfig, Trainer
from trainlab.train.build import TRAIN, Extras, Given, Streams, build
from trainlab.train.doctor import BLOWUP
from trainlab.train.spec import (
    NetworkSpec,
    OptimizerSpec,
    OutputSpec,
    RunSpec,
    TrainingSpec,
    TransformSpec,
)


def arrays(n=120, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 6)).astype(np.float32)
    return x, (x[:, 0] + x[:, 1] > 0).astype(int)


def run_spec(**training):
    noise = (TransformSpec("gradient_noise", 0.1),)
    return RunSpec(
        network=NetworkSpec(hidden=(8, 8), weight_decay=0.01, dropout=0.1),
        optimizer=OptimizerSpec("momentum", lr=0.05, transforms=noise),
        training=TrainingSpec(3, batch_size=16, **training),
        output=OutputSpec(quiet=True),
    )


def test_given_data_and_streams_train_as_a_hand_made_trainer():
    x, t = arrays()
    record = []

    class Count:
        def on_epoch_end(self, trainer, epoch, record_):
            record.append(epoch)

    built = build(
        run_spec(),
        given=Given(Data(x[:100], t[:100], x_val=x[100:], t_val=t[100:]), n_outputs=2),
        streams=Streams(
            weights=np.random.default_rng(1),
            batches=np.random.default_rng(2),
            noise=np.random.default_rng(3),
        ),
        extras=Extras(callbacks=[Count()], evaluate_samples=50),
    )
    net = MultiLayerNet(
        6,
        [8, 8],
        2,
        weight_decay_lambda=0.01,
        use_dropout=True,
        dropout_ratio=0.1,
        rng=np.random.default_rng(1),
    )
    rule = GradientNoise(create("momentum", lr=0.05), eta=0.1, rng=np.random.default_rng(3))
    by_hand = Trainer(
        net,
        Data(x[:100], t[:100], x_val=x[100:], t_val=t[100:]),
        rule,
        TrainConfig(
            epochs=3,
            mini_batch_size=16,
            evaluate_sample_num_per_epoch=50,
            rng=np.random.default_rng(2),
            progress=False,
        ),
    )
    ours, theirs = built.trainer.train(), by_hand.train()
    assert ours["train_loss"] == theirs["train_loss"]
    assert ours["val_acc"] == theirs["val_acc"]
    assert record == [1, 2, 3]
    assert "activations" not in ours  # Extras() records no activation statistics
    assert built.trainer.config.blowup is None


def test_streams_not_given_are_drawn_from_the_seed_as_before():
    drawn = Streams(batches=np.random.default_rng(7)).drawn(5)
    seeds = np.random.SeedSequence(5).spawn(5)
    for name, seed in zip(("split", "weights", "noise", "curriculum"), [0, 1, 3, 4], strict=True):
        expected = np.random.default_rng(seeds[seed]).random(3)
        assert np.array_equal(drawn[name].random(3), expected)
    assert np.array_equal(drawn["batches"].random(3), np.random.default_rng(7).random(3))


def test_a_given_network_is_trained_and_build_defaults_to_trainlab_train():
    x, t = arrays()
    net = MultiLayerNet(6, [4], 2, rng=np.random.default_rng(0))
    built = build(run_spec(), given=Given(Data(x, t), 2, network=net))
    assert built.trainer.network is net
    assert TRAIN.monitor and TRAIN.blowup == BLOWUP
    assert built.trainer.config.monitor and built.trainer.config.blowup == BLOWUP


def test_given_regression_data_refuses_a_curriculum():
    x, _ = arrays()
    with pytest.raises(ConfigError, match="curriculum"):
        build(
            run_spec(curriculum=True),
            given=Given(Data(x, x[:, :1]), 1, task="regression"),
            extras=Extras(),
        )
