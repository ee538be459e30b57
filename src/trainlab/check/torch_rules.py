"""The catalogue's rows for the torch.optim rules the notes do not write: each one's typical
mistakes (Adamax, Rprop, ASGD, Adafactor, Muon).

Like :mod:`.after_notes`: a row builds trainlab's rule with an option changed, or
a faulty subclass from :mod:`.faulty`. ASGD's average ``ax`` never enters its
step, so a mistake in the averaging (ignoring ``t0``, say) cannot be seen in the
weights; its rows are about the step size.
"""

from __future__ import annotations

from functools import partial

from trainlab.check import faulty
from trainlab.check import faulty_muon as fm
from trainlab.check import wrappers as w
from trainlab.check.setting import Entry


def _rule(name: str):
    return lambda s: s.rule == name


def _muon(step: type[fm.Muon], **muon_options):
    """A row's build: trainlab's ``muon`` with its matrices stepped by ``step``."""
    return lambda s: s.faulty(partial(fm.muon_adamw, step, muon_options))


def _adafactor_without(name: str):
    return lambda s: lambda lr=None: w.without_eps(s.make()(lr), name)


MUON_FIX = (
    "B = momentum * B + (1 - momentum) * g; M = g + momentum * (B - g); "
    "X = M / ||M||_F, then the Newton-Schulz steps; W -= lr * 0.2 * sqrt(max(m, n)) * X"
)


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
    Entry(
        "adafactor-no-eps1",
        "Adafactor without eps1: U = g / sqrt(V), R C / mean(R) with no floor",
        "bug",
        _adafactor_without("eps1"),
        "where a row of a matrix's gradient has always been 0 (a weight fed by a pixel "
        "blank in every image), R is 0 there and the step is 0/0 = NaN",
        "V = R @ C / max(mean(R), eps1) and U = g / sqrt(max(V, eps1**2)), eps1 the "
        "machine epsilon by default (trainlab's options refuse eps1 = 0)",
        _rule("adafactor"),
    ),
    Entry(
        "adafactor-no-eps2",
        "Adafactor without eps2: the step size lr·rms(W) with no floor",
        "bug",
        _adafactor_without("eps2"),
        "a weight that starts at 0 (a bias) has rms(W) = 0, so its step size is 0 and "
        "it never moves; eps2 lets such weights start",
        "alpha = lr_t * max(eps2, rms(W)), eps2 = 1e-3 by default",
        lambda s: s.rule == "adafactor" and bool(s.option("eps2")),
    ),
    Entry(
        "muon-not-normalised",
        "Muon's momentum not normalised before Newton-Schulz (X = M, not M / ||M||_F)",
        "bug",
        _muon(fm.MuonNotNormalised),
        "the iteration brings singular values into about [0.7, 1.2] only from (0, 1]: "
        "larger ones blow up, small ones stay small, so the step is not orthogonal",
        MUON_FIX,
        _rule("muon"),
    ),
    Entry(
        "muon-not-scaled",
        "Muon's step not scaled for the matrix's shape: W -= lr * X",
        "bug",
        _muon(fm.MuonNotScaled),
        "an orthogonal m x n matrix has entries of RMS 1/sqrt(max(m, n)), so the same lr "
        "moves a wide layer less than a narrow one, and far less than AdamW moves the rest",
        MUON_FIX,
        _rule("muon"),
    ),
    Entry(
        "muon-plain-momentum",
        "Muon with plain momentum (X = NS(B)) where trainlab's is Nesterov's",
        "bug",
        lambda s: s.make(nesterov=False),
        "Nesterov's form orthogonalises g + momentum * (B - g), which leans towards this "
        "step's gradient; plain momentum orthogonalises B itself",
        "M = g + momentum * (B - g) before Newton-Schulz, or nesterov=False in your "
        "constructor to check the plain form",
        lambda s: s.rule == "muon" and bool(s.option("nesterov")),
    ),
    Entry(
        "muon-orthogonalised-gradient",
        "Muon orthogonalising the gradient, then taking the momentum of the results",
        "bug",
        _muon(fm.MuonOrthogonalisedGradient),
        "Muon orthogonalises the momentum, the average of the gradients; an average of "
        "orthogonal matrices is not orthogonal, so the step's singular values are no "
        "longer about one",
        MUON_FIX,
        _rule("muon"),
    ),
    Entry(
        "muon-original-scale",
        "Muon scaled as in Keller Jordan's post: lr * sqrt(max(1, m / n)) * X",
        "variant",
        _muon(fm.Muon, adjust_lr_fn="original"),
        "the original Muon's scale (torch.optim.Muon's default), which asks for its own "
        "lr (0.02 in the post) beside AdamW's; trainlab's muon scales by "
        "0.2 * sqrt(max(m, n)) so that one lr, chosen as for AdamW, serves both",
        "a Partition of Muon(adjust_lr_fn='original') on the matrices and AdamW on the "
        "rest takes your steps",
        _rule("muon"),
    ),
)
