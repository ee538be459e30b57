"""A search survives its PostgreSQL server: stopped (as a crash) and restarted
mid-search, stopped for longer than the retry budget, and its workers killed.

Each test runs ``trainlab tune`` as a child process against a real server on
127.0.0.1 (its own throwaway cluster, so stopping it disturbs no other test),
does the damage, and then reads the study's rows back to check that it ends
with exactly ``--trials`` completed trials, numbered without gaps or
duplicates, and that every trial completed before the damage is kept.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
import time

import optuna
import pytest
from optuna.trial import TrialState
from tune_testkit import ROOT, TINY, cli_process, worker_pids

SCRIPT = ROOT / "scripts" / "test-postgres.sh"
# enough trials that the damage lands mid-search even on an idle machine (a trial
# takes about 0.1 s there)
TRIALS = 40
# trials long enough (a few tens of ms each) that the damage done after the second lands
# while the search still runs
ARGS = ["--trials", str(TRIALS), "--epochs", "150", "--train-size", "300"]


def _pg(mode: str, folder: str) -> str:
    proc = subprocess.run(
        ["bash", str(SCRIPT), mode, folder], text=True, capture_output=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.fixture(scope="module")
def server():
    folder = tempfile.mkdtemp(prefix="trainlab-pgf-", dir="/tmp")
    try:
        url = _pg("start", folder).splitlines()[-1]
        yield url, folder
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", folder], capture_output=True, timeout=120)


def _trials(url: str, name: str):
    """The study's trials, read with Optuna itself; None while it cannot be read."""
    try:
        storage = optuna.storages.RDBStorage(url.replace("postgresql://", "postgresql+psycopg2://"))
        try:
            return optuna.load_study(study_name=name, storage=storage).trials
        finally:
            storage.engine.dispose()
    except Exception:  # not created yet
        return None


FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)


def _done(trials) -> dict:
    return {t.number: (t.params, t.value) for t in trials or () if t.state in FINISHED}


def _wait_for(url, name, proc, n: int, timeout: float = 120) -> dict:
    """The finished trials once ``n`` have finished, while the search still runs."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg2://"))
    query = sqlalchemy.text(
        "SELECT count(*) FROM trials t JOIN studies s USING (study_id) "
        "WHERE s.study_name = :n AND t.state IN ('COMPLETE', 'PRUNED')"
    )
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            try:
                with engine.connect() as conn:
                    finished = conn.execute(query, {"n": name}).scalar()
            except sqlalchemy.exc.ProgrammingError:  # no tables yet
                finished = 0
            if finished >= n:
                done = _done(_trials(url, name))
                assert proc.poll() is None and len(done) < TRIALS, (
                    "the search ended before the damage"
                )
                return done
            time.sleep(0.05)
    finally:
        engine.dispose()
    raise AssertionError(f"fewer than {n} trials completed in {timeout} s")


def _check_study(url, name, trials_asked: int, before: dict) -> None:
    trials = _trials(url, name)
    done = _done(trials)
    assert len(done) == trials_asked  # exactly --trials finished
    assert [t.number for t in trials] == list(range(len(trials)))  # no duplicates, no gaps
    assert all(done[n] == before[n] for n in before)  # every earlier result kept
    assert not [t for t in trials if t.state in (TrialState.RUNNING, TrialState.WAITING)]
    lost = [t for t in trials if t.state == TrialState.FAIL]
    assert all(t.user_attrs.get("lost") for t in lost)  # no trial failed for another reason
    assert len(trials) == trials_asked + len(lost)
    firsts = [t for t in trials if "retry_of" not in t.user_attrs]
    assert len({tuple(sorted(t.params.items())) for t in firsts}) == len(firsts)


def _stray_lines(err: str) -> bool:
    """True if anything but trainlab's own one-line messages reached stderr."""
    return any(not line.startswith("trainlab: ") for line in err.splitlines())


@pytest.mark.parametrize("pruner", ["none", "median"])  # median: each epoch reports
def test_server_stopped_and_restarted_mid_search_the_study_finishes(server, tmp_path, pruner):
    url, folder = server
    name = f"outage-{tmp_path.name}"
    proc = cli_process(
        "tune",
        *TINY,
        *ARGS,
        "--storage",
        url,
        "--study-name",
        name,
        "--out",
        str(tmp_path / "o"),
        "--pruner",
        pruner,
    )
    try:
        before = _wait_for(url, name, proc, 3)
        _pg("halt", folder)  # as a crash: no clean shutdown
        time.sleep(6)
        _pg("start", folder)
        out, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert not _stray_lines(err), err
    notes = [line for line in err.splitlines() if "unreachable" in line]
    assert len(notes) == 1 and notes[0].startswith("trainlab: storage postgresql://"), err
    _check_study(url, name, TRIALS, before)


