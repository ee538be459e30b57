"""Callbacks for :class:`trainlab.train.Trainer`: early stopping.

A callback may define ``on_step(trainer, it, loss)``, ``on_epoch_end(trainer,
epoch, record)`` (return True to stop), ``on_train_end(trainer)``, and
``state_dict()`` / ``load_state_dict(d)`` (flat dicts of arrays) so that
checkpoints carry its state.
"""

from __future__ import annotations

import math

import numpy as np

from trainlab.errors import ConfigError


class EarlyStopping:
    """Stop when the validation accuracy has not improved for ``patience`` epochs,
    then put back the parameters (and batch-norm statistics) of the best epoch.

    The notes: "validation accuracy가 떨어지면 학습을 멈춤" (stop when the
    validation accuracy falls). An epoch improves when its accuracy exceeds the
    best so far by more than ``min_delta``.
    """

    def __init__(
        self,
        patience: int,
        monitor: str = "val_acc",
        min_delta: float = 0.0,
        restore_best: bool = True,
    ):
        if isinstance(patience, bool) or int(patience) != patience or patience < 1:
            raise ConfigError(f"early-stopping patience must be a positive integer, got {patience}")
        self.patience, self.monitor = int(patience), monitor
        self.min_delta, self.restore_best = float(min_delta), restore_best
        self.best, self.best_epoch, self.wait = -math.inf, -1, 0
        self.best_params: dict[str, np.ndarray] = {}

    def on_epoch_end(self, trainer, epoch, record) -> bool:
        value = record.get(self.monitor)
        if value is None:
            raise ConfigError(
                f"early stopping watches {self.monitor}, which this run does not "
                "measure; give validation data (e.g. --val-ratio 0.2)"
            )
        if value > self.best + self.min_delta:
            self.best, self.best_epoch, self.wait = float(value), int(epoch), 0
            net = trainer.network
            state = {
                **{f"params/{k}": v for k, v in net.params.items()},
                **{f"buffers/{k}": v for k, v in getattr(net, "buffers", dict)().items()},
            }
            for k, v in state.items():
                if k in self.best_params:
                    self.best_params[k][...] = v
                else:
                    self.best_params[k] = v.copy()
            return False
        self.wait += 1
        return self.wait >= self.patience

    def on_train_end(self, trainer) -> None:
        if not (self.restore_best and self.best_params):
            return
        net = trainer.network
        targets = {
            **{f"params/{k}": v for k, v in net.params.items()},
            **{f"buffers/{k}": v for k, v in getattr(net, "buffers", dict)().items()},
        }
        for k, v in targets.items():
            v[...] = self.best_params[k]
        trainer.best_epoch = self.best_epoch

    def state_dict(self) -> dict:
        return {
            "best": np.array(self.best),
            "best_epoch": np.array(self.best_epoch),
            "wait": np.array(self.wait),
            **{f"best/{k}": v for k, v in self.best_params.items()},
        }

    def load_state_dict(self, d: dict) -> None:
        self.best, self.best_epoch = float(d["best"]), int(d["best_epoch"])
        self.wait = int(d["wait"])
        self.best_params = {k[5:]: np.array(v) for k, v in d.items() if k.startswith("best/")}
