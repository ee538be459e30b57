"""The scoring rules of the benchmark, by hand: profile area, ranking against
the seed spread, edge warnings, automatic targets, the PyTorch mapping."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainlab.optim import create, from_torch
from trainlab.report.benchmark_page import torch_equivalent, train_command
from trainlab.tune.problems import make_problem
from trainlab.tune.protocol import (
    auto_target,
    edge_warnings,
    profile,
    profile_area,
    ranking,
    recommend,
    steps_to_target,
)


def test_area_of_a_step_profile():
    # p1: a 1 s, b 2 s; p2: a misses, b 3 s → ρ_a = ½ everywhere; ρ_b = ½ below τ=2, then 1
    taus, rho = profile(
        {"p1": {"a": 1.0, "b": 2.0}, "p2": {"a": math.inf, "b": 3.0}}, taus=np.linspace(1, 4, 3001)
    )
    assert profile_area(taus, rho["a"]) == pytest.approx(0.5)
    assert profile_area(taus, rho["b"]) == pytest.approx((0.5 * 1 + 1.0 * 2) / 3, abs=1e-3)


def test_ranking_by_hand():

    def e(m, s):
        return {"metric": "accuracy", "test_mean": m, "test_std": s}

    rows = ranking({"a": e(0.90, 0.01), "b": e(0.895, 0.02), "c": e(0.80, 0.01)})
    assert [r["rule"] for r in rows] == ["a", "b", "c"]
    assert [r["exceeds_spread"] for r in rows] == [False, False, True]
    assert rows[2]["gap_to_best"] == pytest.approx(0.1) and rows[2]["spread"] == 0.01
    loss = {"x": {**e(0.3, 0.1), "metric": "mse"}, "y": {**e(0.1, 0.01), "metric": "mse"}}
    assert [r["rule"] for r in ranking(loss)] == ["y", "x"]  # lower is better
    per = {
        "a": {**e(0.9, 0.01), "median_steps_to_target": 50, "median_seconds_to_target": 1},
        "b": {**e(0.895, 0.02), "median_steps_to_target": 20, "median_seconds_to_target": 2},
        "c": {**e(0.8, 0.01), "median_steps_to_target": 5, "median_seconds_to_target": 1},
    }
    rec = recommend(per, rows)
    assert rec["rule"] == "b" and rec["tied"] == ["a", "b"]  # c is faster but worse


def test_a_rule_tied_only_through_a_failed_seed_is_not_recommended():
    # seeds 0.895 and 0.074: mean 0.48, std 0.58, so "tied" with a (0.90 ± 0.002), and
    # faster to the target, but its mean is far outside a's own spread
    per = {
        "a": {
            "metric": "accuracy",
            "test_mean": 0.90,
            "test_std": 0.002,
            "median_steps_to_target": 12,
            "median_seconds_to_target": 0.01,
        },
        "d": {
            "metric": "accuracy",
            "test_mean": 0.4845,
            "test_std": 0.58,
            "median_steps_to_target": 10,
            "median_seconds_to_target": 0.9,
        },
    }
    rows = ranking(per)
    assert [r["exceeds_spread"] for r in rows] == [False, False]
    rec = recommend(per, rows)
    assert rec["rule"] == "a" and rec["tied"] == ["a", "d"]


def test_edge_warnings_grid_and_range():
    grid = {"lr": {"low": 1e-3, "high": 1.0, "log": True, "grid": True}}
    assert edge_warnings("p r", {"lr": 1e-3}, grid)[0].startswith(
        "p r: best lr 0.001 is at the bottom"
    )
    assert edge_warnings("p r", {"lr": 0.01}, grid) == []
    rng = {
        "wd": {"low": 1e-6, "high": 1e-2, "log": True, "grid": False},
        "m": {"low": 0.5, "high": 0.99, "log": False, "grid": False},
    }
    assert len(edge_warnings("p", {"wd": 8e-3, "m": 0.7}, rng)) == 1  # log10 share 0.98
    assert edge_warnings("p", {"wd": 1e-4, "m": 0.52}, rng)[0].startswith(
        "p: best m 0.52 is at the bottom"
    )


def test_auto_target_and_steps():
    assert auto_target("accuracy", 0.8) == pytest.approx(0.76)
    assert auto_target("mse", 0.19) == pytest.approx(0.2)
    p = make_problem("digits", target=0.8)
    assert steps_to_target(p, [0.1, 0.5, 0.85], [0, 12, 24]) == 24
    assert steps_to_target(p, [0.1, 0.5], [0, 12]) == math.inf


@pytest.mark.parametrize(
    "rule, opts",
    [
        ("sgd", {"lr": 0.1}),
        ("momentum", {"lr": 0.05, "momentum": 0.8}),
        ("nesterov", {"lr": 0.05, "momentum": 0.7}),
        ("rmsprop", {"lr": 0.01}),
        ("adam", {"lr": 0.002, "beta1": 0.85}),
        ("adamw", {"lr": 0.002}),
    ],
)
def test_pytorch_equivalent_maps_back_to_the_rule(rule, opts):
    cls, kw, note = torch_equivalent(rule, {**opts, "weight_decay": 1e-4})
    mine, back = create(rule, **opts), from_torch(cls, **kw)
    for a in ("lr", "momentum", "beta1", "beta2", "decay_rate"):
        if hasattr(mine, a):
            assert getattr(back, a) == pytest.approx(getattr(mine, a)), a
    assert "weight_decay" not in kw or rule == "adamw"  # the net's L2 goes in a param group
    assert ("eps" in note) == (rule == "adam")


def test_train_command_quotes_paths():
    cmd = train_command(
        {
            "file": {
                "data": "my data.csv",
                "target": "y",
                "seed": 2,
                "hidden": [8],
                "batch_size": 10,
            }
        },
        "momentum",
        {"lr": 0.1, "momentum": 0.9, "weight_decay": 1e-4},
        {"epochs": 5},
    )
    assert cmd == (
        "trainlab train --data 'my data.csv' --target y --scale standard "
        "--split-seed 2 --hidden 8 --batch-size 10 --optimizer momentum --lr 0.1 "
        "--weight-decay 0.0001 --opt momentum=0.9 --epochs 5 --seed 1"
    )


@pytest.mark.parametrize(
    "rule, opts, tol",
    [
        ("momentum", {"lr": 0.05, "momentum": 0.8}, 1e-12),
        ("nesterov", {"lr": 0.05, "momentum": 0.7}, 1e-12),
        ("rmsprop", {"lr": 0.01}, 1e-12),
        ("adam", {"lr": 0.01, "beta1": 0.85}, 1e-5),
    ],
)
def test_the_pages_pytorch_line_takes_the_same_steps_in_torch(rule, opts, tol):
    import torch

    cls, kw, _ = torch_equivalent(rule, opts)
    rng = np.random.default_rng(0)
    h, w0 = rng.uniform(0.5, 2.0, 6), rng.standard_normal(6)
    mine, params = create(rule, **opts), {"w": w0.copy()}
    w = torch.tensor(w0.copy(), requires_grad=True)
    theirs = getattr(torch.optim, cls)([w], **kw)
    for _ in range(20):  # f(w) = ½ Σ h w²
        mine.update(params, {"w": h * params["w"]})
        theirs.zero_grad()
        (0.5 * (torch.tensor(h) * w * w).sum()).backward()
        theirs.step()
    assert np.allclose(params["w"], w.detach().numpy(), rtol=tol, atol=tol)
