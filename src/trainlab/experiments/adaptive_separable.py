"""Wilson et al. (2017), section 3.3, as an experiment: every rule of ``optimizers``
fitted to the separable problem of :mod:`trainlab.experiments.separable`, for
several sizes and shares of the majority class."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.errors import ConfigError
from trainlab.experiments.common import gen, rule_label, seeds
from trainlab.experiments.experiment import Experiment, Source
from trainlab.experiments.separable import checkpoints, error, features, fit_linear, labels
from trainlab.viz import caption, plt, save

ADAPTIVE = ("adagrad", "rmsprop", "adam")


@dataclass
class Config:
    sizes: tuple = (50, 100, 200)
    shares: tuple = (0.6, 0.75, 0.9)
    optimizers: tuple = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
    lrs: tuple = (0.3, 0.03, 0.05, 0.01, 0.01)
    steps: int = 500
    test_size: int = 1000


def units(cfg) -> int:
    if len(cfg.optimizers) != len(cfg.lrs):
        raise ConfigError(
            f"adaptive-separable: {len(cfg.optimizers)} optimizers but {len(cfg.lrs)} lrs; "
            "give one lr per optimizer"
        )
    for p in cfg.shares:
        if not 0.5 < p < 1:
            raise ConfigError(
                f"adaptive-separable: share {p} must be between 0.5 and 1 (the positive "
                "class is the majority, as the paper assumes)"
            )
    return len(cfg.sizes) * len(cfg.shares)


def evaluation(cfg) -> dict:
    return {
        "each_step": "training loss, at 20 log-spaced steps",
        "final": f"training and test error ({cfg.test_size} new points)",
    }


def jobs(cfg, rng) -> list[dict]:
    """One problem per (size, share), its label order drawn from the seed."""
    return [
        {"n": int(n), "share": float(p), "seed": s}
        for n in cfg.sizes
        for p in cfg.shares
        for s in seeds(rng, 1)
    ]


def job(cfg, data, spec) -> dict:
    """Every rule on the same problem: final errors, the training-loss curve, the
    cosine between ``w`` and ``sign(Xᵀy)``, and the three shared weights."""
    r = gen(spec["seed"])
    y = labels(spec["n"], spec["share"], r)
    y_test = labels(cfg.test_size, spec["share"], r)
    x = features(y)
    # new points: their own blocks lie outside the model, where every w is 0
    x_test = np.hstack([features(y_test, blocks=0), np.zeros((len(y_test), x.shape[1] - 3))])
    marks = checkpoints(cfg.steps)
    out = {"n": spec["n"], "share": spec["share"], "minority": float(np.mean(y_test < 0))}
    out["steps"] = marks
    for rule, lr in zip(cfg.optimizers, cfg.lrs, strict=True):
        w, losses = fit_linear(x, y, rule, float(lr), cfg.steps, record=set(marks))
        sign = np.sign(x.T @ y)
        out[rule] = {
            "lr": float(lr),
            "train_error": error(x, y, w),
            "test_error": error(x_test, y_test, w),
            "train_loss": [losses[s] for s in marks],
            "cos_sign": float(w @ sign / (np.linalg.norm(w) * np.linalg.norm(sign))),
            "w_shared": [float(v) for v in w[:3]],
        }
    return out


def gather(cfg, specs, results) -> dict:
    return {f"n={r['n']}, p={r['share']:g}": r for r in results}


def summarize(runs, cfg) -> dict:
    s = {}
    for rule in cfg.optimizers:
        cases = [c[rule] for r in runs for c in r.values()]
        s[f"{rule_label(rule)}: largest train error"] = max(c["train_error"] for c in cases)
        gaps = [abs(c[rule]["test_error"] - c["minority"]) for r in runs for c in r.values()]
        if rule in ADAPTIVE:
            s[f"{rule_label(rule)}: largest |test error − minority share|"] = max(gaps)
        else:
            s[f"{rule_label(rule)}: largest test error"] = max(c["test_error"] for c in cases)
    return s


def plot(metrics, cfg, out) -> list:
    pyplot = plt()
    sizes = list(cfg.sizes)
    fig, axes = pyplot.subplots(1, len(sizes) + 1, figsize=(3.6 * (len(sizes) + 1), 3.8))
    shares = np.array(sorted(cfg.shares))
    first = metrics["runs"][0]
    for ax, n in zip(axes, sizes, strict=False):
        ax.plot([0, 0.5], [0, 0.5], color="lightgray", lw=3, label="minority share")
        for i, rule in enumerate(cfg.optimizers):
            cases = [first[f"n={n}, p={p:g}"] for p in shares]
            ax.plot(
                [c["minority"] for c in cases],
                [c[rule]["test_error"] for c in cases],
                marker="osv^D"[i % 5],
                ms=9 - i,  # the earlier rules drawn larger, so that none hides another
                ls="--" if rule in ADAPTIVE else "-",
                color=f"C{i}",
                label=f"{rule_label(rule)} (lr {cfg.lrs[i]:g})",
            )
        ax.set(xlim=(0, 0.5), ylim=(-0.02, 0.5), title=f"n = {n} training points")
        ax.set(xlabel="minority (negative) share of test points")
    axes[0].set_ylabel("test error after training")
    axes[0].legend(fontsize=7, loc="upper left")
    big = first[f"n={max(sizes)}, p={shares[len(shares) // 2]:g}"]
    for i, rule in enumerate(cfg.optimizers):
        loss = np.maximum(big[rule]["train_loss"], 1e-30)  # 0 exactly: drawn at the floor
        axes[-1].plot(big["steps"], loss, color=f"C{i}", label=rule_label(rule))
    axes[-1].set(
        xscale="log",
        yscale="log",
        xlabel="step",
        ylabel="training loss ½ mean((xw − y)²)",
        title=f"all fit the training data\n(n = {big['n']}, p = {big['share']:g})",
    )
    fig.suptitle(
        "Wilson et al. 2017, §3.3: the same linear model and data; only the update rule differs"
    )
    fig.tight_layout()
    caption(
        fig,
        "SGD and Momentum: test error 0; AdaGrad, RMSprop, Adam: on the diagonal (every new "
        "point called positive), since their solution is ∝ sign(Xᵀy)",
    )
    return [save(fig, out / "adaptive_separable.png")]


def claim(cfg) -> list[str]:
    """The rows that prove the figure's claim."""
    return [
        f"{rule_label(rule)}: largest |test error − minority share|"
        if rule in ADAPTIVE
        else f"{rule_label(rule)}: largest test error"
        for rule in cfg.optimizers
    ]


