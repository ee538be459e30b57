"""Paths: the notes' figure number for number, shape, divergence and bad input."""

import math
import sys

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.landscape import get_function, path, trace
from trainlab.optim import create


# --- the book's ch06/optimizer_compare_naive.py, transcribed with plain floats -------------
def book_df(x, y):
    return x / 10.0, 2.0 * y


def book_sgd(lr, x, y, n):
    hist = [(x, y)]
    for _ in range(n):
        gx, gy = book_df(x, y)
        x -= lr * gx
        y -= lr * gy
        hist.append((x, y))
    return hist


def book_momentum(lr, x, y, n, momentum=0.9):
    vx = vy = 0.0
    hist = [(x, y)]
    for _ in range(n):
        gx, gy = book_df(x, y)
        vx = momentum * vx - lr * gx
        vy = momentum * vy - lr * gy
        x += vx
        y += vy
        hist.append((x, y))
    return hist


def book_adagrad(lr, x, y, n):
    hx = hy = 0.0
    hist = [(x, y)]
    for _ in range(n):
        gx, gy = book_df(x, y)
        hx += gx * gx
        hy += gy * gy
        x -= lr * gx / (math.sqrt(hx) + 1e-7)
        y -= lr * gy / (math.sqrt(hy) + 1e-7)
        hist.append((x, y))
    return hist


def book_adam(lr, x, y, n, beta1=0.9, beta2=0.999):
    mx = my = vx = vy = 0.0
    hist = [(x, y)]
    for it in range(1, n + 1):
        gx, gy = book_df(x, y)
        lr_t = lr * math.sqrt(1.0 - beta2**it) / (1.0 - beta1**it)
        mx += (1 - beta1) * (gx - mx)
        vx += (1 - beta2) * (gx**2 - vx)
        x -= lr_t * mx / (math.sqrt(vx) + 1e-7)
        my += (1 - beta1) * (gy - my)
        vy += (1 - beta2) * (gy**2 - vy)
        y -= lr_t * my / (math.sqrt(vy) + 1e-7)
        hist.append((x, y))
    return hist


NOTES = [
    ("sgd", 0.95, book_sgd),
    ("momentum", 0.1, book_momentum),
    ("adagrad", 1.5, book_adagrad),
    ("adam", 0.3, book_adam),
]


@pytest.mark.parametrize("name,lr,book", NOTES)
def test_notes_figure_number_for_number(name, lr, book):
    want = np.array(book(lr, -7.0, 2.0, 30))
    got = path("bowl", create(name, lr=lr), start=(-7.0, 2.0), steps=30)
    assert got.shape == (31, 2)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    # the 'notes' alias and the defaults give the same figure
    np.testing.assert_allclose(path("notes", create(name, lr=lr)), want, rtol=0, atol=1e-12)


def test_notes_figure_shapes():
    # SGD zig-zags in y across the narrow axis: the sign of y alternates (1 - 2*0.95 < 0)
    p = path("bowl", create("sgd", lr=0.95), steps=30)
    assert np.all(np.sign(p[1:, 1]) == -np.sign(p[:-1, 1]))
    # and creeps along x monotonically: x_k = -7 (1 - 0.095)^k
    np.testing.assert_allclose(p[:, 0], -7.0 * 0.905 ** np.arange(31), rtol=1e-12)


def test_path_shape_and_start():
    for steps in (1, 7, 50):
        p = path("beale", create("adam", lr=0.1), start=(1, 1.5), steps=steps)
        assert p.shape == (steps + 1, 2)
        assert tuple(p[0]) == (1.0, 1.5)
        assert np.all(np.isfinite(p))


