"""Do adaptive rules generalise worse? (Wilson et al., 2017, "The Marginal
Value of Adaptive Gradient Methods in Machine Learning"; the notes' question
of which rule to use.)

Momentum, Nesterov, Adam, AdamW and SWATS get the same budget: the same
network, initial weights, batches and epochs. Each one's learning rate is
tuned on a validation split of the training data: the same small log grid
of multiples of the rule's default lr for every rule, picked by final
validation accuracy. The test set is never used for the choice; it is only
measured. Training and test accuracy of each tuned rule are plotted per epoch.

The curves are estimates, measured each epoch on ``curve_samples`` samples
(training: the first of the split's random order; test: a fixed seeded
subsample; validation: all of it, since it chooses the lr); the numbers in
the summary are measured once, after training, on the whole sets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.data import train_val_split
from trainlab.experiments.common import (
    QUIET,
    first,
    fit,
    gen,
    head,
    mean,
    rule_label,
    seeds,
    trainer,
)
from trainlab.experiments.experiment import Experiment, Source
from trainlab.optim import create
from trainlab.train import Data
from trainlab.train.build import Streams
from trainlab.train.spec import NetworkSpec, OptimizerSpec, RunSpec, TrainingSpec
from trainlab.viz import band, caption, plt, save


@dataclass
class Config:
    optimizers: tuple = ("momentum", "nesterov", "adam", "adamw", "swats")
    lr_grid: tuple = (0.1, 0.3, 1.0, 3.0, 10.0)
    hidden: tuple = (100, 100, 100, 100)
    batch_size: int = 100
    epochs: int = 20
    val_ratio: float = 0.2
    train_size: int = 5000
    curve_samples: int = 1000


def units(cfg) -> int:
    return len(cfg.optimizers) * len(cfg.lr_grid)


def evaluation(cfg) -> dict:
    n = cfg.curve_samples or "all"
    return {
        "each_epoch": {
            "train": f"{n} (the first of the split's random order)",
            "validation": "all",
            "test": f"{n} (a fixed seeded subsample)",
        },
        "final": "train, validation and test accuracy on the whole sets; the lr is "
        "chosen on the whole validation set",
        "curve_samples": cfg.curve_samples,
    }


def reads(cfg) -> tuple:
    """How many rows of the training and test sets the trainings read (see folder.reads)."""
    return first(cfg.train_size), None


def jobs(cfg, rng) -> list[dict]:
    """One training per (rule, lr factor): same split, initial weights and batches for all."""
    split_seed, init_seed, batch_seed = seeds(rng, 3)
    (probe_seed,) = seeds(rng, 1)
    return [
        {
            "rule": name,
            "factor": float(f),
            "split": split_seed,
            "init": init_seed,
            "batch": batch_seed,
            "probe": probe_seed,
        }
        for name in cfg.optimizers
        for f in cfg.lr_grid
    ]


def _test_probe(data, n, seed) -> tuple[np.ndarray, np.ndarray]:
    """A fixed seeded subsample of ``n`` test samples (all when ``n`` is 0 or larger)."""
    if not n or n >= len(data.x_test):
        return data.x_test, data.t_test
    idx = np.sort(gen(seed).choice(len(data.x_test), n, replace=False))
    return data.x_test[idx], data.t_test[idx]


def job(cfg, data, spec) -> dict:
    """Curves per epoch on ``curve_samples`` samples (validation: all of it), and the
    final accuracies on the whole sets."""

    x, t = head(data.x, data.t, cfg.train_size)
    (x, t), (xv, tv) = train_val_split(x, t, cfg.val_ratio, gen(spec["split"]))
    n = cfg.curve_samples
    lr = create(spec["rule"]).lr * spec["factor"]
    run = RunSpec(
        network=NetworkSpec(cfg.hidden),
        optimizer=OptimizerSpec(spec["rule"], lr=lr),
        training=TrainingSpec(cfg.epochs, batch_size=cfg.batch_size),
        output=QUIET,
    )
    tr = trainer(
        run,
        data,
        Data(x, t, *_test_probe(data, n, spec["probe"]), x_val=xv, t_val=tv),
        Streams(weights=gen(spec["init"]), batches=gen(spec["batch"])),
        evaluate_samples=max(n, len(xv)) if n else None,
    )
    h = fit(tr)
    final = None
    if h["diverged_at"] is None:
        net = tr.network
        final = {
            f"{k}_acc": float(net.evaluate(a, b)[1])
            for k, a, b in (("train", x, t), ("val", xv, tv), ("test", data.x_test, data.t_test))
        }
    return {
        "lr": lr,
        "diverged_at": h["diverged_at"],
        "final": final,
        **{k: h[k] for k in ("train_acc", "val_acc", "test_acc")},
    }


def gather(cfg, specs, results) -> dict:
    """Per rule: the grid, and the lr with the best final validation accuracy."""
    out: dict = {}
    for spec, h in zip(specs, results, strict=False):
        r = out.setdefault(spec["rule"], {"grid": [], "best": None})
        ok = h["diverged_at"] is None
        val = h["final"]["val_acc"] if ok else float("nan")
        r["grid"].append(
            {"lr": h["lr"], "factor": spec["factor"], "val_acc": val, "diverged": not ok}
        )
        if ok and (r["best"] is None or val > r["best"]["final"]["val_acc"]):
            r["best"] = {
                "lr": h["lr"],
                **{k: h[k] for k in ("train_acc", "val_acc", "test_acc", "final")},
            }
    return out


def summarize(runs, cfg) -> dict:
    s = {}
    for name in cfg.optimizers:
        bests = [r[name]["best"] for r in runs if r[name]["best"] is not None]
        label = rule_label(name)
        s[f"{label}: tuned lr"] = float(np.median([b["lr"] for b in bests])) if bests else None
        s[f"{label}: val acc"] = mean([b["final"]["val_acc"] for b in bests])
        s[f"{label}: train acc"] = mean([b["final"]["train_acc"] for b in bests])
        s[f"{label}: test acc"] = mean([b["final"]["test_acc"] for b in bests])
    return s


def plot(metrics, cfg, out) -> list:
    """The tuned rules' accuracy curves, then the validation accuracy over the grid."""
    return [tuned_curves(metrics, cfg, out), lr_grid(metrics, cfg, out)]


