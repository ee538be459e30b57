"""Figures of training histories: loss and accuracy curves."""

from __future__ import annotations

import numpy as np

from trainlab.viz import band, plt, save, smooth
from trainlab.viz import caption as under


def plot_history(history: dict, path, title: str = "", score: str = "accuracy") -> None:
    """Two panels: training loss per iteration, and accuracy per epoch (``score="R²"``
    for a regression run, whose accuracy slots hold R²)."""
    pyplot = plt()
    fig, (ax1, ax2) = pyplot.subplots(1, 2, figsize=(11, 4))
    loss = np.asarray(history["train_loss"], dtype=float)
    ax1.plot(loss, alpha=0.3, lw=0.8, color="C0", label="per iteration")
    ax1.plot(smooth(loss), color="C0", label="smoothed")
    ax1.set(xlabel="iteration", ylabel="training loss", title="loss")
    ax1.legend()
    epochs = history["epoch"]
    for key, style in (("train_acc", "--"), ("val_acc", "-"), ("test_acc", "-")):
        if history.get(key):
            ax2.plot(epochs, history[key], style, marker="o", ms=3, label=key.replace("_acc", ""))
    if score == "accuracy":
        ax2.set(xlabel="epoch", ylabel="accuracy", ylim=(0, 1.0), title="accuracy")
    else:  # R² is at most 1 and unbounded below
        ax2.set(
            xlabel="epoch",
            ylabel=score,
            ylim=(max(-1.0, ax2.get_ylim()[0]), 1.0),
            title=f"{score} (1 = perfect, 0 = predicting the mean)",
        )
    ax2.legend()
    if title:
        fig.suptitle(title)
    save(fig, path)


def plot_loss_curves(
    curves: dict,
    path,
    title: str = "",
    xlabel: str = "iterations",
    log: bool = False,
    caption: str = "",
) -> None:
    """Smoothed training loss of several runs; each value is one curve or
    a list of curves (seeds), drawn as mean ± std; ``caption``: one line
    under the figure saying what to see."""
    pyplot = plt()
    fig, ax = pyplot.subplots(figsize=(7, 4.5))
    for name, runs in curves.items():
        runs = np.atleast_2d(np.asarray(runs, dtype=float))
        sm = np.vstack([smooth(r) for r in runs])
        band(ax, np.arange(sm.shape[1]), sm, label=name)
    ax.set(xlabel=xlabel, ylabel="loss", title=title)
    if log:
        ax.set_yscale("log")
    ax.legend()
    if caption:
        fig.tight_layout()
        under(fig, caption)
    save(fig, path)
