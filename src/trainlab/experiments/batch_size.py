"""Batch, stochastic and mini-batch gradient descent (the lecture's three
kinds): full batch, batch 1 and mini-batches of 32..256 on the same data,
network, initial weights and learning rate, for the same number of epochs.

Loss is shown against updates (the per-iteration loss of each batch), against
epochs and against wall time (the loss on the whole training set after each
epoch). One learning rate for all, plain SGD at 0.01 by default: a smaller
batch makes more, noisier updates per epoch, each one cheaper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from trainlab.experiments.common import QUIET, first, floats, gen, head, mean, seeds, trainer
from trainlab.experiments.experiment import Experiment, Source
from trainlab.train import Data
from trainlab.train.build import Streams
from trainlab.train.spec import NetworkSpec, OptimizerSpec, RunSpec, TrainingSpec
from trainlab.viz import band, caption, plt, save


@dataclass
class Config:
    batch_sizes: tuple = ("full", 1, 32, 64, 128, 256)
    train_size: int = 1000
    hidden: tuple = (100, 100, 100, 100)
    optimizer: str = "sgd"
    lr: float = 0.01
    epochs: int = 10


def size_of(b, n: int) -> int:
    """Samples per batch: ``"full"`` (or 0) is the whole training set."""
    if str(b).lower() in ("full", "0"):
        return n
    return min(int(b), n)


def label(b) -> str:
    return "full batch" if str(b).lower() in ("full", "0") else f"batch {b}"


def noise(losses) -> float:
    """Step-to-step noise of a per-iteration loss curve: std of successive
    differences over its second half, divided by sqrt(2) (for independent
    noise of std s, a difference has std s*sqrt(2); a slow trend barely
    contributes). NaN with fewer than 3 points."""
    y = floats(losses)
    y = y[len(y) // 2 :]
    return float(np.std(np.diff(y)) / math.sqrt(2)) if len(y) >= 3 else float("nan")


def units(cfg) -> int:
    return len(cfg.batch_sizes)


def evaluation(cfg) -> dict:
    return {
        "each_step": "loss of the training batch",
        "each_epoch": f"loss on the whole training set ({cfg.train_size} samples)",
        "final": "the last loss on the whole training set",
    }


def reads(cfg) -> tuple:
    """How many rows of the training and test sets the trainings read (see folder.reads)."""
    return first(cfg.train_size), 0


def jobs(cfg, rng) -> list[dict]:
    """One training per batch size, same initial weights and batch seed for all."""
    init_seed, batch_seed = seeds(rng, 2)
    return [{"batch": str(b), "init": init_seed, "batch_seed": batch_seed} for b in cfg.batch_sizes]


def job(cfg, data, spec) -> dict:

    x, t = head(data.x, data.t, cfg.train_size)
    b = spec["batch"]
    run = RunSpec(
        network=NetworkSpec(cfg.hidden),
        optimizer=OptimizerSpec(cfg.optimizer, lr=cfg.lr),
        training=TrainingSpec(cfg.epochs, batch_size=size_of(b, len(x))),
        output=QUIET,
    )
    streams = Streams(weights=gen(spec["init"]), batches=gen(spec["batch_seed"]))
    tr = trainer(run, data, Data(x, t), streams)
    h = tr.train()
    return {
        "train_loss": h["train_loss"],
        "epoch_loss": h["train_loss_epoch"],
        "time": h["time"],
        "updates_per_epoch": tr.iter_per_epoch,
        "batch": size_of(b, len(x)),
    }


def gather(cfg, specs, results) -> dict:
    return {spec["batch"]: r for spec, r in zip(specs, results, strict=False)}


def summarize(runs, cfg) -> dict:
    s = {}
    for b in map(str, cfg.batch_sizes):
        rs = [r[b] for r in runs]
        s[f"{label(b)}: updates/epoch"] = rs[0]["updates_per_epoch"]
        s[f"{label(b)}: final loss"] = mean([r["epoch_loss"][-1] for r in rs])
        s[f"{label(b)}: seconds"] = mean([r["time"][-1] for r in rs])
        s[f"{label(b)}: loss noise"] = mean([noise(r["train_loss"]) for r in rs])
    return s


def plot(metrics, cfg, out) -> list:
    pyplot = plt()
    fig, (a1, a2, a3) = pyplot.subplots(1, 3, figsize=(15, 4.2))
    for i, b in enumerate(map(str, cfg.batch_sizes)):
        rs = [r[b] for r in metrics["runs"]]
        color = f"C{i}"
        it = np.array([r["train_loss"] for r in rs], dtype=float)
        band(
            a1,
            np.arange(1, it.shape[1] + 1),
            it,
            label=label(b),
            color=color,
            lw=0.7,
            alpha=0.8,
            marker="o" if it.shape[1] < 50 else None,
            ms=3,
            zorder=3 + i - (10 if rs[0]["batch"] == 1 else 0),
        )  # batch 1 underneath
        ep = np.array([floats(r["epoch_loss"]) for r in rs])
        band(a2, np.arange(ep.shape[1]), ep, label=label(b), color=color, marker="o", ms=3)
        secs = np.mean([floats(r["time"][1:]) for r in rs], axis=0)
        band(a3, secs, ep[:, 1:], label=label(b), color=color, marker="o", ms=3)
    a1.set(
        xscale="log",
        xlabel="updates (log scale)",
        ylabel="loss of the batch",
        title="loss per update",
    )
    a2.set(xlabel="epochs", ylabel="loss on the training set", title="loss per epoch")
    a3.set(
        xscale="log",
        xlabel="training time (s, log scale)",
        ylabel="loss on the training set",
        title="loss per second",
    )
    a2.legend(fontsize=8)
    fig.suptitle(
        f"{metrics['data']['title']}: {cfg.train_size} samples, {cfg.optimizer} "
        f"lr {cfg.lr:g}, {cfg.epochs} epochs"
    )
    fig.tight_layout()
    caption(
        fig,
        "Smaller batches make more, noisier updates per epoch and get further per "
        "epoch; the full batch makes one update per epoch",
    )
    return [save(fig, out / "batch_size.png")]


def claim(cfg) -> list[str]:
    """The rows that prove the figure's claim."""
    return [f"{label(b)}: loss noise" for b in map(str, cfg.batch_sizes)]


