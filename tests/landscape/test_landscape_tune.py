"""The fair tuning objective: mean f over the whole path, same budget for every rule."""

import math

import numpy as np
import pytest

import trainlab.landscape.tune as tune_mod
from trainlab.errors import ConfigError
from trainlab.landscape import trace, tune_lr
from trainlab.optim import create

SIX = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]


def sgd_bowl_objective(lr, x0=-7.0, y0=2.0, steps=30):
    """SGD on x^2/20 + y^2 in closed form: x_k = x0 (1 - lr/10)^k, y_k = y0 (1 - 2 lr)^k."""
    k = np.arange(steps + 1)
    x, y = x0 * (1 - lr / 10) ** k, y0 * (1 - 2 * lr) ** k
    f = x**2 / 20 + y**2
    return float(np.mean(f)) if np.all(np.isfinite(f)) else math.inf


def test_sgd_on_the_bowl_picks_the_best_grid_rate_of_the_closed_form():
    t = tune_lr("bowl", "sgd", start=(-7, 2), steps=30)
    lrs = np.geomspace(1e-4, 10, 25)
    want = [sgd_bowl_objective(lr) for lr in lrs]
    np.testing.assert_allclose(t.lrs, lrs, rtol=1e-15)
    np.testing.assert_allclose(t.scores, want, rtol=1e-9)
    assert t.lr == lrs[int(np.argmin(want))]
    assert t.evaluations == 25


def beale(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


@pytest.mark.parametrize("name", SIX)
def test_tuned_rate_minimises_the_mean_value_over_the_path(name):
    start, steps, lrs = (1.0, 1.5), 25, np.geomspace(1e-4, 10, 9)
    t = tune_lr("beale", name, start=start, steps=steps, points=9)
    want = []
    for lr in lrs:
        tr = trace("beale", create(name, lr=lr), start=start, steps=steps)
        v = beale(tr.points[:, 0], tr.points[:, 1])
        want.append(math.inf if tr.diverged else float(np.mean(v)))
    assert t.lrs == list(lrs)
    np.testing.assert_allclose(t.scores, want, rtol=1e-12)
    assert any(math.isfinite(w) for w in want)
    assert t.lr == lrs[int(np.argmin(want))] and t.score == min(want)


def test_a_diverged_path_scores_infinity_and_is_never_chosen():
    t = tune_lr("bowl", "sgd", start=(-7, 2), steps=200, points=5, low=1e-2, high=10)
    assert t.scores[-1] == math.inf  # lr 10: y grows as 19^k and overflows
    assert t.lr < 1.0


def test_every_rule_gets_the_same_budget(monkeypatch):
    calls = []
    real = tune_mod.trace

    def counting(function, optimizer, start, steps):
        calls.append((type(optimizer).__name__, optimizer.lr, start, steps))
        return real(function, optimizer, start, steps)

    monkeypatch.setattr(tune_mod, "trace", counting)
    per_rule = {}
    for name in SIX:
        before = len(calls)
        tune_lr("himmelblau", name, start=(-0.5, -1.5), steps=15, points=7, refine=3)
        per_rule[name] = calls[before:]
    counts = {k: len(v) for k, v in per_rule.items()}
    assert set(counts.values()) == {10}, counts
    grids = {tuple(round(lr, 15) for _, lr, _, _ in v[:7]) for v in per_rule.values()}
    assert len(grids) == 1  # the same grid for everyone
    assert {(c[2], c[3]) for v in per_rule.values() for c in v} == {((-0.5, -1.5), 15)}


def test_golden_section_refines_inside_the_bracket():
    t = tune_lr("bowl", "sgd", start=(-7, 2), steps=30, points=25, refine=8)
    grid = np.geomspace(1e-4, 10, 25)
    i = int(np.argmin(t.scores[:25]))
    assert t.evaluations == 33
    assert all(grid[max(i - 1, 0)] <= lr <= grid[min(i + 1, 24)] for lr in t.lrs[25:])
    for lr, s in zip(t.lrs[25:], t.scores[25:], strict=False):
        assert s == pytest.approx(sgd_bowl_objective(lr), rel=1e-9)
    assert t.score <= min(t.scores[:25])
    # the refined rate is within a hair of the best of a fine scan of the closed form
    fine = np.geomspace(grid[max(i - 1, 0)], grid[min(i + 1, 24)], 2001)
    best = min(sgd_bowl_objective(lr) for lr in fine)
    assert t.score <= best * (1 + 1e-3)


@pytest.mark.parametrize(
    "kwargs",
    [dict(points=1), dict(low=1.0, high=0.1), dict(low=0.0), dict(refine=-1), dict(refine=1.5)],
)
def test_bad_tuning_settings_are_refused(kwargs):
    with pytest.raises(ConfigError):
        tune_lr("bowl", "sgd", steps=5, **kwargs)
