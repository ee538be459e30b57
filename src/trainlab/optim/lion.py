"""Lion: the sign of an interpolated momentum (EvoLved Sign Momentum)."""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.optim.base import Optimizer
from trainlab.validate import check_unit


class Lion(Optimizer):
    r"""Lion: every weight moves by exactly ``lr``, in the direction of a momentum's sign.

    Equations (decoupled weight decay, as in AdamW)::

        W <- W * (1 - lr * weight_decay)
        c <- beta1 * m + (1 - beta1) * g        # interpolate, then take the sign
        W <- W - lr * sign(c)
        m <- beta2 * m + (1 - beta2) * g        # the momentum kept, with its own beta

    The one idea: the step's size is the same for every weight (``lr``), only
    its sign is learned, from a momentum that looks a little further back
    (``beta2``) than the one it steps with (``beta1``). Since ``sign`` makes
    every step as large as Adam's largest, Lion wants an ``lr`` 3-10 times
    smaller than AdamW's, and a weight decay as many times larger.

    Paper: Chen et al., "Symbolic Discovery of Optimization Algorithms",
    NeurIPS 2023 (arXiv:2302.06675).
    Defaults: ``lr=1e-4, beta1=0.9, beta2=0.99, weight_decay=0`` (the paper's).
    PyTorch: ``lion_pytorch.Lion(params, lr=lr, betas=(beta1, beta2),
    weight_decay=weight_decay)`` (``from_reference('lion_pytorch.Lion', ...)``;
    its ``decoupled_weight_decay=True`` is ``weight_decay / lr`` here).

    Typical lr: about 0.5x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md): smaller, as the
    paper's 3-10x, though less so in short trainings, where Adam's steps are
    still near ``lr``.

    Example: two steps from ``W = [1, -2]`` with the gradient ``[0.5, -0.5]``.

    >>> import numpy as np
    >>> params, grads = {"W": np.array([1.0, -2.0])}, {"W": np.array([0.5, -0.5])}
    >>> opt = Lion(lr=0.1)
    >>> for step in range(2):
    ...     opt.update(params, grads)
    >>> params["W"].round(4)
    array([ 0.8, -1.8])
    """

    lr_vs_adamw = 0.5

    state_names = ("m",)
    _fixed = ("decoupled_weight_decay",)

    def __init__(
        self,
        lr: float = 1e-4,
        beta1: float = 0.9,
        beta2: float = 0.99,
        weight_decay: float = 0.0,
        **kw: Any,
    ) -> None:
        super().__init__(lr, weight_decay=weight_decay, decoupled_weight_decay=True, **kw)
        self.beta1 = check_unit("beta1", beta1)
        self.beta2 = check_unit("beta2", beta2)

    def _apply(self, p: np.ndarray, g: np.ndarray, s: dict[str, np.ndarray]) -> None:
        m = s["m"]
        p -= self.lr * np.sign(self.beta1 * m + (1 - self.beta1) * g)
        m *= self.beta2
        m += (1 - self.beta2) * g
