"""Which running trials have lost their worker, decided without trusting clocks.

A worker signs each trial it starts with ``user_attrs["worker"]``: ``token``
(random, drawn once per process), ``boot`` (the machine's boot id, unique per
machine and boot, with the pid namespace), ``pid`` and ``started`` (the
process's start time in clock ticks since boot) and, for people, ``host``.
A running trial's worker is dead when:

* the trial is unsigned (its worker died between creating and signing it: the
  budget lock is held over both, and the caller holds it);
* it carries this process's token (a process runs one trial at a time, and
  never while it reaps);
* it ran on this machine (same boot id) and no process with that pid *and that
  start time* exists: a reused pid is another process, so the dead trial is not
  kept running for ever;
* it ran on another machine and its heartbeat stopped: on PostgreSQL, Optuna's
  RDB heartbeat, judged by the database server's clock (``grace_period``); on a
  shared journal, a beat counter that this process has watched stay unchanged
  for :data:`GRACE_S` seconds of its own monotonic clock. No machine ever
  compares its wall clock with another's, so a skewed clock or time zone can
  neither reap a live trial nor keep a dead one.
"""

from __future__ import annotations

import os
import secrets
import socket
import time

from trainlab.tune.optuna_adapter import trial_id
from trainlab.tune.outage import is_outage
from trainlab.tune.postgres import GRACE_S, HEARTBEAT_S

_ME: dict = {}


def start_time(pid: int) -> int | None:
    """The start time of process ``pid`` (clock ticks since boot), None if it is gone
    or a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rpartition(")")[2].split()
    except OSError:
        return None
    if not fields or fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def _boot_id() -> str:
    """The machine's boot id and this process's pid namespace: two containers on one
    kernel see different pids, so they count as different machines."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as fh:
            boot = fh.read().strip()
        return f"{boot}/{os.readlink('/proc/self/ns/pid')}"
    except OSError:
        return "host:" + socket.gethostname()


def me() -> dict:
    """This process's signature (drawn again in a forked child)."""
    if _ME.get("pid") != os.getpid():
        _ME.clear()
        _ME.update(
            host=socket.gethostname(),
            pid=os.getpid(),
            token=secrets.token_hex(8),
            boot=_boot_id(),
            started=start_time(os.getpid()),
        )
    return dict(_ME)


def _alive_here(worker: dict) -> bool:
    if worker.get("started") is None:  # signed by an older trainlab: pid only
        try:
            os.kill(int(worker["pid"]), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return start_time(int(worker["pid"])) is not None
    return start_time(int(worker["pid"])) == worker["started"]


def same_machine(worker: dict) -> bool:
    if "boot" in worker:
        return worker["boot"] == me()["boot"]
    return worker.get("host") == me()["host"]


class Watch:
    """Running trials of other machines on a journal: lost once their beat counter
    has not moved for ``grace`` seconds of this process's monotonic clock."""

    def __init__(self, grace: float = GRACE_S):
        self.grace = grace
        self.seen: dict = {}

    def stale(self, t) -> bool:
        beat, now = t.user_attrs.get("beat", t.user_attrs.get("heartbeat")), time.monotonic()
        last = self.seen.get(t.number)
        if last is None or last[0] != beat:
            self.seen[t.number] = (beat, now)
            return False
        return now - last[1] > self.grace


def is_lost(t, watch: Watch, stale=None) -> bool:
    """Whether running trial ``t`` has lost its worker (see the module).
    ``stale``: the numbers of the trials the database server finds silent
    (PostgreSQL), or None on a journal."""
    worker = t.user_attrs.get("worker")
    if not worker:
        return True
    if worker.get("token") is not None and worker["token"] == me()["token"]:
        return True
    if same_machine(worker):
        return int(worker["pid"]) == os.getpid() or not _alive_here(worker)
    if stale is not None:
        return t.number in stale
    return watch.stale(t)


class Heartbeat:
    """Trainer callback: beat every :data:`HEARTBEAT_S` seconds while the trial
    trains (the RDB heartbeat on PostgreSQL, a counter on a journal), and stop
    training quietly (:class:`Taken`) once someone else has failed the trial.
    A beat that cannot reach the storage is skipped: training goes on."""

    def __init__(self, trial, interval: float = HEARTBEAT_S):
        self.trial, self.interval, self.last, self.count = trial, interval, time.monotonic(), 0
        self._id: int | None = None  # the trial's id in its storage, looked up on the first beat

    def beat(self) -> None:
        storage = self.trial.storage
        if self._id is None:
            self._id = trial_id(storage, self.trial.study.study_name, self.trial.number)
        tid = self._id
        try:
            if storage.get_trial(tid).state.is_finished():
                raise Taken(self.trial.number)
            if hasattr(storage, "record_heartbeat") and storage.get_heartbeat_interval():
                storage.record_heartbeat(tid)
            else:
                self.count += 1
                storage.set_trial_user_attr(tid, "beat", self.count)
        except Taken:
            raise
        except Exception as exc:
            if not is_outage(exc):
                raise

    def on_step(self, trainer, it, loss):
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self.beat()


class Taken(Exception):
    """The trial was failed by another worker (its heartbeat came too late)."""

    def __init__(self, number: int):
        super().__init__(f"trial {number} was failed by another worker meanwhile")
        self.number = number
