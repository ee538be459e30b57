"""The lecture's opening network, as written, and its "three key techniques"
(activation, initial weights, optimizer) changed one at a time.

The lecture's code (784-1000-10, no biases)::

    w1 = np.random.uniform(low=-0.058, high=+0.058, size=(784, 1000))
    w2 = np.random.uniform(low=-0.077, high=+0.077, size=(1000, 10))
    z1 = X_train.dot(w1); a1 = sigmoid(z1); z2 = a1.dot(w2); a2 = sigmoid(z2)
    d2 = a2 - y_train_hot
    d1 = d2.dot(w2.T) * a1 * (1 - a1)
    w2 = w2 - learning_rate * a1.T.dot(d2)        learning_rate = 0.000001
    w1 = w1 - learning_rate * X_train.T.dot(d1)   100 epochs, the whole set at once

±0.058 and ±0.077 are the Glorot-uniform bounds sqrt(6 / (fan_in + fan_out))
of a 784→1000 and a 1000→10 layer; here they are computed from the data's
own input size. The targets are one-hot and the error is measured as the
squared error ½ Σ (a2 - y)²; ``d2 = a2 - y`` is taken as the lecture writes
it (it leaves out the output sigmoid's factor a2(1 - a2), which makes it the
exact gradient of the outputs' cross-entropy instead). The gradients are
summed over the whole training set; on ``n`` images they are scaled by
60000 / n, so that a subset takes the steps the lecture's lr takes on
60,000 images.

Each changed network keeps the rest as written: ReLU in the hidden layer; He
initial weights (normal, std sqrt(2 / fan_in)); Adam in place of the plain
step. Each one's learning rate is retuned: the best, by final validation
accuracy, of ``lr_grid`` multiples of its base lr (the base lrs are the best
of a 10× grid measured on both data sets; ``--quick`` trains those alone).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.experiments.common import first, gen, head, mean, seeds

TITLE = "The lecture's opening network and its three key techniques"
TRAINS = True
#: the lecture's MNIST size: gradients are scaled to a sum over this many images
LECTURE_N = 60000
#: name → (hidden activation, initial weights, update rule)
VARIANTS = {
    "as written": ("sigmoid", "glorot_uniform", "sgd"),
    "ReLU": ("relu", "glorot_uniform", "sgd"),
    "He weights": ("sigmoid", "he", "sgd"),
    "Adam": ("sigmoid", "glorot_uniform", "adam"),
}


@dataclass
class Config:
    hidden: int = 1000
    epochs: int = 100
    lr: float = 1e-6
    base_lrs: tuple = (3e-6, 1e-6, 3e-3)  # ReLU, He weights, Adam
    lr_grid: tuple = (0.3, 1.0, 3.0)
    train_size: int = 2000
    test_size: int = 1000
    val_ratio: float = 0.1


QUICK = {"epochs": 30, "train_size": 500, "test_size": 300, "lr_grid": (1.0,)}


def units(cfg) -> int:
    from trainlab.errors import ConfigError

    changed = list(VARIANTS)[1:]
    if len(cfg.base_lrs) != len(changed):
        raise ConfigError(
            f"opening-network: {len(cfg.base_lrs)} base_lrs for {len(changed)} changed "
            f"networks ({', '.join(changed)}); give one each"
        )
    return 1 + (len(VARIANTS) - 1) * len(cfg.lr_grid)


def evaluation(cfg) -> dict:
    return {
        "each_epoch": "squared error ½Σ(a2 − y)² per training image, training and test "
        "accuracy on the whole sets",
        "final": "validation accuracy (chooses each changed network's lr)",
    }


def reads(cfg) -> tuple:
    return first(cfg.train_size), first(cfg.test_size)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def glorot_bound(fan_in: int, fan_out: int) -> float:
    """The Glorot-uniform bound: 0.058 for 784→1000, 0.077 for 1000→10."""
    return float(np.sqrt(6.0 / (fan_in + fan_out)))


def initial_weights(kind: str, n_in: int, hidden: int, n_out: int, rng) -> dict:
    if kind == "glorot_uniform":
        a1, a2 = glorot_bound(n_in, hidden), glorot_bound(hidden, n_out)
        return {
            "w1": rng.uniform(low=-a1, high=+a1, size=(n_in, hidden)),
            "w2": rng.uniform(low=-a2, high=+a2, size=(hidden, n_out)),
        }
    return {  # He: std sqrt(2 / fan_in)
        "w1": rng.standard_normal((n_in, hidden)) * np.sqrt(2.0 / n_in),
        "w2": rng.standard_normal((hidden, n_out)) * np.sqrt(2.0 / hidden),
    }


def forward(w, x, activation: str):
    z1 = x.dot(w["w1"])
    a1 = sigmoid(z1) if activation == "sigmoid" else np.maximum(z1, 0.0)
    z2 = a1.dot(w["w2"])
    a2 = sigmoid(z2)
    return a1, a2


def gradients(w, x, y_hot, activation: str, scale: float = 1.0):
    """The lecture's backpropagation, summed over ``x`` (times ``scale``); and the
    outputs ``a2`` it started from."""
    a1, a2 = forward(w, x, activation)
    d2 = a2 - y_hot
    local = a1 * (1 - a1) if activation == "sigmoid" else (a1 > 0).astype(a1.dtype)
    d1 = d2.dot(w["w2"].T) * local
    return {"w1": scale * x.T.dot(d1), "w2": scale * a1.T.dot(d2)}, a2


def jobs(cfg, rng) -> list[dict]:
    """As written at its lr; each changed network at each lr of its grid."""
    split, init = seeds(rng, 2)
    out = [{"variant": "as written", "lr": float(cfg.lr), "split": split, "init": init}]
    for name, base in zip(list(VARIANTS)[1:], cfg.base_lrs, strict=True):
        for f in cfg.lr_grid:
            out.append({"variant": name, "lr": float(base) * f, "split": split, "init": init})
    return out


def job(cfg, data, spec) -> dict:
    from trainlab.data import train_val_split
    from trainlab.optim import create

    activation, init, rule = VARIANTS[spec["variant"]]
    x, t = head(data.x, data.t, cfg.train_size)
    (x, t), (xv, tv) = train_val_split(x, t, cfg.val_ratio, gen(spec["split"]))
    xt, tt = head(data.x_test, data.t_test, cfg.test_size)
    x, xv, xt = (np.asarray(a, dtype=np.float64) for a in (x, xv, xt))
    y_hot = np.eye(data.n_classes)[t]
    w = initial_weights(init, x.shape[1], cfg.hidden, data.n_classes, gen(spec["init"]))
    opt = create(rule, lr=spec["lr"])
    scale = LECTURE_N / len(x)  # the lecture's sum over 60,000 images
    loss, train_acc, test_acc = [], [], []

    def record(a2, w):
        loss.append(float(0.5 * np.sum((a2 - y_hot) ** 2) / len(x)))
        train_acc.append(float(np.mean(a2.argmax(axis=1) == t)))
        test_acc.append(float(np.mean(forward(w, xt, activation)[1].argmax(axis=1) == tt)))

    for _ in range(cfg.epochs):
        grads, a2 = gradients(w, x, y_hot, activation, scale)
        record(a2, w)  # the epoch's start: the outputs its step was computed from
        opt.update(w, grads)
    record(forward(w, x, activation)[1], w)
    val = float(np.mean(forward(w, xv, activation)[1].argmax(axis=1) == tv))
    return {
        "lr": spec["lr"],
        "loss": loss,
        "train_acc": train_acc,
        "test_acc": test_acc,
        "val_acc": val,
    }


def gather(cfg, specs, results) -> dict:
    """Per network: its grid, and the run at the lr with the best validation accuracy."""
    out = {}
    for spec, r in zip(specs, results, strict=True):
        v = out.setdefault(spec["variant"], {"grid": [], "best": None})
        ok = np.isfinite(r["loss"][-1])
        v["grid"].append({"lr": r["lr"], "val_acc": r["val_acc"] if ok else float("nan")})
        if ok and (v["best"] is None or r["val_acc"] > v["best"]["val_acc"]):
            v["best"] = r
    return out


def summarize(runs, cfg) -> dict:
    s = {}
    for name in VARIANTS:
        bests = [r[name]["best"] for r in runs if r[name]["best"] is not None]
        s[f"{name}: lr"] = float(np.median([b["lr"] for b in bests])) if bests else None
        s[f"{name}: final test acc"] = mean([b["test_acc"][-1] for b in bests])
        s[f"{name}: final loss"] = mean([b["loss"][-1] for b in bests])
    return s


def plot(metrics, cfg, out) -> list:
    from trainlab.experiments.common import stack
    from trainlab.viz import band, caption, plt, save

    pyplot = plt()
    fig, axes = pyplot.subplots(1, 2, figsize=(11, 4.3))
    for i, name in enumerate(VARIANTS):
        bests = [r[name]["best"] for r in metrics["runs"] if r[name]["best"] is not None]
        if not bests:
            continue
        lr = metrics["summary"][f"{name}: lr"]
        tuned = "" if name == "as written" else ", retuned"
        for ax, key in zip(axes, ("loss", "test_acc"), strict=True):
            y = stack([b[key] for b in bests])
            band(ax, np.arange(y.shape[1]), y, color=f"C{i}", label=f"{name} (lr {lr:.2g}{tuned})")
    step = "epoch (one full-batch step each)"
    axes[0].set(xlabel=step, ylabel="½ Σ (a2 − y)² per image", title="training squared error")
    axes[1].set(xlabel=step, ylabel="test accuracy", title="test accuracy", ylim=(0, 1))
    axes[1].legend(fontsize=8, loc="lower right")
    d = metrics["data"]
    shape = f"{d['n_inputs']}-{cfg.hidden}-{d['n_classes']}"
    fig.suptitle(f"{d['title']}: the lecture's {shape} network, one technique changed at a time")
    fig.tight_layout()
    caption(
        fig,
        "as written: sigmoid, Glorot-uniform weights (±0.058, ±0.077 on 784 inputs), "
        f"lr {cfg.lr:g}, summed full-batch gradient; each change keeps the rest, lr retuned",
    )
    return [save(fig, out / "opening_network.png")]
