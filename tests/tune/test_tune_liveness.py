"""Worker liveness that cannot kill the living or wait for the dead.

Trials are signed as real and fake workers would sign them; :func:`reap` (which
every worker calls under the budget lock) must fail exactly the dead ones.
"""

from __future__ import annotations

import os
import subprocess
import time
import uuid

import optuna
import pytest
from optuna.distributions import FloatDistribution
from optuna.trial import TrialState

from trainlab.tune import trials as tr
from trainlab.tune.liveness import Heartbeat, Taken, Watch, me, start_time
from trainlab.tune.search import counts
from trainlab.tune.storage import BudgetLock, open_storage

DIST = {"lr": FloatDistribution(1e-6, 1e-2, log=True)}


@pytest.fixture
def journal(tmp_path):
    spec = str(tmp_path / "s.journal")
    study = optuna.create_study(storage=open_storage(spec), study_name="s", direction="maximize")
    return spec, study


def _running(study, worker):
    trial = study.ask(DIST)
    trial.set_user_attr("worker", worker)
    return trial


def _state(study, trial):
    return next(t for t in study.get_trials() if t.number == trial.number)


def _queued(study) -> list:
    """The parameters and origin of the trials queued to run again."""
    return [
        (t.system_attrs["fixed_params"], t.user_attrs["retry_of"])
        for t in study.get_trials(states=(TrialState.WAITING,))
    ]


def _dead_worker() -> dict:
    p = subprocess.Popen(["true"])
    p.wait()
    return {**me(), "token": "dead", "pid": p.pid, "started": 12345}


def test_a_reused_pid_does_not_keep_a_dead_trial_running(journal):
    _, study = journal
    sleeper = subprocess.Popen(["sleep", "60"])  # a live process with the dead one's pid
    try:
        live = {**me(), "token": "live", "pid": sleeper.pid, "started": start_time(sleeper.pid)}
        reused = {**live, "token": "dead", "started": live["started"] - 1}
        alive_t, dead_t = _running(study, live), _running(study, reused)
        assert tr.reap(study, None, ("lr",)) == 1
    finally:
        sleeper.kill()
        sleeper.wait()
    assert _state(study, alive_t).state == TrialState.RUNNING
    dead = _state(study, dead_t)
    assert dead.state == TrialState.FAIL and dead.user_attrs["lost"] is True
    assert _queued(study) == [(dead.params, dead.number)]


def test_a_live_trial_of_another_machine_with_a_skewed_clock_is_not_reaped(journal, monkeypatch):
    _, study = journal
    # same host name and pid as this process, another machine (boot id), a clock a year off
    other = {**me(), "token": "other", "boot": "another-machine", "started": 1}
    trial = _running(study, other)
    trial.set_user_attr("heartbeat", time.time() - 86400)  # its wall clock is a day behind
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 365 * 86400)
    monkeypatch.setattr(tr, "_WATCHES", {"s": Watch(grace=1.0)})
    beat, end = Heartbeat(trial, interval=0.0), time.monotonic() + 3.0
    while time.monotonic() < end:  # it keeps beating: never reaped
        beat.beat()
        assert tr.reap(study, None, ("lr",)) == 0
        time.sleep(0.2)
    assert _state(study, trial).state == TrialState.RUNNING
    time.sleep(1.5)  # it stops beating: reaped after the grace period
    assert tr.reap(study, None, ("lr",)) == 1
    assert _state(study, trial).user_attrs["lost"] is True


@pytest.mark.filterwarnings("ignore:Heartbeat of storage")  # ask() outside optimize()
def test_on_postgres_the_database_server_clock_decides(postgres_url, monkeypatch):
    storage = open_storage(postgres_url)
    storage.heartbeat_interval, storage.grace_period = 1, 2
    study = optuna.create_study(
        storage=storage, study_name=f"skew-{uuid.uuid4().hex[:8]}", direction="maximize"
    )
    trial = _running(study, {**me(), "token": "other", "boot": "another-machine", "started": 1})
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 365 * 86400)  # this machine's clock is off
    beat, end = Heartbeat(trial, interval=0.0), time.monotonic() + 4.0
    while time.monotonic() < end:
        beat.beat()  # Optuna's RDB heartbeat, stamped by the server
        assert tr.reap(study, storage, ("lr",)) == 0
        time.sleep(0.3)
    time.sleep(3.0)
    assert tr.reap(study, storage, ("lr",)) == 1
    lost = study._storage.get_trial(trial._trial_id)
    assert lost.state == TrialState.FAIL and lost.user_attrs["lost"] is True
    assert "worker stopped" in lost.user_attrs["fail_reason"]
    assert _queued(study) == [(lost.params, lost.number)]
    storage.engine.dispose()