def tuned_curves(metrics, cfg, out):
    """Training and test accuracy of each rule at its tuned lr."""
    fig, axes = plt().subplots(1, 2, figsize=(11, 4.2))
    for i, name in enumerate(cfg.optimizers):
        bests = [r[name]["best"] for r in metrics["runs"] if r[name]["best"] is not None]
        if not bests:
            continue
        lr = metrics["summary"][f"{rule_label(name)}: tuned lr"]
        for ax, key in zip(axes, ("train_acc", "test_acc"), strict=False):
            curves = np.array([b[key] for b in bests], dtype=float)
            band(
                ax,
                np.arange(curves.shape[1]),
                curves,
                color=f"C{i}",
                label=f"{rule_label(name)} (lr {lr:.2g})",
            )
    for ax, what in zip(axes, ("training", "test"), strict=False):
        ax.set(xlabel="epochs", ylabel=f"{what} accuracy", title=f"{what} accuracy, tuned lr")
        lows = [ln.get_ydata()[-1] for ln in ax.get_lines()]
        if lows:
            ax.set_ylim(max(0.0, min(lows) - 0.1), 1.0)
    axes[1].legend(fontsize=8, loc="lower right")
    fig.suptitle(
        f"{metrics['data']['title']}: same budget ({cfg.epochs} epochs), lr tuned on "
        f"validation accuracy over {len(cfg.lr_grid)} values"
    )
    fig.tight_layout()
    caption(
        fig,
        "Compare the right panel's end points: does a tuned adaptive rule test worse "
        "than SGD with momentum, as Wilson et al. (2017) found?",
    )
    return save(fig, out / "adaptive_vs_sgd.png")


