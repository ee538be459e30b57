"""The two studies of each (problem, rule) of a benchmark, and their best values.

The lr study tunes (its grid, or a declared space's draws, seed 0); the seed
study reruns its best values with seeds 1..N. Both are named after the plan's
prefix, the problem and the rule, and remember the settings they were made
with: a study is resumed only with the same settings.
"""

from __future__ import annotations

import optuna
from optuna.trial import TrialState

from trainlab.errors import ConfigError
from trainlab.tune.plan import problems_of, rule_lrs
from trainlab.tune.samplers import BudgetGridSampler, SeededRandomSampler


def names(plan: dict, problem: str, rule: str) -> tuple[str, str, str]:
    base = f"{plan['prefix']}-{problem}-{rule}"
    return f"{base}-lr", f"{base}-seeds", f"{base}-defaults"


def settings_of(plan: dict, problem) -> dict:
    if hasattr(problem, "settings"):
        p = problem.settings()
    else:
        p = {k: v for k, v in vars(problem).items() if k != "data_dir"}
        p["hidden"] = list(p.get("hidden", ()))
    out = {"problem": p, "lrs": plan["lrs"], "seeds": plan["seeds"], "epochs": plan["epochs"]}
    if plan.get("space"):
        out.update(space=plan["space"], trials=plan["trials"])
    return out


def open_study(storage, name, direction, sampler, settings):
    study = optuna.create_study(
        storage=storage, study_name=name, direction=direction, load_if_exists=True, sampler=sampler
    )
    theirs = study.user_attrs.get("settings")
    if theirs is None:
        study.set_user_attr("settings", settings)
    elif theirs != settings:
        raise ConfigError(
            f"study {name!r} exists with other settings; pass another "
            "--study-prefix or --out to start afresh (or, for a benchmark begun with the "
            "same grid for every rule, --no-centre-lr to resume it)"
        )
    return study


def open_studies(plan: dict, storage) -> dict:
    """``{(problem, rule): (lr_study, seed_study, defaults_study)}``, created if
    needed; the defaults study runs the rule at its defaults with seeds 1..N."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    out = {}
    for pname, problem in problems_of(plan).items():
        direction = "maximize" if problem.metric == "accuracy" else "minimize"
        for rule in plan["optimizers"]:
            settings = {**settings_of(plan, problem), "lrs": rule_lrs(plan, rule)}
            lr_name, seed_name, defaults_name = names(plan, pname, rule)
            sampler = (
                SeededRandomSampler(0)
                if plan.get("space")
                else BudgetGridSampler({"lr": rule_lrs(plan, rule)})
            )
            seeds = {"seed": list(range(1, plan["seeds"] + 1))}
            out[pname, rule] = (
                open_study(storage, lr_name, direction, sampler, settings),
                open_study(storage, seed_name, direction, BudgetGridSampler(seeds), settings),
                open_study(storage, defaults_name, direction, BudgetGridSampler(seeds), settings),
            )
    return out


def best_params(study):
    """The sampled values with the best final validation metric (ties: the smaller rate)."""
    done = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if not done:
        return None
    sign = -1.0 if study.direction == optuna.study.StudyDirection.MAXIMIZE else 1.0
    return dict(min(done, key=lambda t: (sign * t.value, t.params["lr"], t.number)).params)


def best_lr(study):
    """The rate of :func:`best_params`."""
    best = best_params(study)
    return None if best is None else best["lr"]