TEXTS = {
    "en": {
        "title": "Batch, stochastic and mini-batch gradient descent",
        "shows": "The same network, initial weights and learning rate trained with the "
        "whole training set per update (full batch), one sample per update "
        "(stochastic), and mini-batches of 32 to 256. Left: the loss of each "
        "update's batch against the number of updates; middle: loss on the whole "
        "training set per epoch; right: the same against training time.",
        "notes": "Full-batch gradient descent makes one update per epoch and takes long. "
        "Stochastic gradient descent looks at one sample at a time, so its loss "
        "jitters; its gradient is right only on average. Mini-batches sit between "
        "the two (sizes are powers of two). Rule of thumb: smaller mini-batches "
        "usually do better, but take longer.",
    },
    "ko": {
        "title": "배치, 확률적, 미니배치 경사 하강법",
        "shows": "같은 신경망, 같은 초깃값, 같은 학습률로 한 번 갱신할 때 훈련 데이터 전체를 "
        "쓰는 경우(배치), 1개만 쓰는 경우(확률적), 32~256개의 미니배치를 쓰는 경우를 "
        "비교합니다. 왼쪽은 갱신 횟수에 따른 각 배치의 손실, 가운데는 에폭마다 잰 "
        "훈련 데이터 전체의 손실, 오른쪽은 같은 손실을 학습 시간에 따라 그렸습니다.",
        "notes": "배치 경사 하강법은 전체 훈련 데이터를 한 번에 고려하므로 한 에폭에 한 번만 "
        "갱신하고 오래 걸립니다. 확률적 경사 하강법은 한 번에 1개만 보므로 떨림 양상이 "
        "생기며, 그 기울기의 기댓값이 전체 기울기와 같을 뿐입니다. 미니배치는 그 중간 "
        "단계이고 크기는 2^n 단위로 잡습니다. 경험칙: 미니배치가 작을수록 성능이 "
        "웬만하면 좋지만 시간이 오래 걸립니다.",
    },
}

EXPERIMENT = Experiment(
    name="batch-size",
    title="Batch size: full batch, stochastic and mini-batch",
    config=Config,
    units=units,
    jobs=jobs,
    job=job,
    gather=gather,
    summarize=summarize,
    claim=claim,
    plot=plot,
    texts=TEXTS,
    source=Source(
        notes="lecture 08 (optimisation): batch, stochastic and mini-batch gradient descent",
        notes_ko="강의 08 (Optimization 방법론): Batch / Stochastic / Mini-batch Gradient Descent",
        book="§4.2.3 (mini-batches)",
        script=None,
    ),
    lesson="smaller batches: more, noisier updates",
    quick={"epochs": 4},
    evaluation=evaluation,
    reads=reads,
)
