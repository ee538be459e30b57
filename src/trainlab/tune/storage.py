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
import hashlib
import logging
import os
import time
import warnings
from pathlib import Path
from typing import Any

from trainlab.errors import ConfigError

CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_S = 30
#: every PostgreSQL call has a deadline: connecting, each statement (a lock wait
#: included), and a dead or frozen server noticed by TCP keepalives and
#: ``tcp_user_timeout`` instead of waiting for the kernel's minutes
DEADLINES = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    "options": f"-c statement_timeout={STATEMENT_TIMEOUT_S * 1000}",
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 15000,
}
#: the client's own deadline on each call (a server that is frozen, not gone,
#: still has its kernel acknowledge every packet, so no TCP timeout fires);
#: ``TRAINLAB_PG_DEADLINE_S`` overrides it
CALL_DEADLINE_S = STATEMENT_TIMEOUT_S + 15
#: Optuna's RDB heartbeat: seconds between beats, and the silence (measured by
#: the database server's clock) after which a running trial is failed as lost
HEARTBEAT_S, GRACE_S = 10, 120
_SCHEMES = ("postgresql://", "postgresql+psycopg2://")


class Unreachable(ConfigError):
    """The PostgreSQL server could not be reached (or answered an error) on open."""


def is_url(spec: str) -> bool:
    return "://" in str(spec)


def check_spec(spec: str) -> str:
    """``spec``, refused in one line if it cannot work (checked before anything is written)."""
    spec = str(spec)
    if is_url(spec) and not spec.startswith(_SCHEMES):
        raise ConfigError(
            f"unsupported --storage {spec.split('://')[0]}://...; "
            "give a journal file path or a postgresql:// URL"
        )
    if is_url(spec):
        try:
            from sqlalchemy.engine import make_url

            _ = make_url(spec).port  # the port is parsed on first use
        except ImportError:
            pass
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                f"malformed --storage URL {redacted(spec)} ({exc}); write it as "
                "postgresql://USER@HOST:PORT/DATABASE"
            ) from None
    elif not Path(spec).parent.is_dir():  # a typo must not become a new folder tree
        raise ConfigError(
            f"the folder {Path(spec).parent} of --storage {spec} does not exist; "
            "create it first or choose another --storage"
        )
    return spec


def _wait_with_deadline(conn) -> None:
    """psycopg2's wait callback: libpq never blocks; each call (connecting: at most
    :data:`CONNECT_TIMEOUT_S`) fails once its deadline has passed."""
    import select

    import psycopg2
    from psycopg2 import extensions as ext

    limit = (
        CONNECT_TIMEOUT_S
        if conn.status == ext.STATUS_SETUP
        else float(os.environ.get("TRAINLAB_PG_DEADLINE_S", CALL_DEADLINE_S))
    )
    deadline = time.monotonic() + limit
    while True:
        state = conn.poll()
        if state == ext.POLL_OK:
            return
        left = deadline - time.monotonic()
        if left <= 0:  # worded so that SQLAlchemy drops the connection
            raise psycopg2.OperationalError(
                f"could not receive data from server within {limit:g} s"
            )
        fd = conn.fileno()
        select.select(
            [fd] if state == ext.POLL_READ else [],
            [fd] if state == ext.POLL_WRITE else [],
            [],
            left,
        )


def deadlines() -> None:
    """Give every PostgreSQL call of this process a deadline (see :data:`DEADLINES`)."""
    from psycopg2 import extensions as ext

    if ext.get_wait_callback() is not _wait_with_deadline:
        ext.set_wait_callback(_wait_with_deadline)


def _driver_url(url: str) -> str:
    """Name the psycopg2 driver (SQLAlchemy 2.1 defaults to psycopg 3)."""
    return (
        "postgresql+psycopg2://" + url[len("postgresql://") :]
        if url.startswith(_SCHEMES[0])
        else url
    )


def redacted(url: str) -> str:
    head, at, tail = url.rpartition("@")
    if not at:
        return url
    scheme, _, user = head.partition("://")
    return f"{scheme}://{user.split(':')[0]}@{tail}"


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
    if not is_url(spec):
        from optuna.storages import JournalStorage

        from trainlab.tune.journal import SafeJournalBackend

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
    import optuna
    import sqlalchemy
    from optuna.storages import RDBStorage

    from trainlab.tune.optuna_adapter import RDB_LOGGER

    url, engine = _driver_url(spec), None
    # its warnings quote whole SQL statements on an outage, which trainlab reports in one line
    logging.getLogger(RDB_LOGGER).setLevel(logging.ERROR)
    try:
        deadlines()
        engine = sqlalchemy.create_engine(
            url, poolclass=sqlalchemy.pool.NullPool, connect_args=DEADLINES
        )
        with engine.connect() as conn:  # one process at a time creates the tables
            conn.execute(
                sqlalchemy.text("SELECT pg_advisory_lock(:k)"), {"k": _key("trainlab:schema")}
            )
            try:
                with warnings.catch_warnings():  # heartbeat_interval is "experimental"
                    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                    return RDBStorage(
                        url,
                        heartbeat_interval=HEARTBEAT_S,
                        grace_period=GRACE_S,
                        engine_kwargs={"connect_args": DEADLINES, "pool_pre_ping": True},
                    )
            finally:
                conn.execute(
                    sqlalchemy.text("SELECT pg_advisory_unlock(:k)"), {"k": _key("trainlab:schema")}
                )
                conn.commit()
    except (sqlalchemy.exc.SQLAlchemyError, ImportError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise Unreachable(
            f"cannot reach storage {redacted(spec)}: {reason}; "
            "check the URL and that the server is running"
        ) from None
    finally:
        if engine is not None:
            engine.dispose()


def _key(study_name: str) -> int:
    """A signed 64-bit advisory-lock key for a study."""
    return int.from_bytes(
        hashlib.blake2b(study_name.encode(), digest_size=8).digest(), "big", signed=True
    )


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
            _driver_url(self.spec), connect_args=DEADLINES, poolclass=sqlalchemy.pool.NullPool
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
                self._conn.execute(sqlalchemy.text(query), {"k": _key(self.study_name)})
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
