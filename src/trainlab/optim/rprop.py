"""Rprop: each weight's own step size, grown while its gradient keeps its sign."""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.optim.base import Optimizer
from trainlab.validate import check_positive


class Rprop(Optimizer):
    r"""Rprop (resilient backpropagation), in PyTorch's form (iRprop-).

    Equations (``prev`` is the last gradient used, ``step`` starts at lr)::

        factor = etaplus   where g * prev > 0     # same sign: speed up
                 etaminus  where g * prev < 0     # sign flipped: overshot, slow down
                 1         elsewhere
        step <- clip(step * factor, step_size_min, step_size_max)
        prev <- g, but 0 where g * prev < 0       # after a flip, stand still once
        W    <- W - sign(prev) * step

    Only the sign of the gradient moves a weight; its size is learned per
    weight from whether the sign holds. So the gradient's scale, which differs
    by orders of magnitude between layers, does not matter, and ``lr`` is only
    the first step size. Made for full-batch training: with noisy minibatch
    gradients the signs flip by chance and the steps shrink.

    Paper: Riedmiller & Braun, "A Direct Adaptive Method for Faster
    Backpropagation Learning: The RPROP Algorithm", IEEE ICNN 1993; the variant
    without weight backtracking (iRprop-): Igel & Hüsken, "Improving the Rprop
    Learning Algorithm", NC 2000.
    Defaults: ``lr=0.01, etaminus=0.5, etaplus=1.2, step_size_min=1e-6,
    step_size_max=50`` (PyTorch's).
    PyTorch: ``torch.optim.Rprop(params, lr=lr, etas=(etaminus, etaplus),
    step_sizes=(step_size_min, step_size_max), maximize=...)``; PyTorch's Rprop
    has no weight decay (here ``weight_decay`` is the common coupled L2).

    Typical lr: about 5x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md).

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = Rprop(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.78, -1.78])
    """

    lr_vs_adamw = 5.0

    state_names = ("prev", "step")

    def __init__(
        self,
        lr: float = 0.01,
        etaminus: float = 0.5,
        etaplus: float = 1.2,
        step_size_min: float = 1e-6,
        step_size_max: float = 50.0,
        **kw: Any,
    ) -> None:
        super().__init__(lr, **kw)
        if not 0.0 < etaminus < 1.0 < etaplus:
            raise ConfigError(f"Rprop needs 0 < etaminus < 1 < etaplus, got {etaminus}, {etaplus}")
        self.etaminus, self.etaplus = float(etaminus), float(etaplus)
        self.step_size_min = check_positive("step_size_min", step_size_min, allow_zero=True)
        self.step_size_max = check_positive("step_size_max", step_size_max)
        if self.step_size_min > self.step_size_max:
            raise ConfigError(
                f"step_size_min ({step_size_min}) must not exceed step_size_max ({step_size_max})"
            )

    def _init_state(self, p: np.ndarray) -> dict[str, np.ndarray]:
        return {"prev": np.zeros_like(p), "step": np.full_like(p, self.lr)}

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        prev, step = s["prev"], s["step"]
        agree = g * prev  # > 0: same sign, < 0: flipped, 0: either is 0
        flipped = agree < 0
        np.multiply(step, self.etaplus, out=step, where=agree > 0)
        np.multiply(step, self.etaminus, out=step, where=flipped)
        np.clip(step, self.step_size_min, self.step_size_max, out=step)
        np.copyto(prev, g)
        prev[flipped] = 0  # after a flip, stand still once
        p -= np.sign(prev) * step
