"""The Trainer's settings, per-epoch evaluation, progress bar, determinism and learning."""

import math

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.optim import create
from trainlab.train import Data, TrainConfig, Trainer


class Spy:
    """A network that records the batches it is trained on, delegating to a real one."""

    def __init__(self, net):
        self.net, self.batches = net, []

    params = property(lambda self: self.net.params)
    last_loss = property(lambda self: self.net.last_loss)

    def gradient(self, x, t):
        self.batches.append(len(x))
        return self.net.gradient(x, t)

    def evaluate(self, x, t):
        return self.net.evaluate(x, t)


def ce_and_acc(net, x, t):
    """Mean cross-entropy and accuracy, written out here from the logits."""
    z = net.predict(x).astype(np.float64)
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(t)), t].mean(), np.mean(z.argmax(axis=1) == t)


def test_epochs_and_batch_size_set_the_steps(digits, make_net):
    (x, t), _, _ = digits
    spy = Spy(make_net(hidden=[20]))
    h = Trainer(
        spy,
        Data(x[:250], t[:250]),
        config=TrainConfig(epochs=3, mini_batch_size=60, progress=False),
    ).train()
    assert h["epoch"] == [0, 1, 2, 3]
    per_epoch = [60, 60, 60, 60, 10]  # 250 = 4 * 60 + 10, no sample dropped
    assert spy.batches == per_epoch * 3
    assert len(h["train_loss"]) == 15 and len(h["train_acc"]) == 4


def test_iterations_override_epochs(digits, make_net):
    (x, t), _, _ = digits
    tr = Trainer(
        make_net(hidden=[20]),
        Data(x[:200], t[:200]),
        config=TrainConfig(epochs=1, iterations=7, mini_batch_size=50, progress=False),
    )
    h = tr.train()
    assert tr.current_iter == len(h["train_loss"]) == 7
    assert h["epoch"] == [0, 1, 2]  # 4 steps per epoch: 4 + 3


def test_optimizer_by_name_or_object_is_the_same(digits, make_net):
    (x, t), _, _ = digits
    opt = create("momentum", lr=0.05, momentum=0.8)
    a = Trainer(
        make_net(hidden=[30]),
        Data(x[:300], t[:300]),
        opt,
        TrainConfig(epochs=2, rng=np.random.default_rng(4), progress=False),
    )
    b = Trainer(
        make_net(hidden=[30]),
        Data(x[:300], t[:300]),
        create("momentum", lr=0.05, momentum=0.8),
        TrainConfig(epochs=2, rng=np.random.default_rng(4), progress=False),
    )
    assert a.optimizer is opt and type(b.optimizer) is type(opt)
    assert _same_but_time(a.train(), b.train())


def _same_but_time(h1, h2):
    return {k: v for k, v in h1.items() if k != "time"} == {
        k: v for k, v in h2.items() if k != "time"
    }


def test_evaluates_train_val_test_every_epoch(digits, make_net):
    (x, t), (xv, tv), (xt, tt) = digits
    net = make_net(hidden=[50], dtype=np.float64)
    tr = Trainer(
        net,
        Data(x, t, xt, tt, x_val=xv, t_val=tv),
        create("sgd", lr=0.1),
        TrainConfig(epochs=2, progress=False),
    )
    h = tr.train()
    for key in ("train_loss_epoch", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc"):
        assert len(h[key]) == 3, key
    # the last record describes the final network
    for name, (xs, ts) in {"train": (x, t), "val": (xv, tv), "test": (xt, tt)}.items():
        loss, acc = ce_and_acc(net, xs, ts)
        key = "train_loss_epoch" if name == "train" else f"{name}_loss"
        assert h[key][-1] == pytest.approx(loss, rel=1e-10)
        assert h[f"{name}_acc"][-1] == acc
    assert tr.test_acc_list is h["val_acc"]  # the book's name follows the held-out set


def test_evaluation_on_a_subset(digits, make_net):
    (x, t), _, (xt, tt) = digits
    net = make_net(hidden=[20], dtype=np.float64)
    h = Trainer(
        net,
        Data(x, t, xt, tt),
        config=TrainConfig(epochs=1, evaluate_sample_num_per_epoch=100, progress=False),
    ).train()
    assert h["test_acc"][-1] == ce_and_acc(net, xt[:100], tt[:100])[1]
    assert h["train_acc"][-1] == ce_and_acc(net, x[:100], t[:100])[1]


def test_same_seed_same_history_bit_for_bit(digits, make_net):
    (x, t), (xv, tv), _ = digits

    def run(seed):
        net = make_net(
            hidden=[40, 40], seed=seed, use_dropout=True, dropout_ratio=0.2, use_batchnorm=True
        )
        tr = Trainer(
            net,
            Data(x[:400], t[:400], x_val=xv, t_val=tv),
            "adam",
            TrainConfig(epochs=3, rng=np.random.default_rng(seed), progress=False, monitor=True),
        )
        return tr.train(), net.flat_params.copy()

    (h1, p1), (h2, p2), (h3, _) = run(0), run(0), run(1)
    assert _same_but_time(h1, h2)
    assert p1.tobytes() == p2.tobytes()
    assert h1["train_loss"] != h3["train_loss"]


def test_loss_decreases_on_digits(digits, make_net):
    (x, t), (xv, tv), (xt, tt) = digits
    h = Trainer(
        make_net(),
        Data(x, t, xt, tt, x_val=xv, t_val=tv),
        create("sgd", lr=0.1),
        TrainConfig(epochs=8, progress=False),
    ).train()
    assert h["train_loss_epoch"][-1] < 0.2 * h["train_loss_epoch"][0]
    first, last = np.mean(h["train_loss"][:10]), np.mean(h["train_loss"][-10:])
    assert last < 0.2 * first
    assert h["test_acc"][-1] > 0.9 and h["val_acc"][-1] > 0.9


def test_progress_bar_on_request_and_quiet_otherwise(digits, make_net, capsys):
    (x, t), _, _ = digits
    Trainer(
        make_net(hidden=[10]), Data(x[:200], t[:200]), config=TrainConfig(epochs=1, progress=True)
    ).train()
    err = capsys.readouterr().err
    assert "SGD" in err and "it" in err
    Trainer(
        make_net(hidden=[10]), Data(x[:200], t[:200]), config=TrainConfig(epochs=1, progress=None)
    ).train()
    captured = capsys.readouterr()  # pytest's capture is not a terminal
    assert captured.err == "" and captured.out == ""


@pytest.mark.parametrize(
    "kw, word",
    [
        ({"epochs": 0}, "epochs"),
        ({"mini_batch_size": 0}, "mini_batch_size"),
        ({"sampling": "random"}, "sampling"),
        ({"clip_norm": -1.0}, "clip_norm"),
        ({"clip_value": math.nan}, "clip_value"),
        ({"early_stop": 3}, "validation"),
        ({"checkpoint_every": 2}, "checkpoint_dir"),
        ({"max_grad_norm": 0}, "max_grad_norm"),
    ],
)
def test_bad_settings_name_the_problem(digits, make_net, kw, word):
    (x, t), _, _ = digits
    with pytest.raises(ConfigError, match=word):
        Trainer(make_net(hidden=[5]), Data(x[:50], t[:50]), config=TrainConfig(**kw))
