"""Run a study's trials up to a global budget, whatever the number of workers.

Each worker repeats, under the study's :class:`~trainlab.tune.storage.BudgetLock`:
fail the trials of dead workers (:mod:`trainlab.tune.liveness`), count the
trials that use the budget, and if any is left, ask Optuna for a new trial and
sign it with the worker's token. It then runs the trial outside the lock and
tells Optuna how it ended (``skip_if_finished``: a trial failed meanwhile by
another worker is left as it is):

* COMPLETE with its value; PRUNED when the pruner stopped it;
* FAIL with ``user_attrs["fail_reason"]`` when training diverged (NaN/inf loss
  or gradient): the study goes on;
* a trial whose worker died (SIGKILL, power cut) or was interrupted is *lost*:
  failed with ``user_attrs["lost"] = True`` (:func:`mark_lost`),
  and its parameters are queued again, at most ``max_retries`` times (then the
  trial is marked ``given_up``), so at most the work of that trial is lost.
  Lost trials do not use the budget.

An unreachable PostgreSQL server is waited out (:mod:`trainlab.tune.outage`):
the worker then starts the loop again (a trial it was running is lost and
queued again; telling a result is retried).
"""

from __future__ import annotations

import time
import warnings

import optuna
from optuna.trial import TrialState

from trainlab.tune import optuna_adapter
from trainlab.tune.liveness import Heartbeat, Taken, Watch, is_lost, me  # noqa: F401 (public names)
from trainlab.tune.optuna_adapter import UpdateFinishedTrialError
from trainlab.tune.outage import Patience, is_outage

MAX_RETRIES = 2
_WATCHES: dict = {}


def uses_budget(t) -> bool:
    """Finished (but not lost) or running; a queued trial uses it once it runs."""
    if t.state == TrialState.FAIL:
        return not t.user_attrs.get("lost", False)
    return t.state != TrialState.WAITING


def counted(study) -> int:
    return sum(uses_budget(t) for t in study.get_trials(deepcopy=False))


def settled(study) -> bool:
    """True when no trial is running (here or on another machine)."""
    return not study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))


def mark_lost(study, t, reason: str, give_up: bool = False) -> bool:
    """Fail running trial ``t`` as lost, with its reason (and ``given_up`` when its
    parameters are not to run again); False if it had finished meanwhile (then
    nothing was lost). The attributes are written first, then the state: the
    state change alone decides, atomically in every storage, and a trial that
    finished meanwhile keeps its state (an attribute written to it before is
    ignored: only a FAIL trial counts as lost)."""
    storage = optuna_adapter.storage_of(study)
    tid = optuna_adapter.trial_id(storage, study.study_name, t.number)
    attrs = {"lost": True, "fail_reason": reason, **({"given_up": True} if give_up else {})}
    try:
        for key, value in attrs.items():
            storage.set_trial_user_attr(tid, key, value)
        return storage.set_trial_state_values(tid, TrialState.FAIL) is not False
    except UpdateFinishedTrialError:
        return False


def _root(t) -> int:
    return int(t.user_attrs.get("retry_of", t.number))


def _lost(trials) -> list:
    return [t for t in trials if t.state == TrialState.FAIL and t.user_attrs.get("lost")]


def gives_up(study, t, max_retries: int = MAX_RETRIES) -> bool:
    """Whether the parameters of ``t``, about to be lost, have run ``max_retries`` times
    again already (each time lost)."""
    return sum(_root(r) == _root(t) for r in _lost(study.get_trials(deepcopy=False))) >= max_retries


def requeue(study, names=()) -> None:
    """Queue again the parameters of every lost trial not yet queued nor given up (if
    it had drawn all of ``names``). Idempotent; call it under the budget lock."""
    trials = study.get_trials(deepcopy=False)
    handled = {r.user_attrs["requeue_of"] for r in trials if "requeue_of" in r.user_attrs}
    for t in _lost(trials):
        if (
            t.number in handled
            or t.user_attrs.get("given_up")
            or not t.params
            or not set(names) <= set(t.params)
        ):
            continue
        if any(
            "requeue_of" not in r.user_attrs and r.number > t.number and _root(r) == _root(t)
            for r in trials
        ):  # queued by an older trainlab
            continue
        study.enqueue_trial(t.params, user_attrs={"retry_of": _root(t), "requeue_of": t.number})


def lose(study, t, reason: str, names=(), max_retries: int = MAX_RETRIES) -> bool:
    """Mark ``t`` lost (see :func:`mark_lost`) and queue its parameters again unless
    they are given up; False if it had finished meanwhile."""
    done = mark_lost(study, t, reason, give_up=gives_up(study, t, max_retries))
    requeue(study, names)
    return done


