"""The notes' extra techniques: sampling, early stopping, curriculum, clipping, gradient noise."""

import math

import numpy as np
import pytest
import torch

from trainlab.errors import DivergenceError
from trainlab.nn import MultiLayerNet
from trainlab.optim import GradientNoise, create
from trainlab.optim.transforms import Step, clip_by_norm, clip_by_value
from trainlab.train import Data, TrainConfig, Trainer
from trainlab.train.curriculum import Curriculum, difficulty_scores
from trainlab.train.doctor import diagnose


class IdSpy:
    """Records which samples each step trains on (column 0 of x holds the sample id)."""

    def __init__(self, n_in=5):
        self.net = MultiLayerNet(n_in, [8], 3, dtype=np.float64, rng=np.random.default_rng(0))
        self.steps = []

    params = property(lambda self: self.net.params)
    last_loss = property(lambda self: self.net.last_loss)

    def gradient(self, x, t):
        self.steps.append(np.rint(x[:, 0]).astype(int))
        return self.net.gradient(x, t)

    def evaluate(self, x, t):
        return self.net.evaluate(x, t)


def id_data(n=50):
    rng = np.random.default_rng(9)
    x = rng.random((n, 5))
    x[:, 0] = np.arange(n)
    return x, rng.integers(0, 3, n)


def epochs_of(spy, per_epoch):
    return [
        np.concatenate(spy.steps[i : i + per_epoch]) for i in range(0, len(spy.steps), per_epoch)
    ]


# -- sampling -----------------------------------------------------------------------------
def test_shuffle_is_a_fresh_permutation_every_epoch():
    x, t = id_data()
    spy = IdSpy()
    Trainer(
        spy, Data(x, t), config=TrainConfig(epochs=3, mini_batch_size=10, progress=False)
    ).train()
    seen = epochs_of(spy, 5)
    for ids in seen:
        assert sorted(ids) == list(range(50))
    assert not np.array_equal(seen[0], seen[1]) and not np.array_equal(seen[0], np.arange(50))


def test_sequential_keeps_data_order():
    x, t = id_data()
    spy = IdSpy()
    Trainer(
        spy,
        Data(x, t),
        config=TrainConfig(epochs=2, mini_batch_size=10, sampling="sequential", progress=False),
    ).train()
    for ids in epochs_of(spy, 5):
        assert np.array_equal(ids, np.arange(50))


def test_replacement_sampling_draws_duplicates():
    x, t = id_data()
    spy = IdSpy()
    Trainer(
        spy,
        Data(x, t),
        config=TrainConfig(epochs=4, mini_batch_size=10, sampling="replacement", progress=False),
    ).train()
    seen = epochs_of(spy, 5)  # n // batch = 5 batches per epoch, as in the book
    assert len(spy.steps) == 20 and all(len(s) == 10 for s in spy.steps)
    # 50 draws from 50 samples: with replacement, repeats (and misses) are all but certain
    assert any(len(np.unique(ids)) < 50 for ids in seen)
    assert all(len(np.unique(ids)) < 50 for ids in seen)


# -- early stopping -----------------------------------------------------------------------
def test_early_stopping_restores_the_best_validation_accuracy(digits, make_net):
    (x, t), (xv, tv), _ = digits
    net = make_net(dtype=np.float64)
    tr = Trainer(
        net,
        Data(x[:300], t[:300], x_val=xv, t_val=tv),
        create("sgd", lr=0.1),
        TrainConfig(epochs=60, early_stop=3, progress=False),
    )
    h = tr.train()
    val = h["val_acc"]
    best = int(np.argmax(val[1:])) + 1  # first epoch with the best accuracy
    assert len(val) - 1 < 60, "stopped before the last epoch"
    assert len(val) - 1 == best + 3 and max(val[-3:]) <= val[best]
    assert tr.best_epoch == best
    # the parameters put back are those of the best epoch: recompute its accuracy
    assert np.mean(net.predict(xv).argmax(axis=1) == tv) == val[best]


# -- curriculum ---------------------------------------------------------------------------
def test_difficulty_scores_rank_mislabelled_samples_hard(digits):
    (x, t), _, _ = digits
    x, t = x[:600], t[:600].copy()
    flipped = np.arange(0, 600, 20)  # 30 samples get a wrong label
    t[flipped] = (t[flipped] + 1 + np.arange(30) % 9) % 10
    scores = difficulty_scores(x, t, np.random.default_rng(0))
    rank = np.argsort(np.argsort(scores))  # 0 = easiest
    assert np.mean(rank[flipped] >= 540) > 0.8  # most are in the hardest 10%


def test_curriculum_pool_starts_easy_and_widens():
    scores = np.random.default_rng(1).random(100)
    c = Curriculum(scores, start=0.3)
    sizes = [c.size(e, 10) for e in range(10)]
    assert sizes[0] == 30 and sizes == sorted(sizes) and sizes[5:] == [100] * 5
    assert set(c.pool(0, 10)) == set(np.argsort(scores)[:30])
    assert np.all(np.diff(scores[c.pool(3, 10)]) >= 0)  # easiest first


