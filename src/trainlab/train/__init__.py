"""The engine that runs training: the Trainer, its run folders and figures."""

from trainlab.train.trainer import Trainer

__all__ = ["Trainer"]
