"""The catalogue's rows for the torch.optim rules the notes do not write: each one's typical
mistakes (Adamax, Rprop, ASGD, Adafactor).

Like :mod:`.after_notes`: a row builds trainlab's rule with an option changed, or
a faulty subclass from :mod:`.faulty`. ASGD's average ``ax`` never enters its
step, so a mistake in the averaging (ignoring ``t0``, say) cannot be seen in the
weights; its rows are about the step size.
"""

from __future__ import annotations

from trainlab.check import faulty
from trainlab.check.setting import Entry


def _rule(name: str):
    return lambda s: s.rule == name


#: every rule-specific cause of these rules, most likely first
TORCH_RULES: tuple[Entry, ...] = (
    Entry(
        "adamax-eps-outside",
        "Adamax with eps added outside the maximum: m / (u + eps) (Keras's form)",
        "variant",
        lambda s: s.faulty(faulty.AdamaxEpsOutside),
        "a known way of writing Adamax; it differs from max(beta2·u, |g| + eps) only "
        "where |g| is near eps",
        "no trainlab option puts eps there: trainlab's Adamax, like PyTorch's, takes "
        "u = max(beta2 * u, |g| + eps)",
        _rule("adamax"),
    ),
    Entry(
        "rprop-no-standstill",
        "Rprop without the standstill after a flip of sign (the gradient kept as it is)",
        "bug",
        lambda s: s.faulty(faulty.RpropNoStandstill),
        "after an overshoot the weight steps back at once with the shrunk step, and the "
        "next step compares with the flipped gradient, shrinking the step again; "
        "PyTorch's Rprop (iRprop-) sets that gradient to 0 and stands still once",
        "where g * prev < 0, set g = 0 before the step and keep it as prev",
        _rule("rprop"),
    ),
    Entry(
        "adafactor-no-clipping",
        "Adafactor without its update clipping",
        "bug",
        lambda s: s.make(d=1e300),
        "where v is stale (a gradient far larger than the ones v has seen) the step is "
        "as large as g / sqrt(v) makes it; Adafactor scales each update down to RMS d",
        "W -= alpha / max(1, rms(U) / d) * U",
        _rule("adafactor"),
    ),
    Entry(
        "adafactor-not-factored",
        "Adafactor with a full v for every matrix: its second moment not factored",
        "bug",
        lambda s: s.faulty(faulty.AdafactorUnfactored),
        "each weight keeps its own mean of g·g, as in Adam; Adafactor keeps a matrix's "
        "row and column means and rebuilds V = R C / mean(R), n + m numbers, not n·m",
        "for a parameter with 2 axes or more: R and C, the means of g·g over the last "
        "axis and over the one before it, and V = R @ C / max(mean(R), eps1)",
        _rule("adafactor"),
    ),
    Entry(
        "asgd-eta-constant",
        "ASGD with a constant step size: eta never decays from lr",
        "bug",
        lambda s: s.make(alpha=0.0),
        "ASGD's eta_t = lr / (1 + lambd·lr·t)^alpha shrinks like t^-alpha, so that the "
        "noisy steps die down and the average of the weights settles; at a constant lr "
        "the weights keep jumping about the minimum",
        "after every step, eta = lr / (1 + lambd * lr * t) ** alpha (t the steps taken); "
        "keep eta and t on self between calls (made afresh in update, they stay at lr and 0)",
        lambda s: s.rule == "asgd" and bool(s.option("alpha")) and bool(s.option("lambd")),
    ),
)
