"""The whole network: backprop against numerical gradients and against PyTorch."""

import numpy as np
import pytest
import torch

from trainlab.errors import ConfigError
from trainlab.nn import MultiLayerNet, relative_error


def make(**kw):
    kw.setdefault("dtype", np.float64)
    return MultiLayerNet(6, [5, 4], 3, rng=np.random.default_rng(3), **kw)


def batch(n=5):
    g = np.random.default_rng(11)
    return g.standard_normal((n, 6)), g.integers(0, 3, n)


def flat(d):
    return np.concatenate([np.ravel(d[k]) for k in sorted(d)])


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("use_batchnorm", [False, True])
@pytest.mark.parametrize("lam", [0.0, 0.3])
def test_gradient_matches_numerical(activation, use_batchnorm, lam):
    net = make(
        activation=activation,
        use_batchnorm=use_batchnorm,
        weight_decay_lambda=lam,
        weight_init_std=0.5,
    )
    x, t = batch()
    analytic = {k: v.copy() for k, v in net.gradient(x, t).items()}
    numeric = net.numerical_gradient(x, t, h=1e-5)
    assert analytic.keys() == numeric.keys() == net.params.keys()
    assert relative_error(flat(analytic), flat(numeric)) < 1e-6
    for k in analytic:  # per key too, with an absolute floor for gradients that are 0 in theory
        assert np.max(np.abs(analytic[k] - numeric[k])) < 1e-6 * max(1.0, np.abs(numeric[k]).max())


def test_gradient_with_dropout_matches_numerical():
    net = make(use_dropout=True, dropout_ratio=0.3, weight_init_std=0.5)
    x, t = batch()
    state = net.rng.bit_generator.state
    numeric = net.numerical_gradient(x, t, h=1e-5)
    net.rng.bit_generator.state = state
    analytic = net.gradient(x, t)
    assert relative_error(flat(analytic), flat(numeric)) < 1e-6


def test_batchnorm_params_and_names():
    net = make(use_batchnorm=True)
    assert list(net.params) == [
        "W1",
        "b1",
        "gamma1",
        "beta1",
        "W2",
        "b2",
        "gamma2",
        "beta2",
        "W3",
        "b3",
    ]
    assert np.all(net.params["gamma1"] == 1) and np.all(net.params["beta2"] == 0)


def test_params_are_views_of_one_buffer():
    net = make(use_batchnorm=True)
    total = 0
    for p in net.params.values():
        assert np.shares_memory(p, net.flat_params)
        total += p.size
    assert total == net.flat_params.size
    net.flat_params[:] = 7.0
    assert all(np.all(p == 7.0) for p in net.params.values())
    x, t = batch()
    grads = net.gradient(x, t)
    assert all(np.shares_memory(g, net.flat_grads) for g in grads.values())


def test_weight_decay_term_covers_weights_only():
    x, t = batch()
    plain = make(use_batchnorm=True)
    decayed = make(use_batchnorm=True, weight_decay_lambda=0.7)
    expected = 0.5 * 0.7 * sum(np.sum(plain.params[k] ** 2) for k in ("W1", "W2", "W3"))
    assert decayed.loss(x, t) - plain.loss(x, t) == pytest.approx(expected, rel=1e-12)
    gp = {k: v.copy() for k, v in plain.gradient(x, t).items()}
    gd = decayed.gradient(x, t)
    for k in gp:
        extra = 0.7 * plain.params[k] if k.startswith("W") else 0.0
        assert np.allclose(gd[k], gp[k] + extra, atol=1e-12)


def test_matches_torch_model():
    net = make(activation="tanh", weight_init_std="xavier")
    x, t = batch(8)
    layers = []
    for i in (1, 2, 3):
        lin = torch.nn.Linear(*net.params[f"W{i}"].shape, dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.tensor(net.params[f"W{i}"].T))
            lin.bias.copy_(torch.tensor(net.params[f"b{i}"]))
        layers += [lin, torch.nn.Tanh()]
    model = torch.nn.Sequential(*layers[:-1])
    tl = torch.nn.functional.cross_entropy(model(torch.tensor(x)), torch.tensor(t))
    tl.backward()
    grads = net.gradient(x, t)
    assert net.last_loss == pytest.approx(tl.item(), abs=1e-12)
    for i, lin in zip((1, 2, 3), model[::2], strict=False):
        assert np.allclose(grads[f"W{i}"], lin.weight.grad.numpy().T, atol=1e-12)
        assert np.allclose(grads[f"b{i}"], lin.bias.grad.numpy(), atol=1e-12)


def test_accuracy_and_evaluate_agree_with_predict():
    net = make()
    x, t = batch(50)
    pred = net.predict(x).argmax(axis=1)
    assert net.accuracy(x, t, batch_size=7) == pytest.approx(np.mean(pred == t))
    loss, acc = net.evaluate(x, t, batch_size=7)
    assert loss == pytest.approx(net.loss(x, t), rel=1e-12) and acc == net.accuracy(x, t)
    assert net.accuracy(x, np.eye(3)[t]) == net.accuracy(x, t)


def test_float32_and_float64_agree():
    x, t = batch(20)
    a = MultiLayerNet(6, [5, 4], 3, dtype=np.float32, rng=np.random.default_rng(3))
    b = MultiLayerNet(6, [5, 4], 3, dtype=np.float64, rng=np.random.default_rng(3))
    assert a.flat_params.dtype == np.float32 and a.predict(x).dtype == np.float32
    assert np.allclose(a.flat_params, b.flat_params, rtol=1e-6, atol=1e-7)
    assert a.loss(x, t) == pytest.approx(b.loss(x, t), rel=1e-5)
    ga, gb = a.gradient(x, t), b.gradient(x, t)
    assert relative_error(flat(ga), flat(gb)) < 1e-5


def test_same_rng_seed_same_net():
    a = MultiLayerNet(6, [5], 3, use_dropout=True, rng=np.random.default_rng(9))
    b = MultiLayerNet(6, [5], 3, use_dropout=True, rng=np.random.default_rng(9))
    x, t = batch()
    assert np.array_equal(a.flat_params, b.flat_params)
    assert np.array_equal(a.gradient(x, t)["W1"], b.gradient(x, t)["W1"])


@pytest.mark.parametrize(
    "kw",
    [
        dict(activation="swish"),
        dict(weight_init_std="bogus"),
        dict(weight_decay_lambda=-1),
        dict(dtype=np.int32),
    ],
)
def test_bad_arguments(kw):
    with pytest.raises(ConfigError):
        MultiLayerNet(6, [5], 3, **kw)
    with pytest.raises(ConfigError):
        MultiLayerNet(6, [0], 3)
