"""``trainlab benchmark``: tuned rates, seeds, time to target, performance profile."""

from __future__ import annotations

import math

import numpy as np
import pytest
from optuna.trial import TrialState
from tune_testkit import journal_study

from trainlab.cli import main
from trainlab.io import read_json
from trainlab.tune.problems import NoisyQuadratic, make_problem
from trainlab.tune.protocol import profile, time_to_target

RULES = ["sgd", "adam"]
PROBLEMS = ["digits", "noisy-quadratic"]


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    assert (
        main(
            [
                "benchmark",
                "--quick",
                "--problems",
                ",".join(PROBLEMS),
                "--optimizers",
                ",".join(RULES),
                "--seeds",
                "3",
                "--target",
                "digits=0.5",
                "--no-centre-lr",
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    return out, read_json(out / "metrics.json")


def test_every_rule_gets_the_same_lr_grid_and_seeds(bench):
    out, metrics = bench
    grid = list(10.0 ** np.linspace(-3, 0, 4))  # --quick: 1e-3:1:4
    for p in PROBLEMS:
        for r in RULES:
            e = metrics["problems"][p][r]
            assert np.allclose(e["sensitivity"]["lr"], grid, rtol=1e-9)
            assert e["seeds"] == [1, 2, 3]
            # the chosen rate is the grid point with the best final validation metric
            vals = [
                (v, lr)
                for lr, v in zip(e["sensitivity"]["lr"], e["sensitivity"]["val"], strict=False)
                if v is not None
            ]
            best = max(vals)[1] if e["metric"] == "accuracy" else min(vals)[1]
            assert e["best_lr"] == best
    assert read_json(out / "config.json")["kind"] == "benchmark"


def test_test_metric_is_mean_and_sample_std_over_seeds(bench):
    _, metrics = bench
    for p in PROBLEMS:
        for r in RULES:
            e = metrics["problems"][p][r]
            x = np.asarray(e["test"], dtype=float)
            assert x.size == 3
            mean, std = x.sum() / 3, math.sqrt(((x - x.sum() / 3) ** 2).sum() / 2)
            assert e["test_mean"] == pytest.approx(mean) and e["test_std"] == pytest.approx(std)
            if p == "digits":  # accuracies on the 297 test images
                assert all(abs(v * 297 - round(v * 297)) < 1e-6 for v in x)
            short = "acc" if p == "digits" else "loss"
            assert metrics["summary"][f"{p} {r} test {short}"].startswith(f"{mean:.4g} ± ")


def test_performance_profile_matches_its_definition(bench):
    out, metrics = bench
    times, taus = metrics["time_to_target"], metrics["profile"]["tau"]
    t = {
        p: {r: (math.inf if v in (None, "inf") else v) for r, v in per.items()}
        for p, per in times.items()
    }
    assert taus[0] == 1.0 and all(b > a for a, b in zip(taus, taus[1:], strict=False))
    for r in RULES:
        rho = metrics["profile"]["rho"][r]
        assert all(0.0 <= v <= 1.0 for v in rho)
        assert all(b >= a for a, b in zip(rho, rho[1:], strict=False))  # monotone in τ
        for tau, value in zip(taus, rho, strict=False):
            solved = [
                p for p in t if math.isfinite(t[p][r]) and t[p][r] <= tau * min(t[p].values())
            ]
            assert value == pytest.approx(len(solved) / len(t))
    for name in ("sensitivity.png", "performance_profile.png"):
        assert (out / name).read_bytes()[:4] == b"\x89PNG"


def test_seed_reruns_are_trials_of_their_own_study(bench):
    out, metrics = bench
    study = journal_study(out, "bench-noisy-quadratic-sgd-seeds", "benchmark.journal")
    trials = [t for t in study.trials if t.state == TrialState.COMPLETE]
    assert sorted(t.params["seed"] for t in trials) == [1, 2, 3]
    lr = metrics["problems"]["noisy-quadratic"]["sgd"]["best_lr"]
    assert all(t.user_attrs["lr"] == lr for t in trials)


def test_profile_by_hand():
    # p1: a takes 1 s, b 2 s; p2: a never gets there, b takes 3 s
    taus, rho = profile(
        {"p1": {"a": 1.0, "b": 2.0}, "p2": {"a": math.inf, "b": 3.0}}, taus=[1.0, 1.5, 2.0, 10.0]
    )
    assert rho["a"] == [0.5, 0.5, 0.5, 0.5]
    assert rho["b"] == [0.5, 0.5, 1.0, 1.0]


def test_time_to_target_counts_from_the_first_epoch():
    p = make_problem("digits", target=0.8)
    assert time_to_target(p, [0.9, 0.5, 0.85, 0.95], [0.0, 1.0, 2.5, 4.0]) == (2.0, 2.5)
    assert time_to_target(p, [0.1, 0.5], [0.0, 1.0]) == (math.inf, math.inf)
    q = make_problem("noisy-quadratic", target=0.1)
    assert time_to_target(q, [5.0, 0.2, 0.05], [0.0, 0.1, 0.2]) == (2.0, 0.2)


def test_noiseless_quadratic_follows_the_closed_form():
    # one coordinate, h = 2, σ = 0: x ← (1 − lr·h) x, so f shrinks by (1 − lr·h)² per step
    q = NoisyQuadratic(dim=1, h_min=2.0, h_max=2.0, sigma=0.0, steps_per_epoch=5)
    r = q.run("sgd", 0.1, seed=0, epochs=3)
    ratios = np.asarray(r["val"][1:]) / np.asarray(r["val"][:-1])
    assert np.allclose(ratios, (1 - 0.1 * 2.0) ** 10, rtol=1e-12)


def test_noise_keeps_sgd_at_its_stationary_loss():
    # with noise σ, SGD on f = ½ h x² settles at E f = ½ h · lr σ² / (h (2 − lr h))
    q = NoisyQuadratic(dim=400, h_min=1.0, h_max=1.0, sigma=0.5, steps_per_epoch=200)
    r = q.run("sgd", 0.1, seed=0, epochs=2)
    expected = 400 * 0.5 * 0.1 * 0.25 / (2 - 0.1)
    assert r["val"][-1] == pytest.approx(expected, rel=0.15)
