"""A fair comparison of update rules, in the spirit of DeepOBS (Schneider et al. 2019).

For every problem and every rule, with the same budget for all:

1. **tune** the learning rate on the same log grid (one Optuna study per
   (problem, rule), ``GridSampler`` over ``lr``, seed 0), scored by the final
   validation metric (accuracy, or loss on the quadratic, or MSE); with a
   declared ``space`` beyond lr (weight decay, ``momentum``: the rule's
   momentum or beta1, ...), every rule gets the same ``trials`` random draws
   (:class:`~trainlab.tune.samplers.SeededRandomSampler`, seed 0: trial k
   draws the same values for every rule) over lr's range and that space;
2. **rerun** the best setting with seeds 1..N (a second study, one trial a seed),
   and record the final test metric and the epochs and training seconds each
   seed needs to reach the problem's target on validation;
3. **report** the test metric as mean ± sample std (ddof 1) over seeds, the
   median time to target (``inf`` when most seeds miss it), the sensitivity of
   each rule to its learning rate, and a performance profile across problems
   (Dolan & Moré 2002): ``ρ_s(τ)`` is the share of problems on which rule ``s``
   reaches the target within ``τ`` times the best rule's median time.

Scoring (targets chosen automatically, steps and CPU seconds, τ up to 4 and
the profile's area, the ranking against the seed spread, edge warnings) is in
:mod:`trainlab.tune.protocol`.

Every study lives in the same storage, so workers on one or many machines
share the work; the seed reruns of a (problem, rule) start once its lr study
is finished.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any

import numpy as np
import optuna
from optuna.trial import TrialState

from trainlab.errors import ConfigError
from trainlab.kernels.threads import one_blas_thread
from trainlab.tune import protocol
from trainlab.tune.outage import Patience
from trainlab.tune.plan import (
    _with_target,
    declared,
    problems_of,
    rule_options,  # noqa: F401 (a public name of this module)
    search_space,
)
from trainlab.tune.protocol import profile, time_to_target  # noqa: F401  (the public names)
from trainlab.tune.samplers import BudgetGridSampler, SeededRandomSampler
from trainlab.tune.storage import BudgetLock, open_storage
from trainlab.tune.trials import Heartbeat, counted, reap, run_trials, settled

#: the most learning rates a grid may hold
MAX_GRID = 100


def lr_grid(text: str) -> list[float]:
    """``"1e-4:1:9"`` → 9 learning rates evenly spaced in log from 1e-4 to 1."""
    parts = str(text).split(":")
    try:
        low, high, n = float(parts[0]), float(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        raise ConfigError(
            f"malformed --lr-grid {text!r}; write LOW:HIGH:POINTS, e.g. 1e-4:1:9"
        ) from None
    if len(parts) != 3 or not (0 < low < high and math.isfinite(high)) or n < 2:
        raise ConfigError(f"--lr-grid {text!r} needs 0 < LOW < HIGH and POINTS ≥ 2, e.g. 1e-4:1:9")
    if n > MAX_GRID:
        raise ConfigError(
            f"--lr-grid {text!r} asks for {n:,} learning rates, more than the "
            f"{MAX_GRID} a benchmark trains (each is a whole training run); "
            "choose fewer POINTS"
        )
    values = [float(v) for v in np.geomspace(low, high, n)]
    values[0], values[-1] = low, high
    return values


def names(plan: dict, problem: str, rule: str) -> tuple[str, str]:
    base = f"{plan['prefix']}-{problem}-{rule}"
    return f"{base}-lr", f"{base}-seeds"


def _settings(plan: dict, problem) -> dict:
    if hasattr(problem, "settings"):
        p = problem.settings()
    else:
        p = {k: v for k, v in vars(problem).items() if k != "data_dir"}
        p["hidden"] = list(p.get("hidden", ()))
    out = {"problem": p, "lrs": plan["lrs"], "seeds": plan["seeds"], "epochs": plan["epochs"]}
    if plan.get("space"):
        out.update(space=plan["space"], trials=plan["trials"])
    return out


def _open(storage, name, direction, sampler, settings):
    study = optuna.create_study(
        storage=storage, study_name=name, direction=direction, load_if_exists=True, sampler=sampler
    )
    theirs = study.user_attrs.get("settings")
    if theirs is None:
        study.set_user_attr("settings", settings)
    elif theirs != settings:
        raise ConfigError(
            f"study {name!r} exists with other settings; pass another "
            "--study-prefix or --out to start afresh"
        )
    return study


def open_studies(plan: dict, storage) -> dict:
    """``{(problem, rule): (lr_study, seed_study)}``, created if needed."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    out = {}
    for pname, problem in problems_of(plan).items():
        direction = "maximize" if problem.metric == "accuracy" else "minimize"
        settings = _settings(plan, problem)
        for rule in plan["optimizers"]:
            lr_name, seed_name = names(plan, pname, rule)
            sampler = (
                SeededRandomSampler(0)
                if plan.get("space")
                else BudgetGridSampler({"lr": plan["lrs"]})
            )
            out[pname, rule] = (
                _open(storage, lr_name, direction, sampler, settings),
                _open(
                    storage,
                    seed_name,
                    direction,
                    BudgetGridSampler({"seed": list(range(1, plan["seeds"] + 1))}),
                    settings,
                ),
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


def _objective(problem, rule, plan, best=None):
    """lr phase (``best`` None): the trial's values, seed 0. Seed phase: ``best``,
    the grid's seed."""

    def objective(trial):
        if best is None:
            values, seed = dict(trial.params), 0
        else:
            values, seed = dict(best), trial.params["seed"]
        opts = rule_options(rule, values)
        rate = opts.pop("lr")
        with one_blas_thread():  # CPU seconds count work, not idle helper threads
            r = problem.run(
                rule,
                rate,
                seed,
                plan["epochs"],
                callbacks=(Heartbeat(trial),),
                test=best is not None,
                **({"options": opts} if opts else {}),
            )
        for key, value in r.items():
            trial.set_user_attr(key, value)
        trial.set_user_attr("lr", rate)
        if best is not None:
            trial.set_user_attr("params", values)
        return r["val"][-1]

    return objective


def _space(plan: dict, phase: int) -> dict:
    from optuna.distributions import IntDistribution

    if phase == 0:
        return search_space(plan)
    return {"seed": IntDistribution(1, plan["seeds"])}


def work(plan: dict, index: int = 0) -> int:
    """One worker: run trials of every study until all budgets are used."""
    storage = open_storage(plan["storage"])
    studies = open_studies(plan, storage)
    problems = problems_of(plan)
    locks: dict = {}
    ran = 0
    pending = [(key, phase) for key in studies for phase in (0, 1)]
    try:
        while pending:
            progress = 0
            for key, phase in list(pending):
                study = studies[key][phase]
                lock = locks.setdefault(
                    study.study_name, BudgetLock(plan["storage"], study.study_name)
                )
                if phase == 0:
                    objective = _objective(problems[key[0]], key[1], plan)
                    n = plan["trials"] if plan.get("space") else len(plan["lrs"])
                else:
                    lr_study = studies[key][0]
                    budget = plan["trials"] if plan.get("space") else len(plan["lrs"])
                    if counted(lr_study) < budget or not settled(lr_study):
                        with locks[lr_study.study_name]:
                            reap(lr_study, storage, ("lr",))
                        continue  # its lr study is still running somewhere
                    best = best_params(lr_study)
                    n = plan["seeds"] if best is not None else 0
                    objective = _objective(problems[key[0]], key[1], plan, best)
                progress += run_trials(
                    study,
                    storage,
                    lock,
                    n,
                    objective,
                    _space(plan, phase),
                    patience=Patience(plan["storage"]),
                )
                if counted(study) >= n and settled(study):
                    pending.remove((key, phase))
            ran += progress
            if pending and not progress:
                time.sleep(0.5)
    finally:
        for lock in locks.values():
            lock.close()
    return ran


def run(plan: dict, workers: int = 1) -> dict:
    """Run the whole benchmark (resuming what the storage already holds)."""
    from trainlab.train.parallel import blas, run_processes
    from trainlab.tune.outage import exits

    for problem in problems_of(plan).values():  # unknown names or missing data fail here
        if hasattr(problem, "dataset"):
            problem.dataset()
    storage = open_storage(plan["storage"])
    open_studies(plan, storage)
    if workers > 1 and any(codes := run_processes(exits, workers, work, plan)):
        print(f"warning: worker exit codes {codes}; finishing the benchmark here", file=sys.stderr)
    with blas():  # the workers' rule: the same bits with any number of workers
        work(plan, 0)
    return collect(plan, storage)


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
            for (p, _), (lr_study, _) in studies.items()
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


def collect(plan: dict, storage=None) -> dict:
    """Everything the report needs, read from the studies."""
    storage = storage or open_storage(plan["storage"])
    studies = open_studies(plan, storage)
    problems = problems_of(plan)
    targets = _targets(problems, studies)
    space = declared(plan)
    res: dict[str, Any] = {
        "problems": {},
        "time_to_target": {},
        "steps_to_target": {},
        "targets": targets,
        "space": space,
        "warnings": [],
        "budget_per_rule": plan.get("trials") if plan.get("space") else len(plan["lrs"]),
    }
    for (pname, rule), (lr_study, seed_study) in studies.items():
        problem = _with_target(problems[pname], targets[pname]["value"])
        tuned = [t for t in _finished(lr_study) if "lr" in t.params]
        sens = sorted(
            (t.params["lr"], t.value if t.state == TrialState.COMPLETE else None) for t in tuned
        )
        seeds = sorted(_finished(seed_study), key=lambda t: t.params.get("seed", 0))
        tests, epochs, secs, steps, curves = [], [], [], [], []
        for t in seeds:
            if t.state == TrialState.COMPLETE:
                tests.append(t.user_attrs["test"])
                val = t.user_attrs["val"]
                e, sec = time_to_target(problem, val, t.user_attrs["time"])
                st = protocol.steps_to_target(
                    problem, val, t.user_attrs.get("steps") or list(range(len(val)))
                )
                curves.append(val)
            else:
                tests.append(math.nan)
                e = sec = st = math.inf
            epochs.append(e)
            secs.append(sec)
            steps.append(st)
        arr = np.asarray(tests, dtype=float)
        best = best_params(lr_study)
        entry = {
            "metric": problem.metric,
            "target": problem.target,
            "best_lr": best_lr(lr_study),
            "best_params": best,
            "options": rule_options(rule, best or {}),
            "sensitivity": {"lr": [a for a, _ in sens], "val": [b for _, b in sens]},
            "tuned": [{"params": dict(t.params), "val": t.value} for t in tuned],
            "seeds": [t.params.get("seed") for t in seeds],
            "test": tests,
            "test_mean": float(np.mean(arr)) if arr.size else math.nan,
            "test_std": float(np.std(arr, ddof=1)) if arr.size > 1 else 0.0,
            "epochs_to_target": epochs,
            "seconds_to_target": secs,
            "steps_to_target": steps,
            "median_epochs_to_target": float(np.median(epochs)) if epochs else math.inf,
            "median_seconds_to_target": float(np.median(secs)) if secs else math.inf,
            "median_steps_to_target": float(np.median(steps)) if steps else math.inf,
            "reached": int(np.sum(np.isfinite(secs))),
            "curves": curves,
            "edge_warnings": protocol.edge_warnings(f"{pname} {rule}", best or {}, space),
        }
        res["warnings"] += entry["edge_warnings"]
        res["problems"].setdefault(pname, {})[rule] = entry
        res["time_to_target"].setdefault(pname, {})[rule] = entry["median_seconds_to_target"]
        res["steps_to_target"].setdefault(pname, {})[rule] = entry["median_steps_to_target"]
    taus, rho = profile(res["time_to_target"], taus=protocol.TAUS)
    res["profile"] = {
        "tau": taus.tolist(),
        "rho": rho,
        "measure": "CPU seconds to target",
        "area": {r: protocol.profile_area(taus, v) for r, v in rho.items()},
    }
    taus, rho = profile(res["steps_to_target"], taus=protocol.TAUS)
    res["profile_steps"] = {
        "tau": taus.tolist(),
        "rho": rho,
        "measure": "steps to target",
        "area": {r: protocol.profile_area(taus, v) for r, v in rho.items()},
    }
    res["ranking"] = {p: protocol.ranking(per) for p, per in res["problems"].items()}
    area = res["profile"]["area"]
    res["overall"] = sorted(area, key=lambda r: (-area[r], -res["profile_steps"]["area"][r], r))
    return res
