"""L-BFGS in the training loop: each batch is one ``step(closure)``, as
``torch.optim.LBFGS`` takes it in a torch loop over the same batches (float64, the
same network written in torch, gradients by autograd); a stopped run resumes bit
for bit; what a closure rule cannot take is refused in one line."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import torch
from stop_at import StopAt

from trainlab.errors import ConfigError
from trainlab.nn import MultiLayerNet
from trainlab.optim import create
from trainlab.train import Data, TrainConfig, Trainer, TrainingInterrupted
from trainlab.train.build import build
from trainlab.train.lrfind import lrfind
from trainlab.train.spec import OptimizerSpec, RunSpec, TransformSpec

SEARCHES = [None, "strong_wolfe"]


def small_net() -> MultiLayerNet:
    return MultiLayerNet(
        64, [12], 10, activation="tanh", dtype=np.float64, rng=np.random.default_rng(3)
    )


def torch_loop(net: MultiLayerNet, x, t, kw: dict, batch: int, epochs: int):
    """The losses at the start of each step and the final parameters of a torch
    loop over the batches in order, one ``LBFGS.step(closure)`` each."""
    tparams = [
        torch.tensor(p.copy(), dtype=torch.float64, requires_grad=True) for p in net.params.values()
    ]
    W1, b1, W2, b2 = tparams
    opt = torch.optim.LBFGS(tparams, **kw)
    losses = []
    for _ in range(epochs):
        for start in range(0, len(x), batch):
            xb = torch.tensor(x[start : start + batch])
            tb = torch.tensor(t[start : start + batch])

            def closure(xb=xb, tb=tb):
                opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(torch.tanh(xb @ W1 + b1) @ W2 + b2, tb)
                loss.backward()
                return loss

            losses.append(float(opt.step(closure).detach()))
    return np.array(losses), [p.detach().numpy() for p in tparams]


@pytest.mark.parametrize("search", SEARCHES, ids=["fixed-step", "strong-wolfe"])
def test_the_trainer_takes_torchs_steps_batch_by_batch(digits, search):
    (x, t), _, _ = digits
    x, t = x[:120].astype(np.float64), t[:120].astype(np.int64)
    kw = {
        "lr": 0.3 if search is None else 1.0,
        "max_iter": 5,
        "history_size": 6,
        "line_search_fn": search,
    }
    net = small_net()
    theirs, tparams = torch_loop(net, x, t, kw, batch=40, epochs=3)
    trainer = Trainer(
        net,
        Data(x, t),
        create("lbfgs", **kw),
        TrainConfig(epochs=3, mini_batch_size=40, sampling="sequential", progress=False),
    )
    history = trainer.train()
    mine = np.array(history["train_loss"])
    assert mine.shape == theirs.shape == (9,)
    assert np.max(np.abs(mine - theirs)) <= 1e-10
    for p, tp in zip(net.params.values(), tparams, strict=True):
        assert np.max(np.abs(p - tp)) <= 1e-10
    assert mine[-1] < 0.5 * mine[0], "L-BFGS should have trained the network"


def test_a_stopped_run_resumes_bit_for_bit(digits, tmp_path):
    (x, t), (xv, tv), _ = digits

    def trainer(folder=None, callbacks=()):
        config = TrainConfig(
            epochs=3,
            mini_batch_size=100,
            rng=np.random.default_rng(1),
            progress=False,
            checkpoint_dir=folder,
            callbacks=callbacks,
        )
        return Trainer(
            small_net(),
            Data(x[:300], t[:300], x_val=xv, t_val=tv),
            create("lbfgs", line_search_fn="strong_wolfe", max_iter=4),
            config,
        )

    whole = trainer()
    whole.train()
    first = trainer(tmp_path, [StopAt(4)])
    with pytest.raises(TrainingInterrupted):
        first.train()
    resumed = trainer(tmp_path)
    resumed.load_checkpoint()
    assert resumed.current_iter == 4 and resumed.optimizer.func_evals == first.optimizer.func_evals
    resumed.train()
    assert resumed.network.flat_params.tobytes() == whole.network.flat_params.tobytes()
    assert resumed.history["train_loss"] == whole.history["train_loss"]


def test_what_a_closure_rule_cannot_take_is_refused(digits):
    (x, t), _, _ = digits
    with pytest.raises(ConfigError, match="no partitions and no gradient transformations"):
        build(
            RunSpec(
                optimizer=OptimizerSpec("lbfgs", transforms=(TransformSpec("clip_by_norm", 5.0),))
            )
        )
    with pytest.raises(ConfigError, match="no chain of gradient transformations"):
        Trainer(small_net(), Data(x, t), "lbfgs", TrainConfig(clip_norm=5.0, progress=False))
    with pytest.raises(ConfigError, match="steps with a closure"):
        lrfind(small_net(), x, t, "lbfgs", steps=10)


def test_train_command_runs_lbfgs_and_names_the_line_search_when_it_diverges(tmp_path):
    def train(*args):
        cmd = [
            sys.executable,
            "-m",
            "trainlab",
            "train",
            "--dataset",
            "digits",
            "--epochs",
            "2",
            "--optimizer",
            "lbfgs",
            "--quiet",
            *args,
        ]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=300)

    ok = train(
        "--hidden", "20", "--opt", "line_search_fn=strong_wolfe", "--out", str(tmp_path / "ok")
    )
    assert ok.returncode == 0, ok.stderr
    config = json.loads((tmp_path / "ok" / "config.json").read_text())
    assert config["optimizer"]["rule"] == "lbfgs"
    assert config["optimizer"]["options"] == {"line_search_fn": "strong_wolfe"}
    metrics = json.loads((tmp_path / "ok" / "metrics.json").read_text())
    assert metrics["summary"]["final_val_acc"] > 0.8
    # the notes' 4x100 net at 3x torch's lr: diverges within 2 epochs on seeds 0-2
    bad = train("--lr", "3", "--out", str(tmp_path / "bad"))
    assert bad.returncode == 3
    last = bad.stderr.strip().splitlines()[-1]
    assert last.startswith("trainlab: diverged") and "line_search_fn=strong_wolfe" in last
    assert "lrfind" not in last and "clip" not in last
