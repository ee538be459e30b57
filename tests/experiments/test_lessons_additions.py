"""The lecture's additional methods (``lecture-additions``) on the digits and on
Fashion-MNIST, over three seeds, each claim against what the data shows.

Subset (for speed): 20 epochs instead of 30; on Fashion-MNIST the first 2000
training images (its default) and the whole test set. Margins are several
times the spread measured across seeds and BLAS kernels (docs/figures.md).
Early stopping is checked exactly: the stopped run follows the run that goes
on to the end (same seeds) step for step, so where it stops and what it keeps
are computed here from that run's validation curve.
"""

from __future__ import annotations

import numpy as np
import pytest
from exp_testkit import SHARED, cli, isolated_env

from trainlab.io import read_json


@pytest.fixture(scope="module", params=["digits", "fashion-mnist"])
def runs(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    with isolated_env(tmp):
        code, _, err = cli(
            "run", "lecture-additions", "--dataset", request.param, "--data-dir", SHARED,
            "--seeds", "3", "--set", "epochs=20", "--out", tmp / "r", "--quiet",
        )  # fmt: skip
    assert code == 0, err
    config = read_json(tmp / "r" / "config.json")
    return config, read_json(tmp / "r" / "metrics.json")["runs"]


def final(runs, variant, key="test_acc"):
    return np.array([r[variant][key][-1] for r in runs])


def test_data_sorted_by_class_learns_far_worse_than_shuffled(runs):
    _, rs = runs
    assert np.all(final(rs, "sorted by class") < final(rs, "shuffle") - 0.04)


def test_one_fixed_random_order_stays_near_a_fresh_one_each_epoch(runs):
    _, rs = runs
    gap = final(rs, "shuffle") - final(rs, "fixed order")
    assert abs(gap.mean()) < 0.08, gap  # far from sorted's loss, and not ahead either
    assert np.all(final(rs, "fixed order") > final(rs, "sorted by class") + 0.04)


def test_the_curriculum_makes_fewer_updates_and_is_not_ahead(runs):
    config, rs = runs
    for r in rs:
        assert r["curriculum"]["updates"][-1] < r["shuffle"]["updates"][-1]
        assert r["shuffle"]["updates"][1] == -(-int(r["shuffle"]["updates"][-1]) // 20)
    assert final(rs, "curriculum").mean() < final(rs, "shuffle").mean() + 0.01


def test_early_stopping_stops_by_its_rule_and_keeps_the_best_epoch(runs):
    config, rs = runs
    patience = config["patience"]
    for r in rs:
        full, stopped = r["shuffle"], r["early stopping"]
        val = np.array(full["val_acc"])
        # the rule, from the full run's curve: stop once the best of epochs 1..e
        # has not been beaten for `patience` epochs (epoch 0 is before training)
        best, best_at, stop = -1.0, None, len(val) - 1
        for e in range(1, len(val)):
            if val[e] > best:
                best, best_at = val[e], e
            elif e - best_at >= patience:
                stop = e
                break
        assert len(stopped["val_acc"]) - 1 == stop
        assert stopped["val_acc"] == full["val_acc"][: stop + 1]
        assert stopped["best_epoch"] == best_at
        assert stopped["final"]["val_acc"] == pytest.approx(val[best_at], abs=1e-6)
        assert stopped["final"]["test_acc"] == pytest.approx(full["test_acc"][best_at], abs=1e-6)
    stops = [len(r["early stopping"]["val_acc"]) - 1 for r in rs]
    assert min(stops) < config["epochs"]  # it does stop early on this data
    kept = np.array([r["early stopping"]["final"]["test_acc"] for r in rs])
    # what it keeps is no better than going on to the end (the lecture's "매우 중요" aside)
    assert kept.mean() < final(rs, "shuffle").mean() + 0.01


def test_gradient_noise_of_this_size_changes_little(runs):
    _, rs = runs
    noise, plain = final(rs, "gradient noise"), final(rs, "shuffle")
    assert abs(noise.mean() - plain.mean()) < 0.02
    loss = final(rs, "gradient noise", "train_loss_epoch") / final(
        rs, "shuffle", "train_loss_epoch"
    )
    assert 0.7 < loss.mean() < 1.3, loss
