"""``trainlab tune`` end to end on tiny budgets: listing, figures, test set, samplers."""

from __future__ import annotations

import itertools
import math
import os
import re

import numpy as np
import pytest
from optuna.trial import TrialState
from tune_testkit import N_TEST, N_VAL, is_fraction_of, journal_study, tune

from trainlab.data import load
from trainlab.io import read_json
from trainlab.nn import MultiLayerNet

LINE = re.compile(
    r"^Best-(\d+)\(val acc:([0-9.e-]+)\) \| lr:([0-9.e+-]+), weight decay:([0-9.e+-]+)$"
)


@pytest.fixture(scope="module")
def random_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("random")
    assert tune(out, "--trials", "10", "--sampler", "random") == 0
    return out


def test_listing_is_the_notes_format_sorted_by_validation_accuracy(random_run):
    lines = (random_run / "best_trials.txt").read_text().splitlines()
    assert lines[0] == "=========== Hyper-Parameter Optimization Result ==========="
    rows = [LINE.match(s) for s in lines[1:]]
    assert all(rows) and len(rows) == 10
    assert [int(m[1]) for m in rows] == list(range(1, 11))
    accs = [float(m[2]) for m in rows]
    assert accs == sorted(accs, reverse=True)
    # every line is a trial of the study, read back with Optuna itself
    study = journal_study(random_run)
    trials = {(t.params["lr"], t.params["weight_decay"]): t.value for t in study.trials}
    for m in rows:
        assert trials[(float(m[3]), float(m[4]))] == float(m[2])
        assert is_fraction_of(float(m[2]), N_VAL)  # an accuracy on the 40 validation samples
        lr, wd = float(m[3]), float(m[4])
        assert 1e-6 <= lr <= 1e-2 and 1e-8 <= wd <= 1e-4


