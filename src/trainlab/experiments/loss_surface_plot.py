"""The loss-surface experiment's figure (from saved metrics alone)."""

from __future__ import annotations

import numpy as np

from trainlab.viz import caption, plt, save

COLORS = {"small": "C0", "large": "C3"}


def _label(cfg, k, run) -> str:
    batch = cfg.small_batch if k == "small" else cfg.large_batch
    return f"batch {batch}: sharpness {run[k]['sharpness']:.3g}, test acc {run[k]['test_acc']:.3f}"


def draw(metrics, cfg, out) -> list:
    run = metrics["runs"][0]
    fig, axes = plt().subplots(1, 4, figsize=(18, 4.6), width_ratios=(1.2, 1, 1, 1.2))
    a1, a2, a3, a4 = axes
    for k in ("small", "large"):
        a1.plot(run[k]["alpha"], run[k]["slice"], color=COLORS[k], label=_label(cfg, k, run))
    a1.set(
        xlabel="α (filter-normalised direction)",
        ylabel="training loss",
        yscale="log",
        title="1-D slice around each solution",
    )
    a1.legend(fontsize=7.5, loc="upper center")
    planes = [np.log10(np.maximum(np.array(run[k]["plane"]), 1e-12)) for k in ("small", "large")]
    levels = np.linspace(min(p.min() for p in planes), max(p.max() for p in planes), 16)
    for ax, k, z in ((a2, "small", planes[0]), (a3, "large", planes[1])):
        g = run[k]["grid"]
        cs = ax.contourf(g, g, z, levels=levels, cmap="viridis")
        ax.plot(0, 0, "w+", ms=10)
        batch = cfg.small_batch if k == "small" else cfg.large_batch
        ax.set(xlabel="α₁ (direction 1)", title=f"2-D slice, batch {batch}", aspect="equal")
    a2.set_ylabel("α₂ (direction 2)")
    a3.set_yticklabels([])
    fig.subplots_adjust(wspace=0.3)
    fig.colorbar(cs, ax=[a2, a3], label="log10 training loss", shrink=0.9, pad=0.03)
    a4.set_position(a4.get_position().translated(0.04, 0))
    ip = run["interpolation"]
    a4.plot(ip["beta"], ip["train"], color="k", label="training loss")
    a4.plot(ip["beta"], ip["test"], color="k", ls="--", label="test loss")
    for k, x in (("small", 0.0), ("large", 1.0)):
        a4.axvline(x, color=COLORS[k], lw=1)
        a4.text(
            x,
            1.02,
            f"λmax {run[k]['sharpness']:.3g}",
            color=COLORS[k],
            ha="center",
            transform=a4.get_xaxis_transform(),
            fontsize=8,
        )
    a4.set(xlabel="t: (1 − t) θ_small + t θ_large", ylabel="loss", yscale="log")
    a4.set_title("interpolation between the two solutions", pad=16)
    a4.legend(fontsize=8)
    caption(
        fig,
        "Both ends fit the training data; the large-batch minimum is the sharper one: a larger top "
        "Hessian eigenvalue (λmax), which a random direction need not show. Keskar et al. 2017 "
        "tie sharp minima to 'smaller batches usually generalise better': compare test accuracies",
    )
    return [save(fig, out / "loss_surface.png")]
