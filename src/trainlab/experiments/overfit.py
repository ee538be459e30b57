"""Overfitting and its remedies (the book's ``overfit_weight_decay.py`` and
``overfit_dropout.py``): 300 training samples, 6 hidden layers of 100, SGD
lr 0.01, batch 100 drawn with replacement, 201 epochs for every variant (the
book's dropout run has 301; one length keeps the curves comparable).

Variants: no regularisation, weight decay λ = 0.1, dropout 0.2 (the notes'
form), and an ensemble of 5 unregularised nets (different seeds) whose
softmax outputs are averaged, which the notes relate to dropout. The single
nets share initial weights and batches; the ensemble's first member is the
unregularised net itself. Train and test accuracy are measured after every
epoch (test on the first ``test_size`` test samples; 0 = all).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from trainlab.data import epoch_indices
from trainlab.errors import DivergenceError
from trainlab.experiments.common import QUIET, first, gen, head, mean, seeds, tail_mean, trainer
from trainlab.experiments.experiment import Experiment, Source
from trainlab.experiments.overfit_plot import draw
from trainlab.nn import softmax
from trainlab.train import Data
from trainlab.train.build import Streams
from trainlab.train.spec import NetworkSpec, OptimizerSpec, RunSpec, TrainingSpec


@dataclass
class Config:
    train_size: int = 300
    test_size: int = 1000
    hidden: tuple = (100, 100, 100, 100, 100, 100)
    optimizer: str = "sgd"
    lr: float = 0.01
    batch_size: int = 100
    epochs: int = 201
    weight_decay: float = 0.1
    dropout: float = 0.2
    dropout_mode: str = "notes"
    ensemble: int = 5


#: where the notes' settings do not show the lesson on a data set
DATASETS = {
    "digits": {"lr": 0.1, "weight_decay": 0.01, "dropout": 0.15, "dropout_mode": "inverted"}
}
WHY = {
    "digits": "On the 8×8 digits the notes' lr 0.01 leaves the dropout net at about 40% "
    "training accuracy after 100 epochs, and λ = 0.1 lowers test accuracy as much "
    "as training accuracy, so neither narrows the gap. With lr 0.1, λ = 0.01 and "
    "dropout 0.15 that rescales the kept units while training (the inverted form; "
    "the notes' form shrinks the signal of each of the 6 layers instead), every "
    "net converges and both remedies narrow the gap."
}
WHY_KO = {
    "digits": "8×8 digits에서는 노트의 학습률 0.01로 100 에폭을 학습해도 드롭아웃 신경망의 "
    "훈련 정확도가 40% 정도에 머물고, λ = 0.1은 훈련 정확도만큼 시험 정확도도 낮춰서 "
    "어느 쪽도 간극을 줄이지 못합니다. 학습률 0.1, λ = 0.01, 학습 때 남은 뉴런을 "
    "키우는(inverted) 드롭아웃 0.15를 쓰면 모든 신경망이 수렴하고 두 방법 모두 "
    "간극을 줄입니다(노트의 방식은 6개 층의 신호를 매번 줄입니다)."
}


def variants(cfg) -> list[str]:
    names = ["none"]
    if cfg.weight_decay > 0:
        names.append("weight decay")
    if cfg.dropout > 0:
        names.append("dropout")
    if cfg.ensemble > 1:
        names.append("ensemble")
    return names


def units(cfg) -> int:
    return cfg.epochs


def evaluation(cfg) -> dict:
    return {
        "each_epoch": f"train accuracy on all {cfg.train_size} training samples and test "
        f"accuracy on the first {cfg.test_size or 'all'} test samples: the "
        "curves and their gap",
        "final": "mean of the last tenth of each curve",
    }


def reads(cfg) -> tuple:
    """How many rows of the training and test sets the trainings read (see folder.reads)."""
    return first(cfg.train_size), first(cfg.test_size)


def jobs(cfg, rng) -> list[dict]:
    """One training per net: each single variant, then the ensemble's other members.

    The single nets share initial weights and batches; the ensemble's first
    member is the unregularised net itself, so its job records the outputs
    the ensemble averages, as the other members' jobs do.
    """
    init0, batch0 = seeds(rng, 2)
    extra = seeds(rng, 2 * max(cfg.ensemble - 1, 0))
    ensemble = "ensemble" in variants(cfg)
    out = [
        {"variant": name, "init": init0, "batch": batch0, "outputs": ensemble and name == "none"}
        for name in variants(cfg)
        if name != "ensemble"
    ]
    if ensemble:
        out += [
            {"variant": "member", "init": i, "batch": b, "outputs": True}
            for i, b in zip(extra[0::2], extra[1::2], strict=False)
        ]
    return out


def _softmax64(scores) -> np.ndarray:
    return softmax(np.asarray(scores).astype(np.float64))


def _accuracy(probs, t) -> float:
    """Accuracy of the averaged softmax outputs ``probs`` (a list, one per net)."""
    p = sum(probs) / len(probs)
    return float(np.mean(p.argmax(axis=1) == t))


def job(cfg, data, spec) -> dict:
    """Train one net for ``epochs`` epochs; accuracy (eval mode) before and after each.

    With ``outputs``, also the net's scores on both sets after each epoch,
    ``(epochs + 1, samples, classes)``, which the ensemble averages."""

    x, t = head(data.x, data.t, cfg.train_size)
    xt, tt = head(data.x_test, data.t_test, cfg.test_size)
    kw = {
        "none": {},
        "member": {},
        "weight decay": {"weight_decay": cfg.weight_decay},
        "dropout": {
            "dropout": cfg.dropout,
            "dropout_mode": cfg.dropout_mode,
        },
    }[spec["variant"]]
    run = RunSpec(
        network=NetworkSpec(cfg.hidden, **kw),
        optimizer=OptimizerSpec(cfg.optimizer, lr=cfg.lr),
        training=TrainingSpec(cfg.epochs, batch_size=cfg.batch_size, sampling="replacement"),
        output=QUIET,
    )
    streams = Streams(weights=gen(spec["init"]), batches=gen(spec["batch"]))
    tr = trainer(run, data, Data(x, t, xt, tt), streams)  # trained by the loop below
    net, opt, g = tr.network, tr.optimizer, tr.rng
    out: dict[str, Any] = {"train_acc": [], "test_acc": []}
    scores: dict[str, list] = {"train": [], "test": []}

    def evaluate():
        for key, xs, ts in (("train", x, t), ("test", xt, tt)):
            s = net.predict(xs)
            out[f"{key}_acc"].append(_accuracy([_softmax64(s)], ts))
            if spec["outputs"]:
                scores[key].append(s)

    evaluate()
    for epoch in range(cfg.epochs):
        for idx in epoch_indices(len(x), min(cfg.batch_size, len(x)), g, replacement=True):
            grads = net.gradient(x[idx], t[idx])
            if not math.isfinite(net.last_loss):
                name = "ensemble" if spec["variant"] == "member" else spec["variant"]
                raise DivergenceError(
                    f"overfit/{name}: loss is {net.last_loss} in epoch {epoch + 1}; lower lr"
                )
            opt.update(net.params, grads)
        evaluate()
    if spec["outputs"]:
        out["scores"] = {k: np.stack(v) for k, v in scores.items()}
        if spec["variant"] == "none":
            out["labels"] = {"train": np.asarray(t), "test": np.asarray(tt)}
    return out


def gather(cfg, specs, results) -> dict:
    """The single variants as trained; the ensemble's accuracy from its members' averaged
    softmax outputs, epoch by epoch."""
    out = {}
    for spec, r in zip(specs, results, strict=False):
        if spec["variant"] != "member":
            out[spec["variant"]] = {"train_acc": r["train_acc"], "test_acc": r["test_acc"]}
    members = [r["scores"] for r in results if "scores" in r]
    if members:
        labels = next(r["labels"] for r in results if "labels" in r)
        out["ensemble"] = {
            f"{k}_acc": [
                _accuracy([_softmax64(m[k][e]) for m in members], labels[k])
                for e in range(cfg.epochs + 1)
            ]
            for k in ("train", "test")
        }
    return out


def summarize(runs, cfg) -> dict:
    s = {}
    for name in variants(cfg):
        tr = mean([tail_mean(r[name]["train_acc"]) for r in runs])
        te = mean([tail_mean(r[name]["test_acc"]) for r in runs])
        s[f"{name}: train acc"] = tr
        s[f"{name}: test acc"] = te
        s[f"{name}: gap"] = tr - te
    return s


def plot(metrics, cfg, out) -> list:
    """Train and test accuracy of every variant, one panel each."""
    return draw(metrics, cfg, out, variants(cfg))


def claim(cfg) -> list[str]:
    """The rows that prove the figure's claim."""
    return [f"{name}: gap" for name in variants(cfg)]


