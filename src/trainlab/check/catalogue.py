"""The catalogue of likely causes: each one a rule trainlab can build and run.

:data:`CATALOGUE` is the table, most likely cause first; :func:`causes` picks
the rows that apply to one rule and its options. The rows of the rules after
the notes are in :mod:`.after_notes` and :mod:`.torch_rules`; what a row
reads is in :mod:`.setting`.

A :class:`Cause` builds a faulty (or merely different) version of trainlab's
rule; :mod:`.diagnose` runs it on the learner's scenarios and names it only
when it reproduces the learner's numbers. Kinds:

* ``bug``: the rule is wrong;
* ``variant``: a known, legitimate way of writing the rule that gives other
  numbers (eps inside the root, another eps) - reported, not failed;
* ``convention``: equal to trainlab's rule while the lr is constant, different
  once it changes (Momentum as ``v = μv + g; W -= lr·v``) - a pass with a note.
"""

from __future__ import annotations

from trainlab.check import wrappers as w
from trainlab.check.after_notes import AFTER_NOTES
from trainlab.check.setting import (
    LR_AT_START_ONLY,
    RESET_NAMED_OTHERWISE,
    SEEDS,
    SHARED_STATE_UNSEEN,
    Cause,
    Entry,
    Setting,
)
from trainlab.check.torch_rules import TORCH_RULES


def _adam_textbook(s: Setting) -> bool:
    return s.rule == "adam" and s.plain


def _rooted_textbook(s: Setting) -> bool:
    """AdaGrad, RMSprop or Adam in their textbook form: a rule with a square root."""
    return s.plain and s.rule in ("adagrad", "rmsprop", "adam")


def _adam_reset(names: tuple[str, ...], what: str) -> Entry:
    return Entry(
        "reset:" + ",".join(names),
        f"{what} re-initialised on every call",
        "bug",
        lambda s: s.textbook(*(f"reset:{n}" for n in names)),
        f"{what} start afresh at every update instead of carrying over",
        "set them up once and keep them on self",
        _adam_textbook,
    )


def _swapped_beta(b: str) -> Entry:
    m = "m" if b == "beta1" else "v"
    return Entry(
        f"swap-{b}",
        f"{b} and 1 - {b} swapped in {m}",
        "bug",
        lambda s: s.textbook(f"swap_{b}"),
        f"{m} forgets its past at the rate it should keep it",
        f"{m} = {b} * {m} + (1 - {b}) * ...",
        lambda s: _rooted_textbook(s) and s.rule == "adam",
    )


def _other_eps(eps: float) -> Entry:
    return Entry(
        f"eps={eps:g}",
        f"a different eps ({eps:g} where trainlab has {{eps0:g}})",
        "variant",
        lambda s: s.make(eps=eps),
        "a choice, not a mistake; it matters only where the root is tiny",
        f"trainlab's rule with eps={eps:g} is yours",
        lambda s: s.eps0 is not None and eps != s.eps0,
    )


