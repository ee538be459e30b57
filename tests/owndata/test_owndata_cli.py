"""``trainlab train|tune|benchmark --data FILE`` end to end, on files the tests
make (a classification CSV, a regression NPZ) and on scikit-learn's breast cancer
set; bad files fail with one line, exit 2, and leave nothing behind."""

from __future__ import annotations

import numpy as np
import pytest
from owndata_testkit import breast_cancer_csv, class_csv, cli, reg_npz, regression
from sklearn.metrics import mean_squared_error as sk_mse

from trainlab.cli import main
from trainlab.data.prepared import split_indices
from trainlab.io import load_npz, read_json


def is_fraction_of(value: float, n: int) -> bool:
    return abs(value * n - round(value * n)) < 1e-6


TINY = ["--hidden", "16", "--epochs", "3", "--quiet"]


def test_train_regression_npz_reports_the_mse_of_its_own_parameters(tmp_path):
    path, out = reg_npz(tmp_path), tmp_path / "run"
    assert (
        main(
            [
                "train",
                "--data",
                str(path),
                *TINY,
                "--optimizer",
                "adam",
                "--lr",
                "0.01",
                "--batch-size",
                "32",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    x, y = regression()
    split = read_json(out / "splits.json")
    ref = split_indices(len(x), 0.2, 0.2, seed=0)  # the documented split
    for k in ("train", "val", "test"):
        assert split[k] == ref[k].tolist()
    tr, va = ref["train"], ref["val"]
    xv = ((x[va] - x[tr].mean(axis=0)) / x[tr].std(axis=0)).astype(np.float32)
    p = load_npz(out / "params.npz")  # forward pass written out here
    h = np.maximum(xv @ p["params/W1"] + p["params/b1"], 0)
    # the network learns standardised targets; its output is mapped back to y's units
    pred = (h @ p["params/W2"] + p["params/b2"])[:, 0] * y[tr].std() + y[tr].mean()
    summary = read_json(out / "metrics.json")["summary"]
    assert summary["final_val_mse"] == pytest.approx(sk_mse(y[va], pred), rel=1e-4)
    config = read_json(out / "config.json")
    described = config["described"]
    assert described["data"]["task"] == "regression" and "loss='mse'" in described["network"]


def test_train_classification_csv_saves_the_class_mapping(tmp_path):
    out = tmp_path / "run"
    assert (
        main(
            [
                "train",
                "--data",
                str(class_csv(tmp_path)),
                "--target",
                "animal",
                *TINY,
                "--scale",
                "minmax",
                "--split-seed",
                "5",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    data = read_json(out / "config.json")["described"]["data"]
    assert data["classes"] == ["cat", "dog", "fox"] and data["scale"] == "minmax"
    assert read_json(out / "splits.json")["val"] == split_indices(300, 0.2, 0.2, 5)["val"].tolist()
    assert 0.0 <= read_json(out / "metrics.json")["summary"]["final_val_acc"] <= 1.0


def test_breast_cancer_trains_tunes_and_learns(tmp_path):
    path = breast_cancer_csv(tmp_path)
    out = tmp_path / "run"
    assert (
        main(
            [
                "train",
                "--data",
                str(path),
                "--hidden",
                "32",
                "--epochs",
                "8",
                "--quiet",
                "--optimizer",
                "adam",
                "--lr",
                "0.003",
                "--batch-size",
                "32",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    s = read_json(out / "metrics.json")["summary"]
    assert s["final_test_acc"] > 0.9  # a learnable real set
    assert read_json(out / "config.json")["described"]["data"]["classes"] == ["benign", "malignant"]
    tuned = tmp_path / "tune"
    assert (
        main(
            [
                "tune",
                "--data",
                str(path),
                "--hidden",
                "16",
                "--epochs",
                "2",
                "--trials",
                "3",
                "--optimizer",
                "adam",
                "--space",
                "lr=1e-3:1e-1:log",
                "--batch-size",
                "50",
                "--quiet",
                "--out",
                str(tuned),
            ]
        )
        == 0
    )
    m = read_json(tuned / "metrics.json")
    assert m["counts"]["complete"] == 3 and m["best"]["n_test"] == int(569 * 0.2)
    assert (
        read_json(tuned / "splits.json")["test"] == split_indices(569, 0.2, 0.2, 0)["test"].tolist()
    )
    bench = tmp_path / "bench"
    assert (
        main(
            [
                "benchmark",
                "--data",
                str(path),
                "--target",
                "diagnosis",
                "--optimizers",
                "sgd,adam",
                "--lr-grid",
                "1e-3:1e-1:3",
                "--seeds",
                "2",
                "--epochs",
                "3",
                "--hidden",
                "16",
                "--batch-size",
                "32",
                "--quiet",
                "--out",
                str(bench),
            ]
        )
        == 0
    )
    b = read_json(bench / "metrics.json")
    assert set(b["problems"]) == {"breast_cancer"} and b["recommended"]["breast_cancer"][
        "rule"
    ] in ("sgd", "adam")
    assert all(
        len(e["test"]) == 2 and all(is_fraction_of(v, 113) for v in e["test"])
        for e in b["problems"]["breast_cancer"].values()
    )  # 113 test rows
    assert (bench / "benchmark.html").is_file()


def test_tune_regression_scores_by_validation_r2(tmp_path):
    out = tmp_path / "tune"
    assert (
        main(
            [
                "tune",
                "--data",
                str(reg_npz(tmp_path)),
                "--hidden",
                "16",
                "--epochs",
                "2",
                "--trials",
                "2",
                "--optimizer",
                "adam",
                "--space",
                "lr=1e-3:1e-1:log",
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    m = read_json(out / "metrics.json")
    assert (
        "best val R²" in m["summary"]
        and "test MSE of best (retrained once, after the search)" in m["summary"]
    )
    assert "R²" in read_json(out / "config.json")["objective"]
    assert (out / "best_trials.txt").read_text().splitlines()[1].startswith("Best-1(val R²:")


BAD = [
    ("bad.csv", "a,b,y\n1,2,3\n1,x,4\n", "non-numeric value 'x' in column 'b' at row 2"),
    ("nan.csv", "a,b,y\n1,2,3\n1,nan,4\n", "missing value (NaN) in column 'b' at row 2"),
    ("one.csv", "a,y\n1,s\n2,s\n3,s\n", "one class only"),
    ("col.csv", "a,y\n1,2\n", "no column 'zz' for --target"),
]


@pytest.mark.parametrize("command", ["train", "tune", "benchmark"])
@pytest.mark.parametrize("name, content, words", BAD)
def test_bad_files_one_line_exit_2_nothing_written(tmp_path, capsys, command, name, content, words):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    argv = [command, "--data", str(path), "--out", str(out), "--quiet"]
    if name == "col.csv":
        argv += ["--target", "zz"]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert err.count("\n") == 1 and err.startswith(f"trainlab: error: {path}: ") and words in err


def test_too_few_rows_for_the_batch_size_in_a_child_process(tmp_path):
    path = reg_npz(tmp_path)
    code, stdout, err = cli(
        tmp_path, "train", "--data", path, "--batch-size", "1000", "--out", tmp_path / "out"
    )
    assert code == 2 and stdout == "" and not (tmp_path / "out").exists()
    assert err == (
        f"trainlab: error: {path}: the training split holds 192 samples, fewer than "
        "the batch size 1000; use more data or a smaller --batch-size\n"
    )


def test_resume_rereads_the_same_file_and_split(tmp_path):
    path, out = reg_npz(tmp_path), tmp_path / "run"
    assert (
        main(
            [
                "train",
                "--data",
                str(path),
                "--hidden",
                "8",
                "--epochs",
                "1",
                "--quiet",
                "--checkpoint-every",
                "1",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    before = (out / "splits.json").read_bytes()
    assert main(["train", "--resume", str(out), "--epochs", "2", "--quiet"]) == 0
    m = read_json(out / "metrics.json")
    assert m["summary"]["epochs"] == 2 and "final_val_mse" in m["summary"]
    assert (out / "splits.json").read_bytes() == before


def test_train_on_four_idx_files_keeps_their_test_set(tmp_path):
    from owndata_testkit import idx_file

    rng = np.random.default_rng(4)
    x = rng.integers(0, 256, (130, 4, 4)).astype(np.uint8)
    y = (x.reshape(130, -1).mean(axis=1) > 127).astype(np.uint8) + 3  # classes 3 and 4
    paths = [
        idx_file(tmp_path / n, a)
        for n, a in (("a", x[:100]), ("b", y[:100]), ("c", x[100:]), ("d", y[100:]))
    ]
    out = tmp_path / "run"
    assert (
        main(
            [
                "train",
                "--data",
                ",".join(map(str, paths)),
                *TINY,
                "--batch-size",
                "20",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    split = read_json(out / "splits.json")
    assert split["test"] is None and len(split["val"]) == 20 and len(split["train"]) == 80
    data = read_json(out / "config.json")["described"]["data"]
    assert data["classes"] == [3, 4] and data["n_test"] == 30 and data["test_from_file"]


def test_train_on_a_tsv_regression_with_a_named_target(tmp_path):
    from owndata_testkit import write_csv

    x, y = regression(120)
    rows = [[f"{v!r}" for v in (float(t), *map(float, r))] for r, t in zip(x, y, strict=False)]
    path = write_csv(tmp_path / "r.tsv", ["price", *[f"f{i}" for i in range(5)]], rows, "\t")
    out = tmp_path / "run"
    assert (
        main(
            [
                "train",
                "--data",
                str(path),
                "--target",
                "price",
                *TINY,
                "--batch-size",
                "16",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    data = read_json(out / "config.json")["described"]["data"]
    assert data["task"] == "regression" and data["target"] == "price"
    assert data["features"] == [f"f{i}" for i in range(5)]
