"""A fair comparison of update rules, in the spirit of DeepOBS (Schneider et al. 2019).

For every problem and every rule, with the same budget for all:

1. **tune** the learning rate on the same log grid (one Optuna study per
   (problem, rule), ``GridSampler`` over ``lr``, seed 0), scored by the final
   validation metric (accuracy, or loss on the quadratic);
2. **rerun** the best rate with seeds 1..N (a second study, one trial a seed),
   and record the final test metric and the epochs and training seconds each
   seed needs to reach the problem's target on validation;
3. **report** the test metric as mean ± sample std (ddof 1) over seeds, the
   median time to target (``inf`` when most seeds miss it), the sensitivity of
   each rule to its learning rate, and a performance profile across problems
   (Dolan & Moré 2002): ``ρ_s(τ)`` is the share of problems on which rule ``s``
   reaches the target within ``τ`` times the best rule's median time.

Every study lives in the same storage, so workers on one or many machines
share the work; the seed reruns of a (problem, rule) start once its lr study
is finished.
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np
import optuna
from optuna.trial import TrialState

from trainlab.errors import ConfigError
from trainlab.tune.problems import make_problem, reached
from trainlab.tune.samplers import BudgetGridSampler
from trainlab.tune.storage import BudgetLock, open_storage
from trainlab.tune.trials import Heartbeat, counted, reap, run_trials, settled


def lr_grid(text: str) -> list[float]:
    """``"1e-4:1:9"`` → 9 learning rates evenly spaced in log from 1e-4 to 1."""
    parts = str(text).split(":")
    try:
        low, high, n = float(parts[0]), float(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        raise ConfigError(f"malformed --lr-grid {text!r}; write LOW:HIGH:POINTS, e.g. 1e-4:1:9") from None
    if len(parts) != 3 or not (0 < low < high and math.isfinite(high)) or n < 2:
        raise ConfigError(f"--lr-grid {text!r} needs 0 < LOW < HIGH and POINTS ≥ 2, e.g. 1e-4:1:9")
    values = [float(v) for v in np.geomspace(low, high, n)]
    values[0], values[-1] = low, high
    return values


def names(plan: dict, problem: str, rule: str) -> tuple[str, str]:
    base = f"{plan['prefix']}-{problem}-{rule}"
    return f"{base}-lr", f"{base}-seeds"


def problems_of(plan: dict) -> dict:
    return {p: make_problem(p, quick=plan["quick"], target=plan["targets"].get(p),
                            data_dir=plan.get("data_dir")) for p in plan["problems"]}


def _settings(plan: dict, problem) -> dict:
    p = {k: v for k, v in vars(problem).items() if k != "data_dir"}
    p["hidden"] = list(p.get("hidden", ()))
    return {"problem": p, "lrs": plan["lrs"], "seeds": plan["seeds"], "epochs": plan["epochs"]}


def _open(storage, name, direction, sampler, settings):
    study = optuna.create_study(storage=storage, study_name=name, direction=direction,
                                load_if_exists=True, sampler=sampler)
    theirs = study.user_attrs.get("settings")
    if theirs is None:
        study.set_user_attr("settings", settings)
    elif theirs != settings:
        raise ConfigError(f"study {name!r} exists with other settings; pass another "
                          "--study-prefix or --out to start afresh")
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
            out[pname, rule] = (
                _open(storage, lr_name, direction, BudgetGridSampler({"lr": plan["lrs"]}), settings),
                _open(storage, seed_name, direction,
                      BudgetGridSampler({"seed": list(range(1, plan["seeds"] + 1))}), settings))
    return out


def best_lr(study):
    """The grid rate with the best final validation metric (ties: the smaller rate)."""
    done = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if not done:
        return None
    sign = -1.0 if study.direction == optuna.study.StudyDirection.MAXIMIZE else 1.0
    return min(done, key=lambda t: (sign * t.value, t.params["lr"])).params["lr"]


def _objective(problem, rule, plan, lr=None):
    """lr phase (``lr`` None): the grid's rate, seed 0. Seed phase: ``lr``, the grid's seed."""
    def objective(trial):
        rate, seed = (trial.params["lr"], 0) if lr is None else (lr, trial.params["seed"])
        r = problem.run(rule, rate, seed, plan["epochs"], callbacks=(Heartbeat(trial),),
                        test=lr is not None)
        for key, value in r.items():
            trial.set_user_attr(key, value)
        trial.set_user_attr("lr", rate)
        return r["val"][-1]
    return objective


def _space(plan: dict, phase: int) -> dict:
    from optuna.distributions import FloatDistribution, IntDistribution

    if phase == 0:
        return {"lr": FloatDistribution(plan["lrs"][0], plan["lrs"][-1], log=True)}
    return {"seed": IntDistribution(1, plan["seeds"])}


def work(plan: dict, index: int = 0) -> int:
    """One worker: run trials of every study until all budgets are used."""
    storage = open_storage(plan["storage"])
    studies = open_studies(plan, storage)
    problems = problems_of(plan)
    locks = {}
    ran = 0
    pending = [(key, phase) for key in studies for phase in (0, 1)]
    try:
        while pending:
            progress = 0
            for key, phase in list(pending):
                study = studies[key][phase]
                lock = locks.setdefault(study.study_name, BudgetLock(plan["storage"], study.study_name))
                if phase == 0:
                    objective, n = _objective(problems[key[0]], key[1], plan), len(plan["lrs"])
                else:
                    lr_study = studies[key][0]
                    if counted(lr_study) < len(plan["lrs"]) or not settled(lr_study):
                        with locks[lr_study.study_name]:
                            reap(lr_study, storage, ("lr",))
                        continue             # its lr study is still running somewhere
                    lr = best_lr(lr_study)
                    n = plan["seeds"] if lr is not None else 0
                    objective = _objective(problems[key[0]], key[1], plan, lr)
                progress += run_trials(study, storage, lock, n, objective, _space(plan, phase))
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
    from trainlab.tune.workers import run_workers

    for problem in problems_of(plan).values():   # unknown names or missing data fail here
        if hasattr(problem, "data"):
            problem.data()
    storage = open_storage(plan["storage"])
    open_studies(plan, storage)
    if workers > 1 and any(codes := run_workers(work, workers, plan)):
        print(f"warning: worker exit codes {codes}; finishing the benchmark here", file=sys.stderr)
    work(plan, 0)
    return collect(plan, storage)


def time_to_target(problem, val, times) -> tuple[float, float]:
    """(epochs, seconds) until the validation metric first reaches the target
    after at least one epoch; ``(inf, inf)`` if it never does."""
    for e in range(1, len(val)):
        if reached(problem, val[e]):
            return float(e), float(times[e])
    return math.inf, math.inf


def profile(times: dict, taus=None) -> tuple[np.ndarray, dict]:
    """Performance profile of ``times[problem][rule]`` (``inf`` = target missed).
    Returns ``(taus, {rule: share of problems within τ of the best rule})``."""
    rules = sorted({r for per in times.values() for r in per})
    ratios = {r: [] for r in rules}
    for per in times.values():
        best = min(per.values())
        for r in rules:
            t = per.get(r, math.inf)
            ratios[r].append(t / best if math.isfinite(t) else math.inf)
    if taus is None:
        finite = [x for v in ratios.values() for x in v if math.isfinite(x)]
        taus = np.geomspace(1.0, max(2.0, 1.05 * max(finite, default=1.0)), 200)
    rho = {r: [float(np.mean(np.asarray(v) <= tau)) for tau in taus] for r, v in ratios.items()}
    return np.asarray(taus), rho


def collect(plan: dict, storage=None) -> dict:
    """Everything the report needs, read from the studies."""
    storage = storage or open_storage(plan["storage"])
    studies = open_studies(plan, storage)
    problems = problems_of(plan)
    res = {"problems": {}, "time_to_target": {}}
    for (pname, rule), (lr_study, seed_study) in studies.items():
        problem = problems[pname]
        sens = sorted((t.params["lr"], t.value if t.state == TrialState.COMPLETE else None)
                      for t in lr_study.get_trials(deepcopy=False)
                      if t.state in (TrialState.COMPLETE, TrialState.FAIL)
                      and not t.user_attrs.get("lost"))
        seeds = [t for t in seed_study.get_trials(deepcopy=False)
                 if t.state in (TrialState.COMPLETE, TrialState.FAIL) and not t.user_attrs.get("lost")]
        seeds.sort(key=lambda t: t.params.get("seed", 0))
        tests, epochs, secs, curves = [], [], [], []
        for t in seeds:
            if t.state == TrialState.COMPLETE:
                tests.append(t.user_attrs["test"])
                e, s = time_to_target(problem, t.user_attrs["val"], t.user_attrs["time"])
                curves.append(t.user_attrs["val"])
            else:
                tests.append(math.nan)
                e = s = math.inf
            epochs.append(e)
            secs.append(s)
        arr = np.asarray(tests, dtype=float)
        entry = {
            "metric": problem.metric, "target": problem.target, "best_lr": best_lr(lr_study),
            "sensitivity": {"lr": [a for a, _ in sens], "val": [b for _, b in sens]},
            "seeds": [t.params.get("seed") for t in seeds], "test": tests,
            "test_mean": float(np.mean(arr)) if arr.size else math.nan,
            "test_std": float(np.std(arr, ddof=1)) if arr.size > 1 else 0.0,
            "epochs_to_target": epochs, "seconds_to_target": secs,
            "median_epochs_to_target": float(np.median(epochs)) if epochs else math.inf,
            "median_seconds_to_target": float(np.median(secs)) if secs else math.inf,
            "reached": int(np.sum(np.isfinite(secs))), "curves": curves,
        }
        res["problems"].setdefault(pname, {})[rule] = entry
        res["time_to_target"].setdefault(pname, {})[rule] = entry["median_seconds_to_target"]
    taus, rho = profile(res["time_to_target"])
    res["profile"] = {"tau": taus.tolist(), "rho": rho}
    return res
