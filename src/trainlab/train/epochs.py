"""Which samples each step of an epoch takes: sampling mode, batch size and curriculum."""

from __future__ import annotations

import math

import numpy as np

from trainlab.data.batching import epoch_indices
from trainlab.errors import ConfigError
from trainlab.train.curriculum import Curriculum
from trainlab.validate import MAX_COUNT


class EpochPlan:
    """The batches of each epoch, for ``n`` training samples.

    ``sampling`` is ``'shuffle'``, ``'replacement'`` or ``'sequential'`` (see
    :func:`trainlab.data.batching.epoch_indices`); ``curriculum`` (a
    :class:`trainlab.train.curriculum.Curriculum`, or per-sample difficulty
    scores) narrows early epochs to a pool of the easiest samples.
    """

    def __init__(self, n: int, batch_size: int, sampling: str, curriculum=None):
        if curriculum is not None and not hasattr(curriculum, "pool"):
            curriculum = Curriculum(curriculum)
        if curriculum is not None and curriculum.order.size != n:
            raise ConfigError(
                f"the curriculum scores {curriculum.order.size} samples but the "
                f"training set has {n}"
            )
        self.n, self.batch_size, self.curriculum = n, int(min(batch_size, n)), curriculum
        self.shuffle, self.replacement = sampling == "shuffle", sampling == "replacement"

    def batches_in(self, n: int) -> int:
        """Steps in an epoch over ``n`` samples (the book's ``n // batch`` with replacement)."""
        bs = min(self.batch_size, n)
        return max(1, n // bs) if self.replacement else math.ceil(n / bs)

    def steps(self, epochs: int) -> int:
        """Steps in ``epochs`` epochs (fewer with a curriculum's smaller pools)."""
        if self.curriculum is None:
            return epochs * self.batches_in(self.n)
        return sum(self.batches_in(self.curriculum.size(e, epochs)) for e in range(epochs))

    def length(self, epochs: int, iterations: int | None, n: int) -> tuple[int, int]:
        """``(epochs, steps)`` of a training of ``epochs``, or of exactly ``iterations``
        steps (as many epochs as they take) on ``n`` samples; at most MAX_COUNT steps."""
        per_epoch = self.batches_in(n)
        if iterations is not None:
            epochs = math.ceil(iterations / per_epoch)
            while self.curriculum is not None and self.steps(epochs) < iterations:
                epochs += 1  # the curriculum's smaller pools take more epochs
            return int(epochs), iterations
        if epochs * per_epoch > MAX_COUNT:
            raise ConfigError(
                f"{epochs:,} epochs of {per_epoch} steps are more than the "
                f"{MAX_COUNT:,} steps trainlab accepts; at most "
                f"{MAX_COUNT // per_epoch:,} epochs at this batch size"
            )
        return int(epochs), self.steps(int(epochs))

    def draw(self, epoch: int, epochs: int, rng: np.random.Generator) -> list:
        """The batches (index arrays into the training set) of epoch ``epoch``."""
        if self.curriculum is None:
            return epoch_indices(
                self.n, self.batch_size, rng, shuffle=self.shuffle, replacement=self.replacement
            )
        pool = self.curriculum.pool(epoch, epochs)
        return [
            pool[b]
            for b in epoch_indices(
                len(pool),
                min(self.batch_size, len(pool)),
                rng,
                shuffle=self.shuffle,
                replacement=self.replacement,
            )
        ]
