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
previous one.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.atomic import write_atomic
from trainlab.errors import ConfigError
from trainlab.io import load_npz, plain, read_json, write_json
from trainlab.train import digests

CHECKPOINT = "checkpoint.json"
PREVIOUS = "checkpoint.previous.json"
FORMAT = 2


def _rng_of(obj):
    rng = getattr(obj, "rng", None)
    return rng if isinstance(rng, np.random.Generator) else None


def _buffers(network) -> dict:
    return network.buffers() if hasattr(network, "buffers") else {}


def _stateful(callbacks) -> dict:
    """Callbacks that carry state, keyed by class name (``EarlyStopping``,
    ``EarlyStopping.2`` for a second one), so that adding a stateless callback
    on resume does not shift the keys."""
    out = {}
    for cb in callbacks:
        if hasattr(cb, "state_dict"):
            key = base = type(cb).__name__
            n = 1
            while key in out:
                n += 1
                key = f"{base}.{n}"
            out[key] = cb
    return out


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
    arrays.update({f"buffers/{k}": v for k, v in _buffers(net).items()})
    arrays.update({f"optimizer/{k}": v for k, v in trainer.optimizer.state_dict().items()})
    for key, cb in _stateful(trainer.callbacks).items():
        arrays.update({f"callback/{key}/{k}": v for k, v in cb.state_dict().items()})
    if trainer._plan is not None:
        arrays["plan/order"] = np.concatenate(trainer._plan)
        arrays["plan/sizes"] = np.array([len(b) for b in trainer._plan], dtype=np.int64)
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
    net_rng = _rng_of(trainer.network)
    meta = {
        "format": FORMAT,
        "arrays": name,
        "files": {name: digest},
        "run": trainer.fingerprint,
        "epoch": trainer.current_epoch,
        "iteration": trainer.current_iter,
        "position": trainer._pos if trainer._plan is not None else None,
        "elapsed": trainer.elapsed,
        "stopped": trainer.stopped,
        "epoch_max_grad_norm": trainer._epoch_max_norm,
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
        return _restore(trainer, folder, meta, arrays)
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
    from trainlab import schema

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


def _restore(trainer, folder: Path, meta: dict, arrays: dict) -> dict:
    from trainlab import schema

    schema.history(
        meta["history"],
        folder / CHECKPOINT,
        "history",
        "it is damaged: start a new run",
        required=list(trainer.history),
    )
    net = trainer.network
    targets = {f"params/{k}": v for k, v in net.params.items()}
    targets.update({f"buffers/{k}": v for k, v in _buffers(net).items()})
    for key, dest in targets.items():
        src = arrays.get(key)
        if src is None or src.shape != dest.shape:
            raise ConfigError(
                f"checkpoint in {folder} does not fit this network "
                f"({key}: {None if src is None else src.shape} vs {dest.shape})"
            )
        dest[...] = src
    trainer.optimizer.load_state_dict(
        {k[len("optimizer/") :]: v for k, v in arrays.items() if k.startswith("optimizer/")}
    )
    for key, cb in _stateful(trainer.callbacks).items():
        prefix = f"callback/{key}/"
        state = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
        if not state:
            raise ConfigError(
                f"checkpoint in {folder} has no state for {key}; resume with "
                "the options the run was started with"
            )
        cb.load_state_dict(state)
    trainer.rng.bit_generator.state = meta["rng"]
    net_rng = _rng_of(net)
    if net_rng is not None and meta.get("network_rng") is not None:
        net_rng.bit_generator.state = meta["network_rng"]
    if meta.get("schedule") is not None and hasattr(trainer.schedule, "load_state_dict"):
        trainer.schedule.load_state_dict(meta["schedule"])
    trainer.history = meta["history"]
    trainer.current_epoch, trainer.current_iter = int(meta["epoch"]), int(meta["iteration"])
    trainer.elapsed = float(meta["elapsed"])
    trainer.stopped = bool(meta["stopped"])
    trainer._epoch_max_norm = meta.get("epoch_max_grad_norm") or 0.0
    if meta.get("position") is not None:
        order, sizes = arrays["plan/order"], arrays["plan/sizes"]
        data = getattr(trainer, "data", trainer)  # the Trainer keeps its arrays in .data
        n = len(data.x_train)
        if (
            order.dtype.kind not in "iu"
            or sizes.dtype.kind not in "iu"
            or order.ndim != 1
            or (order.size and (order.min() < 0 or order.max() >= n))
            or sizes.ndim != 1
            or (sizes < 0).any()
            or sizes.sum() != order.size
            or int(meta["position"]) > sizes.size
        ):
            raise ConfigError(
                f"checkpoint in {folder} holds a batch plan that does not fit "
                f"this run's {n} training samples; it is damaged: start a new run"
            )
        trainer._plan = np.split(order, np.cumsum(sizes)[:-1])
        trainer._pos = int(meta["position"])
    else:
        trainer._plan, trainer._pos = None, 0
    return meta
