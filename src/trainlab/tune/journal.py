"""A journal file that survives a torn write.

Optuna's journal is one JSON record per line, appended under a lock. A full
disk, a power cut or a writer killed in the middle of ``write`` can leave the
last record half written (``{"op_code":4,"wor``); the next append would then
glue a whole record onto it and the journal could never be read again.

:class:`SafeJournalBackend` prevents that at both ends, under the journal's
write lock (so never while a live writer is appending):

* on open, :func:`repair` checks the file's last record; a torn or unreadable
  one is moved, byte for byte, to a side file ``JOURNAL.torn-N`` and the
  journal is cut back to its last whole record (one warning line on stderr);
  a journal already damaged by an older trainlab, where later records were
  glued onto a torn one, is repaired the same way (the glued record is kept);
* before each append, a journal that does not end with a newline (a writer
  died since) is repaired first, so a torn record is never buried.

A record that cannot be read in the middle of the journal, and is not a torn
record with a whole one glued after it, is refused with one line: the file is
damaged in a way trainlab does not guess at.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

from optuna.storages.journal import JournalFileBackend

from trainlab.errors import ConfigError

_START = b'{"op_code":'


_TORN = object()


def _parse(line: bytes):
    """``line`` (without its newline) as JSON; ``_TORN`` if it does not parse."""
    try:
        return json.loads(line)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        return _TORN


def _is_record(value) -> bool:
    return (
        isinstance(value, dict)
        and type(value.get("op_code")) is int
        and isinstance(value.get("worker_id"), str)
    )


def _whole(line: bytes) -> bool:
    return _is_record(_parse(line))


def _split_glued(line: bytes) -> tuple[bytes, bytes] | None:
    """``(torn, record)`` when ``line`` is a torn record with a whole one glued after it."""
    at = line.find(_START, 1)
    while at > 0:
        if _whole(line[at:]):
            return line[:at], line[at:]
        at = line.find(_START, at + 1)
    return None


def _side_file(path: Path) -> Path:
    n = 1
    while (side := path.with_name(f"{path.name}.torn-{n}")).exists():
        n += 1
    return side


def _set_aside(path: Path, torn: bytes) -> Path:
    side = _side_file(path)
    tmp = side.with_name(side.name + ".tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(torn)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, side)
    except BaseException:
        tmp.unlink(missing_ok=True)  # nothing half-written is left beside the journal
        raise
    return side


@contextlib.contextmanager
def _disk_errors(path):
    """An OS error while writing the journal (a full disk, a read-only folder)
    becomes one line naming the journal and the fix. The journal keeps every
    finished trial: at worst its last record is torn, and set aside on the next run."""
    try:
        yield
    except OSError as exc:
        raise OSError(
            f"cannot write journal {path}: {exc.strerror or exc}; free some disk space, "
            "then rerun the same command: the study resumes with its finished trials"
        ) from None


def _warn(path: Path, n_bytes: int, side: Path) -> None:
    print(
        f"trainlab: warning: {path} ended with a torn record ({n_bytes} bytes, from an "
        f"interrupted write); set aside in {side.name}, the study continues",
        file=sys.stderr,
        flush=True,
    )


def _cut_tail(path: Path) -> None:
    """Cut an unfinished last line (no newline) off the journal. Caller holds the lock."""
    with open(path, "r+b") as fh:
        size = fh.seek(0, os.SEEK_END)
        if size == 0:
            return
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return
        back = min(size, 1 << 16)
        while True:  # find the start of the last line
            fh.seek(size - back)
            chunk = fh.read(back)
            nl = chunk.rfind(b"\n")
            if nl >= 0 or back == size:
                break
            back = min(size, back * 2)
        keep = size - back + nl + 1
        fh.seek(keep)
        torn = fh.read()
        side = _set_aside(path, torn)
        fh.truncate(keep)
        fh.flush()
        os.fsync(fh.fileno())
    _warn(path, len(torn), side)


def repair(path: Path) -> None:
    """Set aside a torn last record of the journal at ``path``. Caller holds the lock."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    _cut_tail(path)
    data = path.read_bytes()
    lines = data.split(b"\n")[:-1]  # every line now ends with a newline
    torn, kept, changed = [], [], False
    for i, line in enumerate(lines):
        value = _parse(line)
        if _is_record(value):
            kept.append(line)
            continue
        if value is not _TORN:  # whole JSON, but no journal record: not a torn write
            raise ConfigError(
                f"journal {path} holds something other than Optuna records on "
                f"line {i + 1}; restore it from a backup or choose another "
                "--storage"
            )
        glued = _split_glued(line)
        if glued is not None:
            torn.append(glued[0])
            kept.append(glued[1])
        elif i == len(lines) - 1:
            torn.append(line + b"\n")
        else:
            raise ConfigError(
                f"journal {path} has an unreadable record on line {i + 1} that is "
                "not a torn last write; restore it from a backup or pass another "
                "--storage"
            )
        changed = True
    if not changed:
        return
    side = _set_aside(path, b"".join(torn))
    tmp = path.with_name(path.name + ".repair.tmp")
    with open(tmp, "wb") as fh:
        fh.write(b"".join(line + b"\n" for line in kept))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _warn(path, sum(map(len, torn)), side)


class SafeJournalBackend(JournalFileBackend):
    """Optuna's journal file backend, with torn records set aside (see the module)."""

    def __init__(self, file_path: str, lock_obj) -> None:
        super().__init__(file_path, lock_obj=lock_obj)
        self.path, self.lock = file_path, lock_obj  # our own names: Optuna's are private
        lock_obj.acquire()
        try:
            with _disk_errors(file_path):
                repair(Path(file_path))
        finally:
            lock_obj.release()

    def append_logs(self, logs) -> None:
        text = "\n".join(json.dumps(log, separators=(",", ":")) for log in logs) + "\n"
        self.lock.acquire()
        try:
            with _disk_errors(self.path):
                _cut_tail(Path(self.path))
                with open(self.path, "ab") as fh:  # as Optuna's own backend writes
                    fh.write(text.encode("utf-8"))
                    fh.flush()
                    os.fsync(fh.fileno())
        finally:
            self.lock.release()
