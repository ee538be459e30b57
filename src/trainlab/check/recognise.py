"""Which rule a learner's class is, and with which hyperparameters.

The rule comes from ``--rule``, else from the class name (``AdaGrad``,
``MyRMSProp``, ...). The hyperparameters come from the constructor's signature,
under the book's names (``lr``, ``momentum``, ``decay_rate``, ``beta1``,
``beta2``, ``rho``, ``eps``) or common others (``learning_rate``, ``alpha``,
``epsilon``, ...), and are mapped onto trainlab's options for that rule.
"""

from __future__ import annotations

import inspect
import re

from trainlab.errors import ConfigError
from trainlab.landscape import get_function
from trainlab.optim import create, options

#: the rules ``trainlab check`` knows, as the class names a learner writes them
NAMED = (
    "muon",
    "amsgrad",
    "swats",
    "schedulefreeadamw",
    "soap",
    "schedulefreesgd",
    "ademamix",
    "adamax",
    "rprop",
    "prodigy",
    "asgd",
    "adafactor",
    "adopt",
    "lamb",
    "lion",
    "adamw",
    "nadam",
    "radam",
    "adadelta",
    "adagrad",
    "rmsprop",
    "nesterov",
    "momentum",
    "adam",
    "sgd",
)
SPELLINGS = {"nag": "nesterov"}
#: the rules the notes write out; their defaults are the notes', the others PyTorch's
NOTES_RULES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")

_COMMON = {
    "lr": "lr",
    "learning_rate": "lr",
    "eta": "lr",
    "step_size": "lr",
    "eps": "eps",
    "epsilon": "eps",
    "delta": "eps",
    "weight_decay": "weight_decay",
    "wd": "weight_decay",
}
_PER_RULE = {
    "sgd": {"momentum": "momentum", "nesterov": "nesterov", "dampening": "dampening"},
    "momentum": {
        "momentum": "momentum",
        "mu": "momentum",
        "alpha": "momentum",
        "beta": "momentum",
        "gamma": "momentum",
    },
    "rmsprop": {
        "decay_rate": "decay_rate",
        "rho": "decay_rate",
        "alpha": "decay_rate",
        "beta": "decay_rate",
        "gamma": "decay_rate",
        "decay": "decay_rate",
    },
    "adadelta": {"rho": "rho", "decay_rate": "rho", "gamma": "rho"},
    "adam": {
        "beta1": "beta1",
        "beta2": "beta2",
        "b1": "beta1",
        "b2": "beta2",
        "beta_1": "beta1",
        "beta_2": "beta2",
        "alpha": "lr",
    },
}
_PER_RULE["nesterov"] = _PER_RULE["momentum"]
#: rules whose learners name their options as Adam's (``beta1``, ``b1``, ``alpha``, ...)
ADAM_LIKE = "adamw nadam radam amsgrad swats lion adopt ademamix lamb adamax prodigy muon"
for _r in ADAM_LIKE.split():
    _PER_RULE[_r] = dict(_PER_RULE["adam"])
_PER_RULE["nadam"]["momentum_decay"] = "momentum_decay"
_PER_RULE["swats"]["tol"] = "tol"
_PER_RULE["muon"].update(
    {n: n for n in ("momentum", "nesterov", "ns_steps")}, mu="momentum", beta="momentum"
)
_SCHEDULE_FREE = {n: n for n in ("warmup_steps", "r", "weight_lr_power")}
_PER_RULE["schedulefreeadamw"] = {**_PER_RULE["adam"], **_SCHEDULE_FREE}
_PER_RULE["schedulefreesgd"] = {**_PER_RULE["momentum"], "beta": "momentum", **_SCHEDULE_FREE}
_PER_RULE["rprop"] = {
    **{n: n for n in ("etaminus", "etaplus", "step_size_min", "step_size_max")},
    "eta_minus": "etaminus",
    "eta_plus": "etaplus",
    "delta_min": "step_size_min",
    "delta_max": "step_size_max",
}
_PER_RULE["asgd"] = {"lambd": "lambd", "lambda_": "lambd", "alpha": "alpha", "t0": "t0"}
_PER_RULE["adafactor"] = {n: n for n in ("beta2_decay", "eps1", "eps2", "d")}
_PER_RULE["adopt"]["clip"] = "clip"
_PER_RULE["prodigy"].update(
    {n: n for n in ("beta3", "d0", "d_coef", "growth_rate", "use_bias_correction")},
    safeguard_warmup="safeguard_warmup",
    decouple="decouple",
    slice_p="slice_p",
)
_PER_RULE["ademamix"].update(
    {"beta3": "beta3", "b3": "beta3", "beta_3": "beta3", "alpha": "alpha"},
    t_alpha_beta3="t_alpha_beta3",
    T_alpha_beta3="t_alpha_beta3",
    warmup="t_alpha_beta3",
)
_PER_RULE["soap"] = {
    **_PER_RULE["adam"],
    **{n: n for n in ("shampoo_beta", "precondition_frequency", "max_precondition_dim")},
    **{n: n for n in ("precondition_1d", "correct_bias", "normalize_gradient", "merge_dims")},
}
_PER_RULE["lamb"].update(
    {n: n for n in ("decoupled_weight_decay", "grad_averaging", "trust_ratio", "clamp")}
)


def aliases(rule: str) -> dict[str, str]:
    """Learner's parameter name -> trainlab option, for ``rule``."""
    table = {**_COMMON, **_PER_RULE.get(rule, {})}
    return {k: v for k, v in table.items() if v in trainlab_defaults(rule)}


