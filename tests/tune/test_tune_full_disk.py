"""A full disk under a search journal or a run folder ends with exit 2 and one line
naming the file; every finished trial stays in the journal and a rerun, once space
is free, finishes the study with exactly ``--trials`` trials. A ``--storage`` path
under a missing folder is refused, and no folder is created for it.

The full disk is a small simulated one (tests cannot mount a file system): writes
to files in one folder fail with ENOSPC once it holds ``capacity`` bytes, after
writing the part that fits, as a real full disk does. A run of the same search on a
256 kB tmpfs behaves the same (docs/reliability.md)."""

from __future__ import annotations

import builtins
import contextlib
import errno
import io
from pathlib import Path

from optuna.trial import TrialState
from tune_testkit import TINY, journal_study

import trainlab.atomic
import trainlab.tune.journal
from trainlab.cli import main

TRIALS = 6


class SmallDisk:
    """Files under ``folder`` share ``capacity`` bytes."""

    def __init__(self, folder: Path, capacity: int):
        self.folder, self.capacity = folder, capacity

    def free(self) -> int:
        return self.capacity - sum(p.stat().st_size for p in self.folder.iterdir())

    def open(self, path, mode="r", *args, **kwargs):
        handle = builtins.open(path, mode, *args, **kwargs)
        inside = Path(path).resolve().parent == self.folder.resolve()
        return _Limited(handle, self) if inside and set(mode) & set("wa+") else handle


class _Limited:
    def __init__(self, handle, disk):
        self._handle, self._disk = handle, disk

    def write(self, data):
        room = self._disk.free()
        if len(data) > room:
            self._handle.write(data[: max(room, 0)])
            self._handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


def call(*argv):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, err.getvalue().splitlines()


def search(out, journal):
    return call("tune", "--out", out, *TINY, "--trials", TRIALS, "--storage", journal)


def test_a_full_disk_under_the_journal_is_one_line_and_the_study_survives(tmp_path, monkeypatch):
    disk = tmp_path / "disk"
    disk.mkdir()
    journal = disk / "study.journal"
    small = SmallDisk(disk, capacity=6000)  # room for the study and about half its trials
    monkeypatch.setattr(trainlab.tune.journal, "open", small.open, raising=False)
    code, lines = search(tmp_path / "out", journal)
    assert code == 2 and len(lines) == 1, lines
    assert lines[0] == (
        f"trainlab: error: cannot write journal {journal}: No space left on device; "
        "free some disk space, then rerun the same command: the study resumes with its "
        "finished trials"
    )
    assert sorted(p.name for p in disk.iterdir() if p.name.endswith(".tmp")) == []
    # what was finished is readable by Optuna itself
    before = {
        t.number: (t.params, t.value)
        for t in journal_study(disk, file="study.journal").trials
        if t.state == TrialState.COMPLETE
    }
    assert 0 < len(before) < TRIALS
    monkeypatch.undo()  # space freed
    code, lines = search(tmp_path / "out", journal)
    assert code == 0, lines
    study = journal_study(disk, file="study.journal")
    done = {t.number: (t.params, t.value) for t in study.trials if t.state == TrialState.COMPLETE}
    assert len(done) == TRIALS and all(done[n] == before[n] for n in before)


def test_a_full_disk_under_a_run_folder_is_one_line_naming_the_file(tmp_path, monkeypatch):
    out = tmp_path / "run"
    argv = ["train", "--hidden", "8", "--train-size", "100", "--epochs", "1", "--quiet"]
    assert call(*argv, "--out", out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    # room for the same files again, but not for the completion marker written last
    small = SmallDisk(out, capacity=sum(map(len, before.values())) + 50)
    monkeypatch.setattr(trainlab.atomic.os, "fdopen", _fdopen_on(small))
    code, lines = call(*argv, "--out", out, "--overwrite")
    monkeypatch.undo()
    assert code == 2 and len(lines) == 1, lines
    assert lines[0].startswith(f"trainlab: error: cannot write {out}/")
    assert lines[0].endswith(
        ": No space left on device; free some disk space or choose another output folder "
        "(earlier files are intact)"
    )
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def _fdopen_on(disk: SmallDisk):
    real = trainlab.atomic.os.fdopen

    def fdopen(fd, mode="r", *args, **kwargs):
        return _Limited(real(fd, mode, *args, **kwargs), disk)

    return fdopen


def test_a_storage_path_under_a_missing_folder_is_refused_and_not_created(tmp_path):
    journal = tmp_path / "no" / "such" / "study.journal"
    code, lines = search(tmp_path / "out", journal)
    assert code == 2 and lines == [
        f"trainlab: error: the folder {journal.parent} of --storage {journal} does not "
        "exist; create it first or choose another --storage"
    ]
    assert not (tmp_path / "no").exists() and not (tmp_path / "out").exists()
