"""Each layer on its own: backward against central differences, in float64."""

import numpy as np
import pytest
import torch

from trainlab.nn import (
    Affine,
    BatchNormalization,
    Dropout,
    Relu,
    Sigmoid,
    SoftmaxWithLoss,
    Tanh,
    numerical_gradient,
    relative_error,
)

TOL = 1e-6


def rng():
    return np.random.default_rng(123)


def check_input_grad(layer, x, forward=None):
    """f(x) = sum(forward(x) * R); backward(R) must equal df/dx."""
    forward = forward or layer.forward
    R = rng().standard_normal(forward(x.copy()).shape)
    analytic = layer.backward(R.copy())
    numeric = numerical_gradient(lambda: float(np.sum(forward(x.copy()) * R)), x)
    assert relative_error(analytic, numeric) < TOL
    return R


@pytest.mark.parametrize("cls", [Relu, Sigmoid, Tanh])
def test_activation_gradients(cls):
    x = rng().standard_normal((4, 7))
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU away from its kink
    layer = cls()
    layer.forward(x.copy())
    check_input_grad(layer, x)


def test_relu_inplace_matches_copy():
    x = rng().standard_normal((3, 5))
    a, b = Relu(), Relu(inplace=True)
    out_a = a.forward(x.copy())
    xb = x.copy()
    out_b = b.forward(xb)
    assert np.array_equal(out_a, np.maximum(x, 0)) and np.array_equal(out_b, out_a)
    assert out_b is xb


def test_sigmoid_is_stable_and_exact():
    x = np.array([[-800.0, -30.0, 0.0, 30.0, 800.0]])
    out = Sigmoid().forward(x)
    assert np.all(np.isfinite(out))
    assert np.allclose(out, torch.sigmoid(torch.tensor(x)).numpy(), rtol=1e-12, atol=1e-300)


def test_affine_gradients():
    g = rng()
    W, b = g.standard_normal((6, 3)), g.standard_normal(3)
    x = g.standard_normal((5, 6))
    layer = Affine(W, b)
    layer.forward(x)
    R = check_input_grad(layer, x)
    layer.forward(x)
    layer.backward(R)

    def f():
        return float(np.sum(Affine(W, b).forward(x) * R))

    assert relative_error(layer.dW, numerical_gradient(f, W)) < TOL
    assert relative_error(layer.db, numerical_gradient(f, b)) < TOL


def test_affine_matches_torch_linear():
    g = rng()
    W, b, x = g.standard_normal((6, 3)), g.standard_normal(3), g.standard_normal((5, 6))
    layer = Affine(W, b)
    out = layer.forward(x)
    R = g.standard_normal(out.shape)
    dx = layer.backward(R)
    tx = torch.tensor(x, requires_grad=True)
    tW = torch.tensor(W, requires_grad=True)
    tb = torch.tensor(b, requires_grad=True)
    tout = tx @ tW + tb
    tout.backward(torch.tensor(R))
    assert np.allclose(out, tout.detach().numpy(), atol=1e-12)
    assert np.allclose(dx, tx.grad.numpy(), atol=1e-12)
    assert np.allclose(layer.dW, tW.grad.numpy(), atol=1e-12)
    assert np.allclose(layer.db, tb.grad.numpy(), atol=1e-12)


def test_batchnorm_gradients_train_mode():
    g = rng()
    gamma, beta = g.standard_normal(4) + 1.5, g.standard_normal(4)
    x = g.standard_normal((6, 4)) * 3 + 1

    def fresh():
        return BatchNormalization(gamma, beta)

    layer = fresh()

    def fwd(z):
        return fresh().forward(z, True)

    layer.forward(x.copy(), True)
    R = check_input_grad(layer, x, forward=fwd)
    layer.forward(x.copy(), True)
    layer.backward(R)

    def f():
        return float(np.sum(fresh().forward(x.copy(), True) * R))

    assert relative_error(layer.dgamma, numerical_gradient(f, gamma)) < TOL
    assert relative_error(layer.dbeta, numerical_gradient(f, beta)) < TOL


def test_batchnorm_matches_torch_in_both_modes():
    g = rng()
    x = g.standard_normal((8, 5)) * 2 + 0.5
    bn = BatchNormalization(np.ones(5), np.zeros(5), momentum=0.9, eps=1e-5)
    tbn = torch.nn.BatchNorm1d(5, eps=1e-5, momentum=0.1, dtype=torch.float64)
    for _ in range(3):
        out = bn.forward(x, train_flg=True)
        tout = tbn.train()(torch.tensor(x))
        assert np.allclose(out, tout.detach().numpy(), atol=1e-10)
        x = x * 1.1 + 0.3
    # the running mean matches exactly; torch keeps the unbiased batch variance,
    # the book the biased one, so compare the variance against the formula instead
    assert np.allclose(bn.running_mean, tbn.running_mean.numpy(), atol=1e-12)
    out = bn.forward(x, train_flg=False)
    expected = (x - bn.running_mean) / np.sqrt(bn.running_var + 1e-5)
    assert np.allclose(out, expected, atol=1e-12)


def test_batchnorm_running_statistics_formula():
    g = rng()
    bn = BatchNormalization(np.ones(3), np.zeros(3), momentum=0.9)
    mean, var = np.zeros(3), np.ones(3)
    for _ in range(4):
        x = g.standard_normal((10, 3)) * 2 + 1
        bn.forward(x, True)
        mean = 0.9 * mean + 0.1 * x.mean(0)
        var = 0.9 * var + 0.1 * x.var(0)
    assert np.allclose(bn.running_mean, mean) and np.allclose(bn.running_var, var)


@pytest.mark.parametrize("mode", ["notes", "inverted"])
def test_dropout_gradient_and_expectation(mode):
    x = rng().standard_normal((200, 50)) + 2
    layer = Dropout(0.3, mode, rng=np.random.default_rng(5))
    out = layer.forward(x, True)
    mask = layer.mask
    assert 0.6 < mask.mean() < 0.8  # about 70% kept
    scale = 1 / 0.7 if mode == "inverted" else 1.0
    assert np.allclose(out, x * mask * scale)
    R = rng().standard_normal(x.shape)
    assert np.allclose(layer.backward(R), R * mask * scale)
    test_out = layer.forward(x, False)
    assert np.allclose(test_out, x * (0.7 if mode == "notes" else 1.0))
    # the expected train-time signal equals the test-time signal in both forms
    assert abs(out.mean() - test_out.mean()) / test_out.mean() < 0.05


def test_softmax_with_loss_gradient_and_torch():
    g = rng()
    x = g.standard_normal((5, 4)) * 3
    t = np.array([0, 3, 1, 1, 2])
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    dx = layer.backward()
    numeric = numerical_gradient(lambda: SoftmaxWithLoss().forward(x, t), x)
    assert relative_error(dx, numeric) < TOL
    tl = torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(t))
    assert abs(loss - tl.item()) < 1e-12
    onehot = np.eye(4)[t]
    assert abs(SoftmaxWithLoss().forward(x, onehot) - loss) < 1e-15


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_loss_finite_for_huge_logits(dtype):
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4]], dtype=dtype)
    t = np.array([1, 2])
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    dx = layer.backward()
    # the first row puts all mass on a wrong class: loss 2e4 / 2 rows; the second is right
    assert np.isfinite(loss) and abs(loss - 1e4) < 1e-2 * 1e4 * 1e-3
    assert np.all(np.isfinite(dx))
    tl = torch.nn.functional.cross_entropy(torch.tensor(x.astype(np.float64)), torch.tensor(t))
    assert abs(loss - tl.item()) <= 1e-3
