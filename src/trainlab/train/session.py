"""One ``trainlab train`` run from its spec: build, make the folder, train, write.

:func:`train_run` is what the command calls once it has a
:class:`~trainlab.train.spec.RunSpec`: everything is built (and so checked)
before the folder is touched; Ctrl-C asks the trainer to stop after the current
step and save a checkpoint (a second Ctrl-C stops at once); the metrics are
written whether the run finished, diverged or was interrupted.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from trainlab.data.prepared import Prepared
from trainlab.errors import ConfigError, DivergenceError
from trainlab.io import read_json
from trainlab.runs import default_out, prepare_out
from trainlab.train.build import Built, build, open_file
from trainlab.train.checkpoint import has_checkpoint
from trainlab.train.doctor import report
from trainlab.train.folder import resumed, write_config, write_metrics, write_results
from trainlab.train.spec import RunSpec
from trainlab.train.spec_flat import from_flat, read_saved, to_flat
from trainlab.train.stopping import TrainingInterrupted

__all__ = [
    "Outcome",
    "TrainingInterrupted",
    "default_out",
    "from_flat",
    "open_prepared",
    "report",
    "resume_spec",
    "train_run",
]


@dataclass
class Outcome:
    """How a run ended: its summary and the doctor's verdicts, a note from the
    checkpoint it resumed from (or None), and the divergence that stopped it (or None)."""

    built: Built
    summary: dict
    verdicts: list
    fallback: str | None = None
    diverged: DivergenceError | None = None


@contextmanager
def ctrl_c_stops(trainer):
    """During training, Ctrl-C asks the trainer to stop after the current step (it
    saves a checkpoint); a second Ctrl-C stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        if trainer.stop_requested:
            raise KeyboardInterrupt
        trainer.request_stop()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def train_run(
    spec: RunSpec,
    out: Path,
    resume: bool = False,
    overwrite: bool = False,
    prepared: Prepared | None = None,
) -> Outcome:
    """Train ``spec`` into the folder ``out`` (from its checkpoint with ``resume``).

    Raises :class:`TrainingInterrupted` (after writing the metrics so far) when
    stopped; a divergence is returned in :attr:`Outcome.diverged`."""
    built = build(spec, out=out, prepared=prepared)  # every option checked here
    prepare_out(out, "train", overwrite=overwrite, resume=resume)
    fallback = None
    if resume:
        fallback = built.trainer.load_checkpoint(out).get("fallback")
        resumed(out, spec, built)
    else:
        write_config(out, spec, built)
    try:
        with ctrl_c_stops(built.trainer):
            built.trainer.train()
    except DivergenceError as exc:
        summary, verdicts = write_metrics(out, built, divergence=built.trainer.divergence)
        return Outcome(built, summary, verdicts, fallback, diverged=exc)
    except TrainingInterrupted:
        write_metrics(out, built, interrupted=True)
        raise
    summary, verdicts = write_metrics(out, built)
    write_results(out, spec, built)
    return Outcome(built, summary, verdicts, fallback)


def resume_spec(folder: Path, given: dict, epochs: int | None, quiet: bool) -> RunSpec:
    """The saved run in ``folder``, to train on to ``epochs`` in all (None: as saved).

    ``given`` holds the options given (flat names); one that differs from the saved
    run is refused, except ``quiet`` and ``epochs``: a run continues as it was started.
    """
    try:
        saved = read_json(folder / "config.json")
    except FileNotFoundError:
        raise ConfigError(
            f"{folder} has no config.json; pass the folder of a trainlab train run to --resume"
        ) from None
    if not isinstance(saved, dict) or saved.get("kind") != "train":
        raise ConfigError(f"{folder} is not a trainlab train run; pass such a folder to --resume")
    spec = read_saved(saved, str(folder / "config.json"))
    flat = to_flat(spec)
    for key, value in given.items():
        if key in ("resume", "quiet", "epochs") or key not in flat:
            continue
        had = flat[key] if key != "opt" else [tuple(kv) for kv in flat[key]]
        if key == "out" and Path(value) == folder:
            continue
        if value != had:
            flag = "--" + key.replace("_", "-")
            raise ConfigError(
                f"{flag} {value!r} differs from the run's saved {had!r}; --resume "
                f"continues {folder} as it was started: drop {flag}, or "
                "start a new run in another --out"
            )
    if not has_checkpoint(folder):
        raise ConfigError(
            f"{folder} has no checkpoint; it was saved without --checkpoint-every "
            "and never interrupted, so start it again"
        )
    if epochs is not None and epochs != spec.training.epochs:
        if spec.training.iterations is not None:
            raise ConfigError(
                f"{folder} was trained for --iterations {spec.training.iterations}; "
                "--epochs cannot extend it"
            )
    training = replace(spec.training, epochs=epochs or spec.training.epochs)
    output = replace(spec.output, out=str(folder), quiet=quiet)
    return replace(spec, training=training, output=output)


def open_prepared(spec: RunSpec) -> Prepared | None:
    """A ``--data`` file of ``spec``, read and split (None for a named data set)."""
    if not spec.data.file:
        return None
    return open_file(spec.data, spec.training.batch_size, spec.network.dtype)
