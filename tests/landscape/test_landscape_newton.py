"""Newton's method as the second-order reference path."""

import numpy as np
import pytest

from trainlab.landscape import Newton, get_function, trace


@pytest.mark.parametrize("spec", ["bowl", "quadratic", "quadratic:kappa=1000,angle=37"])
def test_one_step_to_the_minimum_of_a_quadratic(spec):
    f = get_function(spec)
    rng = np.random.default_rng(3)
    for start in rng.uniform(-9, 9, size=(5, 2)):
        t = trace(f, Newton(f), start=start, steps=3)
        np.testing.assert_allclose(t.points[1:], 0.0, atol=1e-12)


def test_one_step_on_an_offset_quadratic_object():
    a = np.array([[3.0, 1.0], [1.0, 2.0]])
    c = np.array([0.7, -1.3])

    class Offset:  # f = (p - c)^T A (p - c) / 2, minimum at c
        def value(self, x, y):
            d = np.array([x, y]) - c
            return 0.5 * d @ a @ d

        def grad(self, x, y):
            return tuple(a @ (np.array([x, y]) - c))

        def hessian(self, x, y):
            return a

    t = trace(Offset(), Newton(Offset()), start=(5.0, 4.0), steps=1)
    np.testing.assert_allclose(t.points[1], c, atol=1e-12)


def test_plain_newton_jumps_onto_the_saddle_and_saddle_free_escapes():
    f = get_function("saddle")
    t = trace(f, Newton(f), start=(-1.5, 0.01), steps=4)
    np.testing.assert_allclose(t.points[1:], 0.0, atol=0)
    t = trace(f, Newton(f, saddle_free=True), start=(-1.5, 0.01), steps=4)
    # |H|^-1 g = (x, -y): x goes to 0, y doubles each step, f falls
    np.testing.assert_allclose(t.points[1:, 0], 0.0, atol=0)
    np.testing.assert_allclose(t.points[:, 1], 0.01 * 2.0 ** np.arange(5), rtol=1e-15)
    assert np.all(np.diff(t.values) < 0)


def test_singular_hessian_moves_only_where_there_is_curvature():
    class Trough:  # f = x^2, flat in y: H = diag(2, 0)
        def value(self, x, y):
            return x * x

        def grad(self, x, y):
            return 2 * x, 0.0 * y

        def hessian(self, x, y):
            return ((2.0, 0.0), (0.0, 0.0))

    t = trace(Trough(), Newton(Trough()), start=(3.0, -2.0), steps=2)
    np.testing.assert_allclose(t.points[1:], [[0.0, -2.0], [0.0, -2.0]], atol=1e-15)
    assert not t.diverged


def test_newton_solves_rosenbrock_in_a_few_steps():
    f = get_function("rosenbrock")
    t = trace(f, Newton(f), start=(-1.2, 1.0), steps=10)
    np.testing.assert_allclose(t.points[-1], [1.0, 1.0], atol=1e-12)
