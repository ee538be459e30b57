"""Wilson et al. (2017), section 3.3, checked against the paper's own statements.

The features are rebuilt here from the paper's indices (1-based: x_i1 = y_i,
x_i2 = x_i3 = 1, x_ij = 1 for j = 4 + 5(i-1), ..., 4 + 5(i-1) + 2(1 - y_i)),
the condition of its Lemma 3.1 (X sign(Xᵀy) = c y) is checked on them, and
the two solutions it proves are computed independently: sign(Xᵀy) for the
adaptive rules and the minimum-norm solution pinv(X) y for SGD.
"""

from __future__ import annotations

import numpy as np
import pytest
from exp_testkit import cli, isolated_env

from trainlab.experiments.adaptive_separable import features, fit_linear, labels
from trainlab.io import read_json


def paper_features(y):
    n = len(y)
    x = np.zeros((n, 3 + 5 * n))
    for i in range(1, n + 1):
        x[i - 1, 1 - 1] = y[i - 1]
        x[i - 1, 2 - 1] = x[i - 1, 3 - 1] = 1
        first = 4 + 5 * (i - 1)
        for j in range(first, first + int(2 * (1 - y[i - 1])) + 1):
            x[i - 1, j - 1] = 1
    return x


def problem(n, share, seed=0):
    y = labels(n, share, np.random.default_rng(seed))
    return features(y), y


@pytest.mark.parametrize("n, share", [(7, 0.6), (40, 0.75), (100, 0.9)])
def test_features_are_the_papers_and_meet_the_lemmas_condition(n, share):
    x, y = problem(n, share)
    assert int((y > 0).sum()) == round(share * n)
    np.testing.assert_array_equal(x, paper_features(y))
    np.testing.assert_array_equal(x @ np.sign(x.T @ y), 4 * y)  # Lemma 3.1 with c = 4


@pytest.mark.parametrize("rule, lr", [("adagrad", 0.05), ("rmsprop", 0.01), ("adam", 0.01)])
@pytest.mark.parametrize("n, share", [(30, 0.6), (80, 0.9)])
def test_adaptive_rules_end_proportional_to_the_sign_of_the_summed_gradient(rule, lr, n, share):
    x, y = problem(n, share)
    s = np.sign(x.T @ y)  # 0 on the columns no point uses (a positive point's last four)
    used = s != 0
    # the lemma, whose steps divide by the gradient's size alone: eps negligible
    exact, _ = fit_linear(x, y, rule, lr, 200, eps=1e-30)
    assert np.all(np.sign(exact) == s)
    assert np.ptp(exact[used] / s[used]) < 1e-9 * np.abs(exact).max()  # one scale for all
    # the rules' own eps (1e-7, 1e-8) bends it a little once the gradient is small
    w, _ = fit_linear(x, y, rule, lr, 200)
    assert np.all(np.sign(w) == s)
    assert np.ptp(w[used] / s[used]) < 1e-3 * np.abs(w).max()
    assert np.max(np.abs(x @ w - y)) < 1e-4  # and it fits the training data
    # a new point of either label: w·x = w1·y + w2 + w3 > 0, called positive
    for label in (1.0, -1.0):
        assert w[0] * label + w[1] + w[2] > 0


@pytest.mark.parametrize("rule, lr", [("sgd", 0.3), ("momentum", 0.03)])
@pytest.mark.parametrize("n, share", [(30, 0.6), (80, 0.9)])
def test_sgd_and_momentum_end_at_the_minimum_norm_solution(rule, lr, n, share):
    x, y = problem(n, share)
    w, _ = fit_linear(x, y, rule, lr, 500)
    w_min = np.linalg.pinv(x) @ y
    np.testing.assert_allclose(w, w_min, rtol=0, atol=1e-6)
    for label in (1.0, -1.0):  # a new point is classified by its label's sign
        assert np.sign(w[0] * label + w[1] + w[2]) == label


def test_the_experiment_shows_what_the_paper_proves(tmp_path):
    with isolated_env(tmp_path):
        code, _, err = cli(
            "run", "adaptive-separable", "--quick", "--seeds", "2", "--out", tmp_path / "r"
        )
    assert code == 0, err
    config = read_json(tmp_path / "r" / "config.json")
    runs = read_json(tmp_path / "r" / "metrics.json")["runs"]
    m = config["test_size"]
    for run in runs:
        assert len(run) == len(config["sizes"]) * len(config["shares"])
        for case in run.values():
            minority = 1 - round(case["share"] * m) / m
            assert case["minority"] == pytest.approx(minority, abs=1e-12)
            for rule in ("sgd", "momentum", "adagrad", "rmsprop", "adam"):
                assert case[rule]["train_error"] == 0.0
            for rule in ("sgd", "momentum"):
                assert case[rule]["test_error"] == 0.0
            for rule in ("adagrad", "rmsprop", "adam"):
                assert case[rule]["test_error"] == pytest.approx(minority, abs=1e-12)


def test_a_minority_positive_class_is_refused_in_one_line(tmp_path):
    with isolated_env(tmp_path):
        code, _, err = cli(
            "run", "adaptive-separable", "--set", "shares=0.4", "--out", tmp_path / "r"
        )
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "majority" in err
