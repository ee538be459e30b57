"""The overfitting figure: train and test accuracy of each variant, with its gap."""

from __future__ import annotations

import numpy as np

from trainlab.viz import band, caption, plt, save


def setting(cfg, name) -> str:
    """A variant's name with its setting, for titles and legends."""
    mode = "" if cfg.dropout_mode == "notes" else f", {cfg.dropout_mode}"
    return {
        "weight decay": f"weight decay λ={cfg.weight_decay:g}",
        "dropout": f"dropout {cfg.dropout:g}{mode}",
        "ensemble": f"ensemble of {cfg.ensemble}",
    }.get(name, "no regularisation")


def draw(metrics, cfg, out, names) -> list:
    """The figure of ``names`` (the variants trained) from the saved metrics."""
    pyplot = plt()
    fig, axes = pyplot.subplots(
        1, len(names), figsize=(4 * len(names), 3.6), squeeze=False, sharey=True
    )
    s = metrics["summary"]
    for ax, name in zip(axes[0], names, strict=False):
        for key, style in (("train_acc", "-"), ("test_acc", "--")):
            curves = np.array([r[name][key] for r in metrics["runs"]], dtype=float)
            band(
                ax,
                np.arange(curves.shape[1]),
                curves,
                label=key.replace("_acc", ""),
                ls=style,
                color="C0" if key == "train_acc" else "C1",
            )
        gap = s[f"{name}: gap"]
        ax.set(
            title=f"{setting(cfg, name)}\ngap {gap:.3f}"
            + ("" if name == "none" else f" ({gap - s['none: gap']:+.3f})"),
            xlabel="epochs",
            ylim=(0, 1.0),
        )
        ax.legend(loc="lower right")
    axes[0][0].set_ylabel("accuracy")
    fig.suptitle(
        f"{metrics['data']['title']}: {cfg.train_size} training samples, "
        f"{len(cfg.hidden)} hidden layers, {cfg.optimizer} lr {cfg.lr:g}"
    )
    fig.tight_layout()
    caption(
        fig,
        "gap = train − test accuracy over the last tenth of the epochs; a remedy "
        "works where its gap is narrower than the unregularised one (in brackets)",
    )
    return [save(fig, out / "overfit.png")]
