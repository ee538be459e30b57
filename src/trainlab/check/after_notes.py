"""The catalogue's rows for the rules after the notes: each rule's typical mistakes.

A new rule joins with its rows here (and a line in :data:`.setting.STATE_TEXT`
and :data:`.setting.SEEDS` for the mistakes every rule can make); a mistake
that no option or wrapper builds is a faulty subclass in :mod:`.faulty`.
"""

from __future__ import annotations

from trainlab.check import faulty
from trainlab.check import wrappers as w
from trainlab.check.setting import Entry, Setting


def _rule(name: str):
    return lambda s: s.rule == name


def _lion_betas_swapped(s: Setting):
    return s.make(beta1=s.option("beta2"), beta2=s.option("beta1"))


def _lion_coupled(s: Setting):
    decay = s.option("weight_decay")
    return lambda lr=None: w.CoupledDecay(s.make(weight_decay=0.0)(lr), decay)


def _lion_decay_without_lr(s: Setting):
    """Lion at ``lr`` with ``weight_decay / lr``: its decay is then ``weight_decay``."""

    def build(lr=None):
        at = s.hp["lr"] if lr is None else lr
        return s.make(weight_decay=s.option("weight_decay") / at)(lr)

    return build


#: every rule-specific cause of the rules after the notes, most likely first
AFTER_NOTES: tuple[Entry, ...] = (
    Entry(
        "lion-m-first",
        "Lion with m updated before the sign is taken",
        "bug",
        lambda s: s.faulty(faulty.LionMomentumFirst),
        "the sign reads the new m, which already holds g at beta2's weight, so the step "
        "leans on the slow momentum where Lion's leans on beta1's interpolation",
        "first W -= lr * sign(beta1 * m + (1 - beta1) * g), then m = beta2 * m + (1 - beta2) * g",
        _rule("lion"),
    ),
    Entry(
        "lion-sign-of-m",
        "Lion as the sign of its momentum: m updated first, no interpolation with g",
        "bug",
        lambda s: s.faulty(faulty.LionSignOfMomentum),
        "sign(m) is signSGD with momentum (signum); Lion takes the sign of "
        "beta1·m + (1 - beta1)·g, which weighs this step's gradient more",
        "first W -= lr * sign(beta1 * m + (1 - beta1) * g), then m = beta2 * m + (1 - beta2) * g",
        _rule("lion"),
    ),
    Entry(
        "lion-betas-swapped",
        "Lion's beta1 and beta2 swapped (beta2 in the sign, beta1 in m)",
        "bug",
        _lion_betas_swapped,
        "the momentum kept forgets at beta1's rate, and the step interpolates with beta2's",
        "sign(beta1 * m + (1 - beta1) * g) for the step, beta2 for the m that is kept",
        lambda s: s.rule == "lion" and s.option("beta1") != s.option("beta2"),
    ),
    Entry(
        "lion-coupled-decay",
        "Lion with coupled weight decay: g + weight_decay·W inside the sign",
        "bug",
        _lion_coupled,
        "inside the sign the decay only tips the sign of small gradients; Lion decays "
        "the weights themselves, W *= 1 - lr·weight_decay, outside the sign, as AdamW does",
        "W *= 1 - lr * weight_decay before the step, and the gradient left as it is",
        lambda s: s.rule == "lion" and bool(s.option("weight_decay")),
    ),
    Entry(
        "lion-decay-without-lr",
        "Lion's weight decay not scaled by lr: W *= 1 - weight_decay",
        "variant",
        _lion_decay_without_lr,
        "the form of lion_pytorch.Lion(decoupled_weight_decay=True); the decay then "
        "does not follow a schedule of lr",
        "trainlab's Lion(weight_decay=weight_decay / lr) takes your steps while lr is constant",
        lambda s: s.rule == "lion" and bool(s.option("weight_decay")),
    ),
    Entry(
        "adopt-adam-order",
        "ADOPT normalising after the momentum (Adam's order)",
        "bug",
        lambda s: s.faulty(faulty.ADOPTAdamOrder),
        "m averages the raw gradients and is divided afterwards, as in Adam; ADOPT "
        "divides each g by the v of the steps before and averages the quotients",
        "n = g / max(sqrt(v), eps), clipped; then m = m + (1 - beta1) * (n - m); W -= lr * m",
        _rule("adopt"),
    ),
    Entry(
        "adopt-current-v",
        "ADOPT with v updated before the division (g inside its own denominator, Adam's v)",
        "bug",
        lambda s: s.faulty(faulty.ADOPTCurrentV),
        "a large g enlarges the v that divides it and shrinks its own step, which is "
        "what ADOPT removes from Adam",
        "divide by the v of the steps before, and update v last",
        _rule("adopt"),
    ),
    Entry(
        "ademamix-no-warmup",
        "AdEMAMix without its warm-up: alpha and beta3 at full size from the first step",
        "bug",
        lambda s: s.make(t_alpha_beta3=None),
        "the slow momentum m2 is mixed in at full alpha before it holds anything but "
        "the first gradients, so the early steps are up to 1 + alpha times Adam's",
        "alpha_t = min(t * alpha / T, alpha) and beta3_t from the half-life mixed "
        "from beta1's to beta3's, with T = t_alpha_beta3",
        lambda s: s.rule == "ademamix" and s.option("t_alpha_beta3") is not None,
    ),
    Entry(
        "lamb-no-trust-ratio",
        "LAMB without its trust ratio (Adam's step, only m bias-corrected)",
        "bug",
        lambda s: s.make(trust_ratio=False),
        "every parameter steps by lr·r, whatever the size of its weights; LAMB scales "
        "each parameter's step by ||W|| / ||r||",
        "trust = min(||W||, clamp) / (||r|| + eps); W -= lr / (1 - beta1**t) * trust * r",
        lambda s: s.rule == "lamb" and bool(s.option("trust_ratio")),
    ),
    Entry(
        "schedule-free-at-z",
        "Schedule-Free SGD with the weights at z: plain SGD, the average x never used",
        "bug",
        lambda s: s.faulty(faulty.ScheduleFreeSGDAtZ),
        "the gradient is taken at z, the SGD iterate, where Schedule-Free takes it at "
        "y = (1 - momentum)·z + momentum·x, between z and its average",
        "keep z and x apart from the weights, and put y = (1 - momentum) * z + "
        "momentum * x into params after each step",
        lambda s: s.rule == "schedulefreesgd" and not s.option("warmup_steps"),
    ),
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
        "lamb-paper-form",
        "LAMB as the paper writes it: m and v both bias-corrected inside r",
        "variant",
        lambda s: s.faulty(faulty.LAMBPaperForm),
        "the trust ratio cancels a correction of r, so the paper's steps lack the "
        "1 / (1 - beta1^t) that the reference (pytorch_optimizer) applies outside it: "
        "10 times smaller at the first step with beta1 = 0.9, the same after a few dozen",
        "trainlab's LAMB is pytorch_optimizer.Lamb's form, W -= lr / (1 - beta1**t) * "
        "trust * r with r = m / (sqrt(v) + eps); no option gives the paper's",
        _rule("lamb"),
    ),
)
