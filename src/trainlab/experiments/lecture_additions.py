"""The lecture's "추가적인 방법론" (additional methods), each against its claim:

* **shuffling**: "shuffle the training data every epoch" — a fresh order each
  epoch (``sampling='shuffle'``) against one fixed random order, and against
  data sorted by class (``sampling='sequential'`` on each order);
* **curriculum learning** (Bengio et al., 2009): "learn the easy ones first" —
  :class:`trainlab.train.Curriculum` on :func:`trainlab.train.difficulty_scores`
  against the random order;
* **early stopping**: "stop when the validation accuracy falls" —
  :class:`trainlab.train.callbacks.EarlyStopping` (``early_stop`` patience):
  where it stops and the accuracy of the parameters it keeps, against the run
  that goes on to the end;
* **gradient noise** (Neelakantan et al., 2015): "a little noise on the
  gradient makes learning a little faster" — :class:`trainlab.optim.GradientNoise`
  (variance ``eta / (1 + t)^0.55``) against none.

Every training of a seed starts from the same initial weights, uses the same
split (``val_ratio`` of ``train_size`` held out for validation) and the same
batch draws where the order allows; only the compared technique differs.
Accuracies are measured on the whole sets after every epoch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.data import train_val_split
from trainlab.experiments.common import QUIET, first, fit, gen, head, mean, seeds, trainer
from trainlab.experiments.experiment import Experiment, Source
from trainlab.experiments.lecture_additions_plot import plot
from trainlab.train import Data
from trainlab.train.build import Streams
from trainlab.train.spec import (
    NetworkSpec,
    OptimizerSpec,
    RunSpec,
    TrainingSpec,
    TransformSpec,
)

#: every training: name → what it changes
VARIANTS = {
    "shuffle": "a fresh random order every epoch (the lecture's advice)",
    "fixed order": "one random order, the same every epoch",
    "sorted by class": "the data sorted by class, the same every epoch",
    "curriculum": "easiest first, the pool widening to all by half-way",
    "gradient noise": "Gaussian noise of variance eta/(1+t)^0.55 added to each gradient",
    "early stopping": "stops when validation accuracy has not risen for `patience` epochs",
}


@dataclass
class Config:
    optimizer: str = "sgd"
    lr: float = 0.1
    hidden: tuple = (100, 100)
    batch_size: int = 50
    epochs: int = 30
    train_size: int = 2000
    val_ratio: float = 0.2
    patience: int = 3
    noise_eta: float = 0.01


def units(cfg) -> int:
    return len(VARIANTS)


def evaluation(cfg) -> dict:
    return {
        "each_epoch": "training loss, training, validation and test accuracy on the whole sets",
        "final": "the same, of the parameters each training ends with (early stopping: the best)",
    }


def reads(cfg) -> tuple:
    """How many rows of the training and test sets the trainings read (see folder.reads)."""
    return first(cfg.train_size), None


def jobs(cfg, rng) -> list[dict]:
    """One training per variant, all from the same split, initial weights and draws."""
    split, init, batch, noise, order, scores = seeds(rng, 6)
    common = {"split": split, "init": init, "batch": batch}
    extra = {"gradient noise": {"noise": noise}, "fixed order": {"order": order}}
    extra["curriculum"] = {"scores": scores}
    return [{"variant": v, **common, **extra.get(v, {})} for v in VARIANTS]


def ordered(variant: str, x, t, spec):
    """The training data in the order a sequential variant walks it."""
    if variant == "sorted by class":
        idx = np.argsort(t, kind="stable")
    else:  # one random order, drawn once
        idx = gen(spec["order"]).permutation(len(t))
    return x[idx], t[idx]


class _Updates:
    """Records the number of updates made by the end of each epoch."""

    def __init__(self):
        self.at = [0]

    def on_epoch_end(self, trainer, epoch, record) -> bool:
        self.at.append(int(trainer.current_iter))
        return False


def job(cfg, data, spec) -> dict:

    v = spec["variant"]
    x, t = head(data.x, data.t, cfg.train_size)
    (x, t), (xv, tv) = train_val_split(x, t, cfg.val_ratio, gen(spec["split"]))
    if v in ("fixed order", "sorted by class"):
        x, t = ordered(v, x, t, spec)
    noise = (TransformSpec("gradient_noise", cfg.noise_eta),) if v == "gradient noise" else ()
    run = RunSpec(
        network=NetworkSpec(cfg.hidden),
        optimizer=OptimizerSpec(cfg.optimizer, lr=cfg.lr, transforms=noise),
        training=TrainingSpec(
            cfg.epochs,
            batch_size=cfg.batch_size,
            sampling="sequential" if v in ("fixed order", "sorted by class") else "shuffle",
            early_stop=cfg.patience if v == "early stopping" else None,
            curriculum=v == "curriculum",
        ),
        output=QUIET,
    )
    streams = Streams(
        weights=gen(spec["init"]),
        batches=gen(spec["batch"]),
        noise=gen(spec["noise"]) if "noise" in spec else None,
        curriculum=gen(spec["scores"]) if "scores" in spec else None,
    )
    updates = _Updates()
    arrays = Data(x, t, data.x_test, data.t_test, x_val=xv, t_val=tv)
    tr = trainer(run, data, arrays, streams, callbacks=(updates,))
    h = fit(tr)
    net = tr.network
    final = {
        f"{k}_acc": float(net.evaluate(a, b)[1])
        for k, a, b in (("val", xv, tv), ("test", data.x_test, data.t_test))
    }
    return {
        "updates": updates.at,
        "diverged_at": h["diverged_at"],
        "best_epoch": getattr(tr, "best_epoch", None),
        "final": final,
        **{k: list(h[k]) for k in ("train_loss_epoch", "train_acc", "val_acc", "test_acc")},
    }


def gather(cfg, specs, results) -> dict:
    return {spec["variant"]: r for spec, r in zip(specs, results, strict=True)}


def summarize(runs, cfg) -> dict:
    s = {}
    for v in VARIANTS:
        s[f"{v}: test acc"] = mean([r[v]["final"]["test_acc"] for r in runs])
    for v in ("shuffle", "curriculum", "gradient noise"):
        s[f"{v}: train loss after epoch 1"] = mean([r[v]["train_loss_epoch"][1] for r in runs])
        s[f"{v}: final train loss"] = mean([r[v]["train_loss_epoch"][-1] for r in runs])
    stops = [len(r["early stopping"]["val_acc"]) - 1 for r in runs]
    s["early stopping: stopped after epoch (mean)"] = mean(stops)
    s["early stopping: kept epoch (mean)"] = mean([r["early stopping"]["best_epoch"] for r in runs])
    s["early stopping: epochs saved (mean)"] = float(cfg.epochs - np.mean(stops))
    return s


def claim(cfg) -> list[str]:
    """The rows that prove the figure's claim."""
    return [f"{v}: test acc" for v in VARIANTS] + ["early stopping: stopped after epoch (mean)"]


