"""What the trainer says when a run diverges, and when a loss has blown up; its progress bar."""

from __future__ import annotations

import sys

from trainlab.train.activations import blame_layer
from trainlab.train.doctor import divergence_fix


def divergence_record(trainer, reason: str, what: str, xb, grads) -> dict:
    """Where and why training diverged (the step, epoch, lr, the layer to blame),
    with the one-line message and its fix."""
    step, lr, epoch = trainer.current_iter + 1, trainer.optimizer.lr, trainer.current_epoch + 1
    layer = blame_layer(trainer.network, xb, grads)
    fix = divergence_fix(reason, lr, trainer.closure_rule)
    message = f"{what} at step {step} (epoch {epoch}, lr {lr:g}) in {layer}; {fix}"
    record = {
        "reason": reason,
        "what": what,
        "step": step,
        "epoch": epoch,
        "lr": lr,
        "layer": layer,
        "message": message,
    }
    return {**record, "closure": True} if trainer.closure_rule else record


def blowup(loss: float, history: dict, times: float | None) -> str | None:
    """The divergence stop on the loss itself: what happened when ``loss`` is over
    ``times`` times its start (the loss before training, else the first step's)."""
    start = (history["train_loss_epoch"] or history["train_loss"] or [loss])[0]
    if times is not None and loss > times * start:
        return f"loss is {loss:.4g}, over {times:g}x its start {start:.4g},"
    return None


def progress_bar(show: bool | None, total: int, desc: str):
    """A tqdm bar of ``total`` steps (``show=None``: only on a terminal), or None."""
    if not (sys.stderr.isatty() if show is None else show):
        return None
    from tqdm.auto import tqdm  # optional at start-up: only a bar needs it

    return tqdm(total=total, unit="it", leave=False, dynamic_ncols=True, desc=desc)
