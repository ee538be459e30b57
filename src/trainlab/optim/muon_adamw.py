"""``create('muon')``: Muon on the weight matrices, AdamW on everything else."""

from __future__ import annotations

import numpy as np

from trainlab.optim.adam import AdamW
from trainlab.optim.base import Optimizer
from trainlab.optim.muon import Muon
from trainlab.optim.partition import Partition


def is_matrix(name: str, p: np.ndarray) -> bool:
    """The parameters Muon takes: the 2-D weight matrices."""
    return np.ndim(p) == 2


class MuonAdamW(Partition):
    r"""Muon as it is used: its orthogonalised step for every weight matrix, AdamW for
    the biases, batch norm's gains and shifts, and anything else that is not a matrix.

    Equations: :class:`Muon`'s on each m x n parameter ``W`` (momentum ``B``,
    ``Q = NS(B)``, decoupled decay ``W <- W * (1 - lr * weight_decay)``, then
    ``W <- W - lr * 0.2 * sqrt(max(m, n)) * Q``); :class:`AdamW`'s, at the same
    ``lr`` and without decay, on the rest.

    One learning rate serves both: the factor ``0.2 * sqrt(max(m, n))`` gives
    Muon's step the root-mean-square size of a typical AdamW step
    (``adjust_lr_fn='match_rms_adamw'``, Liu et al. 2025), so ``lr`` is chosen
    as for AdamW, and a schedule that changes it changes both. Muon's paper
    trains the hidden matrices with Muon and the rest with AdamW; on the
    notes' network every weight matrix goes to Muon here (a
    :class:`~trainlab.optim.partition.Partition` of your own can give the
    outer layers to AdamW instead). On a function of two numbers (the
    landscape lab) there is no matrix, and the rule is AdamW. The Newton-Schulz
    iteration runs in the parameters' own float type (``ns_dtype='float'``);
    ``'bfloat16'`` is PyTorch's precision and needs ``ml_dtypes``.

    Paper: Jordan et al., "Muon: An optimizer for hidden layers in neural
    networks", 2024 (kellerjordan.github.io/posts/muon); one lr for both:
    Liu et al., "Muon is Scalable for LLM Training", 2025 (arXiv:2502.16982).
    Defaults: ``lr=0.001, weight_decay=0.01, momentum=0.95, nesterov=True,
    beta1=0.9, beta2=0.999, eps=1e-8, ns_steps=5, ns_dtype='float'``
    (AdamW's lr, decay and betas as PyTorch's; Muon's momentum as its paper's).
    PyTorch: ``torch.optim.Muon(matrices, lr=lr, weight_decay=weight_decay,
    momentum=momentum, nesterov=nesterov, adjust_lr_fn='match_rms_adamw')``
    and ``torch.optim.AdamW(others, lr=lr, betas=(beta1, beta2), eps=eps,
    weight_decay=0)``, stepped together.

    Typical lr: about 1x AdamW's (:attr:`lr_vs_adamw`), measured by
    ``benchmarks/bench_relative_lr.py`` on the built-in problems at the
    notes' length (10 epochs; docs/search-and-benchmark.md), as designed:
    Muon's step is scaled to match AdamW's, so one lr serves both.

    Example: one step on a 1 x 2 matrix and its bias.

    >>> import numpy as np
    >>> params = {"W": np.array([[1.0, -2.0]]), "b": np.array([0.5])}
    >>> grads = {"W": np.array([[0.5, -0.5]]), "b": np.array([1.0])}
    >>> opt = MuonAdamW(lr=0.1, weight_decay=0.0)
    >>> opt.update(params, grads)
    >>> params["W"].round(4), params["b"].round(4)
    (array([[ 0.9861, -1.9861]]), array([0.4]))
    """

    lr_vs_adamw = 1.0
    _fixed = ("groups", "lead", "decoupled_weight_decay")
    __repr__ = Optimizer.__repr__  # its options, not its two rules

    def __init__(
        self,
        lr: float = 0.001,
        weight_decay: float = 0.01,
        momentum: float = 0.95,
        nesterov: bool = True,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        ns_steps: int = 5,
        ns_dtype: str = "float",
        nonfinite: str = "raise",
        maximize: bool = False,
    ) -> None:
        muon = Muon(
            lr,
            weight_decay=weight_decay,
            momentum=momentum,
            nesterov=nesterov,
            ns_steps=ns_steps,
            adjust_lr_fn="match_rms_adamw",
            ns_dtype=ns_dtype,
            nonfinite=nonfinite,
            maximize=maximize,
        )
        adamw = AdamW(
            lr, beta1, beta2, eps, weight_decay=0.0, nonfinite=nonfinite, maximize=maximize
        )
        super().__init__([(is_matrix, muon), ("*", adamw)], nonfinite=nonfinite)
        self.weight_decay, self.momentum, self.nesterov = muon.weight_decay, momentum, nesterov
        self.beta1, self.beta2, self.eps = adamw.beta1, adamw.beta2, adamw.eps
        self.ns_steps, self.ns_dtype, self.maximize = muon.ns_steps, ns_dtype, bool(maximize)
        self.decoupled_weight_decay = True  # Muon's decay, on the matrices