TEXTS = {
    "en": {
        "title": "The lecture's additions: shuffling, curriculum, early stopping, noise",
        "shows": "One network (two hidden layers of 100, SGD lr 0.1, batch 50) trained six "
        "ways from the same initial weights and split (20% held out for "
        "validation): shuffled every epoch; in one fixed random order; sorted by "
        "class; easiest samples first (a curriculum ranked by a softmax "
        "regression's loss, widening to all by half-way; drawn against the number "
        "of updates, since its early epochs are shorter); with early stopping "
        "(patience 3 on validation accuracy; the star is the epoch it keeps); with "
        "Gaussian gradient noise (variance 0.01/(1+t)^0.55). Mean over seeds with "
        "±1 std bands.",
        "notes": "The lecture: shuffle the data every epoch; learn easy examples first "
        "(Bengio et al. 2009); stop when the validation accuracy falls (very "
        "important); a little gradient noise makes learning a little faster "
        "(Neelakantan et al. 2015). What this data shows: data sorted by class "
        "learns far worse, as the advice to shuffle implies; one fixed random order "
        "does as well on the digits, and on Fashion-MNIST ends between level and a "
        "few points lower, depending on the seed: the last batches of every epoch "
        "are the same ones. The curriculum is not ahead here, neither per epoch nor "
        "per update: the hard samples are needed from the start. Early stopping "
        "stops a few epochs after the best validation accuracy and keeps those "
        "parameters; on a small validation set it stops at a wobble, before the "
        "slow late gains, and loses a little test accuracy. Gradient noise of this "
        "size changes nothing visible on a shallow network; Neelakantan et al. "
        "found it helps very deep networks that are hard to train.",
    },
    "ko": {
        "title": "강의의 추가적인 방법론: 셔플링, 커리큘럼, 조기 종료, 기울기 노이즈",
        "shows": "같은 신경망(은닉층 100개 노드 2개, SGD 학습률 0.1, 배치 50)을 같은 "
        "초깃값과 같은 분할(20%는 검증용)에서 여섯 가지로 학습시켰습니다: 매 에폭 "
        "섞기, 한 번 섞은 순서 고정, 클래스별로 정렬, 쉬운 샘플부터(소프트맥스 "
        "회귀의 손실로 난이도를 매긴 커리큘럼, 중간까지 전체로 넓어짐; 초반 에폭이 "
        "짧으므로 갱신 횟수에 대해 그림), 조기 종료(검증 정확도에 인내 3, 별표는 "
        "남긴 에폭), 가우스 기울기 노이즈(분산 0.01/(1+t)^0.55). 시드 평균과 ±1 "
        "표준편차 띠입니다.",
        "notes": "강의: 학습 데이터는 매 에폭마다 섞어 주는 것이 좋다, 쉬운 것부터 "
        "학습시킨다(Bengio 등 2009), validation accuracy가 떨어지면 학습을 "
        "멈춘다(매우 중요), gradient에 noise를 조금 넣으면 학습이 조금 "
        "빨라진다(Neelakantan 등 2015). 이 데이터에서 본 것: 클래스별로 정렬한 "
        "데이터는 훨씬 못 배우므로 섞으라는 조언이 맞습니다. 한 번 섞은 순서를 "
        "고정하면 숫자 데이터에서는 똑같이 배우고, Fashion-MNIST에서는 시드에 "
        "따라 비슷하거나 몇 퍼센트포인트 낮게 끝납니다: 매 에폭 마지막 배치가 늘 "
        "같은 샘플이기 때문입니다. 커리큘럼은 에폭 기준으로도 갱신 횟수 기준으로도 "
        "앞서지 않습니다: 어려운 샘플도 처음부터 필요합니다. 조기 종료는 검증 "
        "정확도가 가장 높았던 에폭 몇 개 뒤에 멈추고 그 매개변수를 남기는데, 검증 "
        "데이터가 작으면 작은 흔들림에서 멈춰서 뒤늦은 향상을 놓치고 시험 정확도를 "
        "조금 잃습니다. 이 정도 크기의 기울기 노이즈는 얕은 신경망에서 눈에 띄는 "
        "차이를 만들지 않습니다. Neelakantan 등은 학습하기 어려운 아주 깊은 "
        "신경망에서 도움이 된다고 보고했습니다.",
    },
}

EXPERIMENT = Experiment(
    name="lecture-additions",
    title="The lecture's additional methods: shuffling, curriculum, early stopping, noise",
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
        notes="lecture 08 (optimisation): 추가적인 방법론 (shuffling; curriculum learning, "
        "Bengio et al. 2009; early stopping; gradient noise, Neelakantan et al. 2015)",
        notes_ko="강의 08 (Optimization 방법론): 추가적인 방법론 (Shuffling; Curriculum Learning, "
        "Bengio 등 2009; Early stopping; Gradient noise, Neelakantan 등 2015)",
        book="—",
        script=None,
    ),
    lesson=(
        "sorted by class learns far worse than shuffled; a fixed random order stays near "
        "it; the curriculum is not ahead; early stopping stops by its rule and keeps the "
        "best validation epoch, no better on test than the full run; gradient noise (η "
        "0.01) changes little (`test_lessons_additions.py`, digits and Fashion-MNIST, 3 "
        "seeds, 20 epochs)"
    ),
    quick={"epochs": 12},
    evaluation=evaluation,
    reads=reads,
)
