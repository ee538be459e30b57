"""The catalogue's rows for the rules after the notes: each rule's typical mistakes.

A new rule joins with its rows here or in :mod:`.torch_rules` (and a line in
:data:`.setting.STATE_TEXT` and :data:`.setting.SEEDS` for the mistakes every
rule can make); a mistake that no option or wrapper builds is a faulty
subclass in :mod:`.faulty`.
"""

from __future__ import annotations

from trainlab.check import faulty
from trainlab.check import wrappers as w
from trainlab.check.setting import Entry, Setting
from trainlab.validate import MAX_COUNT


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
        "schedule-free-adamw-at-z",
        "Schedule-Free AdamW with the gradient taken at z: Adam's step without momentum, "
        "the average x never used",
        "bug",
        lambda s: s.faulty(faulty.ScheduleFreeAdamWAtZ),
        "the weights hold z, the iterate that takes the normalised steps, so the gradient "
        "is taken there; Schedule-Free takes it at y = (1 - beta1)·z + beta1·x, and that "
        "interpolation with the average is its only momentum",
        "keep z and x apart from the weights, and put y = (1 - beta1) * z + beta1 * x "
        "into params after each step",
        lambda s: s.rule == "schedulefreeadamw" and not s.option("warmup_steps"),
    ),
    Entry(
        "schedule-free-uniform-average",
        "Schedule-Free's average x without the warm-up weighting: c = 1/t",
        "bug",
        lambda s: lambda lr=None: w.OwnWeights(s.make(weight_lr_power=0.0)(lr)),
        "every iterate z weighs the same in x, the tiny steps of the warm-up as much as "
        "the full ones; Schedule-Free weighs step t by lr_max(t)^weight_lr_power, so "
        "that the warm-up's points hardly count",
        "c = lr_max**2 / (sum of lr_max(i)**2 over the steps so far), lr_max the largest lr_t yet",
        lambda s: (
            s.rule.startswith("schedulefree")
            and bool(s.option("warmup_steps"))
            and bool(s.option("weight_lr_power"))
        ),
    ),
    Entry(
        "prodigy-w0-follows",
        "Prodigy's starting point W0 follows the weights (kept without a copy)",
        "bug",
        lambda s: s.faulty(faulty.ProdigyStartNotCopied),
        "self.W0 = params[key] keeps the very array that the step updates in place, so "
        "<g, W0 - W> is 0: r and d never grow, and Prodigy is Adam at lr·d0",
        "self.W0 = {{key: val.copy() for key, val in params.items()}} on the first call",
        _rule("prodigy"),
    ),
    Entry(
        "prodigy-d-latest",
        "Prodigy's d is the latest estimate d_coef·r/|s|_1, not the largest so far",
        "bug",
        lambda s: s.faulty(faulty.ProdigyLatestEstimate),
        "r decays with beta3 and s grows, so the estimate falls back as well as rises; "
        "Prodigy keeps d = max(d, estimate), a lower bound on the distance that only grows",
        "d = max(d, d_coef * r / |s|_1)",
        lambda s: s.rule == "prodigy" and s.option("growth_rate") == float("inf"),
    ),
    Entry(
        "soap-not-projected-back",
        "SOAP's step left in the eigenbasis (not rotated back by Q_L ... Q_R^T)",
        "bug",
        lambda s: s.faulty(faulty.SOAPNotProjectedBack),
        "Adam's step is taken on Q_L^T m Q_R, the momentum in the eigenbasis, and must "
        "be turned back into the weights' own basis; left there, each weight moves by "
        "another weight's step",
        "U = Q_L @ ((Q_L.T @ m @ Q_R) / (sqrt(v) + eps)) @ Q_R.T",
        _rule("soap"),
    ),
    Entry(
        "soap-v-unrotated",
        "SOAP with Adam's v of the gradient itself, not of the rotated gradient",
        "bug",
        lambda s: s.faulty(faulty.SOAPUnrotatedV),
        "v is divided into the rotated momentum Q_L^T m Q_R, so it must average the "
        "squares of the rotated gradient G' = Q_L^T G Q_R; g·g belongs to another basis",
        "v = beta2 * v + (1 - beta2) * G' * G', with G' = Q_L.T @ G @ Q_R",
        _rule("soap"),
    ),
    Entry(
        "soap-never-refreshed",
        "SOAP's eigenbasis never refreshed (Q kept from the first step)",
        "bug",
        lambda s: s.make(precondition_frequency=MAX_COUNT),
        "L and R keep taking in gradients, but Q stays the eigenbasis of the first one; "
        "SOAP turns Q towards the new eigenvectors, Q = qr(L Q), every "
        "precondition_frequency steps",
        "every precondition_frequency steps (k = t - 1), Q = qr(L @ Q), its columns "
        "sorted by the estimated eigenvalues, and v's axes with them",
        _rule("soap"),
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
    Entry(
        "lamb-no-eps",
        "LAMB without eps in Adam's direction: r = m / sqrt(v)",
        "bug",
        lambda s: s.faulty(faulty.LAMBWithoutEps),
        "{no_eps_effect}",
        "r = m / (np.sqrt(v) + eps), the same eps as in the trust ratio (trainlab's "
        "options refuse eps = 0 for this reason)",
        _rule("lamb"),
    ),
)
