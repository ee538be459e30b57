"""Activation histograms of a 5-layer, 100-unit stack fed ``randn(1000, 100)``
(the book's ``weight_init_activation_histogram.py``): weights with std 1,
std 0.01, Xavier (sqrt(1/n)) and He (sqrt(2/n)), under sigmoid, tanh and ReLU.

Every combination sees the same input and the same standard-normal weight
draws, only scaled differently, so the scale alone makes the difference.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.experiments.common import gen, init_spec, mean, seeds

TITLE = "Activation histograms and initial weights"
TRAINS = False
NEAR = 0.02  # "near" 0.5, 0 or 1: within this distance


@dataclass
class Config:
    samples: int = 1000
    nodes: int = 100
    layers: int = 5
    inits: tuple = ("1", "0.01", "xavier", "he")
    activations: tuple = ("sigmoid", "tanh", "relu")
    bins: int = 30


QUICK: dict = {}


def units(cfg) -> int:
    return len(cfg.activations) * len(cfg.inits)


def init_label(spec) -> str:
    spec = init_spec(spec)
    if isinstance(spec, float):
        return f"std {spec:g}"
    return {"xavier": "Xavier", "sigmoid": "Xavier", "he": "He", "relu": "He"}.get(spec, spec)


def _range(act):
    """The book's ``range=(0, 1)`` (tanh: -1..1): one x-range for every panel."""
    return {"tanh": (-1.0, 1.0)}.get(act, (0.0, 1.0))


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


def forward(x, stds, act, standard_normals):
    """Activations of each layer: ``z_k = act(z_{k-1} @ (N_k * std_k))``."""
    from trainlab.nn import ACTIVATIONS

    out = []
    for w, std in zip(standard_normals, stds, strict=False):
        x = ACTIVATIONS[act]().forward(x @ (w * std))
        out.append(x)
    return out


def evaluation(cfg) -> dict:
    return {"once": f"activations of {cfg.samples} standard-normal inputs, no training"}


def jobs(cfg, rng) -> list[dict]:
    """One job per seed: every combination sees the same input and weight draws."""
    (seed,) = seeds(rng, 1)
    return [{"seed": seed}]


def job(cfg, data, spec) -> dict:
    from trainlab.nn import weight_std

    g = gen(spec["seed"])
    x = g.standard_normal((cfg.samples, cfg.nodes))
    ws = [g.standard_normal((cfg.nodes, cfg.nodes)) for _ in range(cfg.layers)]
    out = {}
    for act in cfg.activations:
        for spec_ in cfg.inits:
            std = weight_std(init_spec(spec_), cfg.nodes)
            layers = []
            for z in forward(x, [std] * cfg.layers, act, ws):
                counts, edges = np.histogram(z, bins=cfg.bins, range=_range(act))
                layers.append(
                    {
                        "mean": float(z.mean()),
                        "std": float(z.std()),
                        "near_half": float(np.mean(np.abs(z - 0.5) < NEAR)),
                        "near_0_or_1": float(np.mean((z < NEAR) | (z > 1 - NEAR))),
                        "zeros": float(np.mean(z == 0)),
                        "counts": counts.tolist(),
                        "edges": edges.tolist(),
                    }
                )
            out[f"{act}/{spec_}"] = layers
    return out


def gather(cfg, specs, results) -> dict:
    return results[0]


def summarize(runs, cfg) -> dict:
    s = {}
    last = cfg.layers - 1

    def avg(key, stat, layer=last):
        return mean([r[key][layer][stat] for r in runs if key in r])

    for act in cfg.activations:
        for spec in cfg.inits:
            key = f"{act}/{spec}"
            s[f"{act}, {init_label(spec)}: layer-{cfg.layers} std"] = avg(key, "std")
            if act == "sigmoid":
                s[f"{act}, {init_label(spec)}: share within {NEAR} of 0.5"] = avg(key, "near_half")
                s[f"{act}, {init_label(spec)}: share within {NEAR} of 0 or 1"] = avg(
                    key, "near_0_or_1"
                )
            if act == "relu":
                s[f"{act}, {init_label(spec)}: std ratio layer {cfg.layers}/1"] = mean(
                    [r[key][last]["std"] / r[key][0]["std"] for r in runs]
                )
                s[f"{act}, {init_label(spec)}: share of zeros"] = avg(key, "zeros")
    return s


def parts(cfg) -> list:
    """The figures, each drawn on its own: one histogram grid per activation, then
    the activations' spread per layer."""
    return [*cfg.activations, "std"]


def plot(metrics, cfg, out, part=None) -> list:
    from trainlab.viz import band, by_hand, caption, hist_cut, plt, save

    pyplot = plt()
    paths = []
    first = metrics["runs"][0]  # the histograms show one draw, as in the notes
    total = cfg.samples * cfg.nodes
    for act in cfg.activations:
        if part not in (None, act):
            continue
        top = cap(cfg, act)
        rows = len(cfg.inits)
        lo, hi = _range(act)
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
                    ax.text(
                        0.97,
                        0.6,
                        f"{outside:.0%} above {hi:g}\n(not drawn)",
                        transform=ax.transAxes,
                        ha="right",
                        fontsize=7,
                        color="#555",
                    )
                if i == 0:
                    ax.set_title(f"{k + 1}-layer", y=1.0)  # y given: no costly search above
                if k == 0:
                    ax.set_ylabel(init_label(spec))
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
        paths.append(save(fig, out / f"init_histogram_{act}.png", tight=False))
    if part not in (None, "std"):
        return paths
    fig, axes = pyplot.subplots(
        1, len(cfg.activations), figsize=(4.2 * len(cfg.activations), 4.0), squeeze=False
    )
    x = np.arange(1, cfg.layers + 1)
    for ax, act in zip(axes[0], cfg.activations, strict=False):
        for spec in cfg.inits:
            runs = [[layer["std"] for layer in r[f"{act}/{spec}"]] for r in metrics["runs"]]
            band(ax, x, runs, label=f"weights {init_label(spec)}", marker="o", ms=3)
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
    paths.append(save(fig, out / "init_layer_std.png", tight=False))
    return paths
