"""What a benchmark plan names, made concrete: its problems (built-in, a
``--data`` file, a ``--problem`` factory), the declared search space of the lr
phase, and the options each rule takes from the sampled values."""

from __future__ import annotations

import copy
import dataclasses
import inspect

from trainlab.optim import create, options, rule_class
from trainlab.tune.problems import factory_problem, file_problem, make_problem
from trainlab.tune.space import parse_space

#: the shared name ``momentum`` of a declared space → each rule's own option
FIRST_MOMENT = ("momentum", "beta1")


def problems_of(plan: dict) -> dict:
    """Problem objects by name: built-in names, ``plan["custom"][name]`` holding
    ``{"file": {...}}`` (a ``--data`` file) or ``{"factory": "pkg.mod:fn"}``."""
    out = {}
    for p in plan["problems"]:
        custom = plan.get("custom", {}).get(p)
        if custom is None:
            out[p] = make_problem(
                p, quick=plan["quick"], target=plan["targets"].get(p), data_dir=plan.get("data_dir")
            )
            continue
        key = (p, repr(custom))
        if key not in _MADE:
            made = (
                file_problem(custom["file"])
                if "file" in custom
                else factory_problem(custom["factory"])
            )
            if plan["targets"].get(p) is not None:
                made = with_target(made, plan["targets"][p])
            _MADE[key] = made
        out[p] = _MADE[key]
    return out


_MADE: dict = {}


def with_target(problem, target):
    """``problem`` with another target (a copy)."""
    if dataclasses.is_dataclass(problem):
        return dataclasses.replace(problem, target=target)
    problem = copy.copy(problem)
    problem.target = target
    return problem


def rule_lrs(plan: dict, rule: str) -> list[float]:
    """The lr grid of ``rule``: the plan's, or with ``centre_lr`` the plan's read as
    AdamW's grid, times the rule's typical lr relative to AdamW's
    (:attr:`~trainlab.optim.base.Optimizer.lr_vs_adamw`)."""
    if not plan.get("centre_lr"):
        return plan["lrs"]
    return [lr * rule_class(rule).lr_vs_adamw for lr in plan["lrs"]]


def defaults_of(rule: str) -> dict:
    """The sampled values that stand for ``rule`` at its defaults: its default lr."""
    return {"lr": create(rule).lr}


def rule_options(rule: str, params: dict) -> dict:
    """The sampled values a rule takes: ``lr`` and ``weight_decay`` always,
    ``momentum`` as the rule's momentum or beta1 where its default is not 0
    (momentum, nesterov, the Adam family; dropped for sgd, rmsprop, adagrad,
    which have none by default), other names when the rule has that option."""
    cls = rule_class(rule)
    have = options(cls)
    defaults = {}
    for c in reversed(cls.__mro__[:-1]):
        if "__init__" in vars(c):
            defaults.update(
                {
                    k: p.default
                    for k, p in inspect.signature(vars(c)["__init__"]).parameters.items()
                    if isinstance(p.default, (int, float)) and not isinstance(p.default, bool)
                }
            )
    out = {}
    for name, value in params.items():
        if name in ("lr", "weight_decay"):
            out[name] = value
        elif name == "momentum":
            own = next((o for o in FIRST_MOMENT if defaults.get(o)), None)
            if own:
                out[own] = value
        elif name in have:
            out[name] = value
    return out


def search_space(plan: dict, rule: str = "adamw") -> dict:
    """``{name: distribution}`` of ``rule``'s lr phase: its lr grid, or with a
    declared space lr's range (log) and that space."""
    from optuna.distributions import FloatDistribution  # optuna: only when a study runs

    lrs = rule_lrs(plan, rule)
    out = {"lr": FloatDistribution(lrs[0], lrs[-1], log=True)}
    if plan.get("space"):
        out.update({p.name: p.distribution() for p in parse_space(plan["space"]).values()})
    return out


def declared(plan: dict, rule: str = "adamw") -> dict:
    """``rule``'s lr phase's space as plain JSON (for metrics, edge warnings and the
    page; without ``centre_lr`` the same for every rule)."""
    lrs = rule_lrs(plan, rule)
    out = {
        "lr": {
            "low": lrs[0],
            "high": lrs[-1],
            "log": True,
            "grid": not plan.get("space"),
            "points": None if plan.get("space") else lrs,
        }
    }
    for p in parse_space(plan["space"]).values() if plan.get("space") else ():
        out[p.name] = {"low": p.low, "high": p.high, "log": p.log, "grid": False}
    return out
