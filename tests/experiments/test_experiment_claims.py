"""What each figure of ``trainlab demo`` (every experiment, quick settings, digits) claims.

One demo run is shared by the module; each test checks one claim of the notes
on the saved metrics, against numbers computed here independently (chance
levels, ln 10, counts of updates, rank orders), not only that files appear.
"""

from __future__ import annotations

import base64
import html
import math
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from exp_testkit import cli, isolated_env

from trainlab.experiments import names
from trainlab.io import read_json


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    with isolated_env(tmp):
        code, out, err = cli("demo", "--out", tmp / "demo", "--quiet")
    assert code == 0, err
    return {"dir": tmp / "demo", "stdout": out}


def load(demo, name):
    folder = demo["dir"] / name
    return read_json(folder / "config.json"), read_json(folder / "metrics.json")


def digits_labels():
    from trainlab.data import load

    (_, t), (_, tt) = load("digits")
    return t, tt


# -- the run folders ---------------------------------------------------------------------


def test_the_demo_landscape_drawn_in_two_parts_is_the_folder_drawn_at_once(demo, tmp_path):
    from trainlab.landscape.lab import race, write
    from trainlab.viz import file_defaults

    with file_defaults():  # matplotlib's own settings, as the demo's jobs draw with
        write(race("bowl", ["sgd", "momentum", "adagrad", "adam"]), tmp_path, animate=True)
    ours = {p.name: p.read_bytes() for p in (demo["dir"] / "landscape-bowl").iterdir()}
    assert ours == {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert {"paths.gif", "paths.png", "panels.png", "values.png", "paths.json"} <= set(ours)


def test_demo_prints_the_folder_last_and_the_data_note(demo):
    lines = demo["stdout"].strip().splitlines()
    assert lines[-1] == str(demo["dir"])
    assert any("digits" in ln and "1500/297" in ln for ln in lines)


@pytest.mark.parametrize("name", names())
def test_every_experiment_writes_a_run_folder(demo, name):
    config, metrics = load(demo, name)
    assert config["kind"] == name and config["quick"] is True and config["seeds"] == 1
    assert metrics["summary"] and all(isinstance(k, str) for k in metrics["summary"])
    assert all(v is None or isinstance(v, (int, float, str)) for v in metrics["summary"].values())
    pngs = list((demo["dir"] / name).glob("*.png"))
    assert pngs and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


# -- optimizer-compare: Momentum, AdaGrad and Adam end below SGD ---------------------------


def test_momentum_adagrad_adam_end_below_sgd(demo):
    config, metrics = load(demo, "optimizer-compare")
    run = metrics["runs"][0]
    assert config["iterations"] == 300 and config["batch_size"] == 128
    final = {k: np.mean(run[k]["train_loss"][-30:]) for k in ("sgd", "momentum", "adagrad", "adam")}
    assert all(len(run[k]["train_loss"]) == 300 for k in final)
    for rule in ("momentum", "adagrad", "adam"):
        assert final[rule] < 0.5 * final["sgd"], final


# -- init-compare: std 0.01 does not learn; He beats Xavier under ReLU ----------------------


def test_small_weights_do_not_learn_and_he_beats_xavier(demo):
    _, metrics = load(demo, "init-compare")
    run = metrics["runs"][0]
    final = {k: np.mean(run[k]["train_loss"][-30:]) for k in ("0.01", "xavier", "he")}
    assert abs(final["0.01"] - math.log(10)) < 0.01  # uniform output over 10 classes
    assert final["he"] < final["xavier"] < final["0.01"]


# -- init-histogram ---------------------------------------------------------------------


def test_sigmoid_with_std_001_collapses_around_half(demo):
    _, metrics = load(demo, "init-histogram")
    layers = metrics["runs"][0]["sigmoid/0.01"]
    for layer in layers:
        counts = np.array(layer["counts"])
        edges = np.array(layer["edges"])
        middle = (edges[:-1] < 0.5 + 0.04) & (edges[1:] > 0.5 - 0.04)
        assert counts[middle].sum() > 0.95 * counts.sum()
        assert layer["near_half"] > 0.5 and layer["std"] < 0.05
    # layer 1: sigmoid(a) ≈ 0.5 + a/4 with std(a) = 0.01·√100 = 0.1; deeper layers get less
    assert layers[-1]["near_half"] > 0.8


def test_sigmoid_with_std_1_saturates_at_0_and_1(demo):
    _, metrics = load(demo, "init-histogram")
    for layer in metrics["runs"][0]["sigmoid/1"]:
        counts = np.array(layer["counts"])
        assert set(np.argsort(counts)[-2:]) == {0, len(counts) - 1}  # the U shape
        assert layer["near_0_or_1"] > 0.4


def test_he_keeps_relu_layer_stds_constant_and_xavier_does_not(demo):
    _, metrics = load(demo, "init-histogram")
    run = metrics["runs"][0]
    he = np.array([layer["std"] for layer in run["relu/he"]])
    xavier = np.array([layer["std"] for layer in run["relu/xavier"]])
    assert he.max() / he.min() < 1.5
    assert xavier[-1] / xavier[0] < 0.5
    assert all(0.4 < layer["zeros"] < 0.6 for layer in run["relu/he"])  # half the inputs < 0


# -- batchnorm ------------------------------------------------------------------------------


def test_batch_norm_learns_where_the_plain_net_does_not(demo):
    config, metrics = load(demo, "batchnorm")
    t, _ = digits_labels()
    chance = np.bincount(t[: config["train_size"]]).max() / config["train_size"]
    run = metrics["runs"][0]
    small = [i for i, w in enumerate(config["weight_scales"]) if 1e-3 <= w <= 3e-2]
    assert len(small) >= 5
    for i in small:
        plain, bn = run["plain"][i], run["bn"][i]
        assert len(bn["train_acc"]) == config["epochs"] + 1
        assert bn["train_acc"][-1] > 0.9
        assert plain["diverged_at"] is None and plain["train_acc"][-1] < chance + 0.05


# -- lr-diagnosis -----------------------------------------------------------------------------


def test_lr_verdicts_name_each_curve(demo):
    _, metrics = load(demo, "lr-diagnosis")
    run = metrics["runs"][0]
    expected = {
        "very high": "diverging",
        "high": "spiking",
        "good": "healthy",
        "low": "slow",
        "bad init": "plateau",
    }
    assert {k: run[k]["verdict"] for k in expected} == expected
    assert run["very high"]["diverged_at"] is not None
    assert metrics["summary"]["low (lr 0.0005)"] == "slow: raise the lr"
    assert metrics["summary"]["bad init (lr 0.1)"] == "plateau: check the initial weights"


# -- batch-size -------------------------------------------------------------------------------


def test_full_batch_makes_one_update_per_epoch(demo):
    config, metrics = load(demo, "batch-size")
    n, epochs = config["train_size"], config["epochs"]
    run = metrics["runs"][0]
    for b in config["batch_sizes"]:
        expected = 1 if b == "full" else math.ceil(n / b)
        assert run[str(b)]["updates_per_epoch"] == expected
        assert len(run[str(b)]["train_loss"]) == expected * epochs
    assert run["full"]["updates_per_epoch"] < run["256"]["updates_per_epoch"]


def test_larger_batches_give_less_noisy_loss(demo):
    config, metrics = load(demo, "batch-size")
    run = metrics["runs"][0]
    sizes = [b for b in config["batch_sizes"] if b != "full"]

    def noise(y):  # std of the residual about a 5-point moving average, second half
        y = np.asarray(y[len(y) // 2 :])
        return np.std(y[2:-2] - np.convolve(y, np.ones(5) / 5, mode="valid"))

    ns = [noise(run[str(b)]["train_loss"]) for b in sizes]
    ranks = np.argsort(np.argsort(ns))
    rho = 1 - 6 * np.sum((ranks - np.arange(len(ns))[::-1]) ** 2) / (len(ns) * (len(ns) ** 2 - 1))
    assert rho >= 0.9, ns  # noise falls as the batch grows (one adjacent swap allowed)
    assert ns[0] > 3 * ns[-1]
    reported = [metrics["summary"][f"batch {b}: loss noise"] for b in sizes]
    assert reported[0] > reported[-1]


# -- adaptive-vs-sgd ------------------------------------------------------------------------------


def test_learning_rates_are_chosen_on_validation_data(demo):
    config, metrics = load(demo, "adaptive-vs-sgd")
    from trainlab.optim import create

    run = metrics["runs"][0]
    assert list(run) == ["momentum", "nesterov", "adam", "adamw", "swats"]
    for name, r in run.items():
        grid = r["grid"]
        base = create(name).lr
        assert [g["lr"] for g in grid] == pytest.approx([base * f for f in config["lr_grid"]])
        best = max((g for g in grid if not g["diverged"]), key=lambda g: g["val_acc"])
        assert r["best"]["lr"] == best["lr"]  # chosen by validation accuracy alone
        assert r["best"]["val_acc"][-1] == best["val_acc"]
        assert len(r["best"]["test_acc"]) == config["epochs"] + 1


# -- the report -------------------------------------------------------------------------------


class _Checker(HTMLParser):
    VOID = {"meta", "img", "br", "hr", "link", "input", "source", "wbr", "col", "area"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.srcs, self.refs = [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.srcs.append(a.get("src", ""))
        self.refs += [v for k, v in attrs if k in ("src", "href") and v]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_the_report_embeds_every_figure_of_every_experiment(demo):
    page = (demo["dir"] / "report.html").read_text(encoding="utf-8")
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert not checker.errors and not checker.stack
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert not [r for r in checker.refs if re.match(r"(https?:)?//", r)]
    embedded = {base64.b64decode(s.split(",", 1)[1]) for s in checker.srcs}
    pngs = list(demo["dir"].rglob("*.png"))
    assert len(pngs) >= len(names())
    assert {p.read_bytes() for p in pngs} <= embedded
    for name in names():  # one section per experiment, with its key numbers
        summary = read_json(demo["dir"] / name / "metrics.json")["summary"]
        assert f"<code>{name}</code>" in page
        assert all(html.escape(k) in page for k in summary)
