"""``trainlab run``: seeds and bands, --set, errors, reproducibility, other data sets."""

from __future__ import annotations

import numpy as np
import pytest
from exp_testkit import SHARED, cli, isolated_env

from trainlab.experiments import get, names
from trainlab.io import read_json


@pytest.fixture
def isolated(tmp_path):
    with isolated_env(tmp_path):
        yield tmp_path


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_two_seeds_plot_the_mean_with_a_band(isolated, monkeypatch):
    import trainlab.experiments.lr_diagnosis as lr_diagnosis
    import trainlab.experiments.lr_sharpness as lr_sharpness
    import trainlab.viz as viz

    figures = []
    original = viz.save

    def spy(fig, path):
        figures.append(
            [
                (
                    ax,
                    [ln.get_ydata() for ln in ax.get_lines()],
                    [c.get_paths() for c in ax.collections],
                )
                for ax in fig.axes
            ]
        )
        return original(fig, path)

    for drawer in (lr_diagnosis, lr_sharpness):  # the modules that save its figures
        monkeypatch.setattr(drawer, "save", spy)
    out = isolated / "lr"
    code, _, err = cli(
        "run",
        "lr-diagnosis",
        "--seeds",
        "2",
        "--set",
        "epochs=3",
        "--out",
        out,
        "--quiet",
        "--workers",
        "1",
    )  # figures drawn here, where the spy is
    assert code == 0, err
    metrics = read_json(out / "metrics.json")
    assert metrics["seeds"] == 2 and len(metrics["runs"]) == 2
    good = np.array([r["good"]["epoch_loss"] for r in metrics["runs"]], dtype=float)
    assert not np.array_equal(good[0], good[1])  # the seeds differ
    mean, std = good.mean(axis=0), good.std(axis=0)
    [(ax, lines, polys)] = figures[0]
    # the drawn line is the mean over the seeds
    assert any(len(y) == len(mean) and np.allclose(y, mean) for y in lines)
    tops = [p.vertices[:, 1].max() for ps in polys for p in ps]
    lows = [p.vertices[:, 1].min() for ps in polys for p in ps]
    assert any(np.isclose(hi, (mean + std).max()) for hi in tops)  # the band is ±1 std
    assert any(np.isclose(lo, (mean - std).min()) for lo in lows)


def test_more_seeds_extend_fewer_bit_for_bit(isolated):
    for n, sub in ((1, "a"), (2, "b"), (1, "c")):
        code, _, err = cli(
            "run",
            "init-compare",
            "--seeds",
            n,
            "--set",
            "iterations=30",
            "--out",
            isolated / sub,
            "--quiet",
        )
        assert code == 0, err
    a, b, c = (read_json(isolated / s / "metrics.json")["runs"] for s in "abc")
    assert a == c  # same seed: identical results
    assert b[0] == a[0] and b[1] != a[0]


def test_set_overrides_settings(isolated):
    out = isolated / "oc"
    code, stdout, err = cli(
        "run",
        "optimizer-compare",
        "--set",
        "iterations=40",
        "--set",
        "optimizers=sgd,nesterov",
        "--out",
        out,
        "--quiet",
    )
    assert code == 0, err
    config, metrics = read_json(out / "config.json"), read_json(out / "metrics.json")
    assert config["iterations"] == 40 and config["optimizers"] == ["sgd", "nesterov"]
    assert set(metrics["runs"][0]) == {"sgd", "nesterov"}
    assert all(len(r["train_loss"]) == 40 for r in metrics["runs"][0].values())
    assert "Nesterov final loss" in metrics["summary"]
    assert stdout.strip().splitlines()[-1] == str(out)


def test_set_list_of_numbers(isolated):
    out = isolated / "bn"
    code, _, err = cli(
        "run",
        "batchnorm",
        "--set",
        "weight_scales=0.1,0.01",
        "--set",
        "epochs=2",
        "--set",
        "train_size=200",
        "--out",
        out,
        "--quiet",
    )
    assert code == 0, err
    config, metrics = read_json(out / "config.json"), read_json(out / "metrics.json")
    assert config["weight_scales"] == [0.1, 0.01]
    assert len(metrics["runs"][0]["bn"]) == 2
    assert all(len(r["train_acc"]) == 3 for r in metrics["runs"][0]["bn"])


@pytest.mark.parametrize(
    "args, words",
    [
        (["run", "nosuch"], ["unknown experiment", "optimizer-compare", "lr-diagnosis"]),
        (["run", "batchnorm", "--set", "nosuch=1"], ["nosuch", "valid keys", "weight_scales"]),
        (["run", "batchnorm", "--set", "epochs=abc"], ["epochs", "integer"]),
        (["run", "overfit", "--set", "optimizer=nosuch"], ["unknown optimizer", "sgd"]),
        (["run", "all", "--set", "nosuch=1"], ["nosuch", "valid keys"]),
        (["run", "all", "--set", "nosuch.epochs=1"], ["unknown experiment"]),
        (["run", "batchnorm", "--set", "epochs"], ["key=value"]),
        (["run", "batchnorm", "--seeds", "0"], ["positive integer"]),
    ],
)
def test_bad_input_is_one_line_and_exit_2(isolated, args, words):
    out = isolated / "never"
    code, stdout, err = cli(*args, "--out", out)
    assert code == 2
    line = _one_error_line(err)
    assert all(w in line for w in words), line
    assert not out.exists()  # nothing ran


def test_every_experiment_runs_on_fashion_mnist(isolated):
    tiny = [
        "iterations=20",
        "epochs=2",
        "train_size=200",
        "test_size=200",
        "ensemble=2",
        "weight_scales=0.1,0.001",
        "batch_sizes=full,50",
        "lr_grid=1",
    ]
    args = [
        "run",
        "all",
        "--dataset",
        "fashion-mnist",
        "--data-dir",
        SHARED,
        "--out",
        isolated / "f",
        "--quiet",
    ]
    for s in tiny:
        args += ["--set", s]
    code, stdout, err = cli(*args)
    assert code == 0, err
    assert "Fashion-MNIST: 60,000 training and 10,000 test images" in stdout
    for name in names():
        config = read_json(isolated / "f" / name / "config.json")
        metrics = read_json(isolated / "f" / name / "metrics.json")
        if not get(name).trains:  # no data set: randn input, or a problem of its own
            continue
        assert config["dataset"] == "fashion-mnist" and "Fashion-MNIST" in config["data_note"]
        assert metrics["data"]["n_inputs"] == 784 and metrics["data"]["n_classes"] == 10
    assert (isolated / "f" / "report.html").is_file()
