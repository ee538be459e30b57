"""What a row of the catalogue reads: the rule being checked, its options, its words.

A :class:`Setting` is one rule with its trainlab options; it builds trainlab's
rule changed in one way (:meth:`Setting.make`, :meth:`Setting.textbook`,
:meth:`Setting.wrapped`, ...). An :class:`Entry` is one row of the catalogue:
a cause, the texts that explain it, and when it applies; for one setting it
becomes a :class:`Cause`, ready to build and run.

A rule joins the catalogue's generic rows with one line in each table below:
the names of its state (:data:`STATE_TEXT`) and what each state starts at when
a learner seeds it with the first gradient (:data:`SEEDS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

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
    "lion": "; every step is then lr·sign(g), plain signSGD",
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
    "lion": "m",
    "adopt": "m, v and the step count",
    "ademamix": "m1, v, m2 and the step count",
    "lamb": "m, v and the step count",
    "adamax": "m, u and the step count",
    "rprop": "prev and the step sizes",
    "prodigy": "m, v, s, the starting weights and d",
    "asgd": "the step size eta and the step count",
    "adafactor": "the row and column means (v for vectors) and the step count",
    "schedulefreesgd": "z, x and the sum of weights",
    "schedulefreeadamw": "z, x, v and the step count",
    "soap": "m, v, the factors L and R, their eigenbases and the step count",
    "amsgrad": "m, v, the largest v so far and iter",
    "swats": "m, v, the estimated SGD rate and the step count",
    "muon": "the momentum B of each matrix (m, v and the step count for the rest)",
}
#: rules that read lr only once, for their first step size: a learner's rule that
#: reads it once in __init__ is the same rule
LR_AT_START_ONLY = ("rprop",)
#: rules whose state re-initialised at every call is one of their own rows: ASGD's
#: eta then starts at lr again at every step (asgd-eta-constant)
RESET_NAMED_OTHERWISE = ("asgd",)
#: rules on which state shared between objects cannot show: ASGD's average ax never
#: enters the step, and Adafactor's first step (beta2_hat = 1) overwrites its moments
SHARED_STATE_UNSEEN = ("asgd", "adafactor")
#: what seeding the state does to the steps (the rules with a bias correction: the default)
SEED_EFFECT = {
    "adagrad": "the first gradient is counted twice in h, so the first step is 1/√2 of "
    "AdaGrad's, and that gradient weighs double ever after",
    "rmsprop": "the first steps are up to 1/sqrt(1 - decay_rate) times smaller than the "
    "rule's, whose h is still small (10 times with 0.99)",
    "adadelta": "the first steps are smaller than Adadelta's, whose h is still small",
    "lion": "the first gradient weighs in m as much as all the earlier ones would have, "
    "for about 1/(1 - beta2) steps",
    "momentum": "v holds steps (-lr·g summed with weights μ^k), not gradients: the first "
    "step adds μ·g (μ²·g in Nesterov's look-ahead), a gradient not scaled by lr, often "
    "far larger than lr·g",
    "rprop": "the first gradient is compared with itself: its signs agree, so the first "
    "step is already etaplus·lr where Rprop's is lr",
    "schedulefreeadamw": "the bias correction 1/(1 - beta2^t), which makes up for a v "
    "started at zeros, enlarges a v that is already full: the first steps are up to "
    "sqrt(1 - beta2) = 0.03 of their size with beta2 = 0.999",
}
#: what a step becomes without eps, where it is not the usual division by zero
NO_EPS_EFFECT = {
    "adadelta": "u starts at 0, so sqrt(u) = 0 scales every step: the weights never move",
}
_ADAM_SEEDS = {"m": w.GRADIENT, "v": w.SQUARE}
#: what each state starts at when it is seeded with the first gradient, not zeros.
#: Left out where a seed cannot show: ADOPT's v starts at g·g in the rule itself
#: (its m, which starts at zeros, is seeded), ASGD's average ax never enters the
#: step, Adafactor's first step (beta2_hat = 1) overwrites its moments, and SOAP's
#: first step only sets its basis up
SEEDS: dict[str, dict[str, str]] = {
    "momentum": {"v": w.GRADIENT},
    "nesterov": {"v": w.GRADIENT},
    "rprop": {"prev": w.GRADIENT},
    "schedulefreeadamw": {"v": w.SQUARE},
    "adagrad": {"h": w.SQUARE},
    "rmsprop": {"h": w.SQUARE},
    "adadelta": {"h": w.SQUARE},
    "adam": _ADAM_SEEDS,
    "adamw": _ADAM_SEEDS,
    "nadam": _ADAM_SEEDS,
    "radam": _ADAM_SEEDS,
    "lion": {"m": w.GRADIENT},
    "ademamix": {"m1": w.GRADIENT, "v": w.SQUARE, "m2": w.GRADIENT},
    "lamb": _ADAM_SEEDS,
    "adamax": {"m": w.GRADIENT},  # u is a maximum: |g| is where it starts anyway
    "amsgrad": _ADAM_SEEDS,
    "swats": _ADAM_SEEDS,
    "prodigy": _ADAM_SEEDS,
    "adopt": {"m": w.GRADIENT},
    "muon": {"B": w.GRADIENT, **_ADAM_SEEDS},  # B on the matrices, m and v on the rest
}


@dataclass
class Cause:
    id: str
    title: str
    kind: str  # 'bug', 'variant', 'convention'
    build: object  # build(lr=None) -> a rule object
    why: str = ""  # what it does to the numbers
    fix: str = ""  # what to change, or the trainlab option that equals it


#: ``build(lr=None)``: a fresh rule object, at ``lr`` when given
Builder = Callable[..., Any]


def _with_lr(hp, lr):
    return {**hp, "lr": lr} if lr is not None else dict(hp)


class Setting:
    """The rule being checked and its trainlab options: what a row of the table reads."""

    def __init__(self, rule: str, hp: dict) -> None:
        self.rule, self.hp = rule, hp
        #: the learner's rule is one the textbook forms can write, with their options
        self.plain = rule in TEXTBOOK_RULES and set(hp) <= set(OPTIONS)
        self.state = STATE_TEXT.get(rule)
        self.eps0 = hp.get("eps", trainlab_defaults(rule).get("eps"))

    def make(self, **changes) -> Builder:
        """trainlab's rule with ``changes`` to its options."""
        return lambda lr=None: create(self.rule, **_with_lr({**self.hp, **changes}, lr))

    def textbook(self, *faults: str) -> Builder:
        """The textbook form of the rule with ``faults`` written into it."""
        return lambda lr=None: Textbook(self.rule, faults, **_with_lr(self.hp, lr))

    def wrapped(self, wrapper: Callable[..., Any], *args: Any) -> Builder:
        """trainlab's rule inside one of :mod:`.wrappers`' faulty callers."""
        return lambda lr=None: wrapper(self.make()(lr), *args)

    def option(self, name: str) -> Any:
        """The value of option ``name``: the learner's, else trainlab's default."""
        return self.hp.get(name, trainlab_defaults(self.rule).get(name))

    def faulty(self, cls: Callable[..., Any], **changes: Any) -> Builder:
        """``cls`` (a faulty subclass of the rule, :mod:`.faulty`) with these options."""
        return lambda lr=None: cls(**_with_lr({**self.hp, **changes}, lr))

    def seeded(self) -> Builder:
        """trainlab's rule with its state seeded by the first gradient (:data:`SEEDS`);
        a schedule-free rule as a learner writes it, with weights of its own."""
        seeded = self.wrapped(w.Seeded, SEEDS[self.rule])
        if not self.rule.startswith("schedulefree"):
            return seeded
        return lambda lr=None: w.OwnWeights(seeded(lr))

    def without_eps(self) -> Builder:
        """trainlab's rule with eps = 0, which its options refuse."""
        return lambda lr=None: w.without_eps(self.make()(lr))

    def made_afresh_each_call(self) -> Builder:
        """trainlab's rule, built anew for every update: it forgets its state."""
        return lambda lr=None: w.Fresh(lambda: self.make()(lr))

    def shared_textbook(self) -> Builder:
        """Textbook rules that all keep their state in one dict."""
        shared: dict = {}
        return lambda lr=None: Textbook(self.rule, (), state=shared, **_with_lr(self.hp, lr))

    def torch_momentum(self) -> Builder:
        """PyTorch's SGD with momentum (Nesterov's for ``nesterov``) at the same lr."""
        hp = {
            "lr": self.hp["lr"],
            "momentum": self.hp.get("momentum", 0.9),
            "nesterov": self.rule == "nesterov",
        }
        return lambda lr=None: create("sgd", **_with_lr(hp, lr))

    @cached_property
    def words(self) -> dict[str, Any]:
        """What the texts of a row may name: ``{rule}``, ``{state}``, ``{h}``, ..."""
        adam, nag = self.rule == "adam", self.rule == "nesterov"
        h = "h" if self.rule in ("adagrad", "rmsprop", "adadelta") else "v"
        return {
            "rule": self.rule,
            "state": self.state,
            "h": h,
            "no_eps_effect": NO_EPS_EFFECT.get(
                self.rule,
                f"where {h} is 0 (a weight whose gradient has always been 0, like one fed by "
                "a pixel blank in every image) the step is 0/0 = NaN; and a tiny gradient, "
                "which eps would damp, takes a step as large as a big one's",
            ),
            "seed_effect": SEED_EFFECT.get(
                "momentum" if self.rule == "nesterov" else self.rule,
                "the bias correction, which divides by 1 - beta^t to make up for a start at "
                "zeros, corrects a bias that is not there (Adam's first step is then "
                "sqrt(1 - beta2)/(1 - beta1) = 0.32 of its size with the default betas)",
            ),
            "seeds": ", ".join(f"{n} = {v}" for n, v in SEEDS.get(self.rule, {}).items()),
            "eps0": self.eps0,
            "reset_effect": RESET_EFFECT.get(self.rule, ""),
            "where": (
                "Adam's eps_placement is 'notes' (outside the root, before the bias "
                "correction), 'torch' (outside, after it) or 'inside' (inside, after it)"
                if adam
                else f"trainlab's {self.rule}, like the notes and PyTorch, adds eps outside "
                "the root"
            ),
            "torch": "SGD(momentum=μ, nesterov=True)" if nag else "SGD(momentum=μ)",
            "form": "b = μb + g; W -= lr·(g + μb)" if nag else "v = μv + g; W -= lr·v",
        }


@dataclass(frozen=True)
class Entry:
    """One row of the catalogue; its texts name the setting's words as ``{h}``, ``{state}``..."""

    id: str
    title: str
    kind: str  # 'bug', 'variant', 'convention'
    build: Callable[[Setting], Builder]
    why: str
    fix: str
    when: Callable[[Setting], bool] = lambda s: True

    def cause(self, s: Setting) -> Cause:
        title, why, fix = (text.format_map(s.words) for text in (self.title, self.why, self.fix))
        return Cause(self.id, title, self.kind, self.build(s), why, fix)
