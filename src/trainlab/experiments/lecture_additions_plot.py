"""The figure of the lecture's additional methods: one panel per method, each
against the plain shuffled run."""

from __future__ import annotations

import numpy as np

from trainlab.experiments.common import stack
from trainlab.viz import band, caption, plt, save


def plot(metrics, cfg, out) -> list:
    pyplot = plt()
    runs = metrics["runs"]
    fig, axes = pyplot.subplots(2, 2, figsize=(11, 8))
    epochs = np.arange(cfg.epochs + 1)

    def curves(ax, names, key, colors, x=None):
        for name, color in zip(names, colors, strict=True):
            y = stack([r[name][key] for r in runs])
            at = np.arange(y.shape[1]) if x is None else np.asarray(runs[0][name][x])
            band(ax, at, y, color=color, label=name)

    curves(
        axes[0, 0], ("shuffle", "fixed order", "sorted by class"), "test_acc", "C0 C1 C3".split()
    )
    axes[0, 0].set(title="shuffling: test accuracy", ylabel="test accuracy")
    curves(axes[0, 1], ("shuffle", "curriculum"), "test_acc", ("C0", "C2"), x="updates")
    axes[0, 1].set(title="curriculum (easy first): test accuracy", ylabel="test accuracy")
    axes[0, 1].set(xlabel="updates (the curriculum's early epochs are shorter)")
    curves(axes[1, 0], ("shuffle",), "val_acc", ("C0",))
    for r in runs:
        e = r["early stopping"]
        stop = len(e["val_acc"]) - 1
        axes[1, 0].axvline(stop, color="C4", ls=":", lw=1)
        axes[1, 0].plot(e["best_epoch"], e["val_acc"][e["best_epoch"]], "*", color="C4", ms=12)
    axes[1, 0].plot([], [], ":", color="C4", label=f"stop (patience {cfg.patience})")
    axes[1, 0].plot([], [], "*", color="C4", ms=12, label="epoch kept (best validation)")
    axes[1, 0].set(title="early stopping: where it stops, what it keeps")
    axes[1, 0].set(ylabel="validation accuracy")
    curves(axes[1, 1], ("shuffle", "gradient noise"), "train_loss_epoch", ("C0", "C5"))
    axes[1, 1].set(title=f"gradient noise (eta {cfg.noise_eta:g}): training loss")
    axes[1, 1].set(ylabel="training loss", yscale="log")
    top = axes[0, 0].get_ylim()
    for ax in (axes[0, 0], axes[1, 0], axes[1, 1]):
        ax.set(xlabel="epoch", xlim=(0, epochs[-1]))
    for ax in axes.flat:
        ax.legend(fontsize=8, loc="lower right" if ax is not axes[1, 1] else "upper right")
    axes[0, 1].set_ylim(top)  # the two test-accuracy panels share their range
    fig.suptitle(
        f"{metrics['data']['title']}: {cfg.optimizer} lr {cfg.lr:g}, batch {cfg.batch_size}, "
        f"{cfg.train_size} samples ({cfg.val_ratio:.0%} for validation), same initial weights"
    )
    fig.tight_layout()
    caption(
        fig,
        "Each panel: the lecture's method against the plain shuffled run (blue); "
        "lines: mean over seeds, bands: ±1 std",
    )
    return [save(fig, out / "lecture_additions.png")]
