"""The regression output layer: mean squared error, its gradient, R², and a
MultiLayerNet that trains on it."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import mean_squared_error as sk_mse
from sklearn.metrics import r2_score as sk_r2

from trainlab.nn import MeanSquaredError, MultiLayerNet, mean_squared_error, r2_score
from trainlab.nn.gradcheck import numerical_gradient, relative_error


@pytest.mark.parametrize("shape", [(7,), (6, 3)])
def test_mse_and_r2_match_scikit_learn(shape):
    rng = np.random.default_rng(0)
    y, t = rng.standard_normal(shape), rng.standard_normal(shape)
    assert mean_squared_error(y, t) == pytest.approx(sk_mse(t, y), rel=1e-12)
    assert r2_score(y, t) == pytest.approx(sk_r2(t, y), rel=1e-12)
    layer = MeanSquaredError()
    x = y.reshape(len(y), -1)
    assert layer.forward(x, t) == pytest.approx(sk_mse(t, y), rel=1e-12)


def test_mse_backward_is_the_numerical_gradient():
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    layer = MeanSquaredError()
    layer.forward(x, t)
    analytic = layer.backward(1.0)
    numeric = numerical_gradient(lambda: MeanSquaredError().forward(x, t), x, h=1e-6)
    assert relative_error(analytic, numeric) < 1e-8
    assert np.allclose(analytic, 2 * (x - t) / x.size)  # the closed form


def test_regression_net_gradient_check_with_weight_decay():
    rng = np.random.default_rng(2)
    net = MultiLayerNet(
        4,
        [6, 5],
        1,
        activation="tanh",
        weight_decay_lambda=0.1,
        dtype=np.float64,
        rng=rng,
        loss="mse",
    )
    x, t = rng.standard_normal((8, 4)), rng.standard_normal(8)
    analytic = net.gradient(x, t)
    numeric = net.numerical_gradient(x, t, h=1e-6)
    for k in net.params:
        assert relative_error(analytic[k], numeric[k]) < 1e-6, k


def test_regression_net_evaluates_mse_and_r2_and_learns_a_line():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((200, 3))
    t = x @ np.array([1.0, -2.0, 0.5]) + 0.3
    net = MultiLayerNet(3, [16], 1, loss="mse", dtype=np.float64, rng=rng)
    y = net.predict(x)
    loss, r2 = net.evaluate(x, t, batch_size=64)  # batches join up
    assert loss == pytest.approx(sk_mse(t, y[:, 0]), rel=1e-10)
    assert r2 == pytest.approx(sk_r2(t, y[:, 0]), rel=1e-10) and net.accuracy(x, t) == r2
    from trainlab.optim import create

    opt = create("adam", lr=0.01)
    for _ in range(500):
        opt.update(net.params, net.gradient(x, t))
    assert net.evaluate(x, t)[1] > 0.99


def test_unknown_loss_is_refused():
    from trainlab.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown loss 'hinge'"):
        MultiLayerNet(2, [3], 1, loss="hinge")
