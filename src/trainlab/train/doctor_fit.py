"""The doctor's rules on how well the run fits: the train/held-out gap, a low
training accuracy, and the healthy verdict (see :mod:`trainlab.train.doctor`)."""

from __future__ import annotations

import numpy as np

from trainlab.train.verdict import Verdict, fmt, series

GAP = 0.05  # train - validation accuracy that counts as a gap
GAP_GROWTH = 0.03  # ... grown by this much since its smallest value
VAL_LOSS_RISE = 0.10  # validation loss this much above its minimum
UNDERFIT_ACC = 0.90  # training accuracy below this → underfitting


def _held_out(history):
    """``(key, accuracy, loss)`` of the validation set, else the test set."""
    for key in ("val", "test"):
        acc = series(history, f"{key}_acc")
        if acc.size:
            return key, acc, series(history, f"{key}_loss")
    return None, None, None


def overfitting(history):
    """A train/held-out accuracy gap that grew, or a held-out loss that rose."""
    train = series(history, "train_acc")
    key, held, held_loss = _held_out(history)
    if key is None or train.size < 3 or held.size != train.size:
        return None
    gap = train - held
    best = int(np.nanargmax(held))
    fix = (
        f"stop early (best {key} acc {held[best]:.3f} at epoch {best}: --early-stop 3), "
        "add weight decay (--weight-decay 0.01) or dropout (--dropout 0.3), or use more data"
    )
    if gap[-1] > GAP and gap[-1] - np.nanmin(gap[1:]) > GAP_GROWTH:
        return Verdict(
            "overfitting",
            f"train acc {train[-1]:.3f} vs {key} acc {held[-1]:.3f}: the gap grew "
            f"from {np.nanmin(gap[1:]):.3f} to {gap[-1]:.3f}",
            fix,
        )
    train_loss = series(history, "train_loss_epoch")
    if held_loss.size == train.size and np.all(np.isfinite(held_loss)):
        low = int(np.argmin(held_loss))
        if (
            held_loss[-1] > (1 + VAL_LOSS_RISE) * held_loss[low]
            and gap[-1] > GAP
            and train_loss.size
            and train_loss[-1] < train_loss[low]
        ):
            return Verdict(
                "overfitting",
                f"{key} loss rose from {fmt(held_loss[low])} (epoch {low}) to "
                f"{fmt(held_loss[-1])} while the training loss kept falling",
                fix,
            )
    return None


def underfitting(history, rose: bool = False):
    """Low training accuracy; a higher learning rate is advised only if the loss fell."""
    train = series(history, "train_acc")
    if not train.size or train[-1] >= UNDERFIT_ACC:
        return None
    fix = "train longer, use a bigger network (--hidden), less regularisation "
    fix += "(--weight-decay, --dropout)" + ("" if rose else ", or a higher learning rate")
    return Verdict(
        "underfitting", f"train acc is only {train[-1]:.3f} after {train.size - 1} epochs", fix
    )


def healthy(history):
    """The verdict when no rule fires, with the run's final numbers."""
    loss = series(history, "train_loss_epoch")
    parts = []
    if loss.size >= 2:
        parts.append(f"loss {fmt(loss[0])} → {fmt(loss[-1])}")
    train = series(history, "train_acc")
    key, held, _ = _held_out(history)
    if train.size:
        parts.append(f"train acc {train[-1]:.3f}")
    if key:
        parts.append(f"{key} acc {held[-1]:.3f}")
    return Verdict(
        "healthy",
        ", ".join(parts) or "no problem found in the saved metrics",
        "nothing to fix; more epochs or a learning-rate schedule may still help",
    )
