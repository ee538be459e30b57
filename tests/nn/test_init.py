"""Initial weight scales: the notes' definitions and PyTorch's Glorot."""

import math

import numpy as np
import pytest
import torch

from trainlab.errors import ConfigError
from trainlab.nn import init_weight, weight_std


@pytest.mark.parametrize(
    "spec,expected",
    [
        (0.01, 0.01),
        (1, 1.0),
        ("xavier", math.sqrt(1 / 100)),
        ("sigmoid", 0.1),
        ("he", math.sqrt(2 / 100)),
        ("relu", math.sqrt(2 / 100)),
    ],
)
def test_notes_scales(spec, expected):
    assert weight_std(spec, 100, 50) == pytest.approx(expected)
    W = init_weight(spec, 100, 400, np.random.default_rng(0))
    assert W.shape == (100, 400)
    assert W.std() == pytest.approx(expected, rel=0.02)
    assert abs(W.mean()) < 4 * expected / math.sqrt(W.size)


def test_he_is_0141_for_100_nodes():  # the notes' worked number
    assert round(weight_std("he", 100), 3) == 0.141


@pytest.mark.parametrize(
    "name,torch_fn",
    [
        ("glorot_normal", torch.nn.init.xavier_normal_),
        ("glorot_uniform", torch.nn.init.xavier_uniform_),
    ],
)
def test_glorot_matches_torch_distribution(name, torch_fn):
    fan_in, fan_out = 300, 200
    W = init_weight(name, fan_in, fan_out, np.random.default_rng(1))
    T = torch.empty(fan_out, fan_in, dtype=torch.float64)  # torch stores (out, in)
    torch.manual_seed(0)
    torch_fn(T)
    T = T.numpy()
    assert W.std() == pytest.approx(T.std(), rel=0.02)
    assert np.abs(W).max() <= math.sqrt(6 / (fan_in + fan_out)) + 1e-12 or name == "glorot_normal"
    if name == "glorot_uniform":
        a = math.sqrt(6 / (fan_in + fan_out))
        assert np.abs(T).max() <= a and np.abs(W).max() == pytest.approx(a, rel=0.01)


def test_same_seed_same_weights():
    a = init_weight("he", 10, 10, np.random.default_rng(7))
    b = init_weight("he", 10, 10, np.random.default_rng(7))
    assert np.array_equal(a, b)


@pytest.mark.parametrize("bad", ["kaiming2", -1.0, float("nan")])
def test_bad_spec(bad):
    with pytest.raises(ConfigError):
        weight_std(bad, 10)