def lr_grid(metrics, cfg, out):
    """Each rule's final validation accuracy over the lr grid."""
    fig, ax = plt().subplots(figsize=(6, 4))
    for i, name in enumerate(cfg.optimizers):
        vals = np.array(
            [[g["val_acc"] for g in r[name]["grid"]] for r in metrics["runs"]], dtype=float
        )
        band(
            ax,
            np.asarray(cfg.lr_grid, dtype=float),
            vals,
            color=f"C{i}",
            marker="o",
            ms=3,
            label=rule_label(name),
        )
    ax.set(
        xscale="log",
        xlabel="lr ÷ the rule's default lr",
        ylabel="final validation accuracy",
        title="learning-rate grid (validation data)",
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    caption(fig, "each rule's lr is its peak here, on validation data: the test set plays no part")
    return save(fig, out / "adaptive_lr_grid.png")


def claim(cfg) -> list[str]:
    """The rows that prove the figure's claim."""
    labels = [rule_label(name) for name in cfg.optimizers]
    return [f"{label}: {row}" for label in labels for row in ("tuned lr", "test acc")]


TEXTS = {
    "en": {
        "title": "Adaptive rules versus SGD with momentum",
        "shows": "Momentum, Nesterov, Adam, AdamW and SWATS on the same network, data, "
        "initial weights, batches and number of epochs. Each rule's learning rate "
        "is chosen from the same log grid (multiples of its default) by final "
        "validation accuracy; the test set plays no part in the choice. Left: "
        "training accuracy; right: test accuracy of each tuned rule. The second "
        "figure shows the validation accuracy over the grid.",
        "notes": "The lecture recommends the adaptive rules (Adam when in doubt). Wilson et "
        "al. (2017) found that adaptive rules often fit the training data as well "
        "or faster yet generalise worse than well-tuned SGD with momentum; SWATS "
        "starts with Adam and switches to SGD to get both. Whether a gap appears "
        "depends on the problem: compare the test accuracies in the table.",
    },
    "ko": {
        "title": "Adaptive 계열과 모멘텀 SGD의 일반화 성능",
        "shows": "Momentum, Nesterov, Adam, AdamW, SWATS를 같은 신경망, 데이터, 초깃값, "
        "미니배치, 에폭 수로 학습시켰습니다. 학습률은 모든 방법에 같은 로그 격자"
        "(각 방법의 기본 학습률의 배수)에서 검증 데이터의 최종 정확도로 골랐고, 시험 "
        "데이터는 고르는 데 쓰지 않았습니다. 왼쪽은 훈련 정확도, 오른쪽은 시험 "
        "정확도이며, 두 번째 그림은 격자 전체의 검증 정확도입니다.",
        "notes": "강의는 Adaptive 계열(웬만하면 Adam)을 권합니다. Wilson 등(2017)은 Adaptive "
        "방법이 훈련 데이터는 비슷하거나 더 빨리 맞추지만, 잘 조정한 모멘텀 SGD보다 "
        "일반화가 나쁜 경우가 많다고 보고했습니다. SWATS는 Adam으로 시작해 SGD로 "
        "전환해서 둘의 장점을 얻으려 합니다. 차이가 나타나는지는 문제마다 다르므로 "
        "표의 시험 정확도를 비교해 보세요.",
    },
}

EXPERIMENT = Experiment(
    name="adaptive-vs-sgd",
    title="Adaptive rules versus SGD with momentum: generalisation",
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
        notes="lecture on optimisation: comparison of optimization "
        "algorithms (Wilson et al. 2017; SWATS)",
        notes_ko="최적화 강의: Comparison of optimization algorithms (Wilson 등 2017; SWATS)",
        book="§6.1.7 (which rule to use)",
        script=None,
    ),
    lesson="lr tuned on validation data only",
    quick={"lr_grid": (0.3, 1.0, 3.0), "epochs": 8},
    evaluation=evaluation,
    reads=reads,
)
