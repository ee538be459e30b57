"""A trainer's checkpoints and its stop on request (Ctrl-C): the part of
:class:`~trainlab.train.Trainer` that saves and restores where training stands."""

from __future__ import annotations

from typing import Any

from trainlab.train.checkpoint import load_checkpoint, save_checkpoint


class TrainingInterrupted(KeyboardInterrupt):
    """Training stopped on request (Ctrl-C) between two steps, after saving a checkpoint."""


class Checkpointed:
    """Checkpoints and stopping for :class:`~trainlab.train.Trainer`, which holds the
    state they read: ``checkpoint_dir``, ``current_iter``, ``current_epoch``, the
    current epoch's batches and position, its largest gradient norm."""

    checkpoint_dir: Any
    current_iter: int
    current_epoch: int
    stop_requested: bool
    _plan: list | None
    _pos: int
    _epoch_max_norm: float

    def epoch_state(self) -> tuple[list | None, int, float]:
        """Where the epoch stands, for a checkpoint: its batches (``None`` between
        epochs), how many are done, and its largest gradient norm so far."""
        return self._plan, self._pos, self._epoch_max_norm

    def restore_epoch_state(self, plan: list | None, position: int, max_norm: float) -> None:
        """Put back what :meth:`epoch_state` returned."""
        self._plan, self._pos, self._epoch_max_norm = plan, position, max_norm

    def save_checkpoint(self, folder=None):
        """Save the full training state (see :mod:`trainlab.train.checkpoint`)."""
        return save_checkpoint(self, folder if folder is not None else self.checkpoint_dir)

    def load_checkpoint(self, folder=None) -> dict:
        """Continue from the checkpoint in ``folder``: the next :meth:`train`
        goes on exactly as the saved run would have."""
        return load_checkpoint(self, folder if folder is not None else self.checkpoint_dir)

    def request_stop(self) -> None:
        """Ask training to stop after the current step (safe from a signal handler):
        :meth:`train` saves a checkpoint (if it has a folder) and raises
        :class:`TrainingInterrupted`."""
        self.stop_requested = True

    def _interrupt(self):
        self.stop_requested = False
        where = ""
        if self.checkpoint_dir is not None:
            self.save_checkpoint()
            where = f"; checkpoint saved in {self.checkpoint_dir}"
        raise TrainingInterrupted(
            f"stopped at step {self.current_iter} (epoch {self.current_epoch + 1}){where}"
        )