def test_a_lost_trial_is_marked_and_its_state_change_decides(journal, monkeypatch):
    _, study = journal
    trial = _running(study, _dead_worker())
    assert tr.mark_lost(study, trial, "lost: test") is True
    frozen = _state(study, trial)
    assert frozen.state == TrialState.FAIL and frozen.user_attrs["fail_reason"] == "lost: test"
    assert tr.mark_lost(study, trial, "lost: again") is False  # finished: left as it is
    assert _state(study, trial).user_attrs["fail_reason"] == "lost: test"
    # its worker finishes it between the attributes and the state: it stays complete
    late = _running(study, _dead_worker())
    storage = study._storage  # the test reaches in to interleave the two writers
    fail = storage.set_trial_state_values

    def finished_first(trial_id, state, values=None):
        monkeypatch.undo()
        study.tell(late, 0.5)
        return fail(trial_id, state, values)

    monkeypatch.setattr(storage, "set_trial_state_values", finished_first)
    assert tr.mark_lost(study, late, "lost: too late") is False
    done = _state(study, late)
    assert done.state == TrialState.COMPLETE and done.value == 0.5
    assert tr.uses_budget(done) and counts(study)["complete"] == 1 and counts(study)["lost"] == 1
    tr.requeue(study, ("lr",))
    assert _queued(study) == [(trial.params, trial.number)]  # the lost one only


@pytest.mark.parametrize("cap", [0, 2])
def test_retries_of_the_same_parameters_are_capped_and_reported(journal, cap):
    _, study = journal
    _running(study, _dead_worker())
    for _ in range(cap + 3):  # its worker dies every time
        tr.reap(study, None, ("lr",), max_retries=cap)
        if not study.get_trials(states=(TrialState.WAITING,)):
            break
        _running(study, _dead_worker())
    runs = study.get_trials()
    assert len(runs) == cap + 1 and len({t.params["lr"] for t in runs}) == 1
    assert all(t.state == TrialState.FAIL and t.user_attrs["lost"] for t in runs)
    assert counts(study)["given up"] == [cap]


@pytest.mark.parametrize("late", ["heartbeat", "tell"])
def test_a_worker_whose_trial_was_failed_by_another_carries_on_quietly(journal, late, capsys):
    spec, study = journal
    taken = []

    def objective(trial):
        if not taken:  # the first trial is reaped while it trains
            taken.append(trial.number)
            assert tr.mark_lost(study, trial, "lost: late")
            if late == "heartbeat":
                Heartbeat(trial, interval=0.0).on_step(None, 0, 0.0)
                raise AssertionError("the heartbeat should have stopped the training")
        return 0.5

    lock = BudgetLock(spec, "s")
    ran = tr.run_trials(study, None, lock, 3, objective, DIST)
    lock.close()
    assert ran == 4 and capsys.readouterr().err == ""
    runs = study.get_trials()
    assert [t.state for t in runs].count(TrialState.COMPLETE) == 3
    assert runs[0].state == TrialState.FAIL and runs[0].user_attrs["lost"]
    assert [t.user_attrs.get("retry_of") for t in runs[1:]].count(0) == 1


def test_taken_is_raised_only_for_a_finished_trial(journal):
    _, study = journal
    trial = _running(study, me())
    Heartbeat(trial, interval=0.0).beat()
    study.tell(trial, 1.0)
    with pytest.raises(Taken):
        Heartbeat(trial, interval=0.0).beat()


def test_this_process_start_time_is_read():
    assert start_time(os.getpid()) == me()["started"] and me()["started"] > 0


@pytest.mark.parametrize(
    "extra, words",
    [
        (["--max-retries", "-1"], "--max-retries"),
        (["--storage-wait", "nan"], "--storage-wait"),
        (["--storage-wait", "-5"], "--storage-wait"),
        (["--storage-wait", "1e308"], "--storage-wait"),
        (
            ["--storage", "postgresql://u:secret@h:y/db"],
            "malformed --storage URL postgresql://u@h:y/db",
        ),
    ],
)
def test_bad_retry_and_wait_options_fail_in_one_line(tmp_path, capsys, extra, words):
    from tune_testkit import TINY

    from trainlab.cli import main

    assert main(["tune", "--out", str(tmp_path / "o"), *TINY, *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("trainlab: error: ") and words in err[0]
    assert "secret" not in err[0]
