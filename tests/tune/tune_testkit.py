"""Helpers for the search and benchmark tests: tiny settings, reading studies back."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import optuna

from trainlab.cli import main

ROOT = Path(__file__).resolve().parents[2]
#: a tiny version of the notes' search (seconds, not minutes)
TINY = ["--train-size", "200", "--epochs", "3", "--hidden", "20,20", "--quiet"]
N_VAL = 40  # int(200 * 0.2) validation samples
N_TEST = 297  # digits' fixed test split


def tune(out: Path, *extra: str) -> int:
    return main(["tune", "--out", str(out), *TINY, *extra])


def journal_study(out: Path, name: str = "tune-digits-sgd", file: str = "study.journal"):
    """The study, read with Optuna itself (not through trainlab)."""
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    storage = JournalStorage(JournalFileBackend(str(out / file)))
    return optuna.load_study(study_name=name, storage=storage)


def is_fraction_of(value: float, n: int) -> bool:
    """True if ``value`` is k/n for a whole k (an accuracy on n samples)."""
    return abs(value * n - round(value * n)) < 1e-6


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cli_process(*args: str) -> subprocess.Popen:
    """``trainlab ARGS`` in a child process with one BLAS thread."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "trainlab.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def worker_pids(pid: int) -> list[int]:
    """The worker processes (spawned by multiprocessing) of process ``pid``."""
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rpartition(")")[2].split()[1]) != pid:
                        continue
                with open(f"/proc/{entry}/cmdline") as fh:
                    if "spawn_main" in fh.read():
                        kids.append(int(entry))
            except OSError:
                pass
    return kids
