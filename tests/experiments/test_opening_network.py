"""The lecture's opening network (``opening-network``): its arithmetic against the
lecture's own lines, and what changing one technique does, on the digits and on
Fashion-MNIST.

Subset (for speed): ``--quick``: 500 training images (10% for validation), 300
test images, 30 full-batch steps, each changed network at its base lr (the best
of a 10× grid measured beforehand), two seeds.

Margins (OpenBLAS SkylakeX kernel, one thread; one test image is 0.0033). The
tests' two seeds, mean test accuracy gained over the network as written
(threshold): digits ReLU 0.53, Adam 0.29 (> 0.03), He weights 0.42 (> 0.15);
Fashion-MNIST ReLU 0.07, Adam 0.13 (> 0.03), He weights 0.03 (|gain| < 0.1).
Over six seeds each single seed's gain lies in: digits ReLU 0.47 to 0.65, Adam
0.24 to 0.54, He 0.38 to 0.53; Fashion-MNIST ReLU 0.04 to 0.14, Adam 0.10 to
0.16, He 0.02 to 0.05; so each threshold holds for any two of those seeds.
"""

from __future__ import annotations

import numpy as np
import pytest
from exp_testkit import SHARED, cli, isolated_env

from trainlab.experiments.opening_network import glorot_bound, gradients
from trainlab.io import read_json


def test_the_lectures_bounds_are_glorot_uniform_bounds():
    assert round(glorot_bound(784, 1000), 3) == 0.058
    assert round(glorot_bound(1000, 10), 3) == 0.077


def lecture_step(w1, w2, X_train, y_train_hot, learning_rate):
    """The lecture's loop body, line for line."""

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    z1 = X_train.dot(w1)
    a1 = sigmoid(z1)
    z2 = a1.dot(w2)
    a2 = sigmoid(z2)
    d2 = a2 - y_train_hot
    d1 = d2.dot(w2.T) * a1 * (1 - a1)
    w2 = w2 - learning_rate * a1.T.dot(d2)
    w1 = w1 - learning_rate * X_train.T.dot(d1)
    return w1, w2


def test_one_step_is_the_lectures_step():
    rng = np.random.default_rng(0)
    x, y = rng.random((40, 12)), np.eye(3)[rng.integers(0, 3, 40)]
    w = {"w1": rng.uniform(-0.5, 0.5, (12, 7)), "w2": rng.uniform(-0.5, 0.5, (7, 3))}
    g, _ = gradients(w, x, y, "sigmoid")
    w1, w2 = lecture_step(w["w1"], w["w2"], x, y, 0.01)
    np.testing.assert_allclose(w["w1"] - 0.01 * g["w1"], w1, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(w["w2"] - 0.01 * g["w2"], w2, rtol=1e-14, atol=1e-15)


def test_d2_is_the_gradient_of_the_outputs_cross_entropy():
    """What the docstring says of ``d2 = a2 - y``, by central differences."""
    rng = np.random.default_rng(1)
    x, y = rng.random((20, 5)), np.eye(3)[rng.integers(0, 3, 20)]
    w = {"w1": rng.normal(0, 0.5, (5, 4)), "w2": rng.normal(0, 0.5, (4, 3))}

    def loss(w2):
        a2 = 1 / (1 + np.exp(-(1 / (1 + np.exp(-x @ w["w1"]))) @ w2))
        return float(np.sum(-y * np.log(a2) - (1 - y) * np.log(1 - a2)))

    numeric = np.zeros_like(w["w2"])
    for i in np.ndindex(*w["w2"].shape):
        e = np.zeros_like(w["w2"])
        e[i] = 1e-6
        numeric[i] = (loss(w["w2"] + e) - loss(w["w2"] - e)) / 2e-6
    g, _ = gradients(w, x, y, "sigmoid")
    np.testing.assert_allclose(g["w2"], numeric, rtol=1e-6, atol=1e-8)


@pytest.fixture(scope="module", params=["digits", "fashion-mnist"])
def runs(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    with isolated_env(tmp):
        code, _, err = cli(
            "run", "opening-network", "--quick", "--dataset", request.param,
            "--data-dir", SHARED, "--seeds", "2", "--out", tmp / "r", "--quiet",
        )  # fmt: skip
    assert code == 0, err
    runs = read_json(tmp / "r" / "metrics.json")["runs"]
    return request.param, runs


def final(runs, name, key="test_acc"):
    return np.array([r[name]["best"][key][-1] for r in runs])


def test_relu_and_adam_each_beat_the_network_as_written(runs):
    _, rs = runs
    written = final(rs, "as written")
    for name in ("ReLU", "Adam"):
        assert final(rs, name).mean() > written.mean() + 0.03, name
        assert np.all(final(rs, name, "loss") < final(rs, "as written", "loss")), name


def test_he_weights_help_the_sigmoid_net_much_on_64_inputs_little_on_784(runs):
    data, rs = runs
    gain = final(rs, "He weights").mean() - final(rs, "as written").mean()
    if data == "digits":
        assert gain > 0.15
    else:
        assert abs(gain) < 0.1
