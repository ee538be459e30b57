"""Figures of a search and of a benchmark."""

from __future__ import annotations

import math

import numpy as np

from trainlab.tune.space import LABELS
from trainlab.viz import band, plt, save


def best_trials(trials, path, n: int = 20, cols: int = 5) -> None:
    """The notes' figure: the best ``n`` trials as a grid of accuracy curves,
    validation solid and training dashed, titled Best-1, Best-2, ..."""
    trials = list(trials)[:n]
    rows = max(1, math.ceil(n / cols))
    fig, axes = plt().subplots(rows, cols, figsize=(2.6 * cols, 2.2 * rows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= len(trials):
            ax.axis("off")
            continue
        val, train = trials[i].user_attrs["val_acc"], trials[i].user_attrs["train_acc"]
        x = np.arange(len(val))
        ax.plot(x, val, "-", label="validation")
        ax.plot(x, train, "--", label="train")
        ax.set_title(f"Best-{i + 1}")
        ax.set_ylim(0.0, 1.0)
        ax.set_xticks([])
        if i % cols:
            ax.set_yticks([])
    axes.flat[0].legend(fontsize=7, loc="lower right")
    save(fig, path)


def search_space(trials, space: dict, path) -> None:
    """Sampled values coloured by validation accuracy: the first two searched
    parameters against each other (log axes for log parameters), or the only
    parameter against the accuracy."""
    names = list(space)[:2]
    trials = [t for t in trials if all(k in t.params for k in names)]
    acc = np.array([t.value for t in trials], dtype=float)
    x = [t.params[names[0]] for t in trials]
    y = [t.params[names[1]] for t in trials] if len(names) > 1 else acc
    fig, ax = plt().subplots(figsize=(6, 4.8))
    sc = ax.scatter(x, y, c=acc, cmap="viridis", vmin=0.0, vmax=1.0, edgecolors="k", lw=0.3)
    fig.colorbar(sc, ax=ax, label="validation accuracy")
    ax.set_xlabel(LABELS.get(names[0], names[0]))
    ax.set_ylabel(LABELS.get(names[1], names[1]) if len(names) > 1 else "validation accuracy")
    if space[names[0]].log:
        ax.set_xscale("log")
    if len(names) > 1 and space[names[1]].log:
        ax.set_yscale("log")
    ax.set_title(f"{len(trials)} completed trials")
    save(fig, path)


def sensitivity(data: dict, path, ylabels: dict) -> None:
    """``data[problem][optimizer] = (lrs, values)``: the final validation metric
    against the learning rate, one line per optimizer (diverged runs left out)."""
    fig, axes = plt().subplots(1, len(data), figsize=(5 * len(data), 4), squeeze=False)
    for ax, (problem, per_opt) in zip(axes.flat, data.items(), strict=False):
        for name, (lrs, values) in per_opt.items():
            v = np.array([np.nan if y is None else y for y in values], dtype=float)
            ax.plot(lrs, v, marker="o", ms=4, label=name)
        ax.set(xscale="log", xlabel="learning rate", ylabel=ylabels[problem], title=problem)
        if ylabels[problem].endswith("loss"):
            ax.set_yscale("log")
        ax.legend(fontsize=8)
    save(fig, path)


def curves(data: dict, path, ylabels: dict) -> None:
    """``data[problem][optimizer] = runs`` (seeds × epochs): mean ± std over seeds."""
    fig, axes = plt().subplots(1, len(data), figsize=(5 * len(data), 4), squeeze=False)
    for ax, (problem, per_opt) in zip(axes.flat, data.items(), strict=False):
        for name, runs in per_opt.items():
            runs = np.asarray(runs, dtype=float)
            band(ax, np.arange(runs.shape[1]), runs, label=name)
        ax.set(xlabel="epoch", ylabel=ylabels[problem], title=problem)
        if ylabels[problem].endswith("loss"):
            ax.set_yscale("log")
        ax.legend(fontsize=8)
    save(fig, path)


def profile(taus, rho: dict, path, what: str = "time to target") -> None:
    """Performance profile: share of problems solved within a factor τ of the best."""
    fig, ax = plt().subplots(figsize=(6, 4))
    for name, values in rho.items():
        ax.step(taus, values, where="post", label=name)
    ax.set(
        xscale="log",
        xlabel="τ (ratio to the best " + what + ")",
        ylabel="share of problems",
        ylim=(-0.02, 1.02),
        title="performance profile",
    )
    ax.legend(fontsize=8)
    save(fig, path)
