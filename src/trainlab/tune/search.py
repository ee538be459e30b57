"""The notes' hyperparameter search on an Optuna study, and what it concludes.

:func:`search` creates (or resumes) the study and runs its trials with one or
more workers; :func:`conclude` ranks the finished trials, suggests narrower
ranges for the next round, and retrains the best configuration once to measure
it on the test set, which no trial ever sees.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import optuna
from optuna.trial import TrialState

from trainlab.errors import ConfigError
from trainlab.train.parallel import blas, run_processes
from trainlab.tune.objective import Objective, Setup, load_split, train_once
from trainlab.tune.outage import EXIT_STORAGE_DOWN, RETRY_S, Patience, exits
from trainlab.tune.samplers import make_pruner, make_sampler
from trainlab.tune.space import LABELS, grid_points, grid_values, narrow, parse_space
from trainlab.tune.storage import BudgetLock, open_storage
from trainlab.tune.trials import MAX_RETRIES, run_trials, seed_number

#: settings that must match for a study to be resumed
SETTINGS = (
    "dataset",
    "train_size",
    "val_ratio",
    "hidden",
    "batch_size",
    "epochs",
    "optimizer",
    "seed",
    "sampler",
    "pruner",
    "grid_points",
)
#: ... and with a data file (``--data``)
FILE_SETTINGS = ("data", "target_column", "task", "scale", "split_seed", "test_ratio")
HEADER = "=========== Hyper-Parameter Optimization Result ==========="


def budget(cfg: dict, space: dict) -> int:
    """Trials to run: ``cfg['trials']``, or fewer when the grid is smaller."""
    if cfg["sampler"] != "grid":
        return cfg["trials"]
    sizes = [len(grid_values(p, cfg["grid_points"])) for p in space.values()]
    return min(cfg["trials"], int(np.prod(sizes)))


def _settings(cfg: dict, space: dict) -> dict:
    out: dict[str, Any] = {
        k: cfg.get(k) for k in SETTINGS + (FILE_SETTINGS if cfg.get("data") else ())
    }
    out["hidden"] = list(out["hidden"])
    if cfg["sampler"] != "grid":
        out["grid_points"] = None
    out["space"] = {p.name: [p.low, p.high, p.log, p.int] for p in space.values()}
    return out


def _sampler(cfg, space, seed, n):
    return make_sampler(cfg["sampler"], space, seed, budget=n, points=cfg["grid_points"])


def open_study(cfg: dict):
    """Create or load the study; refuse one made with other settings."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = parse_space(cfg["space"])
    cfg.setdefault("grid_points", None)
    cfg["grid_points"] = grid_points(space, cfg["trials"], cfg["grid_points"])
    storage = open_storage(cfg["storage"])
    study = optuna.create_study(
        storage=storage,
        study_name=cfg["study_name"],
        direction="maximize",
        load_if_exists=True,
        sampler=_sampler(cfg, space, cfg["seed"], budget(cfg, space)),
        pruner=make_pruner(cfg["pruner"], cfg["epochs"]),
    )
    mine = _settings(cfg, space)
    theirs = study.user_attrs.get("settings")
    if theirs is None:
        study.set_user_attr("settings", mine)
    elif theirs != mine:
        diff = ", ".join(k for k in mine if mine[k] != theirs.get(k))
        raise ConfigError(
            f"study {cfg['study_name']!r} in {cfg['storage']} was made with other "
            f"settings ({diff}); pass another --study-name or --out to start afresh"
        )
    return study, storage, space


def _printer(space):
    def show(t):
        if t.state == TrialState.COMPLETE:
            head = f"val acc:{t.value}"
        elif t.state == TrialState.PRUNED:
            head = f"pruned at epoch {len(t.intermediate_values)}"
        else:
            head = f"failed ({t.user_attrs.get('fail_reason', 'error')})"
        print(f"trial {t.number}: {head} | {describe(t.params, space)}", flush=True)

    return show


def patience(cfg: dict) -> Patience:
    return Patience(cfg["storage"], cfg.get("storage_wait", RETRY_S), cfg.get("resume"))