TEXTS = {
    "en": {
        "title": "Wilson et al.'s separable problem: adaptive rules predict one class",
        "shows": "The linear problem of Wilson et al. (2017), section 3.3: each point has its "
        "label as a feature, two ones, and a block of its own (one 1 for a positive "
        "point, five 1s for a negative one); the positive class is the majority. A "
        "linear model is fitted from w = 0 by full-batch steps of SGD, Momentum, "
        "AdaGrad, RMSprop and Adam, for several numbers of points n and positive "
        "shares p. Left panels: test error on new points against the minority (negative) "
        "share; right: every rule's training loss falls to about zero.",
        "notes": "The lecture's advice to prefer adaptive rules meets its limit here, as the "
        "paper proves. Every rule fits the training data, but AdaGrad, RMSprop and Adam "
        "call every new point positive: their test error is exactly the minority's "
        "share, while SGD and Momentum classify every new point right. The one-line "
        "reason: on this problem X·sign(Xᵀy) = 4y, so every gradient is a multiple of "
        "Xᵀy and every adaptive step, which divides each coordinate by its own gradient "
        "size, is a multiple of sign(Xᵀy); the solution is w ∝ sign(Xᵀy) = (1, 1, 1, ±1…), "
        "and a new point gets w·x ∝ y + 2 > 0 whatever its label. SGD stays in the span "
        "of the data and ends at the minimum-norm solution, which generalises.",
    },
    "ko": {
        "title": "Wilson 등의 선형 분리 문제: Adaptive 방법은 한 클래스만 예측한다",
        "shows": "Wilson 등(2017) 3.3절의 선형 문제입니다. 각 점의 특성은 자기 레이블, "
        "1 두 개, 그리고 그 점만의 구역(양성이면 1이 하나, 음성이면 1이 다섯 개)이고, 양성이 "
        "다수 클래스입니다. 선형 모델을 w = 0에서 시작해 SGD, Momentum, AdaGrad, "
        "RMSprop, Adam의 전체 배치 갱신으로 학습시켰고, 점의 수 n과 양성 비율 p를 "
        "여러 가지로 바꿨습니다. 왼쪽 그림들은 새 점에 대한 시험 오차를 소수(음성) "
        "클래스의 비율에 대해 그린 것이고, 오른쪽은 모든 방법의 훈련 손실이 거의 0까지 "
        "내려감을 보여 줍니다.",
        "notes": "Adaptive 방법을 권하는 강의의 조언이 여기서 한계를 만납니다(논문이 증명한 "
        "대로). 모든 방법이 훈련 데이터는 완벽히 맞추지만, AdaGrad, RMSprop, Adam은 새 "
        "점을 모두 양성으로 예측해서 시험 오차가 정확히 소수 클래스의 비율이 되고, SGD와 "
        "Momentum은 새 점을 모두 맞힙니다. 한 줄 이유: 이 문제에서는 X·sign(Xᵀy) = 4y "
        "이므로 모든 기울기가 Xᵀy의 배수이고, 좌표마다 자기 기울기 크기로 나누는 "
        "Adaptive 갱신은 언제나 sign(Xᵀy)의 배수입니다. 그래서 해는 w ∝ sign(Xᵀy) = "
        "(1, 1, 1, ±1…)이고, 새 점은 레이블과 상관없이 w·x ∝ y + 2 > 0 을 받습니다. SGD는 "
        "데이터가 펼치는 공간 안에 머물러 최소 노름 해에 도달하고, 그 해는 일반화됩니다.",
    },
}

EXPERIMENT = Experiment(
    name="adaptive-separable",
    title="Wilson et al.'s separable problem: adaptive rules predict one class",
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
        notes="lecture on optimisation: which rule to use; Wilson et al. 2017, §3.3 "
        "(the separable linear problem and its Lemma 3.1)",
        notes_ko="최적화 강의: 어떤 Optimizer를 사용할 것인가; Wilson 등 2017, 3.3절 "
        "(선형 분리 문제와 보조정리 3.1)",
        book="§6.1.7 (which rule to use)",
        script=None,
    ),
    lesson=(
        "every rule fits the training data; SGD and Momentum: test error 0; AdaGrad, "
        "RMSprop, Adam: test error = the minority's share exactly (w ∝ sign(Xᵀy))"
    ),
    trains=False,
    own_input="the paper's separable linear problem, built from the seed",
    quick={"sizes": (50, 100), "steps": 200},
    evaluation=evaluation,
)
