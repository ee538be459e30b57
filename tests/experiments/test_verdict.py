"""The loss-curve verdict on hand-made curves of the lecture figure's four shapes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.experiments.verdict import ADVICE, classify, verdict

E = np.arange(21)
L0 = math.log(10)


@pytest.mark.parametrize(
    "name, curve, kind",
    [
        ("good: fast fall, levelling off", L0 * np.exp(-E / 3) + 0.05, "healthy"),
        ("low: straight line", L0 - 0.02 * E, "slow"),
        ("bad init: flat", L0 - 1e-4 * E, "plateau"),
        ("very high: blows up", L0 * 1.3**E, "diverging"),
        ("very high: NaN", [L0, 1.5, float("nan"), 2.0], "diverging"),
        ("very high: overflow to inf", [L0, float("inf")], "diverging"),
        ("high: falls, then jumps", [L0, 1.2, 0.8, 1.6, 0.7, 0.6, 1.3, 0.5, 0.5], "spiking"),
        ("high: bounces near the start", [L0, 2.1, 2.9, 2.2, 2.3, 2.25, 2.2], "spiking"),
    ],
)
def test_each_shape_gets_its_verdict(name, curve, kind):
    assert classify(curve) == kind, name


def test_small_wiggles_of_a_healthy_curve_are_not_spikes():
    y = L0 * np.exp(-E / 3) + 0.05
    y[12] += 0.02  # 1% of the fall so far
    assert classify(y) == "healthy"


def test_advice_follows_the_lecture():
    assert verdict(L0 - 0.02 * E) == ("slow", "raise the lr")
    assert verdict(L0 * 1.3**E)[1] == "lower the lr, or raise Adam's eps"
    assert verdict([L0, 1.2, 0.8, 1.6, 0.7])[1] == "lower the lr, or raise Adam's eps"
    assert verdict(L0 - 1e-4 * E)[1] == "check the initial weights"
    assert set(ADVICE) == {"diverging", "spiking", "slow", "plateau", "healthy"}


def test_too_short_a_curve_is_refused():
    with pytest.raises(ConfigError, match="at least 3 points"):
        classify([2.3, 2.2])
