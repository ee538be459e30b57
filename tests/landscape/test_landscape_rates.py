"""The landscape's rate panel: eigen-directions of a quadratic and the contraction
measured on trainlab's own paths beside the one predicted."""

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.landscape.rates import contraction, eigen


def test_the_bowls_eigen_directions_are_its_axes():
    lam, vecs, low = eigen("bowl")
    assert lam.tolist() == pytest.approx([0.1, 2.0], abs=1e-15)  # x²/20 + y²
    assert np.abs(vecs).round(12).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert low.tolist() == [0.0, 0.0]


def test_a_rotated_quadratics_directions_are_rotated():
    lam, vecs, _ = eigen("quadratic:kappa=10,angle=30")
    assert lam.tolist() == pytest.approx([0.1, 1.0], abs=1e-14)
    c, s = np.cos(np.radians(30)), np.sin(np.radians(30))
    assert abs(vecs[:, 0] @ [c, s]) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("lr", [0.3, 0.95, 1.2])
def test_gradient_descent_measured_equals_predicted(lr):
    c = contraction("bowl", "sgd", lr, steps=30)
    assert np.allclose(c.predicted, np.abs(1 - lr * np.array([0.1, 2.0])), atol=1e-15)
    assert np.allclose(c.measured, c.predicted, rtol=0, atol=1e-12)


def test_momentum_measured_is_close_to_predicted_after_the_transient():
    c = contraction("quadratic:kappa=100,angle=45", "nesterov", 0.5, 0.8, steps=600)
    assert c.measured == pytest.approx(c.predicted, abs=1e-2)


def test_a_direction_that_reaches_rounding_at_once_has_no_measurement():
    c = contraction("bowl", "sgd", 0.5, steps=30)  # 1 - 0.5·2 = 0: y is 0 after one step
    assert np.isnan(c.measured[1]) and c.predicted[1] == 0.0


def test_a_function_that_is_no_quadratic_is_refused():
    with pytest.raises(ConfigError, match="not a quadratic"):
        eigen("rosenbrock")
