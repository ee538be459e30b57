"""Putting a verified checkpoint back into a Trainer: arrays, counters, generators
and the interrupted epoch's batch plan (the format is described in
:mod:`trainlab.train.checkpoint`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trainlab import schema
from trainlab.errors import ConfigError


def rng_of(obj) -> np.random.Generator | None:
    """``obj.rng`` if it is a NumPy generator (a network's dropout generator)."""
    rng = getattr(obj, "rng", None)
    return rng if isinstance(rng, np.random.Generator) else None


def network_buffers(network) -> dict:
    """Batch norm's running statistics, or nothing for a network without them."""
    return network.buffers() if hasattr(network, "buffers") else {}


def stateful_callbacks(callbacks) -> dict:
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


def restore(trainer, folder: Path, document: Path, meta: dict, arrays: dict) -> dict:
    """Restore ``trainer`` from a checkpoint's ``meta`` (read from ``document``) and
    ``arrays``; returns ``meta``. Raises :class:`ConfigError` when they do not fit."""
    fix = "it is damaged: start a new run"
    schema.history(meta["history"], document, "history", fix, required=list(trainer.history))
    _restore_arrays(trainer, folder, arrays)
    trainer.rng.bit_generator.state = meta["rng"]
    net_rng = rng_of(trainer.network)
    if net_rng is not None and meta.get("network_rng") is not None:
        net_rng.bit_generator.state = meta["network_rng"]
    if meta.get("schedule") is not None and hasattr(trainer.schedule, "load_state_dict"):
        trainer.schedule.load_state_dict(meta["schedule"])
    trainer.history = meta["history"]
    trainer.current_epoch, trainer.current_iter = int(meta["epoch"]), int(meta["iteration"])
    trainer.elapsed = float(meta["elapsed"])
    trainer.stopped = bool(meta["stopped"])
    max_norm = meta.get("epoch_max_grad_norm") or 0.0
    if meta.get("position") is None:
        trainer.restore_epoch_state(None, 0, max_norm)
    else:
        plan = _batch_plan(trainer, folder, arrays, int(meta["position"]))
        trainer.restore_epoch_state(plan, int(meta["position"]), max_norm)
    return meta


def _restore_arrays(trainer, folder: Path, arrays: dict) -> None:
    """Parameters, batch norm's statistics, the optimizer's and the callbacks' state."""
    net = trainer.network
    targets = {f"params/{k}": v for k, v in net.params.items()}
    targets.update({f"buffers/{k}": v for k, v in network_buffers(net).items()})
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
    for key, cb in stateful_callbacks(trainer.callbacks).items():
        prefix = f"callback/{key}/"
        state = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
        if not state:
            raise ConfigError(
                f"checkpoint in {folder} has no state for {key}; resume with "
                "the options the run was started with"
            )
        cb.load_state_dict(state)


def _batch_plan(trainer, folder: Path, arrays: dict, position: int) -> list:
    """The interrupted epoch's batches, checked against the training set's size."""
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
        or position > sizes.size
    ):
        raise ConfigError(
            f"checkpoint in {folder} holds a batch plan that does not fit "
            f"this run's {n} training samples; it is damaged: start a new run"
        )
    return np.split(order, np.cumsum(sizes)[:-1])
