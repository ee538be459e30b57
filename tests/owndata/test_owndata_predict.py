"""``trainlab predict RUN --data FILE`` and ``trainlab.load_run``: the predictions are
the network's forward pass, written out here from the saved parameters, on rows
scaled with the training split's statistics computed here; a file whose columns
differ is refused in one line."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from owndata_testkit import LABELS, class_csv, classification, regression, write_csv

import trainlab
from trainlab.cli import main
from trainlab.data.prepared import split_indices
from trainlab.io import load_npz, read_json

TINY = ["--hidden", "16,8", "--epochs", "10", "--quiet", "--batch-size", "32"]
ADAM = ["--optimizer", "adam", "--lr", "0.01"]


def _forward(p, x, batchnorm=False):
    """ReLU hidden layers (batch norm in eval mode: running statistics, eps 1e-6)."""
    n = sum(1 for k in p if k.startswith("params/W"))
    for i in range(1, n):
        x = x @ p[f"params/W{i}"] + p[f"params/b{i}"]
        if batchnorm:
            rm, rv = p[f"buffers/running_mean{i}"], p[f"buffers/running_var{i}"]
            x = (x - rm) / np.sqrt(rv + 1e-6) * p[f"params/gamma{i}"] + p[f"params/beta{i}"]
        x = np.maximum(x, 0)
    return x @ p[f"params/W{n}"] + p[f"params/b{n}"]


def _read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _standardised(x, tr):
    return ((x - x[tr].mean(axis=0)) / x[tr].std(axis=0)).astype(np.float32)


def test_classification_predictions_are_the_saved_networks_forward_pass(tmp_path):
    run = tmp_path / "run"
    argv = ["train", "--data", str(class_csv(tmp_path)), "--target", "animal", *TINY, *ADAM]
    assert main([*argv, "--out", str(run)]) == 0
    x, y = classification()
    new = x[::-1][:50]  # other rows, columns in another order, no target column
    order = [3, 0, 2, 1]
    rows = [[repr(float(v)) for v in r[order]] for r in new]
    path = write_csv(tmp_path / "new.csv", [f"f{i}" for i in order], rows)
    assert main(["predict", str(run), "--data", str(path)]) == 0
    header, got = _read(tmp_path / "new.predictions.csv")
    assert header == ["animal", "p(cat)", "p(dog)", "p(fox)"] and len(got) == 50
    tr = split_indices(len(x), 0.2, 0.2, seed=0)["train"]
    s = _forward(load_npz(run / "params.npz"), _standardised(np.r_[x, new], np.r_[tr])[len(x) :])
    s = s.astype(np.float64)
    prob = np.exp(s - s.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    assert [r[0] for r in got] == list(LABELS[s.argmax(axis=1)])
    assert np.allclose([[float(v) for v in r[1:]] for r in got], prob, rtol=1e-5, atol=1e-7)
    loaded = trainlab.load_run(run)
    assert list(loaded.predict(new)) == list(LABELS[s.argmax(axis=1)])
    te = split_indices(len(x), 0.2, 0.2, seed=0)["test"]
    acc = (loaded.predict(x[te]) == LABELS[y[te]]).mean()
    assert acc == read_json(run / "metrics.json")["summary"]["final_test_acc"] and acc > 0.6


def test_regression_predictions_are_in_the_targets_own_units(tmp_path):
    x, t = regression()
    y = 2500 + 300 * t  # a target in the thousands
    rows = [[repr(float(v)) for v in (*r, u)] for r, u in zip(x, y, strict=True)]
    names = [f"f{i}" for i in range(5)]
    path = write_csv(tmp_path / "r.csv", [*names, "price"], rows)
    run = tmp_path / "run"
    argv = ["train", "--data", str(path), "--target", "price", "--batchnorm", *TINY]
    assert main([*argv, "--out", str(run)]) == 0
    out = tmp_path / "p.csv"
    assert main(["predict", str(run), "--data", str(path), "--out", str(out)]) == 0
    tr = split_indices(len(x), 0.2, 0.2, seed=0)["train"]
    z = _forward(load_npz(run / "params.npz"), _standardised(x, tr), batchnorm=True)[:, 0]
    want = z * y[tr].std() + y[tr].mean()
    header, got = _read(out)
    assert header == ["price"]
    assert np.allclose([float(r[0]) for r in got], want, rtol=1e-5)
    assert np.allclose(trainlab.load_run(run).predict(x), want, rtol=1e-5)
    assert 1500 < np.median(want) < 3500  # the target's units (mean 2500), not standardised


def test_a_file_whose_columns_differ_is_refused_in_one_line(tmp_path, capsys):
    run = tmp_path / "run"
    argv = ["train", "--data", str(class_csv(tmp_path)), "--target", "animal", *TINY]
    assert main([*argv, "--out", str(run)]) == 0
    x, _ = classification()
    rows = [[repr(float(v)) for v in r] for r in x[:5]]
    path = write_csv(tmp_path / "bad.csv", ["f0", "f1", "F2", "f3"], rows)
    capsys.readouterr()
    assert main(["predict", str(run), "--data", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "missing column(s) 'f2'" in err and "unexpected column(s) 'F2'" in err
    assert not (tmp_path / "bad.predictions.csv").exists()
    np.savez(tmp_path / "three.npz", x=x[:5, :3])
    assert main(["predict", str(run), "--data", str(tmp_path / "three.npz")]) == 2
    assert "x has 3 features per row; the network was trained on 4" in capsys.readouterr().err


def test_a_run_on_a_built_in_data_set_is_refused(tmp_path):
    run = tmp_path / "run"
    assert main(["train", "--iterations", "1", "--hidden", "4", "--quiet", "--out", str(run)]) == 0
    with pytest.raises(trainlab.errors.DataError, match="was trained on --dataset digits"):
        trainlab.load_run(run)


def test_a_damaged_run_folder_is_named_in_one_line(tmp_path):
    from trainlab.errors import DataError
    from trainlab.io import write_json

    run = tmp_path / "run"
    argv = ["train", "--data", str(class_csv(tmp_path)), "--target", "animal", *TINY]
    assert main([*argv, "--out", str(run)]) == 0
    config = read_json(run / "config.json")
    network = {**config["network"], "hidden": [16, 9]}  # not the saved shapes
    write_json(run / "config.json", {**config, "network": network})
    with pytest.raises(DataError, match=r"params.npz: W2 is missing or not of shape \(16, 9\)"):
        trainlab.load_run(run)
    write_json(run / "config.json", {**config, "network": {**network, "hidden": "wide"}})
    with pytest.raises(DataError, match="hidden must be a list of positive integers"):
        trainlab.load_run(run)
    write_json(run / "config.json", config)
    (run / "scaling.npz").unlink()
    with pytest.raises(DataError, match="has no scaling.npz"):
        trainlab.load_run(run)