def work(cfg: dict, index: int = 0, wait: bool = False) -> int:
    """One worker: run trials of the study until its budget is used; returns how many.
    With ``wait``, also wait until no trial runs anywhere."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = parse_space(cfg["space"])
    wait_out = patience(cfg)
    storage = wait_out.call(open_storage, cfg["storage"])
    n = budget(cfg, space)
    study = wait_out.call(optuna.load_study, study_name=cfg["study_name"], storage=storage)
    seed = cfg["seed"]
    if cfg["sampler"] == "tpe":  # distinct, reproducible streams per worker and resume
        seed = int(
            np.random.SeedSequence(
                [seed, index, len(study.get_trials(deepcopy=False))]
            ).generate_state(1)[0]
        )
    study.sampler = _sampler(cfg, space, seed, n)
    study.pruner = make_pruner(cfg["pruner"], cfg["epochs"])
    lock = BudgetLock(cfg["storage"], cfg["study_name"])
    try:
        objective = Objective(Setup.of(cfg), report=cfg["pruner"] != "none")
        distributions = {p.name: p.distribution() for p in space.values()}
        return run_trials(
            study,
            storage,
            lock,
            n,
            objective,
            distributions,
            on_done=None if cfg.get("quiet") else _printer(space),
            wait=wait,
            patience=wait_out,
            max_retries=cfg.get("max_retries", MAX_RETRIES),
        )
    finally:
        lock.close()


def search(cfg: dict, workers: int = 1):
    """Run the study to its budget with ``workers`` processes; returns the study
    once no trial is running anywhere (other machines included)."""
    study, _, _ = open_study(cfg)
    Objective(Setup.of(cfg))  # bad data settings fail here, before any worker starts
    if workers > 1:
        codes = run_processes(exits, workers, work, cfg)
        if EXIT_STORAGE_DOWN in codes:
            raise patience(cfg).down("seen by the worker processes")
        if any(codes):
            print(
                f"trainlab: warning: worker exit codes {codes}; finishing the study here",
                file=sys.stderr,
            )
    with blas():  # the workers' rule: the same bits with any number of workers
        work(cfg, 0, wait=True)  # what is left (a worker died), then wait for other machines
    return snapshot(study, patience(cfg))


def snapshot(study, wait_out: Patience):
    """An in-memory copy of the finished study: what is concluded from it and written
    next needs no server (an outage now could not stop it half way)."""
    trials = wait_out.call(study.get_trials)
    copy = optuna.create_study(direction="maximize", study_name=study.study_name)
    copy.add_trials(trials)
    return copy


def describe(params: dict, space: dict) -> str:
    """``lr:0.0095, weight decay:2.7e-07`` as the notes print it."""
    return ", ".join(f"{LABELS.get(k, k)}:{params[k]}" for k in space if k in params)


def ranked(study) -> list:
    """Completed trials, best validation accuracy first (ties: earlier trial first)."""
    done = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    return sorted(done, key=lambda t: (-t.value, t.number))


def listing(trials, space) -> list[str]:
    return [HEADER] + [
        f"Best-{i}(val acc:{t.value}) | {describe(t.params, space)}"
        for i, t in enumerate(trials, 1)
    ]


def counts(study) -> dict:
    c: dict[str, Any] = {"complete": 0, "pruned": 0, "failed": 0, "lost": 0, "given up": []}
    for t in study.get_trials(deepcopy=False):
        if t.state == TrialState.FAIL:
            c["lost" if t.user_attrs.get("lost") else "failed"] += 1
            if t.user_attrs.get("given_up"):
                c["given up"].append(t.number)
        elif t.state in (TrialState.COMPLETE, TrialState.PRUNED):
            c[t.state.name.lower()] += 1
    return c


def suggest_ranges(trials, space, top: int = 5) -> dict:
    """Narrowed ranges from the ``top`` best trials (``{}`` with fewer than 2)."""
    best = trials[:top]
    if len(best) < 2:
        return {}
    return {name: narrow(p, [t.params[name] for t in best]) for name, p in space.items()}


def conclude(cfg: dict, study, top: int = 5) -> dict:
    """Ranking, suggested ranges and the best configuration's test accuracy."""
    space = parse_space(cfg["space"])
    order = ranked(study)
    result = {
        "ranked": order,
        "listing": listing(order, space),
        "counts": counts(study),
        "suggested": suggest_ranges(order, space, top),
        "best": None,
    }
    if order:
        setup = Setup.of(cfg)
        train, val, (x_test, t_test), info = load_split(setup)
        best = order[0]
        trainer = train_once(setup, best.params, train, val, seed_number(best), info)
        test_loss, test_acc = trainer.network.evaluate(x_test, t_test)  # the one test evaluation
        result["best"] = {
            "trial": best.number,
            "params": dict(best.params),
            "val_acc": best.value,
            "retrained_val_acc": float(trainer.history["val_acc"][-1]),
            "test_acc": float(test_acc),
            "test_loss": float(test_loss),
            "n_test": int(len(x_test)),
        }
    return result
