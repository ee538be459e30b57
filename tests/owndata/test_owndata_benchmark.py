"""``trainlab benchmark`` on a practitioner's problems: a --data file and a
--problem factory, the declared space, the scoring and the page."""

from __future__ import annotations

import math
import re
import shlex
import sys

import numpy as np
import pytest
from owndata_testkit import class_csv, reg_npz

from trainlab.cli import main
from trainlab.io import read_json
from trainlab.tune.protocol import AUTO_FRACTION, TAUS

FACTORY = """
import numpy as np
from trainlab.tune.problems import Problem


def make():
    def data():
        rng = np.random.default_rng(0)
        x = rng.standard_normal((300, 6)).astype(np.float32)
        t = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
        return (x[:200], t[:200]), (x[200:250], t[200:250]), (x[250:], t[250:])
    return Problem(name="halfplane", data=data, metric="accuracy", target=0.8,
                   hidden=(16,), batch_size=20)


def broken():
    return 42
"""
RULES = ["sgd", "momentum", "adam"]


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    root = tmp_path_factory.mktemp("own")
    (root / "own_problem.py").write_text(FACTORY, encoding="utf-8")
    sys.path.insert(0, str(root))
    out = root / "bench"
    try:
        code = main(
            [
                "benchmark",
                "--data",
                str(class_csv(root)),
                "--target",
                "animal",
                "--problem",
                "own_problem:make",
                "--optimizers",
                ",".join(RULES),
                "--lr-grid",
                "1e-3:1:4",
                "--space",
                "weight_decay=1e-6:1e-3:log",
                "--space",
                "momentum=0.5:0.95",
                "--no-centre-lr",
                "--trials",
                "3",
                "--seeds",
                "3",
                "--epochs",
                "3",
                "--hidden",
                "16",
                "--batch-size",
                "30",
                "--quiet",
                "--out",
                str(out),
            ]
        )
    finally:
        sys.path.remove(str(root))
    assert code == 0
    return out, read_json(out / "metrics.json"), root


def test_every_rule_gets_the_same_draws_and_budget(bench):
    _, m, _ = bench
    assert set(m["problems"]) == {"blobs", "halfplane"} and m["budget_per_rule"] == 3
    assert m["space"]["weight_decay"] == {"low": 1e-6, "high": 1e-3, "log": True, "grid": False}
    for per in m["problems"].values():
        draws = [
            sorted(
                (t["params"]["lr"], t["params"]["weight_decay"], t["params"]["momentum"])
                for t in per[r]["tuned"]
            )
            for r in RULES
        ]
        assert draws[0] == draws[1] == draws[2] and len(draws[0]) == 3
        for r in RULES:
            lr, wd = per[r]["best_params"]["lr"], per[r]["best_params"]["weight_decay"]
            assert 1e-3 <= lr <= 1 and 1e-6 <= wd <= 1e-3
        # the rule's own name for the shared "momentum": none for sgd, beta1 for adam
        assert "momentum" not in per["sgd"]["options"] and "beta1" not in per["sgd"]["options"]
        assert per["momentum"]["options"]["momentum"] == per["momentum"]["best_params"]["momentum"]
        assert per["adam"]["options"]["beta1"] == per["adam"]["best_params"]["momentum"]


def test_automatic_and_given_targets_are_stated(bench):
    _, m, _ = bench
    assert m["targets"]["halfplane"] == {"value": 0.8, "how": "given"}
    auto = m["targets"]["blobs"]
    best = max(
        t["val"] for r in RULES for t in m["problems"]["blobs"][r]["tuned"] if t["val"] is not None
    )
    assert auto["value"] == pytest.approx(AUTO_FRACTION * best) and auto["how"].startswith(
        "automatic"
    )


