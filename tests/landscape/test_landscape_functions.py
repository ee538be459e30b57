"""The test functions: values against formulas written here, gradients and Hessians
against central finite differences, and the stated minima."""

import math

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.landscape import FUNCTIONS, get_function

SPECS = sorted(set(FUNCTIONS) - {"notes"}) + [
    "quadratic:kappa=100,angle=45",
    "quadratic:kappa=1,angle=0",
]


def quad(kappa, angle):
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    r = np.array([[c, -s], [s, c]])
    a = r @ np.diag([1.0 / kappa, 1.0]) @ r.T
    return lambda x, y: 0.5 * (a[0, 0] * x * x + 2 * a[0, 1] * x * y + a[1, 1] * y * y)


# the textbook formulas, written independently of trainlab
FORMULAS = {
    "bowl": lambda x, y: x**2 / 20 + y**2,
    "quadratic": quad(10, 30),
    "quadratic:kappa=100,angle=45": quad(100, 45),
    "quadratic:kappa=1,angle=0": quad(1, 0),
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "beale": lambda x, y: (
        (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2
    ),
    "saddle": lambda x, y: x**2 - y**2,
    "himmelblau": lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "rastrigin": lambda x, y: (
        20 + x**2 - 10 * np.cos(2 * np.pi * x) + y**2 - 10 * np.cos(2 * np.pi * y)
    ),
    "plateau": lambda x, y: 1 - np.exp(-(x**2 + y**2) / 2),
}


def points_in(f, n=60, seed=0):
    (x0, x1), (y0, y1) = f.window
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


def fd_grad(fun, x, y, h=1e-5):
    return np.array(
        [(fun(x + h, y) - fun(x - h, y)) / (2 * h), (fun(x, y + h) - fun(x, y - h)) / (2 * h)]
    )


@pytest.mark.parametrize("spec", SPECS)
def test_value_matches_textbook_formula(spec):
    f = get_function(spec)
    pts = points_in(f)
    got = f.value(pts[:, 0], pts[:, 1])  # vectorised, as the contours use it
    want = FORMULAS[spec](pts[:, 0], pts[:, 1])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("spec", SPECS)
def test_gradient_matches_central_differences(spec):
    f = get_function(spec)
    ref = FORMULAS[spec]
    for x, y in points_in(f, seed=1):
        g = np.array([float(v) for v in f.grad(x, y)])
        num = fd_grad(ref, x, y)
        assert np.all(np.abs(g - num) <= 1e-5 * (1 + np.abs(num))), (x, y, g, num)


@pytest.mark.parametrize("spec", SPECS)
def test_hessian_matches_differences_of_the_gradient(spec):
    f = get_function(spec)
    h = 1e-5
    for x, y in points_in(f, seed=2):
        hess = np.array(f.hessian(x, y), dtype=float).reshape(2, 2)
        gxp, gxm = np.array(f.grad(x + h, y)), np.array(f.grad(x - h, y))
        gyp, gym = np.array(f.grad(x, y + h)), np.array(f.grad(x, y - h))
        num = np.column_stack([(gxp - gxm) / (2 * h), (gyp - gym) / (2 * h)])
        assert np.all(np.abs(hess - num) <= 1e-5 * (1 + np.abs(num))), (x, y, hess, num)
        assert hess[0, 1] == hess[1, 0]


@pytest.mark.parametrize("spec", SPECS)
def test_stated_minima_are_minima_with_the_stated_value(spec):
    f = get_function(spec)
    ref = FORMULAS[spec]
    (x0, x1), (y0, y1) = f.window
    for x, y in f.minima:
        assert x0 <= x <= x1 and y0 <= y <= y1
        assert abs(ref(x, y) - f.min_value) < 1e-12
        assert np.all(np.abs(fd_grad(ref, x, y, h=1e-6)) < 1e-6)
        # nothing lower close by
        for dx, dy in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3), (7e-4, -7e-4)]:
            assert ref(x + dx, y + dy) > ref(x, y)


def test_known_minima_from_the_literature():
    assert get_function("bowl").minima == ((0.0, 0.0),)
    assert get_function("rosenbrock").minima == ((1.0, 1.0),)
    assert get_function("beale").minima == ((3.0, 0.5),)
    # Himmelblau's four minima as published (6 decimals)
    published = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
    got = get_function("himmelblau").minima
    assert len(got) == 4
    for p in published:
        assert min(math.dist(p, q) for q in got) < 2e-6
    # the saddle has no minimum and its stationary point is a saddle
    s = get_function("saddle")
    assert s.minima == () and s.min_value is None
    eig = np.linalg.eigvalsh(np.array(s.hessian(0.0, 0.0), dtype=float))
    assert eig[0] < 0 < eig[1]


def test_quadratic_has_the_chosen_condition_number():
    for kappa, angle in [(10, 30), (250, 70), (1, 0)]:
        f = get_function(f"quadratic:kappa={kappa},angle={angle}")
        eig = np.linalg.eigvalsh(np.array(f.hessian(1.0, 2.0), dtype=float))
        assert eig[1] / eig[0] == pytest.approx(kappa, rel=1e-10)
        # the flat direction points along the angle
        c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        assert f.value(c, s) == pytest.approx(0.5 / kappa, rel=1e-10)


def test_defaults_are_usable():
    for name in FUNCTIONS:
        f = get_function(name)
        (a, b), (c, d) = f.domain
        assert a <= f.start[0] <= b and c <= f.start[1] <= d
        assert math.isfinite(f.value(*f.start))
        assert f.steps > 0
    assert get_function("notes").name == "bowl"
    assert get_function("bowl").start == (-7.0, 2.0) and get_function("bowl").steps == 30


@pytest.mark.parametrize(
    "spec",
    [
        "nope",
        "quadratic:kappa=0.5",
        "quadratic:kappa",
        "quadratic:bogus=1",
        "beale:a=1",
        "quadratic:angle=inf",
        42,
    ],
)
def test_bad_function_is_refused_in_one_line(spec):
    with pytest.raises(ConfigError) as err:
        get_function(spec)
    assert "\n" not in str(err.value)
