"""SGD, Momentum, AdaGrad and Adam on the notes' network (the book's
``optimizer_compare_mnist.py``): same initial weights, same batches, each
rule at its default learning rate; smoothed training loss per iteration."""

from __future__ import annotations

from dataclasses import dataclass

from trainlab.experiments.common import (
    arch,
    batch_loss_evaluation,
    mean,
    rule_label,
    seeds,
    tail_mean,
)
from trainlab.experiments.experiment import Experiment, Source
from trainlab.optim import create
from trainlab.train.compare import compare_optimizers
from trainlab.train.plots import plot_loss_curves

#: samples of the training set the Trainer evaluates per epoch (its record; not in the figure)
TRAIN_PROBE = 1000


@dataclass
class Config:
    optimizers: tuple = ("sgd", "momentum", "adagrad", "adam")
    hidden: tuple = (100, 100, 100, 100)
    activation: str = "relu"
    weight_init: str = "he"
    batch_size: int = 128
    iterations: int = 2000


def units(cfg) -> int:
    return len(cfg.optimizers)


def evaluation(cfg) -> dict:
    """The figure is the loss of each training batch; only the final test accuracy is
    measured on a whole set."""
    return batch_loss_evaluation(TRAIN_PROBE)


def jobs(cfg, rng) -> list[dict]:
    """One training per rule, all with the same seed (same initial weights and batches)."""
    (seed,) = seeds(rng, 1)
    return [{"rule": name, "seed": seed} for name in cfg.optimizers]


def job(cfg, data, spec) -> dict:
    name = spec["rule"]
    r = compare_optimizers(
        data.x,
        data.t,
        data.x_test,
        data.t_test,
        {name: {"name": name}},
        hidden=cfg.hidden,
        activation=cfg.activation,
        weight_init_std=cfg.weight_init,
        iterations=cfg.iterations,
        batch_size=cfg.batch_size,
        seed=spec["seed"],
        quiet=True,
        test_each_epoch=False,
        evaluate_sample_num_per_epoch=TRAIN_PROBE,
    )[name]
    return {"train_loss": r["train_loss"], "test_acc": r["test_acc"], "seconds": r["seconds"]}


def gather(cfg, specs, results) -> dict:
    return {spec["rule"]: r for spec, r in zip(specs, results, strict=False)}


def summarize(runs, cfg) -> dict:
    s = {}
    for name in cfg.optimizers:
        s[f"{rule_label(name)} final loss"] = mean([tail_mean(r[name]["train_loss"]) for r in runs])
    for name in cfg.optimizers:
        s[f"{rule_label(name)} test acc"] = mean([r[name]["test_acc"] for r in runs])
    return s


def plot(metrics, cfg, out) -> list:

    runs = metrics["runs"]
    curves = {
        f"{rule_label(n)} (lr {create(n).lr:g})": [r[n]["train_loss"] for r in runs]
        for n in cfg.optimizers
    }
    path = out / "optimizer_compare.png"
    d = metrics["data"]
    plot_loss_curves(
        curves,
        path,
        log=True,
        title=f"{d['title']}: {arch(d, cfg.hidden)}, batch {cfg.batch_size}, "
        "same start and batches, each rule at its default lr",
        caption="SGD's loss falls slowest; Momentum, AdaGrad and Adam reach a "
        "lower loss sooner (log scale)",
    )
    return [path]


def claim(cfg) -> list[str]:
    """The rows that prove the figure's claim."""
    return [f"{rule_label(name)} final loss" for name in cfg.optimizers]


TEXTS = {
    "en": {
        "title": "Update rules: SGD, Momentum, AdaGrad, Adam",
        "shows": "The smoothed training loss per iteration of the notes' network (ReLU, He "
        "initial weights, 4 hidden layers of 100, batch 128) under each update rule "
        "at its default learning rate. Every rule starts from the same weights and "
        "sees the same batches, so only the rule differs. With several seeds the "
        "line is the mean and the band ±1 standard deviation.",
        "notes": "SGD is the slowest: it follows the gradient only, and zigzags where the "
        "loss is steep in one direction and flat in another. Momentum, AdaGrad and "
        "Adam all reach a lower loss sooner; the lecture's advice is to prefer the "
        "adaptive rules, Adam above all, when in doubt.",
    },
    "ko": {
        "title": "매개변수 갱신: SGD, Momentum, AdaGrad, Adam",
        "shows": "노트의 신경망(ReLU, He 초깃값, 100개 노드 은닉층 4개, 배치 128)을 각 갱신 "
        "방법의 기본 학습률로 학습시킨 훈련 손실(평활화)을 반복 횟수에 따라 그렸습니다. "
        "모든 방법이 같은 초깃값과 같은 미니배치를 쓰므로 차이는 갱신 방법에서만 "
        "옵니다. 시드가 여러 개이면 선은 평균, 띠는 ±1 표준편차입니다.",
        "notes": "SGD가 가장 느립니다. 기울기 방향으로만 움직여서 한 방향으로는 가파르고 다른 "
        "방향으로는 완만한(비등방성) 함수에서 지그재그로 탐색합니다. Momentum, AdaGrad, "
        "Adam은 모두 더 빨리 손실을 낮춥니다. 강의의 결론도 Adaptive 계열, 특히 "
        "Adam을 웬만하면 사용하라는 것입니다.",
    },
}

EXPERIMENT = Experiment(
    name="optimizer-compare",
    title="Update rules on the notes' network",
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
        notes="notes: Optimizer, image 2-6",
        notes_ko="노트: Optimizer, 그림 2-6",
        book="§6.1.8, Fig. 6-9",
        script="ch06/optimizer_compare_mnist.py",
    ),
    lesson="SGD slowest; Momentum, AdaGrad, Adam lower sooner",
    quick={"iterations": 300},
    evaluation=evaluation,
)
