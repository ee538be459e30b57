"""The lr-diagnosis experiment's second figure: each curve's sharpness beside 2/lr.

The sharpness (the Hessian's top eigenvalue, :mod:`trainlab.train.sharpness`) is
measured on the first ``SAMPLES`` training samples at every epoch's end. A step
of size η overshoots along a direction whose curvature exceeds 2/η; full-batch
gradient descent raises the sharpness to 2/η and hovers there (Cohen et al.
2021). The curves here are mini-batch runs: each step follows its batch's
noisy Hessian, and the full-batch sharpness hovers around 2/η (within a factor
of about two) instead of sitting on it.
"""

from __future__ import annotations

import numpy as np

from trainlab.experiments.common import floats, stack
from trainlab.train.sharpness import SharpnessTracker
from trainlab.viz import band, caption, plt, save

#: samples and Lanczos products of one measurement (about 30 gradients of 300 samples)
SAMPLES, PRODUCTS = 300, 12


def tracker():
    """The callback that one curve's training carries."""
    return SharpnessTracker(samples=SAMPLES, iterations=PRODUCTS)


def results(history) -> dict:
    """What the job keeps of the tracked history (plain lists)."""
    return {
        "sharpness": list(history.get("sharpness", [])),
        "sharpness_iteration": list(history.get("sharpness_iteration", [])),
    }


def ratio(run: dict, lr: float) -> float:
    """Median over the second half of the measurements of sharpness / (2/lr);
    inf when the run diverged before or while being measured."""
    values = floats(run.get("sharpness", []))
    if run.get("diverged_at") or values.size == 0:
        return float("inf")
    late = values[values.size // 2 :]
    return float(np.median(late)) / (2.0 / lr) if np.all(np.isfinite(late)) else float("inf")


def plot(metrics, cfg, out, curves, colors) -> list:
    """One panel per curve on a shared log axis: sharpness per epoch and 2/lr."""

    shown = [(label, lr) for label, lr, _ in curves if label != "bad init"]
    fig, axes = plt().subplots(
        1, len(shown), figsize=(3 * len(shown), 3.4), sharey=True, sharex=True
    )
    runs = metrics["runs"]
    for ax, (label, lr) in zip(np.atleast_1d(axes), shown, strict=True):
        y = stack([r[label].get("sharpness") or [np.nan] for r in runs])
        y = np.where(np.isfinite(y), y, np.nan)
        if np.isfinite(y).any():
            band(ax, np.arange(1, y.shape[1] + 1), y, color=colors.get(label), marker="o")
        else:
            ax.text(
                0.5,
                0.5,
                "diverged before\nthe first epoch's end",
                ha="center",
                transform=ax.transAxes,
                color=colors.get(label),
            )
        ax.axhline(2.0 / lr, color="k", ls="--", lw=1, label="2/lr")
        r = np.median([ratio(run[label], lr) for run in runs])
        said = "diverged" if not np.isfinite(r) else f"{r:.2g} × 2/lr"
        ax.set(title=f"{label} (lr {lr:g}): {said}", xlabel="epoch", yscale="log")
        ax.set_xlim(0.5, cfg.epochs + 0.5)
        ax.xaxis.get_major_locator().set_params(integer=True)
    np.atleast_1d(axes)[0].set_ylabel("sharpness (top Hessian eigenvalue)")
    np.atleast_1d(axes)[0].legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    caption(
        fig,
        "Too high: the sharpness is pinned at or above 2/lr (dashed), steps overshoot; "
        f"too low: far below it. Mini-batch {cfg.batch_size}: noise keeps it near, not on, 2/lr",
    )
    return [save(fig, out / "lr_sharpness.png")]