def test_function_object_and_closed_form():
    class Tilted:  # f = (x - 1)^2 + 3 (y + 2)^2, no registry entry, no domain
        def value(self, x, y):
            return (x - 1) ** 2 + 3 * (y + 2) ** 2

        def grad(self, x, y):
            return 2 * (x - 1), 6 * (y + 2)

    lr, k = 0.05, np.arange(41)
    p = path(Tilted(), create("sgd", lr=lr), start=(4.0, 1.0), steps=40)
    np.testing.assert_allclose(p[:, 0], 1 + 3 * (1 - 2 * lr) ** k, rtol=1e-12)
    np.testing.assert_allclose(p[:, 1], -2 + 3 * (1 - 6 * lr) ** k, rtol=1e-12)


def test_matches_pytorch_on_rosenbrock():
    import torch

    start, lr, n = (-1.2, 1.0), 1e-3, 60
    for nesterov in (False, True):
        w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([w], lr=lr, momentum=0.9, nesterov=nesterov)
        want = [w.detach().numpy().copy()]
        for _ in range(n):
            opt.zero_grad()
            x, y = w[0], w[1]
            ((1 - x) ** 2 + 100 * (y - x**2) ** 2).backward()
            opt.step()
            want.append(w.detach().numpy().copy())
        got = path(
            "rosenbrock",
            create("nesterov" if nesterov else "momentum", lr=lr),
            start=start,
            steps=n,
        )
        np.testing.assert_allclose(got, np.array(want), rtol=1e-10, atol=1e-12)


def test_sgd_lr_10_on_the_bowl_diverges_and_is_held():
    t = trace("bowl", create("sgd", lr=10.0), start=(-7, 2), steps=300)
    # y_k = 2 (1 - 20)^k; f = x^2/20 + y^2 overflows once 4 * 19^(2k) > the largest float
    first_overflow = next(k for k in range(1, 300) if 4 * 19 ** (2 * k) > sys.float_info.max)
    assert t.diverged and t.diverged_at == first_overflow
    assert t.points.shape == (301, 2) and t.values.shape == (301,)
    assert np.all(np.isfinite(t.points)) and np.all(np.isfinite(t.values))
    assert np.all(t.points[t.diverged_at :] == t.points[t.diverged_at - 1])
    assert t.final_value == math.inf and t.mean_value == math.inf
    assert abs(t.points[t.last, 1]) == pytest.approx(2 * 19.0**t.last, rel=1e-9)


def test_non_finite_gradient_stops_the_path():
    class Cliff:  # the gradient is NaN where |x| >= 2
        def value(self, x, y):
            return x * x + y * y

        def grad(self, x, y):
            return (2 * x if abs(x) < 2 else math.nan), 2 * y

    calm = trace(Cliff(), create("sgd", lr=0.25), start=(1.5, 1.0), steps=10)  # x halves
    assert not calm.diverged
    grow = trace(Cliff(), create("sgd", lr=1.5), start=(0.5, 0.0), steps=10)  # x <- -2x
    assert grow.diverged_at == 3  # reaches x = 2 at step 2, where the gradient is NaN
    np.testing.assert_array_equal(grow.points[:, 0], [0.5, -1.0] + [2.0] * 9)
    np.testing.assert_array_equal(grow.values, [0.25, 1.0] + [4.0] * 9)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(steps=0),
        dict(steps=-3),
        dict(steps=2.5),
        dict(steps=True),
        dict(start=(math.nan, 0.0)),
        dict(start=(0.0, math.inf)),
        dict(start=(500.0, 0.0)),
        dict(start=("a", 1.0)),
        dict(start=(1.0, 2.0, 3.0)),
        dict(function="nope"),
        dict(function=object()),
    ],
)
def test_bad_input_is_refused_in_one_line(kwargs):
    args = dict(function="bowl", start=None, steps=10) | kwargs
    with pytest.raises(ConfigError) as err:
        path(args["function"], create("sgd"), start=args["start"], steps=args["steps"])
    assert "\n" not in str(err.value)


def test_start_outside_each_domain_is_refused():
    for name in ("beale", "himmelblau", "rastrigin", "rosenbrock"):
        (x0, x1), _ = get_function(name).domain
        with pytest.raises(ConfigError, match="outside the domain"):
            path(name, create("sgd"), start=(x1 + 1.0, 0.0), steps=3)
