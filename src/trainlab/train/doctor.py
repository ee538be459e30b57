"""The training doctor: read a run's saved metrics, name what went wrong, suggest a fix.

The notes' closing advice, as rules over the numbers ``trainlab train`` saves
(``metrics.json``: per-iteration training loss; per-epoch loss, accuracy,
activation statistics and gradient norms)::

    lr_too_high            the loss became NaN/inf, grew to 10x its start or more,
                           ends above where it started, or spikes (a mini-batch
                           loss > 3x the recent median); dead units after such a
                           step are named as its consequence, not as a cause
    exploding_gradients    a layer's gradient norm above 1e3, or 100x its first value
    vanishing_activations  > 50% dead ReLU units in a layer, activations with std < 1e-3,
                           or a layer whose gradient norm is < 1e-4 of the largest
    saturated_activations  > 50% of sigmoid/tanh outputs within 0.02 of their limits
    lr_too_low             less than half of the loss's fall came in the first quarter
                           of the epochs (a straight line, no levelling off)
    plateau                the loss fell, then stopped moving (< 2% over the last third)
                           while training accuracy stayed below 95%; or it never moved
                           (fell < 5% in all, levelling off: the initial weights)
    (the shapes of the epoch loss, as :mod:`trainlab.train.curve` reads them:
    an epoch loss that jumps by more than 10% of the fall so far → lr_too_high)
    overfitting            the train/validation accuracy gap is over 5 points and grew
                           by 3 points, or validation loss rose 10% above its minimum
    underfitting           training accuracy below 90% with no such gap
    healthy                none of the above

A learning rate whose loss rose is never advised higher: when the rate is
too high, the rules that would say "raise it" (lr_too_low, underfitting's
advice) stay silent. The advice for a rate too high or too low names the
learning-rate finder, ``trainlab lrfind``. A run that tracked its sharpness
(``--track sharpness``) adds its evidence: sharpness above the edge 2(1 + α)/η
is a rate too high by itself (see :mod:`trainlab.train.sharpness`).

:func:`diagnose` is a pure function of the metrics dict, so it can be checked on
synthetic curves as well as on real runs.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from trainlab.train import doctor_curves as curves
from trainlab.train import doctor_fit as fit
from trainlab.train.verdict import FINDER, Verdict, fmt, number, series

__all__ = ["BLOWUP", "FINDER", "Verdict", "diagnose", "divergence_fix", "report"]

BLOWUP = 10.0  # a loss this many times its start: the learning rate is too high
EXPLODE_NORM = 1e3  # gradient norm of a layer that counts as exploding
EXPLODE_GROWTH = 100.0  # or this many times its first recorded value
DEAD_SHARE = 0.5  # share of dead ReLU units in a layer
SATURATED_SHARE = 0.5  # share of saturated sigmoid/tanh outputs in a layer
VANISH_STD = 1e-3  # activation std below this → the signal vanished
VANISH_GRAD = 1e-4  # a layer's gradient norm below this share of the largest


def diagnose(metrics: dict) -> list[Verdict]:
    """Verdicts for a run, most serious first; ``[Verdict('healthy', ...)]`` if all is well.

    ``metrics`` is what ``trainlab train`` writes to ``metrics.json``
    (``{"summary", "history", "divergence"?}``), or a bare history dict.
    """
    # saved curves may hold NaN and inf: the rules handle them, numpy need not warn
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _diagnose(metrics)


def _diagnose(metrics: dict) -> list[Verdict]:
    history = metrics.get("history", metrics)
    lr = series(history, "lr")
    lr_text = f" (lr {fmt(lr[-1])})" if lr.size and math.isfinite(lr[-1]) else ""
    found = [
        v
        for v in (
            _divergence(metrics, history, lr_text),
            _gradients(history),
            *_activations(history),
        )
        if v
    ]
    diverged = bool(metrics.get("divergence")) or any(v.name == "lr_too_high" for v in found)
    if not diverged:
        spiked = curves.spikes(history, lr_text) or curves.epoch_jump(history, lr_text)
        slow = None if spiked else curves.too_slow(history, lr_text)
        stalled = None if slow else (curves.plateau(history) or curves.flat(history))
        found = [v for v in (spiked,) if v] + found
        found += [v for v in (slow, stalled, fit.overfitting(history)) if v]
        if not (slow or stalled or any(v.name == "overfitting" for v in found)):
            under = fit.underfitting(history, rose=bool(spiked) or _rose(history))
            if under:
                found.append(under)
    found = _consequences(curves.with_sharpness(found, history, lr_text))
    if not found:
        found.append(fit.healthy(history))
    names = [v.name for v in found]
    return [v for i, v in enumerate(found) if v.name not in names[:i]]  # first of each kind


def _consequences(found: list[Verdict]) -> list[Verdict]:
    """Dead or silent units next to a learning rate too high are what its steps
    did: named in its evidence, not as a cause of their own."""
    high = next((v for v in found if v.name == "lr_too_high"), None)
    dead = next((v for v in found if v.name == "vanishing_activations"), None)
    if high is None or dead is None:
        return found
    merged = Verdict(high.name, f"{high.evidence}; as a consequence, {dead.evidence}", high.fix)
    return [merged if v is high else v for v in found if v is not dead]


def _rose(history) -> bool:
    """Whether the loss ends above where it started."""
    loss = series(history, "train_loss_epoch")
    return loss.size >= 2 and loss[-1] > loss[0]


def report(verdicts: list[Verdict]) -> str:
    """Verdicts as printable lines."""
    return "\n".join(f"doctor: {v}" for v in verdicts)


# -- the rules on divergence, gradients and activations -----------------------------------
def divergence_fix(reason: str, lr: float | None = None, closure: bool = False) -> str:
    """The suggestion for a run that diverged (``reason``: ``nonfinite_loss``,
    ``nonfinite_gradient`` or ``gradient_norm``); ``closure``: its rule steps with a
    closure (LBFGS), which has a line search and no finder or clipping."""
    lower = "lower the learning rate about 10x"
    if lr and math.isfinite(lr):
        lower += f" (e.g. --lr {lr / 10:g})"
    if closure:
        return f"{lower} or let the line search choose the step (--opt line_search_fn=strong_wolfe)"
    lower += f" {FINDER}"
    if reason == "gradient_norm":
        return f"clip gradients (--clip-norm 5) or {lower}; batch norm (--batchnorm) also helps"
    return f"{lower}; with Adam, raise eps (e.g. --opt eps=1e-4); or clip gradients (--clip-norm 5)"


def _divergence(metrics, history, lr_text):
    div = metrics.get("divergence")
    if div:
        reason = div.get("reason", "nonfinite_loss")
        return Verdict(
            "exploding_gradients" if reason == "gradient_norm" else "lr_too_high",
            f"training diverged: {div.get('what', 'non-finite loss')} at step "
            f"{div.get('step', '?')} in {div.get('layer', 'an unknown layer')} "
            f"(lr {fmt(number(div.get('lr')))})",
            divergence_fix(reason, number(div.get("lr")), bool(div.get("closure"))),
        )
    loss = series(history, "train_loss")
    bad = np.flatnonzero(~np.isfinite(loss))
    lr = series(history, "lr")
    fix = divergence_fix("nonfinite_loss", lr[-1] if lr.size else None)
    if bad.size:
        return Verdict(
            "lr_too_high", f"the loss became {loss[bad[0]]} at step {bad[0] + 1}{lr_text}", fix
        )
    epoch_loss = series(history, "train_loss_epoch")
    bad = np.flatnonzero(~np.isfinite(epoch_loss))
    if bad.size:
        return Verdict(
            "lr_too_high",
            f"the epoch loss became {epoch_loss[bad[0]]} at epoch {bad[0]}{lr_text}",
            fix,
        )
    blown = _blowup(loss, epoch_loss)
    if blown:
        return Verdict("lr_too_high", f"{blown}{lr_text}: diverging", fix)
    if epoch_loss.size >= 3 and epoch_loss[-1] > 1.5 * epoch_loss[0]:
        return Verdict(
            "lr_too_high",
            f"the training loss rose from {fmt(epoch_loss[0])} to "
            f"{fmt(epoch_loss[-1])}{lr_text}: diverging",
            fix,
        )
    return None


def _blowup(loss, epoch_loss) -> str:
    """Where a loss reached ``BLOWUP`` times its start ("" if it never did)."""
    start = epoch_loss[0] if epoch_loss.size else (loss[0] if loss.size else math.nan)
    for what, later in (("loss", loss[1:]), ("epoch loss", epoch_loss[1:])):
        high = np.flatnonzero(later >= BLOWUP * start)
        if high.size:
            k = int(high[0]) + 1
            where = f"step {k + 1}" if what == "loss" else f"epoch {k}"
            return (
                f"the {what} blew up from {fmt(start)} to {fmt(later[k - 1])} at {where} "
                f"(over {BLOWUP:g}x its start)"
            )
    return ""


def _gradients(history):
    norms = [g for g in history.get("grad_norm") or [] if g]
    peak = series(history, "grad_norm_max")
    fix = (
        "clip gradients (--clip-norm 5), lower the learning rate, or use batch norm "
        "(--batchnorm) and He/Xavier initial weights"
    )
    if peak.size and np.nanmax(peak, initial=0) > EXPLODE_NORM:
        return Verdict(
            "exploding_gradients",
            f"the gradient norm reached {fmt(np.nanmax(peak))} (> {EXPLODE_NORM:g})",
            fix,
        )
    if not norms:
        return None
    first, last = norms[0], norms[-1]
    for layer, value in last.items():
        value, start = number(value), number(first.get(layer))
        if (
            not math.isfinite(value)
            or value > EXPLODE_NORM
            or (start > 0 and value > EXPLODE_GROWTH * start and value > 10)
        ):
            return Verdict(
                "exploding_gradients",
                f"{layer} gradient norm {fmt(value)} (first epoch {fmt(start)})",
                fix,
            )
    return None


def _activations(history):
    stats = [s for s in history.get("activations") or [] if s]
    last = stats[-1] if stats else []
    dead = [(r["layer"], r["dead"]) for r in last if r.get("dead", 0) > DEAD_SHARE]
    flat = [
        (r["layer"], r["std"])
        for r in last
        if r.get("std", 1) < VANISH_STD and r.get("dead", 0) <= DEAD_SHARE
    ]
    sat = [(r["layer"], r["saturated"]) for r in last if r.get("saturated", 0) > SATURATED_SHARE]
    norms = [g for g in history.get("grad_norm") or [] if g]
    weak = []
    if norms:
        values = {k: number(v) for k, v in norms[-1].items()}
        top = max(values.values(), default=0.0)
        weak = [(k, v) for k, v in values.items() if top > 0 and v < VANISH_GRAD * top]
    out = []
    if dead or flat or weak:
        parts = [f"layer {i}: {s:.0%} of ReLU units dead" for i, s in dead]
        parts += [f"layer {i}: activation std {fmt(s)}" for i, s in flat]
        parts += [f"{k} gradient norm {fmt(v)} vs {fmt(top)} at most" for k, v in weak]
        out.append(
            Verdict(
                "vanishing_activations",
                "; ".join(parts),
                "use He initial weights (--init he) for ReLU, Xavier for "
                "sigmoid/tanh; add batch norm (--batchnorm); lower the learning rate",
            )
        )
    if sat:
        out.append(
            Verdict(
                "saturated_activations",
                "; ".join(f"layer {i}: {s:.0%} of outputs near 0 or 1" for i, s in sat),
                "use smaller initial weights, Xavier for sigmoid/tanh (--init xavier), "
                "or ReLU with He (--activation relu --init he); add batch norm (--batchnorm)",
            )
        )
    return out
