"""The figures of the activation histograms: one grid of histograms per
activation (a row per initial weight, a column per layer), then the spread of
every layer's activations."""

from __future__ import annotations

import numpy as np

from trainlab.viz import band, by_hand, caption, hist_cut, plt, save


def cap(cfg, act) -> float:
    """The y-limit shared by every panel of ``act``'s figure, in units of the bar
    height of a perfectly even spread (samples·nodes / bins): twice that for ReLU,
    the book's ``ylim(0, 7000)`` for 1000×100 values in 30 bins, which cuts the
    spike of zeros; six times that (a bar of 20% of all values) for sigmoid and
    tanh, which cuts only the piles at 0, 0.5 or 1."""
    return (2.0 if act == "relu" else 6.0) * cfg.samples * cfg.nodes / cfg.bins


#: what to see in each activation's figure
LESSON = {
    "sigmoid": "std 1 piles up at 0 and 1 (gradients vanish), std 0.01 at 0.5 (every unit says "
    "the same); Xavier stays spread out in every layer",
    "tanh": "std 1 piles up at ±1, std 0.01 collapses to 0; Xavier keeps the spread in every layer",
    "relu": "He keeps the same spread in every layer; under Xavier the values crowd toward 0 "
    "layer by layer; std 0.01 shrinks them to nothing",
}


def histograms(metrics, cfg, out, act, labels, x_range):
    """``act``'s grid of histograms, of the first seed's draw as in the notes
    (``labels``: initial weights → their names; ``x_range``: the bins' range)."""
    pyplot = plt()
    first = metrics["runs"][0]
    total = cfg.samples * cfg.nodes
    top = cap(cfg, act)
    rows = len(cfg.inits)
    lo, hi = x_range
    fig, axes = pyplot.subplots(
        rows,
        cfg.layers,
        figsize=(2.4 * cfg.layers, 1.9 * rows + 0.9),
        squeeze=False,
        sharex=True,
        sharey=True,
    )
    for i, spec in enumerate(cfg.inits):
        for k, layer in enumerate(first[f"{act}/{spec}"]):
            ax = axes[i][k]
            hist_cut(ax, layer["counts"], layer["edges"], top, total)
            outside = 1.0 - sum(layer["counts"]) / total
            if outside >= 0.005:
                note_outside(ax, outside, hi)
            if i == 0:
                ax.set_title(f"{k + 1}-layer", y=1.0)  # y given: no costly search above
            if k == 0:
                ax.set_ylabel(labels[spec])
    axes[0][0].set_xlim(lo, hi)
    by_hand(
        fig,
        f"{act}: activations per layer ({cfg.bins} bins on {lo:g}..{hi:g}, counts "
        f"cut at {top:,.0f}; red: a cut bar, with its share)",
        left=0.8,
        right=0.25,
        top=0.65,
        bottom=0.75,
        wspace=0.24,
        hspace=0.22,
    )
    caption(
        fig,
        LESSON.get(act, "compare the rows: the spread each initial weight leaves"),
        inside=True,
    )
    return save(fig, out / f"init_histogram_{act}.png", tight=False)


def note_outside(ax, outside: float, hi: float) -> None:
    """The share of values above the x-range, written in the panel."""
    ax.text(
        0.97,
        0.6,
        f"{outside:.0%} above {hi:g}\n(not drawn)",
        transform=ax.transAxes,
        ha="right",
        fontsize=7,
        color="#555",
    )


def layer_spread(metrics, cfg, out, labels):
    """The standard deviation of each layer's activations, one panel per activation."""
    pyplot = plt()
    fig, axes = pyplot.subplots(
        1, len(cfg.activations), figsize=(4.2 * len(cfg.activations), 4.0), squeeze=False
    )
    x = np.arange(1, cfg.layers + 1)
    for ax, act in zip(axes[0], cfg.activations, strict=False):
        for spec in cfg.inits:
            runs = [[layer["std"] for layer in r[f"{act}/{spec}"]] for r in metrics["runs"]]
            band(ax, x, runs, label=f"weights {labels[spec]}", marker="o", ms=3)
        ax.set(yscale="log", xlabel="layer", ylabel="std of activations", xticks=x)
        ax.set_title(act, y=1.0)
        ax.legend(fontsize=8)
    by_hand(fig, None, left=0.75, right=0.15, top=0.35, bottom=0.95, wspace=0.28)
    caption(
        fig,
        "A flat line keeps the signal's size through the layers: Xavier for sigmoid "
        "and tanh, He for ReLU; a falling line is a vanishing signal",
        inside=True,
    )
    return save(fig, out / "init_layer_std.png", tight=False)
