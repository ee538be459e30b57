"""``trainlab benchmark`` for the practitioner: every rule, lr grids centred on
each rule's typical lr, each rule at its defaults beside tuned, and the
recommendation as a library call."""

from __future__ import annotations

import numpy as np
import pytest
from optuna.trial import TrialState
from tune_testkit import journal_study

from trainlab.cli import main
from trainlab.io import read_json, write_json
from trainlab.optim import RULES, from_reference, from_torch
from trainlab.report.benchmark_calls import library_call
from trainlab.report.benchmark_page import write_page
from trainlab.tune.benchmark_spec import centring
from trainlab.tune.plan import declared, search_space
from trainlab.tune.problems import make_problem

QUICK_GRID = 10.0 ** np.linspace(-3, 0, 4)  # --quick: 1e-3:1:4


def bench(out, rules, *extra):
    argv = ["benchmark", "--quick", "--problems", "noisy-quadratic", "--optimizers"]
    argv += [",".join(rules), "--quiet", "--out", str(out), *extra]
    assert main(argv) == 0
    return read_json(out / "metrics.json")


@pytest.fixture(scope="module")
def centred(tmp_path_factory):
    out = tmp_path_factory.mktemp("centred")
    return out, bench(out, ["adamw", "sgd"], "--seeds", "2")  # centred by default


def test_every_rule_runs_through_the_benchmark(tmp_path):
    metrics = bench(tmp_path, list(RULES), "--lr-grid", "1e-3:1e-2:2", "--epochs", "1")
    per = metrics["problems"]["noisy-quadratic"]
    assert sorted(per) == sorted(RULES)
    for rule, e in per.items():
        assert len(e["test"]) == 2 and len(e["defaults"]["test"]) == 2, rule


def test_centred_grids_are_adamws_times_the_rules_typical_lr(centred):
    out, metrics = centred
    per = metrics["problems"]["noisy-quadratic"]
    assert np.allclose(per["adamw"]["sensitivity"]["lr"], QUICK_GRID, rtol=1e-9)
    # SGD's typical lr relative to AdamW's (benchmarks/bench_relative_lr.py)
    factor = RULES["sgd"].lr_vs_adamw
    assert np.allclose(per["sgd"]["sensitivity"]["lr"], factor * QUICK_GRID, rtol=1e-9)
    assert read_json(out / "config.json")["centre_lr"] is True


def test_defaults_are_the_rules_own_lr_on_the_same_seeds(centred):
    out, metrics = centred
    problem = make_problem("noisy-quadratic", quick=True)
    for rule, default_lr in (("sgd", 0.01), ("adamw", 0.001)):  # the rules' documented defaults
        d = metrics["problems"]["noisy-quadratic"][rule]["defaults"]
        assert d["options"] == {"lr": default_lr}
        study = journal_study(out, f"bench-noisy-quadratic-{rule}-defaults", "benchmark.journal")
        done = [t for t in study.trials if t.state == TrialState.COMPLETE]
        assert sorted(t.params["seed"] for t in done) == [1, 2]
        again = [problem.run(rule, default_lr, s, 4, test=True)["test"] for s in (1, 2)]
        assert d["test"] == pytest.approx(again)
        assert d["test_mean"] == pytest.approx(np.mean(again))
        assert d["test_std"] == pytest.approx(np.std(again, ddof=1))


def test_page_shows_defaults_beside_tuned_and_the_call(centred):
    out, metrics = centred
    plan = {**read_json(out / "config.json"), "protocol_text": "lr grid"}
    text = write_page(out, plan, metrics).read_text(encoding="utf-8")
    assert "At the defaults and tuned" in text and "Crowded Valley" in text
    assert "lr range above is AdamW" in text  # centred
    rec = metrics["recommended"]["noisy-quadratic"]
    lr = rec["options"]["lr"]
    expected = {"sgd": f"torch.optim.SGD(model.parameters(), lr={lr!r})"}
    expected["adamw"] = f"torch.optim.AdamW(model.parameters(), lr={lr!r})"
    assert rec["call"] == expected[rec["rule"]]
    assert expected[rec["rule"]] in text


def test_library_call_of_a_reference_rule_and_the_penalty():
    code, check = library_call("lion", {"lr": 3e-4, "weight_decay": 1e-4})
    assert code.splitlines()[0] == "optimizer = lion_pytorch.Lion(model.parameters(), lr=0.0003)"
    assert "5e-05 * sum(p.pow(2).sum()" in code.splitlines()[1]
    assert check == "from_reference('lion_pytorch.Lion', lr=0.0003)"
    assert from_reference("lion_pytorch.Lion", lr=0.0003).lr == 3e-4
    code, check = library_call("rmsprop", {"lr": 0.01})
    assert check == "from_torch('RMSprop', lr=0.01, eps=1e-07)"  # the notes' eps, not torch's
    assert from_torch("RMSprop", lr=0.01, eps=1e-07).eps == 1e-7
    assert library_call("swats", {"lr": 0.01}) is None


def test_a_declared_space_centres_lrs_range():
    plan = {"lrs": [1e-4, 1.0], "space": ["weight_decay=1e-6:1e-2:log"], "centre_lr": True}
    assert declared(plan, "adamw")["lr"]["low"] == 1e-4
    lr = declared(plan, "rmsprop")["lr"]  # RMSprop's typical lr relative to AdamW's
    factor = RULES["rmsprop"].lr_vs_adamw
    assert (lr["low"], lr["high"]) == pytest.approx((factor * 1e-4, factor))
    assert search_space(plan, "rmsprop")["lr"].high == pytest.approx(factor)
    assert declared({**plan, "centre_lr": False}, "rmsprop")["lr"]["high"] == 1.0


def test_no_centre_lr_gives_every_rule_the_same_grid(tmp_path):
    metrics = bench(tmp_path, ["adamw", "sgd"], "--no-centre-lr", "--seeds", "1", "--epochs", "1")
    for rule in ("adamw", "sgd"):
        lrs = metrics["problems"]["noisy-quadratic"][rule]["sensitivity"]["lr"]
        assert np.allclose(lrs, QUICK_GRID, rtol=1e-9), rule
    assert read_json(tmp_path / "config.json")["centre_lr"] is False


def test_a_benchmark_begun_before_centring_resumes_on_its_own_grid(tmp_path):
    args = ("--seeds", "1", "--epochs", "1")
    bench(tmp_path, ["adamw", "sgd"], "--no-centre-lr", *args)
    config = read_json(tmp_path / "config.json")
    del config["centre_lr"]  # as written before centring was the default
    write_json(tmp_path / "config.json", config)
    assert centring(tmp_path) is False and centring(tmp_path, overwrite=True) is True
    metrics = bench(tmp_path, ["adamw", "sgd"], *args)  # no flag: resumes, not refused
    lrs = metrics["problems"]["noisy-quadratic"]["sgd"]["sensitivity"]["lr"]
    assert np.allclose(lrs, QUICK_GRID, rtol=1e-9)
    assert centring(tmp_path / "elsewhere") is True  # a new folder is centred
