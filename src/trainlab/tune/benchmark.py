"""A fair comparison of update rules, in the spirit of DeepOBS (Schneider et al. 2019).

For every problem and every rule, with the same budget for all:

1. **tune** the learning rate on the same log grid (one Optuna study per
   (problem, rule), ``GridSampler`` over ``lr``, seed 0), scored by the final
   validation metric (accuracy, or loss on the quadratic, or MSE); with a
   declared ``space`` beyond lr (weight decay, ``momentum``: the rule's
   momentum or beta1, ...), every rule gets the same ``trials`` random draws
   (:class:`~trainlab.tune.samplers.SeededRandomSampler`, seed 0: trial k
   draws the same values for every rule) over lr's range and that space;
   with ``centre_lr`` (a new benchmark's default) the grid is AdamW's,
   scaled for each rule by its typical lr relative to AdamW's
   (:func:`~trainlab.tune.plan.rule_lrs`);
2. **rerun** the best setting with seeds 1..N (a second study, one trial a seed),
   and the rule at its defaults with the same seeds (a third study: the
   one-shot comparison of Schmidt et al. 2021, "Descending through a Crowded
   Valley"), and record the final test metric and the epochs and training seconds each
   seed needs to reach the problem's target on validation;
3. **report** the test metric as mean ± sample std (ddof 1) over seeds, the
   median time to target (``inf`` when most seeds miss it), the sensitivity of
   each rule to its learning rate, and a performance profile across problems
   (Dolan & Moré 2002): ``ρ_s(τ)`` is the share of problems on which rule ``s``
   reaches the target within ``τ`` times the best rule's median time.

The studies of each (problem, rule) are made in
:mod:`trainlab.tune.benchmark_studies` and read back in
:mod:`trainlab.tune.benchmark_results`; the scoring (targets chosen
automatically, steps and CPU seconds, τ up to 4 and the profile's area, the
ranking against the seed spread, edge warnings) is in :mod:`trainlab.tune.protocol`.

Every study lives in the same storage, so workers on one or many machines
share the work; the seed reruns of a (problem, rule) start once its lr study
is finished.
"""

from __future__ import annotations

import sys
import time

from trainlab.kernels.threads import one_blas_thread
from trainlab.train.parallel import blas, run_processes
from trainlab.tune.benchmark_results import collect
from trainlab.tune.benchmark_studies import best_params, open_studies
from trainlab.tune.outage import Patience, exits
from trainlab.tune.plan import defaults_of, problems_of, rule_lrs, rule_options, search_space
from trainlab.tune.storage import BudgetLock, open_storage
from trainlab.tune.trials import Heartbeat, counted, reap, run_trials, settled


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


def _space(plan: dict, phase: int, rule: str) -> dict:
    if phase == 0:
        return search_space(plan, rule)
    from optuna.distributions import IntDistribution  # optuna: only when a study runs

    return {"seed": IntDistribution(1, plan["seeds"])}


def _task(plan: dict, studies: dict, problem, key: tuple, phase: int):
    """``(objective, trials)`` of study ``phase`` of ``key`` (0: lr, 1: the best
    values' seeds, 2: the defaults' seeds); ``None`` while its lr study runs."""
    rule = key[1]
    if phase == 0:
        n = plan["trials"] if plan.get("space") else len(rule_lrs(plan, rule))
        return _objective(problem, rule, plan), n
    if phase == 2:
        return _objective(problem, rule, plan, defaults_of(rule)), plan["seeds"]
    lr_study = studies[key][0]
    budget = plan["trials"] if plan.get("space") else len(rule_lrs(plan, rule))
    if counted(lr_study) < budget or not settled(lr_study):
        return None
    best = best_params(lr_study)
    return _objective(problem, rule, plan, best), plan["seeds"] if best is not None else 0


def work(plan: dict, index: int = 0) -> int:
    """One worker: run trials of every study until all budgets are used."""
    storage = open_storage(plan["storage"])
    studies = open_studies(plan, storage)
    problems = problems_of(plan)
    locks: dict = {}
    ran = 0
    pending = [(key, phase) for key in studies for phase in (0, 1, 2)]
    try:
        while pending:
            progress = 0
            for key, phase in list(pending):
                study = studies[key][phase]
                lock = locks.setdefault(
                    study.study_name, BudgetLock(plan["storage"], study.study_name)
                )
                task = _task(plan, studies, problems[key[0]], key, phase)
                if task is None:
                    lr_study = studies[key][0]
                    with locks[lr_study.study_name]:
                        reap(lr_study, storage, ("lr",))
                    continue  # its lr study is still running somewhere
                objective, n = task
                progress += run_trials(
                    study,
                    storage,
                    lock,
                    n,
                    objective,
                    _space(plan, phase, key[1]),
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