def rule_from_name(class_name: str) -> str | None:
    """The rule a class name names: ``MyRMSProp`` -> rmsprop, ``BrokenAdam`` -> adam.

    The name is cut into words (``My``, ``RMS``, ``Prop``) and a rule must be a
    run of whole words, so that ``BrokenAdam`` is not taken for NAdam."""
    words = [
        w.lower()
        for w in re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+", class_name)
    ]
    runs = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
    runs |= {SPELLINGS[r] for r in runs if r in SPELLINGS}
    return next((name for name in NAMED if name in runs), None)


def canonical_rule(name: str) -> str:
    key = re.sub(r"[^a-z]", "", str(name).lower())
    key = SPELLINGS.get(key, key)
    if key not in NAMED:
        raise ConfigError(f"unknown rule {name!r}; choose one of {', '.join(sorted(NAMED))}")
    return key


def trainlab_defaults(rule: str) -> dict:
    """trainlab's defaults for ``rule`` (the notes' where the notes have the rule),
    with the options that are unset by default (None) among them."""
    rule_object = create(rule)
    unset = {n: None for n in options(type(rule_object)) if getattr(rule_object, n, 0) is None}
    return {**unset, **rule_object.hyperparameters()}


class Signature:
    """The learner's constructor: its parameters, their defaults, ``**kwargs``."""

    def __init__(self, cls):
        try:
            sig = inspect.signature(cls)
        except (TypeError, ValueError):
            sig = inspect.Signature()
        kinds = inspect.Parameter
        self.params = {
            n: p.default
            for n, p in sig.parameters.items()
            if p.kind in (kinds.POSITIONAL_OR_KEYWORD, kinds.KEYWORD_ONLY)
        }
        self.var_kw = any(p.kind is kinds.VAR_KEYWORD for p in sig.parameters.values())

    def required(self) -> list[str]:
        return [n for n, d in self.params.items() if d is inspect.Parameter.empty]

    def compatible(self, rule: str) -> bool:
        table = aliases(rule)
        return all(n in table for n in self.params)


def settings(rule: str, sig: Signature, opts: dict):
    """``(kwargs for the learner, trainlab options, lr parameter name, notes)``."""
    table, defaults = aliases(rule), trainlab_defaults(rule)
    kwargs, values, notes = _by_learner_names(sig, table, opts), {}, []
    for name, default in sig.params.items():
        if name in kwargs:
            values[name] = kwargs[name]
        elif default is inspect.Parameter.empty:
            option = table.get(name)
            if option is None:
                raise ConfigError(
                    f"the constructor needs {name!r}, which trainlab cannot "
                    f"guess; give it with --opt {name}=VALUE"
                )
            values[name] = kwargs[name] = defaults[option]
            notes.append(
                f"{name} has no default in your constructor; checked with "
                f"trainlab's {option}={defaults[option]!r}"
            )
        else:
            values[name] = default
    hp, lr_name = {"lr": defaults["lr"]}, None
    for name, value in values.items():
        option = table.get(name)
        if option is None:
            notes.append(
                f"trainlab's {rule} has no counterpart to your {name}={value!r}; "
                "it was left as it is"
            )
            continue
        if option == "eps" and value == 0:  # refused by trainlab's options
            hp["eps"] = defaults["eps"]
            notes.append(
                f"your {name}=0 is a value trainlab's options refuse (0/0 where the "
                f"root is 0); compared with trainlab's eps={defaults['eps']:g}, so that "
                "a missing eps is named as the cause"
            )
            continue
        hp[option] = _option_value(name, value, defaults[option])
        lr_name = name if option == "lr" else lr_name
        if name not in kwargs and value != defaults[option]:
            whose = "the notes'" if rule in NOTES_RULES else "trainlab's (PyTorch's)"
            notes.append(
                f"your default {name}={value!r} differs from {whose} "
                f"{option}={defaults[option]!r}; checked with yours"
            )
    if "eps" in defaults and "eps" not in hp and rule != "adadelta":
        notes.append(
            f"no eps in your constructor: compared with trainlab's "
            f"eps={defaults['eps']:g}, the value the book writes into the step"
        )
    return kwargs, hp, lr_name, notes


def _option_value(name: str, value, default):
    """``value`` as trainlab's option takes it: a bool, a float, or None where
    the option may be left unset (AdEMAMix's ``t_alpha_beta3``)."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{name} must be True or False, got {value!r}")
        return value
    if value is None and default is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ConfigError(f"{name} must be a number, got {value!r}")
    return float(value)


def _by_learner_names(sig: Signature, table: dict, opts: dict) -> dict:
    """``opts`` keyed by the constructor's own names (a trainlab name is translated)."""
    kwargs = {}
    for key, value in opts.items():
        if key not in sig.params and not sig.var_kw:
            mine = [n for n in sig.params if table.get(n) == key]
            if not mine:
                known = ", ".join(sig.params) or "none"
                raise ConfigError(
                    f"--opt {key}: the constructor takes no parameter {key!r} "
                    f"(its parameters: {known})"
                )
            key = mine[0]
        kwargs[key] = value
    return kwargs


def bowl_lr(rule: str) -> float | None:
    """The lr of ``rule`` in the notes' bowl figure (trainlab's landscape table), if any."""
    return get_function("bowl").lrs.get(rule)


def check_opts(sig: Signature, opts: dict) -> None:
    """Every ``--opt`` key must be one of the constructor's parameters."""
    for key in opts:
        if key not in sig.params and not sig.var_kw:
            known = ", ".join(sig.params) or "none"
            raise ConfigError(
                f"--opt {key}: the constructor takes no parameter {key!r} (its parameters: {known})"
            )
