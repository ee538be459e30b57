"""Batch normalisation at 16 weight scales (the book's ``batch_norm_test.py``):
1000 training samples, 5 hidden layers of 100, SGD lr 0.01, batch 100 drawn
with replacement as in the book, 20 epochs; training accuracy per epoch with
and without batch norm, same initial draws and batches for both.

A plain net whose loss overflows stops there (its remaining epochs are
missing, drawn as a cross); the book's loop carries on with NaN weights at
chance accuracy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from trainlab.experiments.common import (
    QUIET,
    first,
    fit,
    floats,
    gen,
    head,
    mean,
    seeds,
    stack,
    trainer,
)
from trainlab.experiments.experiment import Experiment, Source
from trainlab.train import Data
from trainlab.train.build import Streams
from trainlab.train.spec import NetworkSpec, OptimizerSpec, RunSpec, TrainingSpec
from trainlab.viz import band, by_hand, caption, plt, save

AHEAD = 0.1  # "ahead": final training accuracy higher by more than this


@dataclass
class Config:
    weight_scales: tuple = tuple(float(w) for w in np.logspace(0, -4, 16))
    train_size: int = 1000
    hidden: tuple = (100, 100, 100, 100, 100)
    optimizer: str = "sgd"
    lr: float = 0.01
    batch_size: int = 100
    epochs: int = 20


def units(cfg) -> int:
    return 2 * len(cfg.weight_scales)


def evaluation(cfg) -> dict:
    return {
        "each_epoch": f"training accuracy on the whole training set ({cfg.train_size} "
        "samples, as the book): the curves",
        "final": "the last point of each curve",
    }


def reads(cfg) -> tuple:
    """How many rows of the training and test sets the trainings read (see folder.reads)."""
    return first(cfg.train_size), 0


def jobs(cfg, rng) -> list[dict]:
    """Per weight scale, a net with and one without batch norm, same draws for both."""
    out = []
    for w in cfg.weight_scales:
        init_seed, batch_seed = seeds(rng, 2)
        out += [
            {"scale": float(w), "bn": bn, "init": init_seed, "batch": batch_seed}
            for bn in (True, False)
        ]
    return out


def job(cfg, data, spec) -> dict:

    x, t = head(data.x, data.t, cfg.train_size)
    run = RunSpec(
        network=NetworkSpec(cfg.hidden, init=spec["scale"], batchnorm=spec["bn"]),
        optimizer=OptimizerSpec(cfg.optimizer, lr=cfg.lr),
        training=TrainingSpec(cfg.epochs, batch_size=cfg.batch_size, sampling="replacement"),
        output=QUIET,
    )
    streams = Streams(weights=gen(spec["init"]), batches=gen(spec["batch"]))
    h = fit(trainer(run, data, Data(x, t), streams))
    return {"train_acc": h["train_acc"], "diverged_at": h["diverged_at"]}


def gather(cfg, specs, results) -> dict:
    out: dict[str, list] = {"bn": [], "plain": []}
    for spec, r in zip(specs, results, strict=False):
        out["bn" if spec["bn"] else "plain"].append(r)
    return out


def final(run, key) -> np.ndarray:
    """Final training accuracy per weight scale (NaN where the run diverged)."""
    return np.array(
        [floats(r["train_acc"])[-1] if r["diverged_at"] is None else np.nan for r in run[key]]
    )


def summarize(runs, cfg) -> dict:
    bn = np.array([final(r, "bn") for r in runs])
    plain = np.array([final(r, "plain") for r in runs])
    bn0, plain0 = np.nan_to_num(bn, nan=0.0), np.nan_to_num(plain, nan=0.0)
    return {
        "BN mean final train acc": mean(bn.mean(axis=0)),
        "plain mean final train acc": mean(plain0.mean(axis=0)),
        "scales where BN is ahead": int(np.sum(bn0.mean(0) > plain0.mean(0) + AHEAD)),
        "scales where plain is ahead": int(np.sum(plain0.mean(0) > bn0.mean(0) + AHEAD)),
        "plain runs diverged": int(
            sum(r2["diverged_at"] is not None for r in runs for r2 in r["plain"])
        ),
        f"BN at W={cfg.weight_scales[-1]:.2g}": mean(bn[:, -1]),
        f"plain at W={cfg.weight_scales[-1]:.2g}": mean(plain[:, -1]),
    }


def he_scale(cfg) -> float:
    """He's std for the hidden layers, √(2/n) with n = 100 in the notes."""
    return math.sqrt(2.0 / cfg.hidden[0])