@pytest.mark.parametrize("workers", [1, 2])
def test_server_down_longer_than_the_budget_stops_with_the_resume_command(
    server, tmp_path, workers
):
    url, folder = server
    name = f"down-{tmp_path.name}"
    proc = cli_process(
        "tune",
        *TINY,
        *ARGS,
        "--storage",
        url,
        "--study-name",
        name,
        "--out",
        str(tmp_path / "o"),
        "--storage-wait",
        "3",
        "--workers",
        str(workers),
    )
    try:
        before = _wait_for(url, name, proc, 2)
        _pg("halt", folder)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
        _pg("start", folder)
    assert proc.returncode == 2, err
    assert not _stray_lines(err), err
    lines = err.strip().splitlines()
    assert len(lines) == workers + 1, err  # the outage seen by each worker, the error
    assert all("unreachable" in x and "retrying for up to 3 s" in x for x in lines[:-1])
    assert (
        lines[-1].startswith("trainlab: error: storage postgresql://")
        and "resume with: " in lines[-1]
    )
    command = shlex.split(lines[-1].split("resume with: ", 1)[1])
    assert command[0] == "trainlab" and "--storage" in command

    again = cli_process(*command[1:])  # the resume command, as printed
    out, err = again.communicate(timeout=240)
    assert again.returncode == 0, err
    _check_study(url, name, TRIALS, before)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:  # a backend whose session had just ended
        pass


def _freeze(folder: str) -> list[int]:
    """SIGSTOP the server: the postmaster first, so that no backend is forked after
    the list of its children is read (one that were would serve the search on)."""
    with open(f"{folder}/data/postmaster.pid") as fh:
        main = int(fh.readline())
    _signal(main, signal.SIGSTOP)
    kids = _children(main)
    for pid in kids:
        _signal(pid, signal.SIGSTOP)
    return [main, *kids]


def test_a_frozen_server_meets_a_deadline_and_the_search_goes_on(server, tmp_path, monkeypatch):
    """SIGSTOP: the kernel still acknowledges every packet, so no TCP timeout fires;
    only the client's own deadline (here 2 s) notices."""
    url, folder = server
    name = f"frozen-{tmp_path.name}"
    monkeypatch.setenv("TRAINLAB_PG_DEADLINE_S", "2")
    # longer trials (about 0.4 s): on a busy machine a search of shorter ones could reach
    # its end (which may need no server call) before the freeze is over
    proc = cli_process(
        "tune",
        *TINY,
        *ARGS,
        "--epochs",
        "600",
        "--storage",
        url,
        "--study-name",
        name,
        "--out",
        str(tmp_path / "o"),
    )
    pids = []
    try:
        before = _wait_for(url, name, proc, 2)
        pids = _freeze(folder)
        assert proc.poll() is None, "the search ended before the server froze"
        time.sleep(8)
    finally:
        for pid in pids:
            _signal(pid, signal.SIGCONT)
    try:
        out, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert not _stray_lines(err), err
    notes = [line for line in err.splitlines() if "unreachable" in line]
    # a line at all means a deadline fired (the call's, 2 s here, or the connection's, 5 s):
    # without one the worker would have sat silent until SIGCONT
    assert len(notes) == 1 and notes[0].startswith("trainlab: storage postgresql://"), err
    _check_study(url, name, TRIALS, before)


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rpartition(")")[2].split()[1]) == pid:
                        kids.append(int(entry))
            except OSError:
                pass
    return kids


def test_a_killed_worker_loses_one_trial_and_the_study_finishes(server, tmp_path):
    url, _ = server
    name = f"kill-{tmp_path.name}"
    proc = cli_process(
        "tune",
        *TINY,
        *ARGS,
        "--storage",
        url,
        "--study-name",
        name,
        "--out",
        str(tmp_path / "o"),
        "--workers",
        "2",
    )
    try:
        before = _wait_for(url, name, proc, 2)
        os.kill(worker_pids(proc.pid)[0], signal.SIGKILL)
        out, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert not _stray_lines(err), err
    _check_study(url, name, TRIALS, before)
    trials = _trials(url, name)
    lost = [t for t in trials if t.user_attrs.get("lost")]
    assert len(lost) <= 1
