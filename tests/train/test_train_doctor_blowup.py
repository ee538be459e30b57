"""The doctor reads a blow-up as a blow-up: a grid of learning rates for every update
rule (the notes' and those after them) on the notes' network (digits, one epoch), each
verdict checked against what the run's own loss did, measured here from its saved history."""

import json
import math

import numpy as np
import pytest

from trainlab.errors import DivergenceError
from trainlab.optim import RULES, create
from trainlab.train import Data, TrainConfig, Trainer
from trainlab.train.doctor import diagnose

LRS = (1e-3, 1e-1, 10.0, 1e3)


def grew(history) -> bool:
    """NaN/inf, or a loss at 10x the loss before training or more (the issue's rule)."""
    start = history["train_loss_epoch"][0]
    seen = [v for v in history["train_loss"] + history["train_loss_epoch"][1:]]
    return any(not math.isfinite(v) or v >= 10 * start for v in seen)


def rose(history) -> bool:
    epoch = history["train_loss_epoch"]
    return grew(history) or not math.isfinite(epoch[-1]) or epoch[-1] > epoch[0]


def train(digits, make_net, rule, lr, hidden=(100, 100, 100, 100)):
    """One epoch with no divergence stop but the NaN one: the doctor reads the history."""
    (x, t), (xv, tv), _ = digits
    tr = Trainer(
        make_net(hidden=hidden),
        Data(x, t, x_val=xv, t_val=tv),
        create(rule, lr=lr),
        TrainConfig(epochs=1, monitor=True, progress=False, rng=np.random.default_rng(0)),
    )
    try:
        tr.train()
    except DivergenceError:
        pass
    metrics = json.loads(
        json.dumps({"history": tr.history, "divergence": tr.divergence}, default=float)
    )
    return metrics, diagnose(metrics)


@pytest.mark.parametrize("rule", RULES)
def test_a_loss_that_blew_up_is_a_learning_rate_too_high(digits, make_net, rule):
    blown = 0
    for lr in LRS:
        for hidden in ((100, 100, 100, 100), (10,)):
            metrics, verdicts = train(digits, make_net, rule, lr, hidden)
            names = [v.name for v in verdicts]
            h, where = metrics["history"], f"{rule} lr {lr:g} hidden {hidden}: {names}"
            if grew(h):
                blown += 1
                assert names[0] == "lr_too_high", where
                assert "vanishing_activations" not in names, where  # a consequence, not a cause
            if rose(h):  # never "raise it" for a rate whose loss rose
                assert "lr_too_low" not in names, where
                assert not any("higher learning rate" in v.fix for v in verdicts), where
            for v in verdicts:
                if v.name in ("lr_too_high", "lr_too_low"):
                    assert "trainlab lrfind" in v.fix, where
    assert blown >= 2, rule  # the grid reaches rates that blow up for every rule


def test_dead_units_after_a_blow_up_are_named_as_its_consequence():
    h = {
        "train_loss": [2.3, 2.1, 40.0, 16000.0, 16000.0],
        "train_loss_epoch": [2.3, 16000.0],
        "train_acc": [0.1, 0.1],
        "lr": [100.0, 100.0],
        "activations": [[], [{"layer": 1, "dead": 1.0, "std": 0.0}]],
    }
    v = diagnose({"history": h})
    assert [x.name for x in v][:1] == ["lr_too_high"]
    assert "vanishing_activations" not in [x.name for x in v]
    assert "blew up from 2.3 to 40 at step 3" in v[0].evidence
    assert "as a consequence, layer 1: 100% of ReLU units dead" in v[0].evidence
    assert not any("higher learning rate" in x.fix for x in v)


def test_the_issues_run_exits_3_with_the_divergence_message(tmp_path, capsys):
    from trainlab.cli import main

    out = tmp_path / "run"
    argv = ["train", "--dataset", "digits", "--epochs", "1", "--hidden", "10", "--lr", "100"]
    assert main([*argv, "--quiet", "--out", str(out)]) == 3
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trainlab: diverged: loss is ")
    assert "over 10x its start" in lines[0] and "--lr 10" in lines[0]
    assert "trainlab lrfind" in lines[0]
    assert captured.out.startswith("doctor: lr_too_high: training diverged: loss is ")
    assert "vanishing" not in captured.out and "higher learning rate" not in captured.out
