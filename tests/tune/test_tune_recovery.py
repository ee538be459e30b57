"""A worker killed with SIGKILL loses at most the trial it was running."""

from __future__ import annotations

import os
import signal
import time

from optuna.trial import TrialState
from tune_testkit import TINY, cli_process, journal_study, tune, worker_pids

ARGS = ["--trials", "12", "--epochs", "120", "--train-size", "300"]  # ~0.1 s a trial


def test_sigkill_mid_study_then_rerun_finishes_it(tmp_path):
    proc = cli_process("tune", "--out", str(tmp_path), *TINY, *ARGS)
    try:
        deadline = time.time() + 60
        done = []
        while time.time() < deadline and len(done) < 3:
            time.sleep(0.05)
            if (tmp_path / "study.journal").exists():
                try:
                    done = [
                        t for t in journal_study(tmp_path).trials if t.state == TrialState.COMPLETE
                    ]
                except KeyError:  # the study is not created yet
                    pass
        assert proc.poll() is None, "the worker finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    before = {
        t.number: (t.params, t.value)
        for t in journal_study(tmp_path).trials
        if t.state == TrialState.COMPLETE
    }
    assert len(before) >= 3

    assert tune(tmp_path, *ARGS) == 0  # the same command again

    trials = journal_study(tmp_path).trials
    after = {t.number: (t.params, t.value) for t in trials if t.state == TrialState.COMPLETE}
    assert all(after[n] == before[n] for n in before)  # every finished trial is still there
    lost = [t for t in trials if t.user_attrs.get("lost")]
    assert len(lost) <= 1 and all(t.state == TrialState.FAIL for t in lost)
    for t in lost:  # its configuration runs again (if it was drawn whole)
        retry = [r for r in trials if r.user_attrs.get("retry_of") == t.number]
        assert len(retry) == (1 if set(t.params) == {"lr", "weight_decay"} else 0)
        assert all(r.params == t.params and r.state == TrialState.COMPLETE for r in retry)
    assert len(trials) == 12 + len(lost)
    assert sum(t.state == TrialState.COMPLETE for t in trials) == 12
    assert not any(t.state == TrialState.RUNNING for t in trials)


def test_a_killed_worker_of_two_loses_at_most_its_trial(tmp_path):
    proc = cli_process("tune", "--out", str(tmp_path), *TINY, *ARGS, "--workers", "2")
    try:
        deadline, done = time.time() + 60, []
        while time.time() < deadline and len(done) < 2:
            time.sleep(0.05)
            try:
                done = [t for t in journal_study(tmp_path).trials if t.state == TrialState.COMPLETE]
            except (KeyError, OSError, ValueError):  # the study is not created yet
                pass
        assert proc.poll() is None, "the search finished before a worker could be killed"
        os.kill(worker_pids(proc.pid)[0], signal.SIGKILL)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    trials = journal_study(tmp_path).trials
    lost = [t for t in trials if t.user_attrs.get("lost")]
    assert len(lost) <= 1 and sum(t.state == TrialState.COMPLETE for t in trials) == 12
    assert len(trials) == 12 + len(lost) and [t.number for t in trials] == list(range(len(trials)))
    assert not any(t.state in (TrialState.RUNNING, TrialState.WAITING) for t in trials)
