"""The doctor's rules on the shape of the loss curve (see :mod:`trainlab.train.curve`):
spikes in the mini-batch loss, a jump in the epoch loss, a flat loss, a slow
straight fall, a fall that stalls."""

from __future__ import annotations

import math

import numpy as np

from trainlab.train.curve import classify, early_share
from trainlab.train.sharpness import sharpness_evidence
from trainlab.train.verdict import FINDER, Verdict, fmt, series

SPIKE_RATIO = 3.0  # a spike: loss > SPIKE_RATIO x the median of the previous window
SPIKE_MIN_RISE = 0.1  # ... and rises by this share of the initial loss at least
SPIKES_TOO_MANY = 2  # this many spikes (separate events) → lr too high
SLOW_EARLY = 0.5  # less than this share of the fall in the first quarter → too low
PLATEAU_CHANGE = 0.02  # relative change over the last third that counts as flat
PLATEAU_ACC = 0.95  # ... while training accuracy is below this


def epoch_jump(history, lr_text):
    """The lecture's "it learns a while, then jumps", on the per-epoch loss."""
    loss = series(history, "train_loss_epoch")
    if loss.size < 3 or not np.all(np.isfinite(loss)) or classify(loss) != "spiking":
        return None
    k = (
        int(
            np.argmax(np.diff(loss) / np.maximum(loss[0] - np.minimum.accumulate(loss)[:-1], 1e-12))
        )
        + 1
    )
    return Verdict(
        "lr_too_high",
        f"the epoch loss jumped from {fmt(loss[k - 1])} to {fmt(loss[k])} at epoch "
        f"{k} after falling from {fmt(loss[0])}{lr_text}",
        f"lower the learning rate (e.g. halve it) {FINDER}; with Adam, raise eps "
        "(e.g. --opt eps=1e-4)",
    )


def flat(history):
    """A loss that never moved, and not because it falls in a slow straight line."""
    loss = series(history, "train_loss_epoch")
    if loss.size < 3 or not np.all(np.isfinite(loss)) or classify(loss) != "plateau":
        return None
    return Verdict(
        "plateau",
        f"the loss did not move: {fmt(loss[0])} → {fmt(loss[-1])} in "
        f"{loss.size - 1} epochs ({(loss[0] - loss[-1]) / loss[0]:.2%})",
        "check the initial weights (--init he for ReLU, xavier for sigmoid/tanh) "
        "or add batch norm (--batchnorm)",
    )


def too_slow(history, lr_text):
    """A curve that keeps falling at about the same rate: the shape rule of
    :mod:`trainlab.train.curve` (share of the fall in the first quarter)."""
    loss = series(history, "train_loss_epoch")
    if loss.size < 3 or not np.all(np.isfinite(loss)):
        return None
    drop = (loss[0] - loss[-1]) / loss[0]
    if loss[-1] >= loss[0]:
        return None
    share = early_share(loss)
    if not math.isfinite(share) or share >= SLOW_EARLY:
        return None
    return Verdict(
        "lr_too_low",
        f"the loss fell {drop:.2%} ({fmt(loss[0])} → {fmt(loss[-1])}) in "
        f"{loss.size - 1} epochs, {share:.0%} of it in the first quarter: a "
        f"near-straight line{lr_text}",
        f"raise the learning rate about 10x (or use Adam) {FINDER}; a linear loss curve "
        "means the steps are too small",
    )


def plateau(history):
    """A loss that fell, then stopped moving, while training accuracy stayed low."""
    loss = series(history, "train_loss_epoch")
    acc = series(history, "train_acc")
    if loss.size < 6 or not np.all(np.isfinite(loss)) or not acc.size:
        return None
    k = loss.size - max(3, loss.size // 3)
    change = abs(loss[-1] - loss[k]) / max(abs(loss[k]), 1e-12)
    early = (loss[0] - loss[k]) / loss[0]
    if change >= PLATEAU_CHANGE or early <= PLATEAU_CHANGE or acc[-1] >= PLATEAU_ACC:
        return None
    return Verdict(
        "plateau",
        f"the loss fell {early:.0%} by epoch {k}, then moved {change:.2%} over the "
        f"last {loss.size - 1 - k} epochs (at {fmt(loss[-1])}); train acc "
        f"{acc[-1]:.3f}",
        "lower the learning rate when progress stalls (--schedule plateau), try "
        "Adam, or add batch norm (--batchnorm)",
    )


def spikes(history, lr_text):
    """Mini-batch losses far above the median of the steps before them, more than once."""
    loss = series(history, "train_loss")
    n = loss.size
    w = max(5, n // 50)
    if n < 2 * w:
        return None
    # median of the previous w losses, for every step from w on
    windows = np.lib.stride_tricks.sliding_window_view(loss[:-1], w)
    med = np.median(windows, axis=1)
    level = np.median(loss[:w])
    hit = (loss[w:] > SPIKE_RATIO * med) & (loss[w:] - med > SPIKE_MIN_RISE * level)
    steps = np.flatnonzero(hit) + w
    events = int(np.sum(np.diff(steps) > w)) + 1 if steps.size else 0
    if events < SPIKES_TOO_MANY:
        return None
    worst = steps[np.argmax(loss[steps] / med[steps - w])]
    return Verdict(
        "lr_too_high",
        f"{events} loss spikes{lr_text}, e.g. step {worst + 1}: {fmt(loss[worst])} "
        f"after a median of {fmt(med[worst - w])} (> {SPIKE_RATIO:g}x)",
        f"lower the learning rate (e.g. halve it) {FINDER}; with Adam, raise eps "
        "(e.g. --opt eps=1e-4); or clip gradients (--clip-norm 5)",
    )


def with_sharpness(found: list[Verdict], history: dict, lr_text: str) -> list[Verdict]:
    """The tracked sharpness (``--track sharpness``) as evidence: above the edge
    2(1 + α)/η it names a rate too high by itself; at the edge, or above it, it
    is added to the evidence of a rate already called too high."""
    said = sharpness_evidence(history)
    if said is None:
        return found
    kind, sentence = said
    high = next((v for v in found if v.name == "lr_too_high"), None)
    if high is not None:
        joined = Verdict(high.name, f"{high.evidence}; {sentence}", high.fix)
        return [joined if v is high else v for v in found]
    if kind != "above":
        return found
    fix = f"lower the learning rate below 2/sharpness {FINDER}"
    called = Verdict("lr_too_high", f"{sentence}{lr_text}", fix)
    rest = [v for v in found if v.name not in ("lr_too_low", "healthy")]  # never "raise it"
    return [called, *rest]
