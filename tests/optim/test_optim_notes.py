"""Each rule, with the notes' settings, follows the notes' own code on
f(x, y) = x**2 / 20 + y**2 from (-7, 2) for 30 steps.

The reference classes below are the book's code (Deep Learning from Scratch,
ch. 6, as transcribed in the study notes), written out with explicit loops
over plain Python floats.
"""

from __future__ import annotations

import numpy as np
import pytest

from trainlab.optim import SGD, AdaGrad, Adam, Momentum, Nesterov, create


class BookSGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class BookMomentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: 0.0 for key in params}
        for key in params.keys():
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class BookAdaGrad:
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: 0.0 for key in params}
        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class BookAdam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: 0.0 for key in params}
            self.v = {key: 0.0 for key in params}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


class LectureNesterov:
    """The lecture's code: dw_prev = dw; dw = mu dw - lr g; w += -mu dw_prev + (1+mu) dw."""

    def __init__(self, lr=0.01, mu=0.9):
        self.lr, self.mu, self.dw = lr, mu, None

    def update(self, params, grads):
        if self.dw is None:
            self.dw = {key: 0.0 for key in params}
        for key in params.keys():
            dw_prev = self.dw[key]
            self.dw[key] = self.mu * self.dw[key] - self.lr * grads[key]
            params[key] += -self.mu * dw_prev + (1 + self.mu) * self.dw[key]


def df(x, y):
    return x / 10.0, 2.0 * y


def path(opt, arrays: bool):
    if arrays:
        params = {"x": np.array(-7.0), "y": np.array(2.0)}
    else:
        params = {"x": -7.0, "y": 2.0}
    out = []
    for _ in range(30):
        gx, gy = df(float(params["x"]), float(params["y"]))
        grads = {"x": np.array(gx), "y": np.array(gy)} if arrays else {"x": gx, "y": gy}
        opt.update(params, grads)
        out.append((float(params["x"]), float(params["y"])))
    return np.array(out)


CASES = [
    ("sgd", lambda: SGD(lr=0.95), lambda: BookSGD(lr=0.95)),
    ("momentum", lambda: Momentum(lr=0.1), lambda: BookMomentum(lr=0.1)),
    ("adagrad", lambda: AdaGrad(lr=1.5), lambda: BookAdaGrad(lr=1.5)),
    ("adam", lambda: Adam(lr=0.3), lambda: BookAdam(lr=0.3)),
    ("nesterov", lambda: Nesterov(lr=0.1), lambda: LectureNesterov(lr=0.1)),
]


@pytest.mark.parametrize("name,ours,book", CASES, ids=[c[0] for c in CASES])
def test_path_follows_the_notes_code(name, ours, book):
    mine, ref = path(ours(), arrays=True), path(book(), arrays=False)
    if name == "nesterov":  # the same method written in another algebraic order
        assert np.max(np.abs(mine - ref)) <= 1e-12
    else:  # the book's own operations in the book's order: exactly equal
        assert np.array_equal(mine, ref)
    assert np.abs(ref[-1]).max() < 7.0  # it did make progress towards (0, 0)


def test_create_uses_the_notes_defaults():
    assert create("sgd").lr == 0.01
    m = create("momentum")
    assert (m.lr, m.momentum) == (0.01, 0.9)
    assert (create("adagrad").lr, create("adagrad").eps) == (0.01, 1e-7)
    r = create("rmsprop")
    assert (r.lr, r.decay_rate, r.eps) == (0.01, 0.99, 1e-7)
    a = create("adam")
    assert (a.lr, a.beta1, a.beta2, a.eps, a.eps_placement) == (0.001, 0.9, 0.999, 1e-7, "notes")


def test_adam_without_bias_correction():
    """bias_correction=False: W <- W - lr * m / (sqrt(v) + eps), written out here."""
    lr, b1, b2, eps = 0.3, 0.9, 0.999, 1e-7
    x, y, m, v = -7.0, 2.0, np.zeros(2), np.zeros(2)
    ref = []
    for _ in range(30):
        g = np.array(df(x, y))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        x, y = np.array([x, y]) - lr * m / (np.sqrt(v) + eps)
        ref.append((x, y))
    mine = path(Adam(lr=lr, bias_correction=False), arrays=True)
    assert np.max(np.abs(mine - np.array(ref))) <= 1e-12
    # and it is not the corrected path: the uncorrected first step is
    # (1 - b1) / sqrt(1 - b2) = 3.16 times the corrected one (which is lr * sign(g))
    corrected = path(Adam(lr=lr), arrays=True)
    ratio = (mine[0, 0] + 7.0) / (corrected[0, 0] + 7.0)
    assert abs(ratio - (1 - b1) / np.sqrt(1 - b2)) < 1e-4


def test_rmsprop_and_amsgrad_in_the_notes_form():
    """RMSprop (h EMA, eps after the root) and AMSGrad (notes' eps) against their formulas."""
    lr, b1, b2, eps = 0.1, 0.9, 0.99, 1e-7
    x = np.array([-7.0, 2.0])
    h = np.zeros(2)
    xa, m, v, vmax = x.copy(), np.zeros(2), np.zeros(2), np.zeros(2)
    ref_r, ref_a = [], []
    for t in range(1, 31):
        g = np.array(df(*x))
        h = 0.99 * h + 0.01 * g * g
        x = x - 0.05 * g / (np.sqrt(h) + eps)
        ref_r.append(x.copy())
        g = np.array(df(*xa))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = np.maximum(vmax, v)
        xa = xa - lr * np.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(vmax) + eps)
        ref_a.append(xa.copy())
    assert np.max(np.abs(path(create("rmsprop", lr=0.05), True) - ref_r)) <= 1e-12
    assert np.max(np.abs(path(create("amsgrad", lr=lr, beta2=b2), True) - ref_a)) <= 1e-12


def test_adam_eps_inside_is_the_lectures_adam_with_its_warm_start():
    """``eps_placement='inside'`` against the lecture's loop, written out here:
    m, v as moving averages, both bias-corrected, eps under the root."""
    from trainlab.optim import Adam

    rng = np.random.default_rng(7)
    w0, lr, b1, b2, eps = rng.normal(size=(3, 4)), 0.01, 0.9, 0.999, 1e-7
    grads = [rng.normal(size=(3, 4)) * 10.0 ** rng.integers(-4, 1) for _ in range(25)]
    w, m, v = w0.copy(), np.zeros_like(w0), np.zeros_like(w0)
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        mb, vb = m / (1 - b1**t), v / (1 - b2**t)
        w = w - lr * mb / np.sqrt(vb + eps)
    params, opt = {"W": w0.copy()}, Adam(lr=lr, beta1=b1, beta2=b2, eps=eps, eps_placement="inside")
    for g in grads:
        opt.update(params, {"W": g.copy()})
    np.testing.assert_allclose(params["W"], w, rtol=1e-12, atol=1e-14)
    notes = {"W": w0.copy()}
    other = Adam(lr=lr, beta1=b1, beta2=b2, eps=eps)
    for g in grads:
        other.update(notes, {"W": g.copy()})
    assert np.max(np.abs(notes["W"] - w)) > 1e-9  # the placement is visible on these data
