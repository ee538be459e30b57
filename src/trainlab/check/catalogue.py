"""The catalogue of likely causes: each one a rule trainlab can build and run.

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

from dataclasses import dataclass

from trainlab.check import wrappers as w
from trainlab.check.recognise import trainlab_defaults
from trainlab.check.textbook import OPTIONS, Textbook
from trainlab.check.textbook import RULES as TEXTBOOK_RULES
from trainlab.optim import create

#: what a step becomes when the state is re-initialised at every call
RESET_EFFECT = {
    "adagrad": "; every step is then lr·g/(|g| + eps), about lr·sign(g)",
    "rmsprop": "; every step is then about lr·sign(g)/sqrt(1 - decay_rate)",
    "momentum": "; every step is then plain SGD's, -lr·g",
    "adam": "; every step is then about lr·sign(g)",
}
STATE_TEXT = {
    "momentum": "v",
    "nesterov": "v",
    "adagrad": "h",
    "rmsprop": "h",
    "adam": "m, v and iter",
    "adadelta": "h and u",
    "adamw": "m, v and the step count",
    "nadam": "m, v and the step count",
    "radam": "m, v and the step count",
}


@dataclass
class Cause:
    id: str
    title: str
    kind: str  # 'bug', 'variant', 'convention'
    build: object  # build(lr=None) -> a rule object
    why: str = ""  # what it does to the numbers
    fix: str = ""  # what to change, or the trainlab option that equals it


def _with_lr(hp, lr):
    return {**hp, "lr": lr} if lr is not None else dict(hp)


def _shared_textbook(rule, hp):
    """Textbook rules that all keep their state in one dict."""
    shared: dict = {}
    return lambda lr=None: Textbook(rule, (), state=shared, **_with_lr(hp, lr))


def causes(rule: str, hp: dict) -> list[Cause]:
    """Every cause that applies to ``rule`` with trainlab options ``hp``, most likely first."""

    def make(**changes):
        return lambda lr=None: create(rule, **_with_lr({**hp, **changes}, lr))

    def textbook(*faults):
        return lambda lr=None: Textbook(rule, faults, **_with_lr(hp, lr))

    lr = hp["lr"]
    out: list[Cause] = []
    add = out.append
    plain = rule in TEXTBOOK_RULES and set(hp) <= set(OPTIONS)
    state = STATE_TEXT.get(rule)
    if state:
        add(
            Cause(
                "reset",
                f"the state ({state}) is re-initialised on every call",
                "bug",
                lambda lr=None: w.Fresh(lambda: make()(lr)),
                f"each update starts from empty {state}, so the rule forgets every earlier "
                "gradient" + RESET_EFFECT.get(rule, ""),
                "create the state once, on the first call only (`if self.h is None:` in the "
                "book), and keep it on self between calls",
            )
        )
    if rule == "adam" and plain:
        for names, what in (
            (("m", "v"), "m and v (iter kept)"),
            (("t",), "iter"),
            (("m",), "m"),
            (("v",), "v"),
        ):
            add(
                Cause(
                    "reset:" + ",".join(names),
                    f"{what} re-initialised on every call",
                    "bug",
                    textbook(*(f"reset:{n}" for n in names)),
                    f"{what} start afresh at every update instead of carrying over",
                    "set them up once and keep them on self",
                )
            )
        add(
            Cause(
                "t+1",
                "the step counter is one ahead (iter starts at 1, or is counted twice)",
                "bug",
                textbook("t+1"),
                "the bias correction uses t + 1 in place of t",
                "start iter at 0 and add 1 once per update, before lr_t is computed",
            )
        )
        add(
            Cause(
                "t-1",
                "the step counter is used before it is incremented",
                "bug",
                textbook("t-1"),
                "at the first step 1 - beta**0 = 0: lr_t is 0/0",
                "add 1 to iter before computing lr_t",
            )
        )
        add(
            Cause(
                "no-bias-correction",
                "Adam without its bias correction",
                "bug",
                make(bias_correction=False),
                "lr_t is lr at every step: the first steps are (1-beta1)/sqrt(1-beta2) = "
                "3.16 times too large with the default betas",
                "lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t); trainlab shows the "
                "uncorrected rule as Adam(bias_correction=False)",
            )
        )
    if rule == "nesterov" and plain:
        add(
            Cause(
                "nesterov2016",
                "Nesterov in the book's order before its 2021 fix (v updated first, then used)",
                "bug",
                textbook("nesterov2016"),
                "the step uses the new v where Nesterov's method uses the old one",
                "move the two lines that update v after the two that update params",
            )
        )
    add(
        Cause(
            "sign",
            "a sign error: the rule climbs the gradient",
            "bug",
            lambda lr=None: w.Negated(make()(lr)),
            "every step goes uphill",
            "subtract the step from params (params[key] -= ...)",
        )
    )

    def lr_as(f):
        return lambda lr=None: w.LrAs(make()(lr), f)

    if lr != 1.0:
        add(
            Cause(
                "lr-missing",
                "the learning rate is missing from the step",
                "bug",
                lr_as(lambda _: 1.0),
                "the step is as if lr were 1",
                "multiply the step by self.lr",
            )
        )
    add(
        Cause(
            "lr-squared",
            "the learning rate is applied twice (lr·lr)",
            "bug",
            lr_as(lambda x: x * x),
            "the step is as if lr were lr²",
            "multiply by self.lr once",
        )
    )
    add(
        Cause(
            "lr-doubled",
            "the step is twice as large (2·lr)",
            "bug",
            lr_as(lambda x: 2 * x),
            "the step is as if lr were 2·lr",
            "drop the factor 2",
        )
    )
    if plain and rule in ("adagrad", "rmsprop", "adam"):
        h = "v" if rule == "adam" else "h"
        add(
            Cause(
                "square",
                f"the square of {h} in place of its square root",
                "bug",
                textbook("square"),
                f"the step divides by {h}**2 + eps",
                f"np.sqrt(self.{h}[key])",
            )
        )
        add(
            Cause(
                "no-root",
                f"{h} without its square root",
                "bug",
                textbook("no_root"),
                f"the step divides by {h} + eps",
                f"np.sqrt(self.{h}[key])",
            )
        )
        add(
            Cause(
                "g-not-squared",
                f"{h} accumulates g instead of g·g",
                "bug",
                textbook("g_not_squared"),
                f"{h} may turn negative and its root NaN",
                "grads[key] * grads[key]",
            )
        )
        if rule == "rmsprop":
            add(
                Cause(
                    "swap-decay",
                    "decay_rate and 1 - decay_rate swapped",
                    "bug",
                    textbook("swap_decay"),
                    "h forgets its past at the rate it should keep it",
                    "h = decay_rate * h + (1 - decay_rate) * g * g",
                )
            )
        if rule == "adam":
            for b in ("beta1", "beta2"):
                m = "m" if b == "beta1" else "v"
                add(
                    Cause(
                        f"swap-{b}",
                        f"{b} and 1 - {b} swapped in {m}",
                        "bug",
                        textbook(f"swap_{b}"),
                        f"{m} forgets its past at the rate it should keep it",
                        f"{m} = {b} * {m} + (1 - {b}) * ...",
                    )
                )
        where = (
            "Adam's eps_placement is 'notes' (outside the root, before the bias "
            "correction), 'torch' (outside, after it) or 'inside' (inside, after it)"
            if rule == "adam"
            else f"trainlab's {rule}, like the notes and PyTorch, adds eps outside the root"
        )
        add(
            Cause(
                "eps-inside",
                f"eps inside the square root: sqrt({h} + eps), the lecture's form",
                "variant",
                textbook("eps_inside"),
                f"a known way of writing the rule; it differs from the notes' sqrt({h}) + eps "
                f"only where {h} is near eps, i.e. for tiny gradients",
                f"no trainlab option puts eps inside the root: {where}",
            )
        )
    if rule == "adam" and plain:
        add(
            Cause(
                "lecture-warm-start",
                "eps inside the root after the bias correction: "
                "m̂ / sqrt(v̂ + eps), the lecture's Adam with its warm start",
                "variant",
                make(eps_placement="inside"),
                "the paper's bias-corrected form with eps under the root; it differs from "
                "the notes' only where v is near eps, i.e. for tiny gradients",
                "trainlab's Adam(eps_placement='inside') is this form",
            )
        )
        add(
            Cause(
                "lecture-adam",
                "no bias correction, and eps inside the root: the lecture's "
                "Adam before its warm start",
                "bug",
                textbook("no_bias_correction", "eps_inside"),
                "the first steps are (1-beta1)/sqrt(1-beta2) = 3.16 times too large with the "
                "default betas; eps under the root matters only for tiny gradients",
                "divide m by (1 - beta1**t) and v by (1 - beta2**t), the lecture's warm start",
            )
        )
    if rule == "adagrad" and plain:
        add(
            Cause(
                "lecture-adagrad",
                "h holds only this step's g·g (the lecture's "
                "cache = dw ** 2), with eps inside the root",
                "bug",
                textbook("reset:h", "eps_inside"),
                "nothing accumulates: every step is lr·g/sqrt(g·g + eps), about lr·sign(g)",
                "add to h at every step: h += g * g",
            )
        )
    if rule == "adam":
        add(
            Cause(
                "eps-torch",
                "eps added after the bias correction (the paper's and PyTorch's form)",
                "variant",
                make(eps_placement="torch"),
                "m̂ / (sqrt(v̂) + eps) with m̂ = m/(1-beta1^t), v̂ = v/(1-beta2^t): the "
                "notes' form differs only in where eps goes",
                "trainlab's Adam(eps_placement='torch') is this form",
            )
        )
    eps0 = hp.get("eps", trainlab_defaults(rule).get("eps"))
    if eps0 is not None:
        for eps in (1e-8, 1e-10, 1e-6, 1e-5, 1e-12):
            if eps != eps0:
                add(
                    Cause(
                        f"eps={eps:g}",
                        f"a different eps ({eps:g} where trainlab has {eps0:g})",
                        "variant",
                        make(eps=eps),
                        "a choice, not a mistake; it matters only where the root is tiny",
                        f"trainlab's rule with eps={eps:g} is yours",
                    )
                )
    add(
        Cause(
            "replaces",
            "new arrays put into params instead of updating them in place",
            "bug",
            lambda lr=None: w.Replacing(make()(lr)),
            "params[key] = params[key] - ... makes a new array; the network's layers still "
            "hold the old one and never see the update",
            "update in place: params[key] -= ...",
        )
    )
    add(
        Cause(
            "writes-grads",
            "the update writes into grads",
            "bug",
            lambda lr=None: w.WritingGrads(make()(lr)),
            "grads belongs to the caller (it may log, clip or reuse it)",
            "compute into a new array: step = self.lr * grads[key]",
        )
    )
    add(
        Cause(
            "paired-by-position",
            "params and grads paired by position (zip(params.values(), grads.values()))",
            "bug",
            lambda lr=None: w.PairedByPosition(make()(lr)),
            "dicts need not list their keys in the same order",
            "look grads up by key",
        )
    )
    add(
        Cause(
            "no-change",
            "params never change: the step goes to a copy or a local name",
            "bug",
            lambda lr=None: w.Idle(make()(lr)),
            "p = params[key]; p = p - lr * g makes a new array and binds the local name p "
            "to it; params[key] keeps the old one",
            "params[key] -= ... (or p -= ...)",
        )
    )
    if state:
        add(
            Cause(
                "shared-state",
                f"the state ({state}) is shared by every object of the class",
                "bug",
                _shared_textbook(rule, hp) if plain else w.shared_state(make),
                "a class attribute (h = {} in the class body) or a default argument "
                "(h={}) is one dict for every optimizer: a second optimizer starts with the "
                "first one's state",
                "create the state in __init__ (self.h = None) or on the first call",
            )
        )
        add(
            Cause(
                "state-by-position",
                "the state is kept by position instead of by key",
                "bug",
                lambda lr=None: w.StateByPosition(make()(lr)),
                "when the dict's order or keys change, one parameter gets another's state",
                "keep the state in a dict keyed like params",
            )
        )
    add(
        Cause(
            "lr-read-once",
            "the lr is read once, in __init__",
            "convention",
            lambda lr=None: w.LrReadOnce(make()(lr)),
            "changing opt.lr between steps (what a schedule does) has no effect",
            "every rule reads self.lr at each step, so that a schedule can change it; "
            "read it inside update to do the same",
        )
    )
    if rule in ("momentum", "nesterov"):
        nag = rule == "nesterov"
        torch = "SGD(momentum=μ, nesterov=True)" if nag else "SGD(momentum=μ)"
        form = "b = μb + g; W -= lr·(g + μb)" if nag else "v = μv + g; W -= lr·v"
        add(
            Cause(
                "torch-convention",
                f"{rule} in the other convention: {form} (PyTorch's)",
                "convention",
                lambda lr=None: create(
                    "sgd",
                    **_with_lr(
                        {
                            "lr": hp["lr"],
                            "momentum": hp.get("momentum", 0.9),
                            "nesterov": rule == "nesterov",
                        },
                        lr,
                    ),
                ),
                "equal to the notes' form (v = μv - lr·g, which carries lr inside v) while lr "
                "is constant; when lr changes mid-run, the notes' v still holds steps taken "
                "with the old lr, while yours rescales the whole step at once",
                f"trainlab's {torch} is your form",
            )
        )
    return out
