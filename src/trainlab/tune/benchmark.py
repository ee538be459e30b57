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
from trainlab.tune.plan import problems_of, rule_options, search_space
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


def _space(plan: dict, phase: int) -> dict:
    if phase == 0:
        return search_space(plan)
    from optuna.distributions import IntDistribution  # optuna: only when a study runs

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
