"""Checkpoints: everything a training run needs to go on exactly where it stopped.

A checkpoint in folder ``DIR`` is two files:

* ``DIR/checkpoint-<step>-<digest>.npz``: arrays (``allow_pickle=False``): the
  parameters (``params/W1``...), batch norm's running statistics
  (``buffers/...``), the optimizer's state (``optimizer/...``, from
  ``optimizer.state_dict()``), the callbacks' arrays (``callback/<class>/...``,
  e.g. early stopping's best weights) and, when saved in the middle of an
  epoch, that epoch's batch order (``plan/order``, ``plan/sizes``);
* ``DIR/checkpoint.json``: the step and epoch counters, the histories, the
  random generators' states (``rng.bit_generator.state``: the batch order's
  and the network's dropout generator), the schedule's state, the name of the
  ``.npz`` file it belongs to and the digests of :mod:`trainlab.train.digests`
  (the ``.npz`` file's, the run's and its own).

Both are written to a temporary file and renamed into place, the ``.npz``
first: ``checkpoint.json`` is the commit point, so a crash at any moment
leaves the previous checkpoint whole. Before it is replaced, an intact
``checkpoint.json`` is copied to ``checkpoint.previous.json``; ``.npz`` files
that neither names are removed after the new one is in place. Resuming uses
the newest checkpoint whose digests all hold, and says so when that is the
previous one; :mod:`trainlab.train.restore` puts its state back into the Trainer.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import numpy as np

from trainlab import schema
from trainlab.atomic import write_atomic
from trainlab.errors import ConfigError
from trainlab.io import load_npz, plain, read_json, write_json
from trainlab.train import digests
from trainlab.train.restore import network_buffers, restore, rng_of, stateful_callbacks

CHECKPOINT = "checkpoint.json"
PREVIOUS = "checkpoint.previous.json"
FORMAT = 2


def guarded_write(path, write, *args):
    """``write(path, *args)``; an OS error (disk full, read-only folder) becomes one
    line that names the file and the fix. The writes are atomic, so the file
    that was there before is intact."""
    try:
        return write(path, *args)
    except OSError as exc:
        if exc.strerror is None:  # already one line naming the file
            raise
        raise OSError(
            f"cannot write {path}: {exc.strerror or exc}; free some disk space "
            "or choose another output folder (earlier files are intact)"
        ) from None


def _arrays(trainer) -> dict:
    net = trainer.network
    arrays = {f"params/{k}": v for k, v in net.params.items()}
    arrays.update({f"buffers/{k}": v for k, v in network_buffers(net).items()})
    arrays.update({f"optimizer/{k}": v for k, v in trainer.optimizer.state_dict().items()})
    for key, cb in stateful_callbacks(trainer.callbacks).items():
        arrays.update({f"callback/{key}/{k}": v for k, v in cb.state_dict().items()})
    plan, _, _ = trainer.epoch_state()
    if plan is not None:
        arrays["plan/order"] = np.concatenate(plan)
        arrays["plan/sizes"] = np.array([len(b) for b in plan], dtype=np.int64)
    return arrays


def _npz_bytes(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    as_arrays: dict[str, Any] = {k: np.asarray(v) for k, v in arrays.items()}
    np.savez(buffer, **as_arrays)
    return buffer.getvalue()


def _write_bytes(path, data: bytes):
    return write_atomic(path, lambda fh: fh.write(data))


def save_checkpoint(trainer, folder) -> Path:
    """Write ``trainer``'s full state to ``folder``; returns the ``checkpoint.json`` path."""
    folder = Path(folder)
    data = _npz_bytes(_arrays(trainer))
    digest = digests.sha256(data)
    name = f"checkpoint-{trainer.current_iter:09d}-{digest[:12]}.npz"
    guarded_write(folder / name, _write_bytes, data)
    net_rng = rng_of(trainer.network)
    plan, position, max_norm = trainer.epoch_state()
    meta = {
        "format": FORMAT,
        "arrays": name,
        "files": {name: digest},
        "run": trainer.fingerprint,
        "epoch": trainer.current_epoch,
        "iteration": trainer.current_iter,
        "position": position if plan is not None else None,
        "elapsed": trainer.elapsed,
        "stopped": trainer.stopped,
        "epoch_max_grad_norm": max_norm,
        "rng": trainer.rng.bit_generator.state,
        "network_rng": None if net_rng is None else net_rng.bit_generator.state,
        "schedule": trainer.schedule.state_dict()
        if hasattr(trainer.schedule, "state_dict")
        else None,
        "history": trainer.history,
    }
    _keep_as_previous(folder, trainer.fingerprint)
    path = guarded_write(folder / CHECKPOINT, write_json, digests.seal(plain(meta)))
    _remove_unreferenced(folder)
    return path


