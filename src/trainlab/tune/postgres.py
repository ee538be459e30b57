"""PostgreSQL, where the studies of many machines meet: deadlines on every call,
Optuna's heartbeat, advisory-lock keys, and opening the storage.

Every call has a deadline (:data:`DEADLINES`, :data:`CALL_DEADLINE_S`), so an
outage is noticed in seconds and waited out by :mod:`trainlab.tune.outage`.
psycopg2 (the driver) and SQLAlchemy are imported when a URL is used: a journal
needs neither.
"""

from __future__ import annotations

import hashlib
import logging
import os
import select
import time
import warnings

import optuna
from optuna.storages import RDBStorage

from trainlab.errors import ConfigError
from trainlab.tune.optuna_adapter import RDB_LOGGER
from trainlab.tune.storage_spec import SCHEMES, redacted

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


class Unreachable(ConfigError):
    """The PostgreSQL server could not be reached (or answered an error) on open."""


def _wait_with_deadline(conn) -> None:
    """psycopg2's wait callback: libpq never blocks; each call (connecting: at most
    :data:`CONNECT_TIMEOUT_S`) fails once its deadline has passed."""
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


def driver_url(url: str) -> str:
    """Name the psycopg2 driver (SQLAlchemy 2.1 defaults to psycopg 3)."""
    return (
        "postgresql+psycopg2://" + url[len("postgresql://") :]
        if url.startswith(SCHEMES[0])
        else url
    )


def advisory_key(study_name: str) -> int:
    """A signed 64-bit advisory-lock key for a study."""
    return int.from_bytes(
        hashlib.blake2b(study_name.encode(), digest_size=8).digest(), "big", signed=True
    )


def open_rdb(spec: str):
    """Optuna's ``RDBStorage`` on the PostgreSQL server at URL ``spec``, every call
    with its deadline, Optuna's heartbeat on; :class:`Unreachable` if it does not answer."""
    import sqlalchemy  # imported on use: a journal needs none

    url, engine, schema = driver_url(spec), None, {"k": advisory_key("trainlab:schema")}
    # its warnings quote whole SQL statements on an outage, which trainlab reports in one line
    logging.getLogger(RDB_LOGGER).setLevel(logging.ERROR)
    try:
        deadlines()
        engine = sqlalchemy.create_engine(
            url, poolclass=sqlalchemy.pool.NullPool, connect_args=DEADLINES
        )
        with engine.connect() as conn:  # one process at a time creates the tables
            conn.execute(sqlalchemy.text("SELECT pg_advisory_lock(:k)"), schema)
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
                conn.execute(sqlalchemy.text("SELECT pg_advisory_unlock(:k)"), schema)
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
