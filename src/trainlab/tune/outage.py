"""PostgreSQL outages: wait them out for a bounded time, then stop cleanly.

A worker that cannot reach its database (refused, reset, timed out: every call
has a deadline, see :data:`trainlab.tune.postgres.DEADLINES`) prints one line,
then tries again with exponential backoff (0.5 s doubling to 8 s) for at most
``budget_s`` seconds. When the server answers again the worker carries on from
a consistent point (see :func:`trainlab.tune.trials.run_trials`); when it does
not, :class:`StorageDown` stops the command with exit 2 and the command that
resumes the study, whose finished trials are all kept by the server.
"""

from __future__ import annotations

import sys
import time

from trainlab.errors import ConfigError
from trainlab.tune.postgres import DEADLINES, Unreachable, driver_url
from trainlab.tune.storage_spec import is_url, redacted

RETRY_S = 60.0
EXIT_STORAGE_DOWN = 75  # a worker process's exit status for "storage down"


class StorageDown(ConfigError):
    """The storage stayed unreachable for longer than the retry budget."""


def is_outage(exc: BaseException | None) -> bool:
    """True if ``exc`` (or what caused it) says the database cannot be reached now."""
    try:
        import psycopg2
        import sqlalchemy.exc as sa
    except ImportError:
        return False
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(
            exc,
            (
                Unreachable,
                sa.OperationalError,
                sa.InterfaceError,
                sa.TimeoutError,
                psycopg2.OperationalError,
                psycopg2.InterfaceError,
            ),
        ):
            return True
        if isinstance(exc, sa.DBAPIError) and exc.connection_invalidated:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _chain(exc: BaseException | None):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__


def _reason(exc: BaseException) -> str:
    """The driver's own words (the first psycopg2 error of the chain), first line."""
    import psycopg2

    words = next((e for e in _chain(exc) if isinstance(e, psycopg2.Error) and str(e).strip()), exc)
    text = str(words).strip()
    return text.splitlines()[0][:200] if text.strip("()") else type(words).__name__


def ping(spec: str) -> None:
    """Open a fresh connection and run ``SELECT 1`` (raises when unreachable)."""
    import sqlalchemy  # imported on use: a journal needs none

    engine = sqlalchemy.create_engine(
        driver_url(spec), poolclass=sqlalchemy.pool.NullPool, connect_args=DEADLINES
    )
    try:
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text("SELECT 1"))
    finally:
        engine.dispose()


class Patience:
    """Waits out an outage of the storage ``spec`` (``wait(exc)``), at most ``budget_s``
    seconds in all per outage; ``resume`` is the command that resumes the study."""

    def __init__(
        self, spec: str, budget_s: float = RETRY_S, resume: str | None = None, quiet: bool = False
    ):
        self.spec, self.budget_s, self.resume, self.quiet = (
            str(spec),
            float(budget_s),
            resume,
            quiet,
        )

    def down(self, reason: str) -> StorageDown:
        again = f"resume with: {self.resume}" if self.resume else "rerun the same command to resume"
        return StorageDown(
            f"storage {redacted(self.spec)} unreachable for more than "
            f"{self.budget_s:g} s ({reason}); every finished trial is kept "
            f"there; {again}"
        )

    def wait(self, exc: BaseException) -> None:
        """Called with an outage error: return once the storage answers again, or
        raise :class:`StorageDown` after ``budget_s`` seconds."""
        if not is_url(self.spec) or not is_outage(exc):
            raise exc
        reason = _reason(exc)
        if not self.quiet:
            print(
                f"trainlab: storage {redacted(self.spec)} unreachable ({reason}); retrying "
                f"for up to {self.budget_s:g} s",
                file=sys.stderr,
                flush=True,
            )
        start, delay = time.monotonic(), 0.5
        while True:
            left = self.budget_s - (time.monotonic() - start)
            if left <= 0:
                raise self.down(reason) from None
            time.sleep(min(delay, left))
            delay = min(delay * 2, 8.0)
            try:
                ping(self.spec)
                return
            except Exception as again:
                if not is_outage(again):
                    raise
                reason = _reason(again)

    def call(self, fn, *args, **kwargs):
        """``fn(*args, **kwargs)``, called again after each outage (for idempotent calls)."""
        while True:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:
                self.wait(exc)


def exits(target, *args) -> None:
    """``target(*args)`` in a worker process (see
    :func:`trainlab.train.parallel.run_processes`): Ctrl-C, which every worker
    receives and the parent reports, exits 130; a storage outage exits
    :data:`EXIT_STORAGE_DOWN`, which the parent reports once, with the resume command."""
    try:
        target(*args)
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except StorageDown:
        raise SystemExit(EXIT_STORAGE_DOWN) from None
