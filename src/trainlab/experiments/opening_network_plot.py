"""The figure of the lecture's opening network: the network as written and each
change of one technique, training squared error and test accuracy on shared axes."""

from __future__ import annotations

import numpy as np

from trainlab.experiments.common import stack
from trainlab.viz import band, caption, plt, save


def plot(metrics, cfg, out) -> list:
    pyplot = plt()
    fig, axes = pyplot.subplots(1, 2, figsize=(11, 4.3))
    runs = metrics["runs"]
    for i, name in enumerate(runs[0]):  # the networks in the order they were gathered
        bests = [r[name]["best"] for r in runs if r[name]["best"] is not None]
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