def test_trainer_follows_the_curriculum():
    x, t = id_data()
    scores = np.random.default_rng(2).random(50)
    spy = IdSpy()
    tr = Trainer(
        spy,
        Data(x, t),
        config=TrainConfig(
            epochs=4, mini_batch_size=10, curriculum=Curriculum(scores, 0.3), progress=False
        ),
    )
    tr.train()
    easiest = set(np.argsort(scores)[:15])
    first = np.concatenate(spy.steps[:2])  # 15 samples → batches of 10 and 5
    assert sorted(first) == sorted(easiest)
    assert sorted(np.concatenate(spy.steps[-5:])) == list(range(50))  # full set by epoch 3
    assert tr.current_iter == tr.max_iter == 2 + 4 + 5 + 5  # pools of 15, 33, 50, 50
    exact = Trainer(
        IdSpy(),
        Data(x, t),
        config=TrainConfig(
            iterations=23, mini_batch_size=10, curriculum=Curriculum(scores, 0.3), progress=False
        ),
    )
    exact.train()
    assert exact.current_iter == 23  # smaller pools: more epochs to reach the steps asked for


# -- clipping -----------------------------------------------------------------------------
def test_clip_by_norm_matches_torch():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(30), rng.standard_normal((4, 5)) * 3
    ta, tb = (torch.tensor(v, requires_grad=True) for v in (a, b))
    ta.grad, tb.grad = torch.tensor(a), torch.tensor(b)
    before = torch.nn.utils.clip_grad_norm_([ta, tb], max_norm=2.0)
    step = Step()
    clip_by_norm(2.0).update([a, b], {}, [], step)
    norm = step.norm
    assert norm == pytest.approx(float(before), rel=1e-12)
    np.testing.assert_allclose(a, ta.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(b, tb.grad.numpy(), rtol=1e-6)
    assert math.sqrt(np.sum(a**2) + np.sum(b**2)) == pytest.approx(2.0, rel=1e-6)


def test_clip_by_norm_leaves_small_gradients_alone():
    a = np.array([0.3, -0.4])
    step = Step()
    clip_by_norm(1.0).update([a], {}, [], step)
    assert step.norm == pytest.approx(0.5) and a.tolist() == [0.3, -0.4]


def test_clip_by_value_matches_torch():
    a = np.random.default_rng(4).standard_normal(40) * 2
    ta = torch.tensor(a, requires_grad=True)
    ta.grad = torch.tensor(a)
    torch.nn.utils.clip_grad_value_([ta], 0.5)
    clip_by_value(0.5).update([a], {}, [], Step())
    assert np.array_equal(a, ta.grad.numpy())


@pytest.mark.parametrize(
    "kw, bound", [({"clip_norm": 0.05}, "norm"), ({"clip_value": 1e-3}, "value")]
)
def test_clipping_bounds_every_sgd_update(digits, make_net, kw, bound):
    (x, t), _, _ = digits
    net = make_net(hidden=[50, 50], dtype=np.float64)
    lr = 0.5
    steps = []

    class Watch:
        before = net.flat_params.copy()

        def on_step(self, trainer, it, loss):
            steps.append(net.flat_params - self.before)
            self.before = net.flat_params.copy()

    Trainer(
        net,
        Data(x[:500], t[:500]),
        create("sgd", lr=lr),
        TrainConfig(**kw, epochs=1, callbacks=[Watch()], progress=False),
    ).train()
    sizes = [np.linalg.norm(d) if bound == "norm" else np.abs(d).max() for d in steps]
    limit = lr * (kw.get("clip_norm") or kw.get("clip_value"))
    assert max(sizes) <= limit * (1 + 1e-9)
    assert max(sizes) > 0.9 * limit  # the bound is active: unclipped steps are larger


def test_gradient_norm_threshold_stops_training(digits, make_net):
    (x, t), _, _ = digits
    tr = Trainer(
        make_net(hidden=[20, 20]),
        Data(x[:200], t[:200]),
        config=TrainConfig(epochs=2, max_grad_norm=1e-3, progress=False),
    )
    with pytest.raises(DivergenceError, match=r"gradient norm .* exceeds .* at step 1 .*layer"):
        tr.train()
    assert tr.current_iter == 0 and tr.divergence["reason"] == "gradient_norm"
    assert (
        diagnose({"history": tr.history, "divergence": tr.divergence})[0].name
        == "exploding_gradients"
    )


# -- gradient noise -----------------------------------------------------------------------
def test_gradient_noise_is_seeded_and_changes_the_run(digits, make_net):
    (x, t), _, _ = digits

    def run(noise):
        opt = create("sgd", lr=0.1)
        if noise:
            opt = GradientNoise(opt, eta=0.3, rng=np.random.default_rng(8))
        return Trainer(
            make_net(hidden=[30]),
            Data(x[:300], t[:300]),
            opt,
            TrainConfig(epochs=2, progress=False),
        ).train()["train_loss"]

    plain, noisy, again = run(False), run(True), run(True)
    assert noisy == again and noisy != plain
    assert plain[0] == noisy[0]  # the first loss is computed before any update
