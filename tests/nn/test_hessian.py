"""Hessian-vector products against central differences of the gradient (float64),
through every layer kind; Lanczos and Hutchinson against a dense Hessian built
from those differences and ``numpy.linalg.eigvalsh``."""

import doctest

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.nn import MultiLayerNet, spectrum
from trainlab.nn.spectrum import hutchinson_trace, lanczos, top_eigenvalues

RNG = np.random.default_rng(7)
X = RNG.standard_normal((16, 5))
T = RNG.integers(0, 3, 16)


def flat(d):
    return np.concatenate([a.ravel() for a in d.values()])


def gradient_along(net, v, eps=1e-5, x=X, t=T):
    """(∇L(θ + εv) − ∇L(θ − εv)) / 2ε, with the same dropout masks at both ends."""
    state, start = net.rng.bit_generator.state, net.flat_params.copy()
    ends = []
    for sign in (1, -1):
        net.flat_params[...] = start + sign * eps * v
        net.rng.bit_generator.state = state
        ends.append(flat(net.gradient(x, t)).copy())
    net.flat_params[...] = start
    net.rng.bit_generator.state = state
    return (ends[0] - ends[1]) / (2 * eps)


def small_net(**kw):
    net = MultiLayerNet(5, [7, 6], 3, dtype=np.float64, rng=np.random.default_rng(2), **kw)
    # biases off zero: a dropped-out row would otherwise sit on ReLU's kink
    net.flat_params[...] += 0.3 * np.random.default_rng(3).standard_normal(net.flat_params.size)
    return net


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"activation": "sigmoid"},
        {"activation": "tanh", "weight_decay_lambda": 0.1},
        {"use_batchnorm": True},
        {"use_dropout": True, "dropout_ratio": 0.3},
        {"use_dropout": True, "dropout_mode": "inverted", "use_batchnorm": True},
        {"use_batchnorm": True, "activation": "tanh", "use_dropout": True},
    ],
)
def test_hvp_equals_the_gradients_derivative(kw):
    net = small_net(**kw)
    v = np.random.default_rng(4).standard_normal(net.flat_params.size)
    got = flat(net.hessian_vector_product(X, T, v))
    want = gradient_along(net, v)
    assert np.abs(got - want).max() <= 1e-7 * np.abs(want).max()


def test_hvp_of_a_regressor():
    net = MultiLayerNet(5, [7], 2, dtype=np.float64, rng=np.random.default_rng(2), loss="mse")
    y = RNG.standard_normal((16, 2))
    v = {k: np.random.default_rng(5).standard_normal(p.shape) for k, p in net.params.items()}
    got = flat(net.hessian_vector_product(X, y, v))
    want = gradient_along(net, flat(v), t=y)
    assert np.abs(got - want).max() <= 1e-7 * np.abs(want).max()


def test_hvp_leaves_the_network_as_it_was():
    net = small_net(use_batchnorm=True, use_dropout=True)
    before = (net.flat_params.copy(), {k: b.copy() for k, b in net.buffers().items()})
    state = net.rng.bit_generator.state
    net.hessian_vector_product(X, T, np.ones(net.flat_params.size))
    assert np.array_equal(net.flat_params, before[0])
    assert all(np.array_equal(b, before[1][k]) for k, b in net.buffers().items())
    assert net.rng.bit_generator.state == state


def dense_hessian(net):
    """Column j: the gradient's central difference along the j-th unit vector."""
    n = net.flat_params.size
    h = np.stack([gradient_along(net, np.eye(n)[j]) for j in range(n)], axis=1)
    return (h + h.T) / 2


def test_lanczos_and_hutchinson_match_the_dense_hessian():
    net = small_net(use_batchnorm=True)
    eig = np.linalg.eigvalsh(dense_hessian(net))[::-1]
    top = top_eigenvalues(net, X, T, k=3, iterations=40, rng=np.random.default_rng(0))
    assert top == pytest.approx(eig[:3], rel=1e-6)
    mean, err = hutchinson_trace(net, X, T, samples=400, rng=np.random.default_rng(1))
    assert abs(mean - eig.sum()) < 4 * err
    assert err < 0.1 * abs(eig.sum())


def test_lanczos_on_a_known_matrix_and_bad_input():
    m = np.random.default_rng(0).standard_normal((30, 30))
    m = m + m.T
    got = lanczos(lambda v: m @ v, 30, k=2, iterations=30, rng=np.random.default_rng(1))
    assert got == pytest.approx(np.linalg.eigvalsh(m)[::-1][:2], rel=1e-9)
    with pytest.raises(ConfigError):
        lanczos(lambda v: m @ v, 30, k=5, iterations=3)
    with pytest.raises(ConfigError, match="parameters"):
        small_net().hessian_vector_product(X, T, np.ones(3))
    assert doctest.testmod(spectrum).failed == 0
