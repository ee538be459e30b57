"""Search spaces: parsing, grids, narrowed ranges, the seeded random sampler."""

from __future__ import annotations

import math

import numpy as np
import optuna
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainlab.errors import ConfigError
from trainlab.tune.samplers import SeededRandomSampler
from trainlab.tune.space import Param, check_space, grid_values, narrow, parse_param, parse_space


def test_parse_the_notes_ranges():
    space = parse_space(["lr=1e-6:1e-2:log", "weight_decay=1e-8:1e-4:log", "batch_size=16:128:int"])
    assert space["lr"] == Param("lr", 1e-6, 1e-2, log=True)
    assert space["weight_decay"] == Param("weight_decay", 1e-8, 1e-4, log=True)
    assert space["batch_size"] == Param("batch_size", 16, 128, int=True)
    assert parse_param(" momentum = 0.5 : 0.99 ") == Param("momentum", 0.5, 0.99)


@pytest.mark.parametrize(
    "text, words",
    [
        ("lr", "malformed"),
        ("lr=1e-3", "malformed"),
        ("lr=a:b", "numbers"),
        ("=1:2", "malformed"),
        ("lr=1:2:cube", "flag"),
        ("lr=1e-2:1e-6:log", "inverted"),
        ("lr=0.1:0.1", "empty"),
        ("lr=0:1:log", "LOW > 0"),
        ("n=1.5:4:int", "whole"),
        ("lr=1:inf", "finite"),
    ],
)
def test_bad_specs_name_the_problem(text, words):
    with pytest.raises(ConfigError, match=words) as info:
        parse_param(text)
    assert "\n" not in str(info.value)


def test_space_rejects_duplicates_and_emptiness():
    with pytest.raises(ConfigError, match="twice"):
        parse_space(["lr=1:2", "lr=2:3"])
    with pytest.raises(ConfigError, match="empty"):
        parse_space([])


def test_bounds_are_checked_against_the_rule():
    check_space(parse_space(["beta1=0.5:0.99"]), "adam")
    with pytest.raises(ConfigError, match="beta1"):
        check_space(parse_space(["beta1=0.5:1.5"]), "adam")
    with pytest.raises(ConfigError, match="nosuch"):
        check_space(parse_space(["nosuch=1:2"]), "sgd")
    with pytest.raises(ConfigError, match="dropout"):
        check_space(parse_space(["dropout=0.2:1.5"]), "sgd")


def test_grid_is_even_on_the_sampling_axis():
    assert np.allclose(
        grid_values(Param("lr", 1e-4, 1.0, log=True), 5), [1e-4, 1e-3, 1e-2, 1e-1, 1.0], rtol=1e-12
    )
    assert grid_values(Param("m", 0.0, 1.0), 3) == [0.0, 0.5, 1.0]
    assert grid_values(Param("n", 1, 4, int=True), 4) == [1, 2, 3, 4]


def test_narrow_example_by_hand():
    # top values 1e-3, 3e-3, 5e-3: log10 span [-3, -2.30103], widened 10% per side
    p = narrow(Param("lr", 1e-6, 1e-2, log=True), [1e-3, 3e-3, 5e-3])
    span = math.log10(5e-3) + 3
    assert p.low == pytest.approx(10 ** (-3 - 0.1 * span), rel=1e-2) and p.low <= 1e-3
    assert p.high == pytest.approx(10 ** (math.log10(5e-3) + 0.1 * span), rel=1e-2)
    assert p.high >= 5e-3 and p.log
    assert p.spec() == f"lr={p.low:.3g}:{p.high:.3g}:log"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-6, -2), min_size=1, max_size=8))
def test_narrow_contains_the_values_and_stays_inside(logs):
    orig = Param("lr", 1e-6, 1e-2, log=True)
    values = [10.0**u for u in logs]
    p = narrow(orig, values)
    assert orig.low <= p.low <= min(values) and max(values) <= p.high <= orig.high
    # the printed spec, read back, still contains them
    low, high = (float(s) for s in p.spec().split("=")[1].split(":")[:2])
    assert low <= min(values) and max(values) <= high


def test_seeded_random_sampler_is_log_uniform_and_reproducible():
    def draws(seed):
        study = optuna.create_study(sampler=SeededRandomSampler(seed))
        for _ in range(400):
            t = study.ask()
            t.suggest_float("lr", 1e-6, 1e-2, log=True)
            t.suggest_int("n", 1, 4)
            study.tell(t, 0.0)
        return [(t.params["lr"], t.params["n"]) for t in study.trials]

    a = draws(3)
    assert a == draws(3) and a != draws(4)
    u = np.log10([lr for lr, _ in a])
    assert u.min() >= -6 and u.max() <= -2
    # uniform on [-6, -2]: mean -4 (sd of the mean 1.15/20), a quarter below -5
    assert abs(u.mean() + 4) < 0.25
    assert abs(np.mean(u < -5) - 0.25) < 0.08
    assert {n for _, n in a} == {1, 2, 3, 4}