def _keep_as_previous(folder: Path, fingerprint: str) -> None:
    """Copy the current checkpoint's document to ``checkpoint.previous.json``
    (only an intact one: a damaged one never replaces an intact previous)."""
    try:
        raw = digests.read_file(folder / CHECKPOINT)
        _verified(folder, CHECKPOINT, fingerprint)
    except (OSError, ValueError):
        return
    guarded_write(folder / PREVIOUS, _write_bytes, raw)


def _remove_unreferenced(folder: Path) -> None:
    keep = set()
    for name in (CHECKPOINT, PREVIOUS):
        try:
            keep.add(read_json(folder / name).get("arrays"))
        except (OSError, ValueError, AttributeError):
            pass
    for old in folder.glob("checkpoint-*.npz"):
        if old.name not in keep:
            try:
                os.unlink(old)
            except OSError:
                pass  # a stale file is harmless: checkpoint.json names the live one


def has_checkpoint(folder) -> bool:
    return any((Path(folder) / name).is_file() for name in (CHECKPOINT, PREVIOUS))


def load_checkpoint(trainer, folder) -> dict:
    """Restore ``trainer`` (built with the same configuration) from ``folder``.

    Returns the checkpoint's metadata; its ``fallback`` key, when present, says
    why the newest checkpoint was refused and the previous one used. Raises
    :class:`ConfigError` when the folder has no intact checkpoint or it does not
    fit the trainer's network.
    """
    folder = Path(folder)
    if not has_checkpoint(folder):
        raise ConfigError(f"no checkpoint in {folder}; train with --checkpoint-every N first")
    refused = None
    for name in (CHECKPOINT, PREVIOUS):
        try:
            meta, arrays = _verified(folder, name, trainer.fingerprint)
            break
        except FileNotFoundError:
            refused = refused or f"{folder / name} is missing"
        except ValueError as exc:
            refused = refused or str(exc)
    else:
        raise ConfigError(f"{refused}; no intact earlier checkpoint: start a new run")
    if name == PREVIOUS:
        meta["fallback"] = (
            f"{refused}; resuming from the previous checkpoint (step {meta['iteration']})"
        )
    try:
        return restore(trainer, folder, folder / CHECKPOINT, meta, arrays)
    except ConfigError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise ConfigError(
            f"checkpoint in {folder} does not fit this run ({type(exc).__name__}: "
            f"{str(exc)[:120]}); it is damaged: start a new run"
        ) from None


def _verified(folder: Path, name: str, fingerprint: str) -> tuple[dict, dict]:
    """The document ``name`` and its arrays, each checked against its digest."""
    meta = _read_meta(folder / name, fingerprint)
    data = digests.verified_bytes(folder, meta)
    return meta, load_npz(folder / meta["arrays"], data)


def _read_meta(path: Path, fingerprint: str) -> dict:
    """A checkpoint document, checked against its digest and key by key before
    anything is restored."""
    fix = "it is damaged: start a new run (or restore the file)"
    meta = schema.document(read_json(path), path, fix)
    if meta.get("format") == 1:
        raise ConfigError(
            f"{path} was written by an older trainlab without digests, so it cannot "
            "be verified; start a new run"
        )
    if meta.get("format") != FORMAT:
        raise ConfigError(f"{path} has format {meta.get('format')!r}, expected {FORMAT}")
    digests.verify(meta, path, fingerprint)
    schema.rel_name(meta.get("arrays"), path, "arrays", fix)
    schema.need(meta, "epoch", schema.INT, path, fix, minimum=0)
    schema.need(meta, "iteration", schema.INT, path, fix, minimum=0)
    schema.need(meta, "position", (schema.INT, schema.NONE), path, fix, minimum=0)
    schema.need(meta, "elapsed", schema.NUMBER, path, fix, minimum=0)
    schema.need(meta, "stopped", schema.BOOL, path, fix)
    schema.need(meta, "epoch_max_grad_norm", (schema.NUMBER, schema.NONE), path, fix, optional=True)
    schema.need(meta, "rng", schema.DICT, path, fix)
    schema.need(meta, "network_rng", (schema.DICT, schema.NONE), path, fix, optional=True)
    schema.need(meta, "schedule", (schema.DICT, schema.NONE), path, fix, optional=True)
    schema.history(schema.need(meta, "history", schema.DICT, path, fix), path, "history", fix)
    return meta