def test_outputs_follow_the_run_folder_convention(random_run):
    config, metrics = read_json(random_run / "config.json"), read_json(random_run / "metrics.json")
    assert config["kind"] == "tune" and config["trials"] == 10 and config["epochs"] == 3
    s = metrics["summary"]
    assert s["trials complete"] == 10 and s["trials pruned"] == 0 and s["trials failed"] == 0
    best = journal_study(random_run).best_trial
    assert s["best val acc"] == best.value and s["best lr"] == best.params["lr"]
    test_acc = s["test acc of best (retrained once, after the search)"]
    assert is_fraction_of(test_acc, N_TEST) and test_acc == metrics["best"]["test_acc"]
    # retraining with the trial's seed reproduces its validation accuracy exactly
    assert metrics["best"]["retrained_val_acc"] == best.value
    for name in ("best_trials.png", "search_space.png"):
        assert (random_run / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_suggested_range_holds_the_top_trials_and_is_narrower(random_run):
    metrics = read_json(random_run / "metrics.json")
    study = journal_study(random_run)
    top = sorted(study.trials, key=lambda t: (-t.value, t.number))[:5]
    for name, (low, high) in (("lr", (1e-6, 1e-2)), ("weight_decay", (1e-8, 1e-4))):
        lo, hi = metrics["suggested"][name]
        values = [t.params[name] for t in top]
        assert lo <= min(values) and max(values) <= hi
        assert low <= lo < hi <= high
        assert math.log10(hi / lo) < math.log10(high / low)
    text = metrics["summary"]["suggested next space"]
    specs = re.findall(r"--space (\w+)=([0-9.e+-]+):([0-9.e+-]+):log", text)
    assert [s[0] for s in specs] == ["lr", "weight_decay"]
    for name, lo, hi in specs:
        assert float(lo) == pytest.approx(metrics["suggested"][name][0], rel=1e-3)
        assert float(hi) == pytest.approx(metrics["suggested"][name][1], rel=1e-3)


def test_the_test_set_is_used_once_after_the_search(tmp_path, monkeypatch):
    (_, _), (x_test, _) = load("digits")
    calls = []
    original = MultiLayerNet.evaluate

    def spy(self, x, t, *a, **k):
        calls.append(len(x) == len(x_test) and np.array_equal(x, x_test))
        return original(self, x, t, *a, **k)

    monkeypatch.setattr(MultiLayerNet, "evaluate", spy)
    assert tune(tmp_path, "--trials", "3") == 0
    # 3 trials × (1 + 3 epochs) × (train, val), the retrain the same, then one test evaluation
    assert len(calls) == 4 * 4 * 2 + 1
    assert calls[-1] is True and not any(calls[:-1])


def test_tpe_sampler_runs(tmp_path):
    assert tune(tmp_path, "--trials", "6", "--sampler", "tpe") == 0
    trials = journal_study(tmp_path).trials
    assert len(trials) == 6 and all(t.state == TrialState.COMPLETE for t in trials)
    assert len({t.params["lr"] for t in trials}) == 6


def test_grid_sampler_covers_the_grid(tmp_path):
    assert (
        tune(
            tmp_path,
            "--trials",
            "10",
            "--sampler",
            "grid",
            "--grid-points",
            "2",
            "--space",
            "lr=1e-3:1e-1:log",
            "--space",
            "weight_decay=1e-8:1e-4:log",
        )
        == 0
    )
    trials = journal_study(tmp_path).trials
    expected = set(itertools.product([1e-3, 1e-1], [1e-8, 1e-4]))  # 2 × 2 < 10 trials
    assert {(t.params["lr"], t.params["weight_decay"]) for t in trials} == expected
    assert len(trials) == 4


def test_median_pruner_stops_hopeless_trials(tmp_path):
    # most of this range cannot learn in 5 epochs: those trials fall below the median
    assert (
        tune(
            tmp_path,
            "--trials",
            "14",
            "--epochs",
            "5",
            "--pruner",
            "median",
            "--space",
            "lr=1e-7:3e-1:log",
        )
        == 0
    )
    trials = journal_study(tmp_path).trials
    pruned = [t for t in trials if t.state == TrialState.PRUNED]
    assert pruned and len(trials) == 14
    for t in pruned:
        assert len(t.user_attrs["val_acc"]) - 1 == len(t.intermediate_values) < 5
    read = read_json(tmp_path / "metrics.json")["summary"]
    assert read["trials pruned"] == len(pruned)


def test_diverging_trials_are_failed_and_the_study_goes_on(tmp_path):
    # the ½λΣW² penalty alone makes W ← (1 − lr·λ) W: it blows up once lr·λ > 2
    assert (
        tune(
            tmp_path,
            "--trials",
            "8",
            "--space",
            "lr=0.05:0.5:log",
            "--space",
            "weight_decay=1e-3:1e4:log",
        )
        == 0
    )
    trials = journal_study(tmp_path).trials
    failed = [t for t in trials if t.state == TrialState.FAIL]
    assert len(trials) == 8 and failed and len(failed) < 8
    for t in failed:
        assert t.user_attrs["fail_reason"].startswith("diverged")
        assert not t.user_attrs.get("lost")
        assert t.params["lr"] * t.params["weight_decay"] > 2
    assert read_json(tmp_path / "metrics.json")["summary"]["trials failed"] == len(failed)


def test_rerunning_resumes_the_study(tmp_path):
    assert tune(tmp_path, "--trials", "3") == 0
    first = [(t.number, t.params, t.value) for t in journal_study(tmp_path).trials]
    assert tune(tmp_path, "--trials", "9") == 0
    again = journal_study(tmp_path).trials
    assert len(again) == 9 and [(t.number, t.params, t.value) for t in again[:3]] == first
    assert tune(tmp_path, "--trials", "9") == 0  # nothing left to do
    assert len(journal_study(tmp_path).trials) == 9


def test_resuming_with_other_settings_is_refused(tmp_path, capsys):
    assert tune(tmp_path, "--trials", "1") == 0
    capsys.readouterr()
    assert tune(tmp_path, "--trials", "2", "--epochs", "4") == 2
    err = capsys.readouterr().err.strip()
    assert "other settings (epochs)" in err and len(err.splitlines()) == 1


def test_two_worker_processes_share_the_journal(tmp_path):
    longer = ["--trials", "12", "--epochs", "120", "--train-size", "300"]  # ~0.1 s a trial
    assert tune(tmp_path, *longer, "--workers", "2") == 0
    trials = journal_study(tmp_path).trials
    assert sorted(t.number for t in trials) == list(range(12))
    assert all(t.state == TrialState.COMPLETE for t in trials)
    pids = {t.user_attrs["worker"]["pid"] for t in trials}
    assert len(pids) == 2 and os.getpid() not in pids  # two worker processes did the work
    # trial k's values depend on the seed and k only: a one-worker run draws the same
    one = tmp_path / "one"
    assert tune(one, *longer) == 0
    assert [t.params for t in journal_study(one).trials] == [t.params for t in trials]


def test_trials_see_the_notes_split_of_the_normalised_data_read_only():
    from trainlab.data import train_val_split
    from trainlab.tune.objective import Setup, load_split

    setup = Setup(dataset="digits", train_size=300, val_ratio=0.2, seed=5)
    (x, t), (xv, tv), (x_test, t_test), _ = load_split(setup)
    # the reference: normalise everything, then take the first 300 and split them
    (x_all, t_all), test = load("digits")
    rng = np.random.default_rng(np.random.SeedSequence([5, 0]))
    (rx, rt), (rxv, rtv) = train_val_split(x_all[:300], t_all[:300], 0.2, rng)
    for mine, ref in ((x, rx), (t, rt), (xv, rxv), (tv, rtv), (x_test, test[0]), (t_test, test[1])):
        assert mine.dtype == ref.dtype and np.array_equal(mine, ref)
        assert not mine.flags.writeable
    assert load_split(setup)[0][0] is x  # loaded once per process
