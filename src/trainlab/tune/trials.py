"""Run a study's trials up to a global budget, whatever the number of workers.

Each worker repeats, under the study's :class:`~trainlab.tune.storage.BudgetLock`:
fail the trials of dead workers, count the trials that use the budget, and if
any is left, ask Optuna for a new trial. It then runs the trial outside the
lock and tells Optuna how it ended:

* COMPLETE with its value; PRUNED when the pruner stopped it;
* FAIL with ``user_attrs["fail_reason"]`` when training diverged (NaN/inf loss
  or gradient): the study goes on;
* a trial whose worker died (SIGKILL, power cut) or was interrupted is failed
  with ``user_attrs["lost"] = True`` and its parameters are queued again, so
  at most the work of that trial is lost.  Lost trials do not use the budget.

Each trial is signed ``user_attrs["worker"] = {"host", "pid"}`` while the lock
is held. Its worker is known dead when it ran on this host and that process is
gone, or, from another host, when its heartbeat (``user_attrs["heartbeat"]``,
refreshed every :data:`HEARTBEAT_S` seconds while training; the machines'
clocks must agree) is older than :data:`GRACE_S`.
"""

from __future__ import annotations

import os
import socket
import time

import optuna
from optuna.trial import TrialState

HEARTBEAT_S = 10.0
GRACE_S = 120.0
HOST = socket.gethostname()


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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as fh:       # a zombie is dead too
            return fh.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _is_lost(t, now: float) -> bool:
    """Called under the budget lock, which a worker holds from creating a trial
    until it has signed it with its host and pid: an unsigned trial is orphaned."""
    attrs = t.user_attrs
    worker = attrs.get("worker")
    if not worker:
        return True
    if worker["host"] == HOST:     # a process runs one trial at a time: never its own
        return worker["pid"] == os.getpid() or not _alive(int(worker["pid"]))
    beat = attrs.get("heartbeat") or (t.datetime_start.timestamp() if t.datetime_start else now)
    return now - beat > GRACE_S


def abandon(study, storage, t, reason: str, names=()) -> None:
    """Fail trial ``t`` as lost and queue its parameters again if it had drawn
    all of ``names`` (a worker killed while they were being written leaves some out)."""
    tid = storage.get_trial_id_from_study_id_trial_number(
        storage.get_study_id_from_name(study.study_name), t.number)
    try:
        storage.set_trial_user_attr(tid, "lost", True)
        storage.set_trial_user_attr(tid, "fail_reason", reason)
        storage.set_trial_state_values(tid, TrialState.FAIL)
    except RuntimeError:            # it finished meanwhile: nothing was lost
        return
    if t.params and set(names) <= set(t.params):
        study.enqueue_trial(t.params, user_attrs={"retry_of": t.user_attrs.get("retry_of", t.number)})


def reap(study, storage, names=()) -> int:
    """Fail (and queue again) the running trials of dead workers; returns how many."""
    now, n = time.time(), 0
    for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        if _is_lost(t, now):
            abandon(study, storage, t, "lost: its worker stopped before the trial finished", names)
            n += 1
    return n


class Heartbeat:
    """Trainer callback: refresh the trial's heartbeat while it trains."""

    def __init__(self, trial):
        self.trial, self.last = trial, time.time()

    def on_step(self, trainer, it, loss):
        now = time.time()
        if now - self.last >= HEARTBEAT_S:
            self.trial.set_user_attr("heartbeat", now)
            self.last = now


def seed_number(trial) -> int:
    """The number that seeds a trial's training: a retried trial keeps the original's."""
    return int(trial.user_attrs.get("retry_of", trial.number))


def run_trials(study, storage, lock, budget: int, objective, distributions: dict,
               on_done=None, wait: bool = False) -> int:
    """Run trials of ``study`` until ``budget`` trials use the budget; returns how
    many this worker ran. Every parameter of ``distributions`` is sampled when the
    trial is created (so a lost trial can be queued again whole);
    ``objective(trial)`` returns the value, raises ``optuna.TrialPruned`` or a
    ``FloatingPointError`` (divergence). With ``wait``, return only once no trial
    is running anywhere, running again those whose workers died meanwhile."""
    ran = 0
    while True:
        with lock:
            reap(study, storage, distributions)
            trial = None
            if counted(study) < budget:
                trial = study.ask(distributions)
                trial.set_user_attr("worker", {"host": HOST, "pid": os.getpid()})
            elif not wait or settled(study):
                return ran
        if trial is None:
            time.sleep(1.0)      # trials of other workers are still running
            continue
        ran += 1
        try:
            value = objective(trial)
        except optuna.TrialPruned:
            frozen = study.tell(trial, state=TrialState.PRUNED)
        except FloatingPointError as exc:
            trial.set_user_attr("fail_reason", f"diverged: {exc}")
            frozen = study.tell(trial, state=TrialState.FAIL)
        except BaseException as exc:
            with lock:
                abandon(study, storage, study.get_trials(deepcopy=False)[trial.number],
                        f"lost: {type(exc).__name__} {exc}".strip(), distributions)
            raise
        else:
            frozen = study.tell(trial, value)
        if on_done is not None:
            on_done(frozen)
