"""Where studies live: an Optuna journal file (one machine) or PostgreSQL (many).

* a path (no ``://``): ``JournalStorage(JournalFileBackend(path))``, no server;
  every process on the machine that opens the same file shares the studies
  (writes are serialised by an ``flock`` on ``PATH.flock``);
* ``postgresql://user[:password]@host:port/db``: Optuna's ``RDBStorage``, shared
  by workers on any number of machines.

:class:`BudgetLock` serialises "count the trials, then ask for a new one" across
every worker of a study (an ``flock`` on ``PATH.budget.lock``, or a PostgreSQL
advisory lock per study), so a study never runs more trials than asked.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Any

from optuna.storages import JournalStorage

from trainlab.errors import ConfigError
from trainlab.tune.journal import SafeJournalBackend
from trainlab.tune.postgres import DEADLINES, advisory_key, deadlines, driver_url, open_rdb
from trainlab.tune.storage_spec import check_spec, is_url


class FlockLock:
    """The journal's write lock as an ``flock``, which the kernel releases when its
    holder dies: a worker killed mid-write never leaves a stale lock behind."""

    def __init__(self, path: str):
        self.path = f"{path}.flock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


def open_storage(spec: str):
    """An Optuna storage for ``spec`` (a journal file path or a PostgreSQL URL)."""
    spec = check_spec(spec)
    return open_rdb(spec) if is_url(spec) else open_journal(spec)


def open_journal(spec: str):
    """Optuna's ``JournalStorage`` on the file ``spec``, written under its ``flock``."""
    path = Path(spec)
    if path.exists() and not path.is_file():  # a FIFO would block the reads for ever
        raise ConfigError(
            f"journal {path} is not a regular file; choose another --storage or --out"
        )
    try:
        backend = SafeJournalBackend(str(path), lock_obj=FlockLock(str(path)))
    except OSError as exc:  # one without strerror already says what to do
        raise (
            exc
            if exc.strerror is None
            else ConfigError(
                f"cannot open journal file {path}: {exc.strerror}; "
                "choose another --storage or --out"
            )
        ) from None
    try:
        return JournalStorage(backend)
    except (KeyError, IndexError, TypeError, ValueError, AssertionError) as exc:
        raise ConfigError(
            f"journal {path} holds records Optuna cannot replay "
            f"({type(exc).__name__}: {str(exc)[:80]}); restore it from a "
            "backup or choose another --storage"
        ) from None


class BudgetLock:
    """A re-usable, inter-process lock for one study (``with lock: ...``)."""

    def __init__(self, spec: str, study_name: str):
        self.spec, self.study_name = check_spec(spec), study_name
        self._conn: Any = None
        self._fd: int | None = None

    def _connect(self):
        import sqlalchemy

        deadlines()
        engine = sqlalchemy.create_engine(
            driver_url(self.spec), connect_args=DEADLINES, poolclass=sqlalchemy.pool.NullPool
        )
        return engine.connect()

    def _sql(self, query: str, commit: bool = False) -> None:
        """Run ``query`` on the lock's session; a session broken by an outage is dropped
        (the server then releases its locks) and, if it was an old one, made anew once."""
        import sqlalchemy

        for fresh in (self._conn is None, True):
            try:
                if self._conn is None:
                    self._conn = self._connect()
                self._conn.execute(sqlalchemy.text(query), {"k": advisory_key(self.study_name)})
                if commit:
                    self._conn.commit()
                return
            except Exception:
                self.close()
                if fresh or commit:
                    raise

    def __enter__(self):
        if is_url(self.spec):
            self._sql("SELECT pg_advisory_lock(:k)")
        else:
            # one lock for all studies of a journal: held for milliseconds at a time
            self._fd = os.open(f"{self.spec}.budget.lock", os.O_CREAT | os.O_RDWR, 0o644)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self._conn is not None:
            self._sql("SELECT pg_advisory_unlock(:k)", commit=True)
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)  # closing releases the flock
            self._fd = None
        return False

    def close(self):
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()
