"""The quadratic's exact rates against trainlab's own landscape paths, the closed
forms of the literature (written out here) and a brute-force search."""

import doctest
import math

import numpy as np
import pytest

from trainlab import theory
from trainlab.errors import ConfigError
from trainlab.landscape import get_function, path
from trainlab.optim import create

BOWL = (0.1, 2.0)  # the notes' x²/20 + y²: Hessian diag(1/10, 2)


def eigen(spec):
    """Eigenvalues and eigenvectors (columns) of a landscape function's constant Hessian."""
    h = np.array(get_function(spec).hessian(0.0, 0.0), dtype=np.float64)
    return np.linalg.eigh(h)


@pytest.mark.parametrize("spec", ["bowl", "quadratic:kappa=10,angle=30"])
@pytest.mark.parametrize("lr", [0.3, 0.95, 1.2])
def test_gradient_descent_shrinks_each_direction_by_its_rate_on_the_path(spec, lr):
    lam, vecs = eigen(spec)
    points = path(spec, create("sgd", lr=lr), steps=8)
    coords = points @ vecs  # error along each eigen-direction (the minimum is 0)
    measured = np.abs(coords[1:] / coords[:-1])
    expected = np.abs(1 - lr * lam) + 0 * measured  # |1 - ηλ|, written here
    # on a rotated quadratic, rounding of the larger coordinate (1e-16 of it) leaks
    # into the smaller one: compare while each is at least 1e-3 of the error's norm
    seen = np.abs(coords[:-1]) >= 1e-3 * np.linalg.norm(coords[:-1], axis=1, keepdims=True)
    assert seen.sum() >= 8
    assert np.allclose(measured[seen], expected[seen], rtol=0, atol=1e-12)
    assert np.allclose(theory.rates(lam, "sgd", lr), expected, rtol=0, atol=1e-15)


def measured_rate(points, t, k):
    """(‖e_{t+k}‖ / ‖e_t‖)^{1/k} on a path whose minimum is the origin."""
    norms = np.linalg.norm(points, axis=1)
    return (norms[t + k] / norms[t]) ** (1 / k)


@pytest.mark.parametrize(
    "spec,rule,lr,momentum",
    [
        ("bowl", "momentum", 0.1, 0.9),
        ("bowl", "momentum", 0.5, 0.3),
        ("bowl", "nesterov", 0.3, 0.9),
        ("bowl", "nesterov", 0.2, 0.5),
        ("quadratic:kappa=10,angle=30", "momentum", 0.2, 0.9),
        ("quadratic:kappa=100,angle=45", "nesterov", 0.5, 0.8),
        ("quadratic:kappa=10,angle=30", "sgd", 0.4, 0.6),  # PyTorch-form momentum
    ],
)
def test_momentum_rules_contract_at_the_predicted_rate(spec, rule, lr, momentum):
    lam, _ = eigen(spec)
    kw = {"momentum": momentum}
    points = path(spec, create(rule, lr=lr, **kw), steps=1400)
    predicted = theory.rate(lam, rule, lr, momentum)
    assert predicted < 1
    assert measured_rate(points, 400, 1000) == pytest.approx(predicted, abs=1e-3)


def test_a_rate_above_one_is_a_path_that_blows_up():
    lr = 1.05 * theory.max_lr(BOWL, "momentum", 0.5)
    assert theory.rate(BOWL, "momentum", lr, 0.5) > 1
    points = path("bowl", create("momentum", lr=lr, momentum=0.5), steps=200)
    assert np.linalg.norm(points[-1]) > 1e3 * np.linalg.norm(points[0])


def test_optimal_tunings_are_the_closed_forms():
    lam = [0.5, 3.0, 40.0]
    big, small = 40.0, 0.5
    kappa = big / small
    gd = theory.optimal(lam, "sgd")
    assert gd.lr == pytest.approx(2 / (big + small), rel=1e-14)
    assert gd.rate == pytest.approx((kappa - 1) / (kappa + 1), rel=1e-14)
    hb = theory.optimal(lam, "momentum")
    assert hb.lr == pytest.approx(4 / (math.sqrt(big) + math.sqrt(small)) ** 2, rel=1e-14)
    a = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    assert hb.momentum == pytest.approx(a, rel=1e-14)
    assert hb.rate == pytest.approx(math.sqrt(a), rel=1e-14)
    for rule, tuning in (("sgd", gd), ("momentum", hb)):
        got = theory.rate(lam, rule, tuning.lr, tuning.momentum)
        assert got == pytest.approx(tuning.rate, abs=1e-6)  # repeated roots: sqrt of rounding


@pytest.mark.parametrize("rule", ["sgd", "momentum", "nesterov"])
def test_no_pair_on_a_fine_grid_beats_the_optimal_rate(rule):
    best = theory.optimal(BOWL, rule)
    lrs = np.linspace(0.02, 1.5, 150) if rule != "sgd" else np.linspace(0.01, 1.0, 2000)
    momenta = np.linspace(0, 0.95, 96) if rule != "sgd" else [0.0]
    grid = theory.rate_map(BOWL, rule, lrs, momenta)
    assert grid.min() >= best.rate - 1e-6
    assert grid.min() <= best.rate + 2e-2  # and the grid comes close to it
    assert theory.rate(BOWL, rule, best.lr, best.momentum) == pytest.approx(best.rate, abs=1e-6)


@pytest.mark.parametrize(
    "rule,momentum,closed",
    [
        ("sgd", 0.0, lambda a, big: 2 / big),
        ("momentum", 0.7, lambda a, big: 2 * (1 + a) / big),
        ("nesterov", 0.7, lambda a, big: 2 * (1 + a) / ((1 + 2 * a) * big)),
    ],
)
def test_max_lr_is_the_edge_of_stability(rule, momentum, closed):
    lam = [0.3, 4.0]
    edge = theory.max_lr(lam, rule, momentum)
    assert edge == pytest.approx(closed(momentum, 4.0), rel=1e-14)
    assert theory.rate(lam, rule, edge * 0.999, momentum) < 1
    assert theory.rate(lam, rule, edge * 1.001, momentum) > 1


@pytest.mark.parametrize(
    "call",
    [
        lambda: theory.rates([0.0, 1.0], "sgd", 0.1),
        lambda: theory.rates([1.0], "adam", 0.1),
        lambda: theory.rates([1.0], "momentum", 0.1, momentum=1.0),
        lambda: theory.rates([1.0], "momentum", -0.1),
        lambda: theory.optimal([], "sgd"),
        lambda: theory.max_lr([float("nan")], "sgd"),
    ],
)
def test_bad_input_is_refused_with_a_config_error(call):
    with pytest.raises(ConfigError):
        call()


def test_the_docstring_example_runs():
    assert doctest.testmod(theory).failed == 0
