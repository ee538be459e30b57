"""The lessons whose effect on the digits is small against the seed-to-seed
spread, checked over 5 seeds with the demo's settings (``--quick`` on digits)."""

from __future__ import annotations

import numpy as np
import pytest
from exp_testkit import cli, isolated_env

from trainlab.experiments import make_config
from trainlab.io import read_json

SEEDS = 5


@pytest.fixture(scope="module")
def overfit(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("overfit-digits")
    with isolated_env(tmp):
        code, _, err = cli(
            "run",
            "overfit",
            "--quick",
            "--seeds",
            SEEDS,
            "--set",
            "ensemble=0",
            "--out",
            tmp / "run",
            "--quiet",
        )
    assert code == 0, err
    return read_json(tmp / "run" / "config.json"), read_json(tmp / "run" / "metrics.json")


def tail(run, name, key):
    return float(np.mean(run[name][key][-10:]))


def test_the_demo_uses_the_digits_settings_and_says_so(overfit):
    config, _ = overfit
    notes = make_config("overfit")
    assert (notes.lr, notes.weight_decay, notes.dropout, notes.dropout_mode) == (
        0.01,
        0.1,
        0.2,
        "notes",
    )
    assert (config["lr"], config["weight_decay"], config["dropout"], config["dropout_mode"]) == (
        0.1,
        0.01,
        0.15,
        "inverted",
    )


def test_weight_decay_narrows_the_gap_and_dropout_narrows_it_further(overfit):
    _, metrics = overfit
    gaps = {
        n: np.array([tail(r, n, "train_acc") - tail(r, n, "test_acc") for r in metrics["runs"]])
        for n in ("none", "weight decay", "dropout")
    }
    assert len(metrics["runs"]) == SEEDS
    assert (
        np.mean(gaps["none"]) > 0.12
        and min(tail(r, "none", "train_acc") for r in metrics["runs"]) > 0.99
    )  # it overfits
    assert np.mean(gaps["weight decay"]) < np.mean(gaps["none"]) - 0.005
    assert np.mean(gaps["dropout"]) < np.mean(gaps["weight decay"])
    assert np.sum(gaps["dropout"] < gaps["none"]) == SEEDS  # every seed
    # on the digits dropout does not starve the net: it fits and tests better than none
    for r in metrics["runs"]:
        assert tail(r, "dropout", "train_acc") > 0.98
        assert tail(r, "dropout", "test_acc") > tail(r, "none", "test_acc")
