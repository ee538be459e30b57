"""`trainlab landscape` end to end: files, their content, and bad input."""

import json
import math

import numpy as np
import pytest
from PIL import Image

from trainlab.cli import main
from trainlab.landscape import path
from trainlab.optim import RULES, create


def bowl(x, y):
    return x**2 / 20 + y**2


def test_notes_run_writes_a_complete_run_folder(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["landscape", "--animate", "--frames", "8", "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert stdout.strip().splitlines()[-1] == str(out)
    for name in (
        "config.json",
        "metrics.json",
        "paths.json",
        "paths.png",
        "panels.png",
        "values.png",
        "paths.gif",
    ):
        assert (out / name).is_file(), name
    config = json.loads((out / "config.json").read_text())
    assert config["kind"] == "landscape" and config["function"] == "bowl"
    assert config["start"] == [-7.0, 2.0] and config["steps"] == 30
    doc = json.loads((out / "paths.json").read_text())
    notes = {"sgd": 0.95, "momentum": 0.1, "adagrad": 1.5, "adam": 0.3}
    assert list(doc["optimizers"]) == list(notes)
    for name, lr in notes.items():
        rec = doc["optimizers"][name]
        assert rec["lr"] == lr and rec["diverged"] is False
        pts = np.array(rec["points"])
        np.testing.assert_allclose(
            pts, path("bowl", create(name, lr=lr), (-7, 2), 30), rtol=0, atol=1e-12
        )
        np.testing.assert_allclose(rec["values"], bowl(pts[:, 0], pts[:, 1]), rtol=1e-12)
        assert rec["final_value"] == pytest.approx(bowl(*pts[-1]), rel=1e-12)
        assert rec["mean_value"] == pytest.approx(np.mean(bowl(pts[:, 0], pts[:, 1])), rel=1e-12)
    # Newton's reference: the minimum after one step
    np.testing.assert_allclose(doc["newton"]["points"][1], [0.0, 0.0], atol=1e-12)
    summary = json.loads((out / "metrics.json").read_text())["summary"]
    assert all(isinstance(v, (int, float, str)) for v in summary.values())
    assert summary["adagrad mean f"] == pytest.approx(doc["optimizers"]["adagrad"]["mean_value"])
    means = {k: v["mean_value"] for k, v in doc["optimizers"].items()}
    assert summary["best"] == min(means, key=means.get)
    with Image.open(out / "paths.gif") as gif:
        assert 1 < gif.n_frames <= 8
    for png in ("paths.png", "panels.png", "values.png"):
        with Image.open(out / png) as im:
            assert im.format == "PNG" and min(im.size) > 100


def test_tuned_run_records_the_grid_and_its_best(tmp_path, capsys):
    out = tmp_path / "tuned"
    argv = [
        "landscape",
        "--function",
        "beale",
        "--optimizers",
        "sgd,adam",
        "--steps",
        "20",
        "--tune",
        "--tune-points",
        "6",
        "--no-newton",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    stdout = capsys.readouterr().out
    assert "tuned lr: 6 runs per rule" in stdout
    doc = json.loads((out / "paths.json").read_text())
    assert "newton" not in doc
    for name in ("sgd", "adam"):
        tu = doc["tuning"][name]
        np.testing.assert_allclose(tu["lrs"], np.geomspace(1e-4, 10, 6), rtol=1e-15)
        scores = [math.inf if s == "inf" else s for s in tu["scores"]]
        best = tu["lrs"][int(np.argmin(scores))]
        assert tu["lr"] == best == doc["optimizers"][name]["lr"]
        assert tu["evaluations"] == 6
        assert doc["optimizers"][name]["lr_source"] == "tuned"
        assert any(
            line.split()[:2] == [name, f"lr={best:.4g}"] and "(tuned)" in line
            for line in stdout.splitlines()
        )
        # the recorded score is the mean of f over the recorded path
        pts = np.array(doc["optimizers"][name]["points"])
        assert min(scores) == pytest.approx(doc["optimizers"][name]["mean_value"], rel=1e-12)
        assert len(pts) == 21


def test_diverged_rule_is_reported_and_drawn(tmp_path, capsys):
    out = tmp_path / "div"
    argv = [
        "landscape",
        "--lr",
        "sgd=10",
        "--steps",
        "150",
        "--animate",
        "--frames",
        "5",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    stdout = capsys.readouterr().out
    assert "diverged at step 121" in stdout
    doc = json.loads((out / "paths.json").read_text())
    rec = doc["optimizers"]["sgd"]
    assert rec["diverged"] is True and rec["diverged_at"] == 121 and rec["lr_source"] == "given"
    assert rec["final_value"] == "inf"
    assert all(isinstance(v, float) and math.isfinite(v) for p in rec["points"] for v in p)
    assert json.loads((out / "metrics.json").read_text())["summary"]["diverged"] == "sgd"
    assert doc["optimizers"]["momentum"]["diverged"] is False


def test_all_rules_and_a_parametrised_function(tmp_path, capsys):
    out = tmp_path / "q"
    argv = [
        "landscape",
        "--function",
        "quadratic:kappa=50,angle=0",
        "--optimizers",
        "all",
        "--steps",
        "12",
        "--start",
        "3,-4",
        "--lr",
        "sgd=0.5,adam=0.2",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    doc = json.loads((out / "paths.json").read_text())
    assert doc["function"] == "quadratic:kappa=50,angle=0"
    assert set(doc["optimizers"]) == set(RULES)
    # f = (x^2/50 + y^2)/2: SGD lr 0.5 gives x_k = 3 (1 - 0.01)^k, y_k = -4 (0.5)^k
    k = np.arange(13)
    np.testing.assert_allclose(
        np.array(doc["optimizers"]["sgd"]["points"]),
        np.column_stack([3 * 0.99**k, -4 * 0.5**k]),
        rtol=1e-12,
    )
    assert doc["optimizers"]["adam"]["lr"] == 0.2


BAD = [
    ["--function", "nope"],
    ["--function", "quadratic:kappa=0.5"],
    ["--function", "quadratic:kappa"],
    ["--optimizers", "sgd,nope"],
    ["--optimizers", "sgd,sgd"],
    ["--optimizers", ","],
    ["--steps", "0"],
    ["--steps", "-3"],
    ["--steps", "many"],
    ["--start", "1"],
    ["--start", "a,b"],
    ["--start", "nan,1"],
    ["--start", "500,0"],
    ["--lr", "sgd"],
    ["--lr", "sgd=abc"],
    ["--lr", "sgd=-1"],
    ["--lr", "nesterov=0.1"],
    ["--tune", "--tune-points", "1"],
    ["--tune", "--tune-range", "10,1"],
    ["--animate", "--frames", "1"],
]


@pytest.mark.parametrize("extra", BAD, ids=[" ".join(b) for b in BAD])
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, extra):
    out = tmp_path / "bad"
    try:
        code = main(["landscape", *extra, "--out", str(out)])
    except SystemExit as exc:  # argparse's own errors (e.g. a non-integer --steps)
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("trainlab: error:")
    assert not (out / "paths.json").exists()
