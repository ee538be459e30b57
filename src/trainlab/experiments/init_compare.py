"""Initial weights compared on the notes' network (the book's
``weight_init_compare.py``): std 0.01, Xavier and He, ReLU, SGD lr 0.01,
batch 128, same batches for all; smoothed training loss per iteration."""

from __future__ import annotations

from dataclasses import dataclass

from trainlab.experiments.common import (
    arch,
    batch_loss_evaluation,
    mean,
    seeds,
    tail_mean,
)
from trainlab.experiments.experiment import Experiment, Source
from trainlab.experiments.init_histogram import init_label
from trainlab.train.compare import compare_optimizers
from trainlab.train.plots import plot_loss_curves
from trainlab.train.spec_flat import init_value

#: samples of the training set the Trainer evaluates per epoch (its record; not in the figure)
TRAIN_PROBE = 1000


@dataclass
class Config:
    inits: tuple = ("0.01", "xavier", "he")
    hidden: tuple = (100, 100, 100, 100)
    activation: str = "relu"
    optimizer: str = "sgd"
    lr: float = 0.01
    batch_size: int = 128
    iterations: int = 2000


def units(cfg) -> int:
    return len(cfg.inits)


def evaluation(cfg) -> dict:
    """The figure is the loss of each training batch; only the final test accuracy is
    measured on a whole set."""
    return batch_loss_evaluation(TRAIN_PROBE)


def jobs(cfg, rng) -> list[dict]:
    """One training per initial weight scale, all with the same seed."""
    (seed,) = seeds(rng, 1)
    return [{"init": spec, "seed": seed} for spec in cfg.inits]


def job(cfg, data, spec) -> dict:
    init = spec["init"]
    r = compare_optimizers(
        data.x,
        data.t,
        data.x_test,
        data.t_test,
        {init: {"name": cfg.optimizer, "lr": cfg.lr}},
        hidden=cfg.hidden,
        activation=cfg.activation,
        weight_init_std=init_value(init),
        iterations=cfg.iterations,
        batch_size=cfg.batch_size,
        seed=spec["seed"],
        quiet=True,
        test_each_epoch=False,
        evaluate_sample_num_per_epoch=TRAIN_PROBE,
    )[init]
    return {"train_loss": r["train_loss"], "test_acc": r["test_acc"]}


def gather(cfg, specs, results) -> dict:
    return {spec["init"]: r for spec, r in zip(specs, results, strict=False)}


def summarize(runs, cfg) -> dict:
    s = {
        f"{init_label(k)} final loss": mean([tail_mean(r[k]["train_loss"]) for r in runs])
        for k in cfg.inits
    }
    s.update(
        {f"{init_label(k)} test acc": mean([r[k]["test_acc"] for r in runs]) for k in cfg.inits}
    )
    return s


def plot(metrics, cfg, out) -> list:
    d = metrics["data"]
    path = out / "init_compare.png"
    curves = {
        f"weights {init_label(k)}": [r[k]["train_loss"] for r in metrics["runs"]] for k in cfg.inits
    }
    plot_loss_curves(
        curves,
        path,
        title=f"{d['title']}: {arch(d, cfg.hidden)}, {cfg.activation}, "
        f"{cfg.optimizer} lr {cfg.lr:g}",
        caption="std 0.01 stays at ln 10 ≈ 2.30 (nothing is learnt); with ReLU, "
        "He's weights learn faster than Xavier's",
    )
    return [path]


def claim(cfg) -> list[str]:
    """The rows that prove the figure's claim."""
    return [f"{init_label(k)} final loss" for k in cfg.inits]


TEXTS = {
    "en": {
        "title": "Initial weights: training the notes' network",
        "shows": "Smoothed training loss of the notes' ReLU network trained with SGD "
        "(lr 0.01, batch 128) from weights with std 0.01, Xavier and He; same "
        "batches for all.",
        "notes": "With std 0.01 the signal vanishes on its way through the layers and the "
        "loss does not move. With ReLU, He's initial weights learn clearly faster "
        "than Xavier's.",
    },
    "ko": {
        "title": "가중치 초깃값: 노트의 신경망 학습",
        "shows": "노트의 ReLU 신경망을 SGD(학습률 0.01, 배치 128)로 "
        "학습시킨 훈련 손실(평활화)을 "
        "초깃값 표준편차 0.01, Xavier, He 별로 비교했습니다. 미니배치는 모두 같습니다.",
        "notes": "표준편차 0.01이면 순전파 신호가 층을 지나며 사라져 학습이 전혀 진행되지 "
        "않습니다. ReLU와 He 초깃값을 함께 쓸 때 학습이 확실히 훨씬 빠릅니다.",
    },
}

EXPERIMENT = Experiment(
    name="init-compare",
    title="Initial weights on the notes' network",
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
        notes="notes: He initial weights, image 2-11",
        notes_ko="노트: He 초깃값, 그림 2-11",
        book="§6.2.4, Fig. 6-15",
        script="ch06/weight_init_compare.py",
    ),
    lesson="std 0.01 does not learn; He faster than Xavier",
    quick={"iterations": 300},
    evaluation=evaluation,
)
