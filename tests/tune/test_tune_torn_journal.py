"""A torn record in a study's journal (a full disk, a power cut, a writer killed
mid-write) is set aside, and the study continues with every finished trial."""

from __future__ import annotations

import json
import os
import time

import pytest
from optuna.trial import TrialState
from tune_testkit import TINY, cli_process, journal_study, tune

from trainlab.tune.journal import repair
from trainlab.tune.storage import FlockLock

TORN = b'{"op_code":4,"wor'
ARGS = ["--trials", "8", "--epochs", "90", "--train-size", "300"]  # ~0.1 s a trial


def _completed(out):
    return {
        t.number: (t.params, t.value)
        for t in journal_study(out).trials
        if t.state == TrialState.COMPLETE
    }


def _check(out, n: int, before: dict) -> None:
    trials = journal_study(out).trials
    done = _completed(out)
    assert len(done) == n and len(trials) == n  # exactly --trials, nothing lost
    assert [t.number for t in trials] == list(range(n))  # no duplicates
    assert all(done[k] == before[k] for k in before)  # every finished trial kept
    assert len({tuple(sorted(p.items())) for p, _ in done.values()}) == n


@pytest.fixture
def started(tmp_path):
    assert tune(tmp_path, "--trials", "4") == 0
    return tmp_path, _completed(tmp_path)


def test_torn_last_record_is_set_aside_and_the_rerun_completes(started, capsys):
    out, before = started
    journal = out / "study.journal"
    whole = journal.read_bytes()
    with open(journal, "ab") as fh:
        fh.write(TORN)
    capsys.readouterr()
    assert tune(out, "--trials", "7") == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("trainlab: warning: ")
    assert "torn record (17 bytes" in err[0] and "study.journal.torn-1" in err[0]
    assert (out / "study.journal.torn-1").read_bytes() == TORN  # set aside byte for byte
    assert journal.read_bytes().startswith(whole)  # nothing else touched
    _check(out, 7, before)


def test_a_journal_bricked_by_an_append_after_the_torn_record_is_repaired(started, capsys):
    """An older trainlab appended after a torn record; that record is glued on."""
    out, before = started
    journal = out / "study.journal"
    lines = journal.read_bytes().splitlines(keepends=True)
    last = lines[-1]
    journal.write_bytes(b"".join(lines[:-1]) + TORN + last)
    capsys.readouterr()
    assert tune(out, "--trials", "6") == 0
    assert "torn record" in capsys.readouterr().err
    assert (out / "study.journal.torn-1").read_bytes() == TORN
    assert journal.read_bytes().splitlines(keepends=True)[len(lines) - 1] == last  # kept
    _check(out, 6, before)


def test_a_torn_complete_line_and_zeros_from_a_power_cut_are_set_aside(tmp_path):
    path = tmp_path / "j.journal"
    good = b'{"op_code":0,"worker_id":"w","study_name":"s","directions":[1]}\n'
    for tail in (b'{"op_code":4,"worker_id"}\n', b"\0" * 4096):
        path.write_bytes(good + tail)
        repair(path)
        assert path.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "j.journal",
        "j.journal.torn-1",
        "j.journal.torn-2",
    ]
    assert (tmp_path / "j.journal.torn-2").read_bytes() == b"\0" * 4096


def test_a_record_torn_by_a_dead_writer_is_never_buried_by_the_next_append(tmp_path, capsys):
    from trainlab.tune.storage import open_storage

    path = tmp_path / "j.journal"
    storage = open_storage(str(path))
    sid = storage.create_new_study([], "s")  # the directions default to minimize
    with open(path, "ab") as fh:  # another process dies mid-write
        fh.write(TORN)
    storage.set_study_user_attr(sid, "k", 1)  # this process appends next
    assert "torn record" in capsys.readouterr().err
    for line in path.read_bytes().splitlines():
        json.loads(line)  # every line is a whole record
    assert open_storage(str(path)).get_study_user_attrs(sid) == {"k": 1}


def test_an_unreadable_record_in_the_middle_is_refused_in_one_line(started, capsys):
    out, _ = started
    journal = out / "study.journal"
    lines = journal.read_bytes().splitlines(keepends=True)
    lines[2] = b"not json at all\n"
    journal.write_bytes(b"".join(lines))
    capsys.readouterr()
    assert tune(out, "--trials", "6") == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("trainlab: error: journal ")
    assert "line 3" in err[0] and "study.journal" in err[0]


@pytest.mark.parametrize(
    "content",
    [
        b'{"a": 1}\n',
        b"[1, 2]\n",
        b"null\n",
        b"3\n",
        b'{"op_code": 99, "worker_id": "w"}\n',
        b'{"op_code": 4, "worker_id": "w", "trial_id": "x"}\n',
    ],
)
def test_a_journal_of_the_wrong_shape_is_refused_in_one_line(tmp_path, capsys, content):
    (tmp_path / "study.journal").write_bytes(content)
    assert tune(tmp_path, "--trials", "2") == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("trainlab: error: journal ")
    assert (tmp_path / "study.journal").read_bytes() == content  # left as it was


def test_a_fifo_as_journal_is_refused_not_waited_on(tmp_path, capsys):
    os.mkfifo(tmp_path / "study.journal")
    assert tune(tmp_path, "--trials", "2") == 2
    assert "is not a regular file" in capsys.readouterr().err


def _done_so_far(out) -> dict:
    try:
        return _completed(out)
    except (KeyError, OSError, ValueError):  # not created yet
        return {}


def test_a_writer_dying_mid_record_during_a_search_costs_nothing(tmp_path):
    """While a search runs, another writer tears a record under the journal's lock
    and dies; the search's next append sets the bytes aside and it finishes."""
    proc = cli_process("tune", "--out", str(tmp_path), *TINY, *ARGS)
    try:
        deadline = time.time() + 60
        while time.time() < deadline and len(_done_so_far(tmp_path)) < 2:
            time.sleep(0.05)
        assert proc.poll() is None, "the search finished before the damage"
        lock = FlockLock(str(tmp_path / "study.journal"))
        lock.acquire()
        with open(tmp_path / "study.journal", "ab") as fh:
            fh.write(TORN)
        lock.release()
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "torn record (17 bytes" in err and "Traceback" not in err
    assert (tmp_path / "study.journal.torn-1").read_bytes() == TORN
    _check(tmp_path, 8, {})
