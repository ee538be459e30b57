"""``create('muon')``: Muon on the weight matrices, AdamW on everything else."""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.optim.adam import AdamW
from trainlab.optim.muon import Muon
from trainlab.optim.partition import Partition


def is_matrix(name: str, p: np.ndarray) -> bool:
    """The parameters Muon takes: the 2-D weight matrices."""
    return np.ndim(p) == 2


class MuonAdamW(Partition):
    r"""Muon as it is used: its orthogonalised step for every weight matrix, AdamW for
    the biases, batch norm's gains and shifts, and anything else that is not a matrix.

    Equations: :class:`Muon`'s on each 2-D parameter ``W`` (momentum ``B``,
    ``Q = NS(B)``, ``W <- W - lr * sqrt(max(1, m/n)) * Q``, decay
    ``W <- W * (1 - lr * weight_decay)``); :class:`AdamW`'s, at ``adamw_lr``
    and without decay, on the rest. A schedule that changes ``lr`` scales both
    rates alike.

    Muon's own paper trains every hidden matrix with Muon and the rest with
    AdamW; on the notes' network every weight matrix is a hidden or an outer
    layer, and all of them are given to Muon here (a partition of your own,
    :class:`~trainlab.optim.partition.Partition`, gives the outer layers to
    AdamW instead). The Newton-Schulz iteration runs in the parameters' own
    float type by default (``ns_dtype='float'``); ``'bfloat16'`` is PyTorch's
    precision and needs ``ml_dtypes``.

    Paper: Jordan et al., "Muon: An optimizer for hidden layers in neural
    networks", 2024 (kellerjordan.github.io/posts/muon).
    Defaults: ``lr=0.02, momentum=0.95, nesterov=True, weight_decay=0,
    adamw_lr=0.001, ns_steps=5, ns_dtype='float'`` (Muon's ``lr=0.02`` is the
    paper's; AdamW's rate is PyTorch's default).
    PyTorch: ``torch.optim.Muon(matrices, lr=lr, momentum=momentum,
    weight_decay=weight_decay)`` and ``torch.optim.AdamW(others, lr=adamw_lr,
    weight_decay=0)``, stepped together.

    Example: one step on a 1 x 2 matrix and its bias.

    >>> import numpy as np
    >>> params = {"W": np.array([[1.0, -2.0]]), "b": np.array([0.5])}
    >>> grads = {"W": np.array([[0.5, -0.5]]), "b": np.array([1.0])}
    >>> opt = MuonAdamW(lr=0.1, adamw_lr=0.1)
    >>> opt.update(params, grads)
    >>> params["W"].round(4), params["b"].round(4)
    (array([[ 0.9508, -1.9508]]), array([0.4]))
    """

    lr_vs_adamw = 20.0  # the paper's 0.02 against AdamW's 0.001

    def __init__(
        self,
        lr: float = 0.02,
        momentum: float = 0.95,
        nesterov: bool = True,
        weight_decay: float = 0.0,
        adamw_lr: float = 0.001,
        ns_steps: int = 5,
        ns_dtype: str = "float",
        nonfinite: str = "raise",
        **kw: Any,
    ) -> None:
        muon = Muon(
            lr,
            weight_decay=weight_decay,
            momentum=momentum,
            nesterov=nesterov,
            ns_steps=ns_steps,
            ns_dtype=ns_dtype,
            nonfinite=nonfinite,
            **kw,
        )
        adamw = AdamW(adamw_lr, weight_decay=0.0, nonfinite=nonfinite, **kw)
        # lr is Muon's: a schedule scales it, and AdamW's with it
        super().__init__([(is_matrix, muon), ("*", adamw)], nonfinite=nonfinite, lead=0)
        self.momentum, self.nesterov = muon.momentum, muon.nesterov
        self.weight_decay, self.adamw_lr = muon.weight_decay, adamw.lr
        self.ns_steps, self.ns_dtype = muon.ns_steps, muon.ns_dtype
