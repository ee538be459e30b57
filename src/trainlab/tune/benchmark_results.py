"""What a benchmark found, read from its studies (:func:`collect`).

For each (problem, rule): the tuned values and their final validation metric
(the sensitivity), the seeds' test metrics (mean ± sample std) tuned and at
the rule's defaults, the epochs, steps and CPU seconds each seed needed to
reach the problem's target, and the edge warnings; across problems, the
performance profiles (by CPU seconds and by steps), each problem's ranking
and the overall order. The scoring rules
themselves are in :mod:`trainlab.tune.protocol`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from optuna.trial import TrialState

from trainlab.tune import protocol
from trainlab.tune.benchmark_studies import best_lr, best_params, open_studies
from trainlab.tune.plan import declared, defaults_of, problems_of, rule_options, with_target
from trainlab.tune.storage import open_storage


def _finished(study):
    return [
        t
        for t in study.get_trials(deepcopy=False)
        if t.state == TrialState.COMPLETE
        or (t.state == TrialState.FAIL and not t.user_attrs.get("lost"))
    ]


def _targets(problems: dict, studies: dict) -> dict:
    """``{problem: {"value", "how"}}``: the given target, or one chosen from the tuning."""
    out = {}
    for pname, problem in problems.items():
        if problem.target is not None:
            out[pname] = {"value": float(problem.target), "how": "given"}
            continue
        finals = [
            t.value
            for (p, _), (lr_study, *_) in studies.items()
            if p == pname
            for t in lr_study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
            if t.value is not None and math.isfinite(t.value)
        ]
        best = (max if problem.metric == "accuracy" else min)(finals, default=math.nan)
        out[pname] = {
            "value": protocol.auto_target(problem.metric, best),
            "how": "automatic: " + protocol.auto_target_text(problem.metric),
            "best_tuned": best,
        }
    return out


def _seed_runs(problem, seeds: list) -> dict:
    """The seeds' test metrics, their epochs, steps and CPU seconds to target and
    their validation curves (a failed seed: NaN test metric, target never reached)."""
    runs: dict[str, list] = {"test": [], "epochs": [], "seconds": [], "steps": [], "curves": []}
    for t in seeds:
        if t.state == TrialState.COMPLETE:
            runs["test"].append(t.user_attrs["test"])
            val = t.user_attrs["val"]
            e, sec = protocol.time_to_target(problem, val, t.user_attrs["time"])
            st = protocol.steps_to_target(
                problem, val, t.user_attrs.get("steps") or list(range(len(val)))
            )
            runs["curves"].append(val)
        else:
            runs["test"].append(math.nan)
            e = sec = st = math.inf
        runs["epochs"].append(e)
        runs["seconds"].append(sec)
        runs["steps"].append(st)
    return runs


def _median(values: list) -> float:
    return float(np.median(values)) if values else math.inf


def at_defaults(problem, rule: str, study) -> dict:
    """``rule`` at its defaults (its default lr, no weight decay) over the seeds:
    the one-shot side of the comparison (Schmidt et al. 2021)."""
    runs = _seed_runs(problem, sorted(_finished(study), key=lambda t: t.params.get("seed", 0)))
    arr = np.asarray(runs["test"], dtype=float)
    return {
        "options": rule_options(rule, defaults_of(rule)),
        "test": runs["test"],
        "test_mean": float(np.mean(arr)) if arr.size else math.nan,
        "test_std": float(np.std(arr, ddof=1)) if arr.size > 1 else 0.0,
        "median_steps_to_target": _median(runs["steps"]),
        "reached": int(np.sum(np.isfinite(runs["seconds"]))),
    }


def entry(problem, rule: str, lr_study, seed_study, space: dict, label: str) -> dict:
    """One (problem, rule): its tuning, its seeds and its edge warnings."""
    tuned = [t for t in _finished(lr_study) if "lr" in t.params]
    sens = sorted(
        (t.params["lr"], t.value if t.state == TrialState.COMPLETE else None) for t in tuned
    )
    seeds = sorted(_finished(seed_study), key=lambda t: t.params.get("seed", 0))
    runs = _seed_runs(problem, seeds)
    arr = np.asarray(runs["test"], dtype=float)
    best = best_params(lr_study)
    return {
        "metric": problem.metric,
        "target": problem.target,
        "best_lr": best_lr(lr_study),
        "best_params": best,
        "options": rule_options(rule, best or {}),
        "sensitivity": {"lr": [a for a, _ in sens], "val": [b for _, b in sens]},
        "tuned": [{"params": dict(t.params), "val": t.value} for t in tuned],
        "seeds": [t.params.get("seed") for t in seeds],
        "test": runs["test"],
        "test_mean": float(np.mean(arr)) if arr.size else math.nan,
        "test_std": float(np.std(arr, ddof=1)) if arr.size > 1 else 0.0,
        "epochs_to_target": runs["epochs"],
        "seconds_to_target": runs["seconds"],
        "steps_to_target": runs["steps"],
        "median_epochs_to_target": _median(runs["epochs"]),
        "median_seconds_to_target": _median(runs["seconds"]),
        "median_steps_to_target": _median(runs["steps"]),
        "reached": int(np.sum(np.isfinite(runs["seconds"]))),
        "curves": runs["curves"],
        "edge_warnings": protocol.edge_warnings(label, best or {}, space),
    }


def performance_profile(times: dict, measure: str) -> dict:
    """The profile of ``times[problem][rule]`` on :data:`~trainlab.tune.protocol.TAUS`."""
    taus, rho = protocol.profile(times, taus=protocol.TAUS)
    return {
        "tau": taus.tolist(),
        "rho": rho,
        "measure": measure,
        "area": {r: protocol.profile_area(taus, v) for r, v in rho.items()},
    }


def collect(plan: dict, storage=None) -> dict:
    """Everything the report needs, read from the studies."""
    storage = storage or open_storage(plan["storage"])
    studies = open_studies(plan, storage)
    problems = problems_of(plan)
    targets = _targets(problems, studies)
    space = declared(plan)  # AdamW's grid: every rule's without centre_lr
    res: dict[str, Any] = {
        "problems": {},
        "time_to_target": {},
        "steps_to_target": {},
        "targets": targets,
        "space": space,
        "warnings": [],
        "budget_per_rule": plan.get("trials") if plan.get("space") else len(plan["lrs"]),
    }
    for (pname, rule), (lr_study, seed_study, defaults_study) in studies.items():
        problem = with_target(problems[pname], targets[pname]["value"])
        own = declared(plan, rule)
        e = entry(problem, rule, lr_study, seed_study, own, f"{pname} {rule}")
        e["defaults"] = at_defaults(problem, rule, defaults_study)
        res["warnings"] += e["edge_warnings"]
        res["problems"].setdefault(pname, {})[rule] = e
        res["time_to_target"].setdefault(pname, {})[rule] = e["median_seconds_to_target"]
        res["steps_to_target"].setdefault(pname, {})[rule] = e["median_steps_to_target"]
    res["profile"] = performance_profile(res["time_to_target"], "CPU seconds to target")
    res["profile_steps"] = performance_profile(res["steps_to_target"], "steps to target")
    res["ranking"] = {p: protocol.ranking(per) for p, per in res["problems"].items()}
    area, steps_area = res["profile"]["area"], res["profile_steps"]["area"]
    res["overall"] = sorted(area, key=lambda r: (-area[r], -steps_area[r], r))
    return res
