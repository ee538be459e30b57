"""What ``trainlab train`` writes into its run folder, and when.

``config.json`` (the :class:`~trainlab.train.spec.RunSpec` and what was built
from it) before training; ``metrics.json`` (summary, histories, the doctor's
verdicts) after it, also when it diverged or was interrupted; then
``params.npz``, ``scaling.npz`` (for a ``--data`` run) and ``training.png``.
Every file is written atomically and only while the folder is still this run's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from trainlab.errors import ConfigError
from trainlab.io import read_json, save_npz, write_json
from trainlab.train.build import Built
from trainlab.train.checkpoint import guarded_write
from trainlab.train.doctor import diagnose
from trainlab.train.plots import plot_history
from trainlab.train.regression import UNITS_NOTE, in_target_units, scaling_arrays
from trainlab.train.sharpness import tracked_costs
from trainlab.train.spec import SCHEMA, RunSpec


def described(built: Built) -> dict:
    """What was built, for people reading ``config.json`` (not read back)."""
    trainer = built.trainer
    return {
        "data": built.info,
        "network": repr(trainer.network),
        "optimizer": repr(trainer.optimizer),
    }


def write_config(
    out: Path, spec: RunSpec, built: Built, kind: str = "train", splits: bool = True
) -> None:
    """``config.json``: the spec, its kind, and what was built; with ``--data`` also
    ``splits.json`` (which rows went where)."""
    config = {"kind": kind, **spec.to_json(), "described": described(built)}
    guarded_write(out / "config.json", write_json, config)
    if built.prepared is not None and splits:
        guarded_write(out / "splits.json", write_json, built.prepared.split_record())


def resumed(out: Path, spec: RunSpec, built: Built) -> None:
    """A run resumed from its checkpoint: refuse an ``epochs`` it has already passed;
    keep a new total in config.json, and rewrite one saved before the current
    schema in the current form (once)."""
    trainer = built.trainer
    if trainer.epochs < trainer.current_epoch:
        raise ConfigError(
            f"{out} is already at epoch {trainer.current_epoch}; pass --epochs "
            f"of at least {trainer.current_epoch} to train it for longer"
        )
    config = read_json(out / "config.json")
    if config.get("schema") != SCHEMA or config["training"]["epochs"] != spec.training.epochs:
        write_config(out, spec, built, splits=False)


def summary_of(trainer) -> dict:
    """The run's key numbers: steps, time, final losses and accuracies (R² and MSE
    for a regression), the best epoch of early stopping."""
    h = trainer.history
    out = {
        "epochs": trainer.current_epoch,
        "iterations": trainer.current_iter,
        "seconds": round(trainer.elapsed, 3),
        "iterations_per_second": round(trainer.current_iter / max(trainer.elapsed, 1e-9), 1),
        "final_train_loss": float(np.mean(h["train_loss"][-10:])) if h["train_loss"] else None,
    }
    regression = getattr(trainer.network, "loss_name", None) == "mse"
    for key in ("train_acc", "val_acc", "test_acc"):
        if h[key] and regression:  # the loss slot holds the MSE, the accuracy slot R²
            part = key.split("_")[0]
            loss = h["train_loss_epoch" if part == "train" else f"{part}_loss"][-1]
            out[f"final_{part}_mse"], out[f"final_{part}_r2"] = loss, h[key][-1]
        elif h[key]:
            out[f"final_{key}"] = h[key][-1]
    if trainer.best_epoch is not None:
        out["best_epoch"] = trainer.best_epoch
    return out


def write_metrics(out: Path, built: Built, **extra) -> tuple[dict, list]:
    """``metrics.json``: summary (in the target's own units for a regression),
    histories, tracked costs and the doctor's verdicts; returns (summary, verdicts)."""
    trainer, prepared = built.trainer, built.prepared
    summary = summary_of(trainer)
    if prepared is not None and prepared.info["task"] == "regression":
        summary.update(in_target_units(trainer.network, prepared))
        if prepared.target_scaler is not None:
            extra["units"] = UNITS_NOTE
    metrics = {"summary": summary, "history": trainer.history, **extra}
    metrics.update(tracked_costs(trainer))
    seen = metrics
    if getattr(trainer.network, "loss_name", None) == "mse":  # R², not accuracies
        history = {k: v for k, v in trainer.history.items() if not k.endswith("_acc")}
        seen = {**metrics, "history": history}
    verdicts = diagnose(seen)
    summary["doctor"] = ", ".join(v.name for v in verdicts)
    metrics["doctor"] = [vars(v) for v in verdicts]
    guarded_write(out / "metrics.json", write_json, metrics)
    return summary, verdicts


def write_results(out: Path, spec: RunSpec, built: Built) -> None:
    """After a finished training: ``scaling.npz`` (``--data``), ``params.npz`` and
    ``training.png``."""
    net, info = built.trainer.network, built.info
    if built.prepared is not None:
        guarded_write(out / "scaling.npz", save_npz, scaling_arrays(built.prepared))
    arrays = {
        **{f"params/{k}": v for k, v in net.params.items()},
        **{f"buffers/{k}": v for k, v in net.buffers().items()},
    }
    guarded_write(out / "params.npz", save_npz, arrays)
    title = f"{spec.optimizer.rule} on {info['name']}"
    score = "R²" if getattr(net, "loss_name", None) == "mse" else "accuracy"
    history = built.trainer.history
    guarded_write(out / "training.png", lambda p: plot_history(history, p, title, score=score))