def test_time_to_target_in_steps_epochs_and_cpu_seconds(bench):
    _, m, _ = bench
    per_epoch = {"blobs": math.ceil(192 / 30), "halfplane": 200 // 20}
    for p, per in m["problems"].items():
        for e in per.values():
            for ep, st, sec in zip(
                e["epochs_to_target"], e["steps_to_target"], e["seconds_to_target"], strict=False
            ):
                if ep == "inf":
                    assert st == sec == "inf"
                else:
                    assert st == ep * per_epoch[p] and 0 <= sec < 60


def test_profile_has_the_fixed_range_and_its_area(bench):
    _, m, _ = bench
    prof = m["profile"]
    assert prof["tau"][0] == 1.0 and prof["tau"][-1] == 4.0 and len(prof["tau"]) == len(TAUS)
    for r in RULES:
        rho = np.asarray(prof["rho"][r])
        area = np.trapezoid(rho, prof["tau"]) / 3.0
        assert prof["area"][r] == pytest.approx(area) and 0 <= area <= 1
    assert m["overall"] == sorted(
        RULES, key=lambda r: (-prof["area"][r], -m["profile_steps"]["area"][r], r)
    )


def test_ranking_says_which_gaps_exceed_the_seed_spread(bench):
    _, m, _ = bench
    for p, rows in m["ranking"].items():
        per = m["problems"][p]
        means = [per[r["rule"]]["test_mean"] for r in rows]
        assert means == sorted(means, reverse=True)  # accuracies, best first
        best = rows[0]["rule"]
        for r in rows[1:]:
            gap = per[best]["test_mean"] - per[r["rule"]]["test_mean"]
            spread = max(per[best]["test_std"], per[r["rule"]]["test_std"])
            assert r["exceeds_spread"] == (gap > spread)
        rec = m["recommended"][p]
        assert rec["rule"] in [r["rule"] for r in rows if not r["exceeds_spread"]]


def test_the_page_is_self_contained_and_its_command_runs(bench, tmp_path):
    out, m, root = bench
    text = (out / "benchmark.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text
    refs = re.findall(r"(?:src|href)='([^']*)'", text)
    assert refs and all(r.startswith("data:image/png;base64,") for r in refs)
    for word in ("Ranking", "Recommended", "torch.optim.", "from_torch(", "seed spread"):
        assert word in text
    cmd = re.search(r"<pre>(trainlab train --data [^<]*)</pre>", text).group(1)
    argv = shlex.split(cmd.replace("&#x27;", "'"))[1:]
    assert argv[argv.index("--optimizer") + 1] == m["recommended"]["blobs"]["rule"]
    assert main([*argv, "--quiet", "--out", str(tmp_path / "again")]) == 0


def test_edge_warnings_reach_metrics_and_stderr(tmp_path, capsys):
    out = tmp_path / "b"
    assert (
        main(
            [
                "benchmark",
                "--data",
                str(reg_npz(tmp_path)),
                "--optimizers",
                "sgd",
                "--lr-grid",
                "1e-6:1e-5:2",
                "--no-centre-lr",
                "--seeds",
                "2",
                "--epochs",
                "2",
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )  # tiny rates: the best is the top one
    m = read_json(out / "metrics.json")
    assert m["problems"]["linear"]["sgd"]["metric"] == "mse"
    warning = "linear sgd: best lr 1e-05 is at the top of its range [1e-06, 1e-05]"
    assert any(w.startswith(warning) for w in m["warnings"])
    assert f"warning: {warning}" in capsys.readouterr().err


def test_a_factory_that_returns_no_problem_is_one_line(tmp_path, capsys, bench):
    _, _, root = bench
    sys.path.insert(0, str(root))
    try:
        assert (
            main(["benchmark", "--problem", "own_problem:broken", "--out", str(tmp_path / "x")])
            == 2
        )
        assert main(["benchmark", "--problem", "own_problem", "--out", str(tmp_path / "x")]) == 2
    finally:
        sys.path.remove(str(root))
    err = capsys.readouterr().err.splitlines()
    assert "broken() returned int, which lacks name, metric, target, run" in err[0]
    assert "write package.module:factory" in err[1] and not (tmp_path / "x").exists()


def test_the_file_problem_keeps_its_mapping_and_split(bench):
    out, _, _ = bench
    from trainlab.data.prepared import split_indices

    info = read_json(out / "config.json")["data_info"]["blobs"]
    assert info["classes"] == ["cat", "dog", "fox"] and info["task"] == "classification"
    split = read_json(out / "splits.json")
    assert split["val"] == split_indices(300, 0.2, 0.2, 0)["val"].tolist()
