"""Wilson et al. (2017), section 3.3: a separable linear problem on which
AdaGrad, RMSprop and Adam predict the majority class for every new point,
while SGD (and Momentum) classify every new point right.

The problem (the paper's, with the positive class the majority, as it assumes):
each point ``i`` with label ``y_i`` in {+1, -1} has the features::

    x_i1 = y_i                          the label itself
    x_i2 = x_i3 = 1                     two ones, shared by every point
    x_i,j = 1  for j = 4 + 5(i-1) ... 4 + 5(i-1) + 2(1 - y_i)
                                        a block of its own: one 1 for a
                                        positive point, five 1s for a negative one
    0 otherwise

A linear model ``w`` is fitted to the least-squares loss
``f(w) = ½ mean((X w - y)²)`` from ``w = 0`` with full-batch gradients. Every
rule fits the training data (training error 0). A new point has its own block,
which no training point touches, so its weights there stay 0 and the model
sees only ``w1·y + w2 + w3``.

Why (the paper's Lemma 3.1): here ``X sign(Xᵀy) = 4y``, so from ``w = 0`` every
gradient is a multiple of ``Xᵀy`` and every adaptive step, which divides each
coordinate by its own gradient size, is a multiple of ``sign(Xᵀy)``; the
solution is ``w ∝ sign(Xᵀy) = (1, 1, 1, ±1…)``, and a new point gets
``w·x ∝ y + 2 > 0``: positive, whatever its label. SGD stays in the span of the
rows of X and ends at the minimum-norm solution ``Xᵀ(XXᵀ)⁻¹y``, which labels
new points by the sign of ``w1·y + w2 + w3`` correctly.

The paper draws each label +1 with probability p; here a share ``p`` of the
points, rounded, is positive (their order drawn from the seed), so that the
minority class's share, the adaptive rules' test error, is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.experiments.common import gen, rule_label, seeds

TITLE = "Wilson et al.'s separable problem: adaptive rules predict one class"
TRAINS = False
OWN_INPUT = "the paper's separable linear problem, built from the seed"
ADAPTIVE = ("adagrad", "rmsprop", "adam")


@dataclass
class Config:
    sizes: tuple = (50, 100, 200)
    shares: tuple = (0.6, 0.75, 0.9)
    optimizers: tuple = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
    lrs: tuple = (0.3, 0.03, 0.05, 0.01, 0.01)
    steps: int = 500
    test_size: int = 1000


QUICK = {"sizes": (50, 100), "steps": 200}


def units(cfg) -> int:
    from trainlab.errors import ConfigError

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


def labels(n: int, share: float, rng) -> np.ndarray:
    """``n`` labels in {+1, -1}, ``round(share·n)`` of them +1, in a random order."""
    y = -np.ones(n)
    y[: int(round(share * n))] = 1.0
    return rng.permutation(y)


def features(y, *, blocks: int | None = None) -> np.ndarray:
    """The paper's features of points with labels ``y``: columns ``y``, 1, 1, then
    a block of five per point (``blocks``: how many blocks; default one per point).
    A point beyond ``blocks`` has its own block outside the matrix (all zero here)."""
    n = len(y)
    blocks = n if blocks is None else blocks
    x = np.zeros((n, 3 + 5 * blocks))
    x[:, 0] = y
    x[:, 1:3] = 1.0
    for i in range(min(n, blocks)):
        ones = 1 if y[i] > 0 else 5
        x[i, 3 + 5 * i : 3 + 5 * i + ones] = 1.0
    return x


def fit_linear(x, y, rule: str, lr: float, steps: int, record=(), **options):
    """``w`` after ``steps`` full-batch steps of ``rule`` (with ``options``, e.g.
    ``eps``) on ½ mean((xw - y)²) from 0; and the training loss at each step in ``record``."""
    from trainlab.optim import create

    opt = create(rule, lr=lr, **options)
    params = {"w": np.zeros(x.shape[1])}
    losses = {}
    for step in range(1, steps + 1):
        residual = x @ params["w"] - y
        opt.update(params, {"w": x.T @ residual / len(y)})
        if step in record:
            losses[step] = float(0.5 * np.mean((x @ params["w"] - y) ** 2))
    return params["w"], losses


def error(x, y, w) -> float:
    """Share of points whose sign of ``x w`` is not their label (0 counts as wrong)."""
    return float(np.mean(np.sign(x @ w) != y))


def checkpoints(steps: int) -> list[int]:
    """Log-spaced steps 1 … ``steps`` at which the curves are recorded."""
    return sorted({int(s) for s in np.geomspace(1, steps, 20).round()})


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
    from trainlab.viz import caption, plt, save

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