def plot(metrics, cfg, out) -> list:
    pyplot = plt()
    n = len(cfg.weight_scales)
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    height = 2.2 * rows + 1.1  # the panels, and above and below them the titles and caption
    fig, axes = pyplot.subplots(
        rows, cols, figsize=(2.6 * cols, height), squeeze=False, sharex=True, sharey=True
    )
    runs = metrics["runs"]
    chance = 1.0 / (metrics["data"].get("n_classes") or 10)
    he = int(np.argmin([abs(math.log(w / he_scale(cfg))) for w in cfg.weight_scales]))
    for i, w in enumerate(cfg.weight_scales):
        note = f" ≈ He √(2/{cfg.hidden[0]})" if i == he else ""
        panel(axes[i // cols][i % cols], runs, i, f"W:{w:.4g}{note}", chance, bold=bool(note))
    for j in range(n, rows * cols):
        axes[j // cols][j % cols].axis("off")
    for r in range(rows):
        axes[r][0].set_ylabel("train acc")
    for c in range(cols):
        axes[rows - 1][c].set_xlabel("epoch")
    by_hand(
        fig,
        f"{metrics['data']['title']}: training accuracy per epoch, weights N(0, W²) "
        f"(×: the plain net's loss overflowed)",
        left=0.6,
        right=0.1,
        top=0.95,
        bottom=0.88,
        wspace=0.1,
        hspace=0.35,
    )
    legend(fig, axes[0][0], height)
    caption(
        fig,
        "Where the plain net stays at chance, batch norm still learns; near the He "
        "scale (bold) the plain net is already well scaled and can be ahead",
        inside=True,
    )
    return [save(fig, out / "batchnorm.png", tight=False)]


def panel(ax, runs, i: int, title: str, chance: float, bold: bool) -> None:
    """Training accuracy at weight scale ``i``, with and without batch norm."""
    ax.axhline(chance, color="0.6", lw=0.8, ls=":", label=f"chance ({chance:.1f})")
    for key, style, label in (
        ("bn", "-", "with batch norm"),
        ("plain", "--", "without (plain)"),
    ):
        curves = stack([r[key][i]["train_acc"] for r in runs])
        band(
            ax,
            np.arange(curves.shape[1]),
            curves,
            label=label,
            ls=style,
            color="C0" if key == "bn" else "C1",
        )
        for r in runs:
            if r[key][i]["diverged_at"] is not None:
                ax.plot(len(r[key][i]["train_acc"]) - 1, 0.1, "x", color="C1", ms=7)
    # y given: no search for tick labels above the panel (there are none), which is costly
    ax.set_title(title, fontsize=9, fontweight="bold" if bold else None, y=1.0)
    ax.set_ylim(0, 1.0)
    ax.xaxis.get_major_locator().set_params(integer=True)


def legend(fig, ax, height: float) -> None:
    """One legend above the panels: with batch norm, without, chance."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(
        [handles[1], handles[2], handles[0]],
        [labels[1], labels[2], labels[0]],
        loc="upper center",
        bbox_to_anchor=(0.5, 1 - 0.36 / height),
        ncol=3,
        frameon=False,
    )


def claim(cfg) -> list[str]:
    """The rows that prove the figure's claim."""
    return [
        "BN mean final train acc",
        "plain mean final train acc",
        "scales where BN is ahead",
        "scales where plain is ahead",
    ]


TEXTS = {
    "en": {
        "title": "Batch normalisation across weight scales",
        "shows": "Training accuracy per epoch of a 5-hidden-layer network on 1000 samples "
        "(SGD lr 0.01, batch 100), at 16 standard deviations of the initial "
        "weights from 1 to 0.0001; solid with batch normalisation, dashed "
        "without. Both start from the same draws and see the same batches. A "
        "cross marks a plain net whose loss overflowed.",
        "notes": "Batch normalisation forces every layer's activations to a moderate "
        "spread, so the choice of initial weights matters much less: where the "
        "plain network does not learn at all, the normalised one still does, and "
        "it usually learns faster. Near He's scale √(2/100) ≈ 0.14 (the bold "
        "panel) the plain network's weights are already well scaled, and with "
        "the same small learning rate it can learn as fast or faster: batch norm "
        "pays off when the initial weights are wrong.",
    },
    "ko": {
        "title": "배치 정규화와 가중치 초깃값의 크기",
        "shows": "훈련 데이터 1000개로 은닉층 5개 신경망(SGD 학습률 0.01, 배치 100)을 학습시킨 "
        "에폭별 훈련 정확도입니다. 초깃값 표준편차를 1부터 0.0001까지 16가지로 바꾸었고, "
        "실선은 배치 정규화 사용, 점선은 미사용입니다. 둘은 같은 초깃값 난수와 같은 "
        "미니배치를 씁니다. ×는 손실이 발산한 일반 신경망입니다.",
        "notes": "배치 정규화는 각 층의 활성화값이 적당히 분포되도록 강제로 조정합니다. "
        "그래서 가중치 초깃값에 크게 의존하지 않고, 초깃값 때문에 학습이 아예 진행되지 "
        "않는 상황을 피할 수 있으며, 대부분 학습도 더 빠릅니다. He 초깃값 √(2/100) ≈ "
        "0.14 근처(굵은 제목)에서는 일반 신경망의 가중치가 이미 알맞은 크기라서 같은 "
        "학습률로 비슷하거나 더 빨리 학습할 수 있습니다. 배치 정규화는 초깃값이 "
        "나쁠 때 효과가 큽니다.",
    },
}

EXPERIMENT = Experiment(
    name="batchnorm",
    title="Batch normalisation and the weight scale",
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
        notes="notes: batch normalisation, images 2-12, 2-13",
        notes_ko="노트: 배치 정규화, 그림 2-12, 2-13",
        book="§6.3.2, Fig. 6-18, 6-19",
        script="ch06/batch_norm_test.py",
    ),
    lesson="batch norm learns where the plain net stays at chance",
    quick={"epochs": 10},
    evaluation=evaluation,
    reads=reads,
)