#: every cause trainlab knows, most likely first
CATALOGUE: tuple[Entry, ...] = (
    Entry(
        "reset",
        "the state ({state}) is re-initialised on every call",
        "bug",
        Setting.made_afresh_each_call,
        "each update starts from empty {state}, so the rule forgets every earlier "
        "gradient{reset_effect}",
        "create the state once, on the first call only (`if self.h is None:` in the "
        "book), and keep it on self between calls",
        lambda s: bool(s.state) and s.rule not in RESET_NAMED_OTHERWISE,
    ),
    _adam_reset(("m", "v"), "m and v (iter kept)"),
    Entry(
        "seeded",
        "the state starts at the first gradient instead of zeros ({seeds})",
        "bug",
        Setting.seeded,
        "{seeds} before the first step, where the rule starts from zeros: {seed_effect}",
        "start every state at zeros: np.zeros_like(params[key])",
        lambda s: s.rule in SEEDS,
    ),
    _adam_reset(("t",), "iter"),
    _adam_reset(("m",), "m"),
    _adam_reset(("v",), "v"),
    Entry(
        "t+1",
        "the step counter is one ahead (iter starts at 1, or is counted twice)",
        "bug",
        lambda s: s.textbook("t+1"),
        "the bias correction uses t + 1 in place of t",
        "start iter at 0 and add 1 once per update, before lr_t is computed",
        _adam_textbook,
    ),
    Entry(
        "t-1",
        "the step counter is used before it is incremented",
        "bug",
        lambda s: s.textbook("t-1"),
        "at the first step 1 - beta**0 = 0: lr_t is 0/0",
        "add 1 to iter before computing lr_t",
        _adam_textbook,
    ),
    Entry(
        "no-bias-correction",
        "Adam without its bias correction",
        "bug",
        lambda s: s.make(bias_correction=False),
        "lr_t is lr at every step: the first steps are (1-beta1)/sqrt(1-beta2) = "
        "3.16 times too large with the default betas",
        "lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t); trainlab shows the "
        "uncorrected rule as Adam(bias_correction=False)",
        _adam_textbook,
    ),
    *AFTER_NOTES,
    *TORCH_RULES,
    Entry(
        "nesterov2016",
        "Nesterov in the book's order before its 2021 fix (v updated first, then used)",
        "bug",
        lambda s: s.textbook("nesterov2016"),
        "the step uses the new v where Nesterov's method uses the old one",
        "move the two lines that update v after the two that update params",
        lambda s: s.rule == "nesterov" and s.plain,
    ),
    Entry(
        "no-decay",
        "the weight decay is missing: the weights are never shrunk",
        "bug",
        lambda s: s.make(weight_decay=0.0),
        "trainlab's {rule} shrinks the weights by weight_decay at every step (its "
        "default where your constructor has no weight_decay); yours takes the step alone",
        "W *= 1 - lr * weight_decay at every step, or a constructor argument "
        "weight_decay=0 to check the rule without decay",
        lambda s: bool(s.option("weight_decay")),
    ),
    Entry(
        "sign",
        "a sign error: the rule climbs the gradient",
        "bug",
        lambda s: s.wrapped(w.Negated),
        "every step goes uphill",
        "subtract the step from params (params[key] -= ...)",
    ),
    Entry(
        "lr-missing",
        "the learning rate is missing from the step",
        "bug",
        lambda s: s.wrapped(w.LrAs, lambda _: 1.0),
        "the step is as if lr were 1",
        "multiply the step by self.lr",
        lambda s: s.hp["lr"] != 1.0,
    ),
    Entry(
        "lr-squared",
        "the learning rate is applied twice (lr·lr)",
        "bug",
        lambda s: s.wrapped(w.LrAs, lambda x: x * x),
        "the step is as if lr were lr²",
        "multiply by self.lr once",
    ),
    Entry(
        "lr-doubled",
        "the step is twice as large (2·lr)",
        "bug",
        lambda s: s.wrapped(w.LrAs, lambda x: 2 * x),
        "the step is as if lr were 2·lr",
        "drop the factor 2",
    ),
    Entry(
        "square",
        "the square of {h} in place of its square root",
        "bug",
        lambda s: s.textbook("square"),
        "the step divides by {h}**2 + eps",
        "np.sqrt(self.{h}[key])",
        _rooted_textbook,
    ),
    Entry(
        "no-root",
        "{h} without its square root",
        "bug",
        lambda s: s.textbook("no_root"),
        "the step divides by {h} + eps",
        "np.sqrt(self.{h}[key])",
        _rooted_textbook,
    ),
    Entry(
        "g-not-squared",
        "{h} accumulates g instead of g·g",
        "bug",
        lambda s: s.textbook("g_not_squared"),
        "{h} may turn negative and its root NaN",
        "grads[key] * grads[key]",
        _rooted_textbook,
    ),
    Entry(
        "swap-decay",
        "decay_rate and 1 - decay_rate swapped",
        "bug",
        lambda s: s.textbook("swap_decay"),
        "h forgets its past at the rate it should keep it",
        "h = decay_rate * h + (1 - decay_rate) * g * g",
        lambda s: _rooted_textbook(s) and s.rule == "rmsprop",
    ),
    _swapped_beta("beta1"),
    _swapped_beta("beta2"),
    Entry(
        "eps-inside",
        "eps inside the square root: sqrt({h} + eps), the lecture's form",
        "variant",
        lambda s: s.textbook("eps_inside"),
        "a known way of writing the rule; it differs from the notes' sqrt({h}) + eps "
        "only where {h} is near eps, i.e. for tiny gradients",
        "no trainlab option puts eps inside the root: {where}",
        _rooted_textbook,
    ),
    Entry(
        "lecture-warm-start",
        "eps inside the root after the bias correction: "
        "m̂ / sqrt(v̂ + eps), the lecture's Adam with its warm start",
        "variant",
        lambda s: s.make(eps_placement="inside"),
        "the paper's bias-corrected form with eps under the root; it differs from "
        "the notes' only where v is near eps, i.e. for tiny gradients",
        "trainlab's Adam(eps_placement='inside') is this form",
        _adam_textbook,
    ),
    Entry(
        "lecture-adam",
        "no bias correction, and eps inside the root: the lecture's Adam before its warm start",
        "bug",
        lambda s: s.textbook("no_bias_correction", "eps_inside"),
        "the first steps are (1-beta1)/sqrt(1-beta2) = 3.16 times too large with the "
        "default betas; eps under the root matters only for tiny gradients",
        "divide m by (1 - beta1**t) and v by (1 - beta2**t), the lecture's warm start",
        _adam_textbook,
    ),
    Entry(
        "lecture-adagrad",
        "h holds only this step's g·g (the lecture's cache = dw ** 2), with eps inside the root",
        "bug",
        lambda s: s.textbook("reset:h", "eps_inside"),
        "nothing accumulates: every step is lr·g/sqrt(g·g + eps), about lr·sign(g)",
        "add to h at every step: h += g * g",
        lambda s: s.rule == "adagrad" and s.plain,
    ),
    Entry(
        "eps-torch",
        "eps added after the bias correction (the paper's and PyTorch's form)",
        "variant",
        lambda s: s.make(eps_placement="torch"),
        "m̂ / (sqrt(v̂) + eps) with m̂ = m/(1-beta1^t), v̂ = v/(1-beta2^t): the "
        "notes' form differs only in where eps goes",
        "trainlab's Adam(eps_placement='torch') is this form",
        lambda s: s.rule == "adam",
    ),
    Entry(
        "no-eps",
        "eps missing: the step divides by sqrt({h}) alone",
        "bug",
        Setting.without_eps,
        "{no_eps_effect}",
        "add eps where the rule has it, np.sqrt({h}) + eps in most (trainlab's options "
        "refuse eps = 0 for this reason)",
        lambda s: s.eps0 is not None,
    ),
    *(_other_eps(eps) for eps in (1e-8, 1e-10, 1e-6, 1e-5, 1e-12)),
    Entry(
        "replaces",
        "new arrays put into params instead of updating them in place",
        "bug",
        lambda s: s.wrapped(w.Replacing),
        "params[key] = params[key] - ... makes a new array; the network's layers still "
        "hold the old one and never see the update",
        "update in place: params[key] -= ...",
    ),
    Entry(
        "writes-grads",
        "the update writes into grads",
        "bug",
        lambda s: s.wrapped(w.WritingGrads),
        "grads belongs to the caller (it may log, clip or reuse it)",
        "compute into a new array: step = self.lr * grads[key]",
    ),
    Entry(
        "paired-by-position",
        "params and grads paired by position (zip(params.values(), grads.values()))",
        "bug",
        lambda s: s.wrapped(w.PairedByPosition),
        "dicts need not list their keys in the same order",
        "look grads up by key",
    ),
    Entry(
        "no-change",
        "params never change: the step goes to a copy or a local name",
        "bug",
        lambda s: s.wrapped(w.Idle),
        "p = params[key]; p = p - lr * g makes a new array and binds the local name p "
        "to it; params[key] keeps the old one",
        "params[key] -= ... (or p -= ...)",
    ),
    Entry(
        "shared-state",
        "the state ({state}) is shared by every object of the class",
        "bug",
        lambda s: s.shared_textbook() if s.plain else w.shared_state(s.make),
        "a class attribute (h = {{}} in the class body) or a default argument "
        "(h={{}}) is one dict for every optimizer: a second optimizer starts with the "
        "first one's state",
        "create the state in __init__ (self.h = None) or on the first call",
        lambda s: bool(s.state) and s.rule not in SHARED_STATE_UNSEEN,
    ),
    Entry(
        "state-by-position",
        "the state is kept by position instead of by key",
        "bug",
        lambda s: s.wrapped(w.StateByPosition),
        "when the dict's order or keys change, one parameter gets another's state",
        "keep the state in a dict keyed like params",
        lambda s: bool(s.state),
    ),
    Entry(
        "lr-read-once",
        "the lr is read once, in __init__",
        "convention",
        lambda s: s.wrapped(w.LrReadOnce),
        "changing opt.lr between steps (what a schedule does) has no effect",
        "every rule reads self.lr at each step, so that a schedule can change it; "
        "read it inside update to do the same",
        lambda s: s.rule not in LR_AT_START_ONLY,
    ),
    Entry(
        "torch-convention",
        "{rule} in the other convention: {form} (PyTorch's)",
        "convention",
        Setting.torch_momentum,
        "equal to the notes' form (v = μv - lr·g, which carries lr inside v) while lr "
        "is constant; when lr changes mid-run, the notes' v still holds steps taken "
        "with the old lr, while yours rescales the whole step at once",
        "trainlab's {torch} is your form",
        lambda s: s.rule in ("momentum", "nesterov"),
    ),
)


def causes(rule: str, hp: dict) -> list[Cause]:
    """Every cause that applies to ``rule`` with trainlab options ``hp``, most likely first."""
    setting = Setting(rule, hp)
    return [entry.cause(setting) for entry in CATALOGUE if entry.when(setting)]