def reap(study, storage=None, names=(), max_retries: int = MAX_RETRIES) -> int:
    """Fail (and queue again) the running trials of dead workers; returns how many.
    Call it under the budget lock."""
    running = study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))
    stale, store = None, optuna_adapter.storage_of(study)
    if optuna_adapter.has_heartbeat(store):  # judged by the database server's clock
        stale = optuna_adapter.stale_trial_numbers(store, study.study_name) if running else set()
    watch = _WATCHES.setdefault(study.study_name, Watch())
    n = sum(
        lose(study, t, "lost: its worker stopped before the trial finished", names, max_retries)
        for t in running
        if is_lost(t, watch, stale)
    )
    requeue(study, names)
    return n


def seed_number(trial) -> int:
    """The number that seeds a trial's training: a retried trial keeps the original's."""
    return int(trial.user_attrs.get("retry_of", trial.number))


def _start(study, distributions):
    with warnings.catch_warnings():  # "heartbeat is supposed to be used with optimize"
        warnings.simplefilter("ignore")
        trial = study.ask(distributions)
    store = optuna_adapter.storage_of(study)
    if optuna_adapter.has_heartbeat(store):  # first: every signed trial has a heartbeat row
        store.record_heartbeat(optuna_adapter.trial_id(store, study.study_name, trial.number))
    trial.set_user_attr("worker", me())
    return trial


def _tell(study, trial, value=None, state=None):
    try:
        return study.tell(trial, value, state=state, skip_if_finished=True)
    except UpdateFinishedTrialError:  # failed by another worker between check and write
        store = optuna_adapter.storage_of(study)
        return store.get_trial(optuna_adapter.trial_id(store, study.study_name, trial.number))


def _give_back(study, lock, trial, reason, names, max_retries) -> None:
    with lock:
        lose(study, trial, reason, names, max_retries)


def run_trials(
    study,
    storage,
    lock,
    budget: int,
    objective,
    distributions: dict,
    on_done=None,
    wait: bool = False,
    patience: Patience | None = None,
    max_retries: int = MAX_RETRIES,
) -> int:
    """Run trials of ``study`` until ``budget`` trials use the budget; returns how
    many this worker ran. Every parameter of ``distributions`` is sampled when the
    trial is created (so a lost trial can be queued again whole);
    ``objective(trial)`` returns the value, raises ``optuna.TrialPruned`` or a
    ``FloatingPointError`` (divergence). With ``wait``, return only once no trial
    is running anywhere, running again those whose workers died meanwhile.
    ``patience`` waits out storage outages (without one, they are raised)."""
    patience = patience or Patience("", 0.0)
    names, ran = tuple(distributions), 0
    while True:
        try:
            with lock:
                reap(study, storage, names, max_retries)
                trial = None
                if counted(study) < budget:
                    trial = _start(study, distributions)
                elif not wait or settled(study):
                    return ran
        except Exception as exc:  # an outage: the next round reaps what it left
            patience.wait(exc)
            continue
        if trial is None:
            time.sleep(1.0)  # trials of other workers are still running
            continue
        ran += 1
        frozen = _carry_out(study, lock, trial, objective, patience, names, max_retries)
        if frozen is not None and on_done is not None:
            on_done(frozen)


def _carry_out(study, lock, trial, objective, patience: Patience, names, max_retries: int):
    """Run ``trial`` and tell Optuna how it ended; returns the finished trial, or
    ``None`` when another worker failed it meanwhile or the storage was lost while it
    ran (its parameters run again)."""
    state, value = None, None
    try:
        value = objective(trial)
    except optuna.TrialPruned:
        state = TrialState.PRUNED
    except FloatingPointError as exc:
        state = TrialState.FAIL
        try:
            patience.call(trial.set_user_attr, "fail_reason", f"diverged: {exc}")
        except UpdateFinishedTrialError:
            return None
    except (Taken, UpdateFinishedTrialError):  # failed by another worker while it ran
        return None  # late: its parameters run again
    except BaseException as exc:
        outage = isinstance(exc, Exception) and is_outage(exc)
        if outage:
            patience.wait(exc)
        reason = (
            "lost: the storage was unreachable"
            if outage
            else f"lost: {type(exc).__name__} {exc}".strip()
        )
        patience.call(_give_back, study, lock, trial, reason, names, max_retries)
        if outage:
            return None
        raise
    try:
        return patience.call(_tell, study, trial, value, state)
    except UpdateFinishedTrialError:  # the fail_reason came too late
        return None
