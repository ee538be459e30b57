"""Batch normalisation, a layer with ``forward`` and ``backward`` in the book's style."""

from __future__ import annotations

import numpy as np

from trainlab.nn.buffers import col_sums


class BatchNormalization:
    """Batch normalisation (Ioffe & Szegedy, 2015).

    Train mode, over the mini-batch B = {x_1..x_m}::

        mu = mean(x),  var = mean((x - mu)^2)
        xn = (x - mu) / sqrt(var + eps)
        out = gamma * xn + beta

    and the running statistics follow ``run = momentum * run + (1 - momentum) * batch``.
    Eval mode normalises with the running mean and variance instead.
    Defaults follow the book: ``momentum=0.9``, ``eps=1e-6`` (``10e-7`` there).
    """

    def __init__(
        self,
        gamma: np.ndarray,
        beta: np.ndarray,
        dgamma: np.ndarray | None = None,
        dbeta: np.ndarray | None = None,
        momentum: float = 0.9,
        eps: float = 1e-6,
        running_mean: np.ndarray | None = None,
        running_var: np.ndarray | None = None,
    ) -> None:
        self.gamma, self.beta = gamma, beta
        self.dgamma = np.zeros_like(gamma) if dgamma is None else dgamma
        self.dbeta = np.zeros_like(beta) if dbeta is None else dbeta
        self.momentum, self.eps = momentum, eps
        self.running_mean = np.zeros_like(gamma) if running_mean is None else running_mean
        self.running_var = np.ones_like(gamma) if running_var is None else running_var
        self.xn: np.ndarray | None = None
        self.inv_std: np.ndarray | None = None

    def forward(self, x: np.ndarray, train_flg: bool = True) -> np.ndarray:
        if train_flg:
            n = x.shape[0]
            mu = col_sums(x) / n
            xc = x - mu
            var = col_sums(xc * xc) / n
            inv_std = 1.0 / np.sqrt(var + self.eps)
            xc *= inv_std
            self.xn, self.inv_std = xc, inv_std
            self.running_mean *= self.momentum
            self.running_mean += (1 - self.momentum) * mu
            self.running_var *= self.momentum
            self.running_var += (1 - self.momentum) * var
            xn = xc
        else:
            xn = (x - self.running_mean) / np.sqrt(self.running_var + self.eps)
        out: np.ndarray = xn * self.gamma
        out += self.beta
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        assert self.xn is not None and self.inv_std is not None, "backward before forward"
        xn, n = self.xn, dout.shape[0]
        col_sums(dout, out=self.dbeta)
        col_sums(dout * xn, out=self.dgamma)
        # dx = gamma * inv_std * (dout - mean(dout) - xn * mean(dout * xn))
        dx: np.ndarray = dout - self.dbeta / n
        dx -= xn * (self.dgamma / n)
        dx *= self.gamma * self.inv_std
        return dx