TEXTS = {
    "en": {
        "title": "Overfitting: weight decay, dropout, ensemble",
        "shows": "Train (solid) and test (dashed) accuracy per epoch of a 6-hidden-layer "
        "network trained on only 300 samples, without regularisation, with weight "
        "decay, with dropout (each panel's title names its λ or ratio), and as an "
        "ensemble of 5 unregularised nets whose softmax outputs are averaged. The "
        "gap in each title is train minus test accuracy over the last tenth of the "
        "epochs, with its change from the unregularised net in brackets.",
        "notes": "Without regularisation the network fits its 300 samples perfectly while "
        "test accuracy stays far lower. Weight decay (adding ½λW² to the loss) "
        "narrows the gap between train and test accuracy; dropout narrows it "
        "further, at the price of slower learning. Dropout acts like training an "
        "ensemble of different networks. The notes' figures are on MNIST, where "
        "their settings (λ = 0.1, dropout 0.2, lr 0.01) show this, as they do on "
        "Fashion-MNIST. On the small 8×8 digits they do not (see the settings "
        "table): there the demo trains faster, with a lighter λ and dropout, and "
        "both remedies narrow the gap, dropout a little more, while dropout also "
        "raises test accuracy.",
    },
    "ko": {
        "title": "오버피팅: 가중치 감소, 드롭아웃, 앙상블",
        "shows": "훈련 데이터 300개만으로 은닉층 6개 신경망을 학습시킨 에폭별 훈련(실선)·"
        "시험(점선) 정확도입니다. 정규화 없음, 가중치 감소 λ = 0.1, 드롭아웃 0.2, "
        "그리고 정규화 없는 신경망 5개의 softmax 출력을 평균한 앙상블을 비교합니다"
        "(각 그림 제목에 λ와 드롭아웃 비율이 있습니다). 제목의 간극은 마지막 10% 에폭 "
        "동안의 훈련 정확도 − 시험 정확도이고, 괄호는 정규화 없는 신경망과의 차이입니다.",
        "notes": "정규화가 없으면 훈련 데이터 300개에는 완벽히 맞추지만 시험 정확도는 크게 "
        "낮습니다(오버피팅). 손실 함수에 ½λW²를 더하는 가중치 감소를 쓰면 훈련과 "
        "시험 정확도의 간극이 줄어듭니다. 드롭아웃은 학습 진행이 더디지만 간극을 더욱 "
        "줄입니다. 드롭아웃은 매번 다른 모델을 학습시키는 것과 같아 앙상블 학습과 "
        "비슷한 효과를 냅니다. 노트의 그림은 MNIST 결과이며 노트의 설정(λ = 0.1, "
        "드롭아웃 0.2, 학습률 0.01)은 Fashion-MNIST에서도 이를 보여 줍니다. 작은 8×8 "
        "digits에서는 그렇지 않아(설정 표 참고) 데모는 더 큰 학습률과 더 약한 λ, "
        "드롭아웃을 씁니다. 그러면 두 방법 모두 간극을 줄이고 드롭아웃이 조금 더 "
        "줄이며 시험 정확도도 높입니다.",
    },
}

EXPERIMENT = Experiment(
    name="overfit",
    title="Overfitting: weight decay, dropout and an ensemble",
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
        notes="notes: overfitting, images 2-14, 2-15 (weight decay) and 2-17 (dropout)",
        notes_ko="노트: 오버피팅, 그림 2-14, 2-15(가중치 감소), 2-17(드롭아웃)",
        book="§6.4.1–6.4.3, Fig. 6-20, 6-21, 6-23",
        script="ch06/overfit_weight_decay.py, ch06/overfit_dropout.py",
    ),
    lesson="the gap: none > weight decay > dropout",
    quick={"epochs": 101},
    datasets=DATASETS,
    why=WHY,
    why_ko=WHY_KO,
    evaluation=evaluation,
    reads=reads,
)
