"""Adam: momentum plus RMSprop, with bias correction."""

from __future__ import annotations

import math

import numpy as np

from trainlab.optim.base import Optimizer, check_positive, check_unit


class Adam(Optimizer):
    r"""Adam, in the notes' form.

    Equations (t counts steps from 1)::

        m <- m + (1 - beta1) * (g - m)          # = beta1*m + (1-beta1)*g
        v <- v + (1 - beta2) * (g*g - v)        # = beta2*v + (1-beta2)*g*g
        lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
        W <- W - lr_t * m / (sqrt(v) + eps)

    The factor in ``lr_t`` is the bias correction that the lecture notes call
    the "warm start": m and v start at zero, so early on they underestimate the
    moments; dividing by ``1 - beta^t`` removes that bias.

    Paper: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015
    (arXiv:1412.6980).
    Defaults: ``lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7`` (the notes).
    PyTorch: ``torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps)``
    puts eps after the correction, ``W <- W - lr * m_hat / (sqrt(v_hat) + eps)``;
    here eps is added to ``sqrt(v)`` before it, which is the same as PyTorch with
    ``eps * sqrt(1 - beta2^t)``, a constant-free match that no fixed eps gives.
    """

    state_names = ("m", "v")

    def __init__(self, lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-7, **kw):
        super().__init__(lr, **kw)
        self.beta1 = check_unit("beta1", beta1)
        self.beta2 = check_unit("beta2", beta2)
        self.eps = check_positive("eps", eps)
        self._lr_t = 0.0

    def _begin_step(self):
        t = self.t
        self._lr_t = self.lr * math.sqrt(1.0 - self.beta2 ** t) / (1.0 - self.beta1 ** t)

    def _apply(self, p, g, s):
        m, v = s["m"], s["v"]
        d = g - m
        d *= 1.0 - self.beta1
        m += d
        np.multiply(g, g, out=d)
        d -= v
        d *= 1.0 - self.beta2
        v += d
        np.sqrt(v, out=d)
        d += self.eps
        np.divide(m, d, out=d)
        d *= self._lr_t
        p -= d
