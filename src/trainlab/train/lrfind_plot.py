"""The learning-rate finder's figure: smoothed loss against the learning rate."""

from __future__ import annotations

import numpy as np

from trainlab.viz import caption, plt, save


def plot_lrfind(found, path, title: str = "") -> None:
    """:func:`lrfind_figure`, saved to ``path``."""
    save(lrfind_figure(found, title), path)


def lrfind_figure(found, title: str = "", fig=None):
    """One line per seed (raw losses faint), the suggested interval shaded and
    its geometric middle dashed, on a log lr axis (drawn on ``fig`` when given)."""
    if fig is None:
        fig = plt().figure(figsize=(7.5, 4.5))
    fig.clear()
    ax = fig.add_subplot()
    top = 0.0
    for i, s in enumerate(found.sweeps):
        lrs = np.asarray(s.lrs)
        sm = np.array([np.nan if v is None else v for v in s.smoothed], dtype=float)
        ax.plot(lrs, s.losses, color=f"C{i}", alpha=0.25, lw=0.8)
        ax.plot(
            lrs,
            sm,
            color=f"C{i}",
            label=f"seed {i}" + ("" if s.stopped_at is None else f", stopped at lr {lrs[-1]:.2g}"),
        )
        top = max(top, float(np.nanmax(sm[: max(1, len(sm) // 5)])))
    lo, hi = found.interval
    ax.axvspan(lo, hi, color="0.85", zorder=0, label=f"suggested {lo:.2g} to {hi:.2g}")
    ax.axvline(found.middle, color="k", ls="--", lw=1, label=f"middle {found.middle:.2g}")
    ax.set(
        xscale="log",
        xlabel="learning rate (grows every step)",
        ylabel="training loss (smoothed)",
        ylim=(0, 1.6 * top if top > 0 else None),
        title=title or "learning-rate range test",
    )
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    caption(
        fig,
        "Flat: the lr is too small; falling fastest: useful; rising: steps overshoot. "
        f"Seeds' middles lie within {found.spread:.2f} decades",
    )
    return fig
