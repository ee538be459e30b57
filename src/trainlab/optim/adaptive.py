"""Per-parameter learning rates: AdaGrad and RMSprop."""

from __future__ import annotations

import numpy as np

from trainlab.optim.base import Optimizer, check_positive, check_unit


class AdaGrad(Optimizer):
    r"""AdaGrad: divide by the root of the summed squared gradients.

    Equations::

        h <- h + g * g
        W <- W - lr * g / (sqrt(h) + eps)

    Paper: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online
    Learning and Stochastic Optimization", JMLR 2011.
    Defaults: ``lr=0.01, eps=1e-7`` (the notes).
    PyTorch: ``torch.optim.Adagrad(params, lr=lr, eps=eps)`` (same placement of eps).
    """

    state_names = ("h",)

    def __init__(self, lr: float = 0.01, eps: float = 1e-7, **kw):
        super().__init__(lr, **kw)
        self.eps = check_positive("eps", eps)

    def _apply(self, p, g, s):
        h = s["h"]
        h += g * g
        d = np.sqrt(h)
        d += self.eps
        np.divide(g, d, out=d)
        d *= self.lr
        p -= d


class RMSprop(Optimizer):
    r"""RMSprop: AdaGrad with an exponential moving average of squared gradients.

    Equations::

        h <- decay_rate * h + (1 - decay_rate) * g * g
        W <- W - lr * g / (sqrt(h) + eps)

    Paper: Tieleman & Hinton, "Lecture 6.5 - rmsprop", COURSERA: Neural
    Networks for Machine Learning, 2012.
    Defaults: ``lr=0.01, decay_rate=0.99, eps=1e-7`` (the notes).
    PyTorch: ``torch.optim.RMSprop(params, lr=lr, alpha=decay_rate, eps=eps)``.
    """

    state_names = ("h",)

    def __init__(self, lr: float = 0.01, decay_rate: float = 0.99, eps: float = 1e-7, **kw):
        super().__init__(lr, **kw)
        self.decay_rate = check_unit("decay_rate", decay_rate)
        self.eps = check_positive("eps", eps)

    def _apply(self, p, g, s):
        h = s["h"]
        h *= self.decay_rate
        h += (1.0 - self.decay_rate) * (g * g)
        d = np.sqrt(h)
        d += self.eps
        np.divide(g, d, out=d)
        d *= self.lr
        p -= d
