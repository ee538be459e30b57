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

from trainlab.experiments.common import first, floats, gen, head, mean, network, seeds

TITLE = "Batch size: full batch, stochastic and mini-batch"
TRAINS = True


@dataclass
class Config:
    batch_sizes: tuple = ("full", 1, 32, 64, 128, 256)
    train_size: int = 1000
    hidden: tuple = (100, 100, 100, 100)
    optimizer: str = "sgd"
    lr: float = 0.01
    epochs: int = 10


QUICK = {"epochs": 4}


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
    """How many rows of the training and test sets the trainings read (see registry.reads)."""
    return first(cfg.train_size), 0


def jobs(cfg, rng) -> list[dict]:
    """One training per batch size, same initial weights and batch seed for all."""
    init_seed, batch_seed = seeds(rng, 2)
    return [{"batch": str(b), "init": init_seed, "batch_seed": batch_seed} for b in cfg.batch_sizes]


def job(cfg, data, spec) -> dict:
    from trainlab.optim import create
    from trainlab.train import Data, TrainConfig, Trainer

    x, t = head(data.x, data.t, cfg.train_size)
    b = spec["batch"]
    net = network(data, cfg.hidden, spec["init"])
    tr = Trainer(
        net,
        Data(x, t),
        create(cfg.optimizer, lr=cfg.lr),
        TrainConfig(
            epochs=cfg.epochs,
            mini_batch_size=size_of(b, len(x)),
            rng=gen(spec["batch_seed"]),
            progress=False,
        ),
    )
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
    from trainlab.viz import band, caption, plt, save

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
