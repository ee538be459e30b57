"""The fastest training step we could write by hand for the notes' ReLU net.

Not trainlab: a floor to judge trainlab against. The same arithmetic as
``net.gradient`` + ``Adam.update`` on the same float32 buffers, with none of a
library's generality: preallocated outputs for the one batch shape, every
elementwise operation fused into a compiled loop (bias add and ReLU in one
pass, the ReLU mask and the bias gradient in one pass, softmax with
cross-entropy and its gradient in one pass), no Python per layer beyond the
matrix products, and the NaN/inf check and fused Adam kernel called directly.
What this step costs beyond its matrix products is about the least any NumPy
program on this BLAS can pay.
"""

from __future__ import annotations

from itertools import cycle

import numpy as np
from numba import njit

F = np.float32


@njit(cache=True, nogil=True)
def _bias_relu(out, b):
    n, m = out.shape
    for i in range(n):
        for j in range(m):
            v = out[i, j] + b[j]
            out[i, j] = v if v > 0 else F(0)


@njit(cache=True, nogil=True)
def _relu_grad_and_bias_grad(dout, y, db):
    """dout *= (y > 0) in place; db = column sums of the result."""
    n, m = dout.shape
    for j in range(m):
        db[j] = 0
    for i in range(n):
        for j in range(m):
            d = dout[i, j] if y[i, j] > 0 else F(0)
            dout[i, j] = d
            db[j] += d


@njit(cache=True, nogil=True)
def _softmax_loss(out, b, t, dx, db):
    """Logits out + b; returns the mean cross-entropy; dx and db its gradients."""
    n, m = out.shape
    loss = 0.0
    for j in range(m):
        db[j] = 0
    for i in range(n):
        top = -np.inf
        for j in range(m):
            v = out[i, j] + b[j]
            out[i, j] = v
            top = max(top, v)
        s = F(0)
        for j in range(m):
            e = np.exp(out[i, j] - top)
            dx[i, j] = e
            s += e
        loss += np.log(s) + top - out[i, t[i]]
        scale = F(1) / (s * n)
        for j in range(m):
            dx[i, j] *= scale
        dx[i, t[i]] -= F(1) / n
        for j in range(m):
            db[j] += dx[i, j]
    return loss / n


def step(sizes, data, batch):
    """``fn(n)``: n training steps, Adam, same data and batches as the other sides."""
    from sides import load_batches

    from trainlab.kernels import numba_impl
    from trainlab.nn import MultiLayerNet

    x, t, idx = load_batches(data, batch)
    net = MultiLayerNet(sizes[0], sizes[1:-1], sizes[-1], rng=np.random.default_rng(0))
    P, G = net.flat_params, net.flat_grads
    m, v = np.zeros_like(P), np.zeros_like(P)
    n_layers = len(sizes) - 1
    W = [net.params[f"W{k}"] for k in range(1, n_layers + 1)]
    b = [net.params[f"b{k}"] for k in range(1, n_layers + 1)]
    dW = [net.grads[f"W{k}"] for k in range(1, n_layers + 1)]
    db = [net.grads[f"b{k}"] for k in range(1, n_layers + 1)]
    out = [np.empty((batch, w), F) for w in sizes[1:]]
    dx = [np.empty((batch, w), F) for w in sizes[:-1]]
    dlogits = np.empty((batch, sizes[-1]), F)
    bits, exponent = G.view(np.uint32), np.uint32(0x7F800000)
    beta1, beta2, lr, eps = 0.9, 0.999, 1e-3, 1e-7
    it = cycle(idx)
    state = {"t": 0}

    def run(n):
        for _ in range(n):
            i = next(it)
            h, labels = x[i], t[i]
            xb = h
            for k in range(n_layers):
                np.matmul(h, W[k], out=out[k])
                if k < n_layers - 1:
                    _bias_relu(out[k], b[k])
                h = out[k]
            _softmax_loss(out[-1], b[-1], labels, dlogits, db[-1])
            d = dlogits
            for k in range(n_layers - 1, -1, -1):
                np.matmul((xb if k == 0 else out[k - 1]).T, d, out=dW[k])
                if k > 0:
                    np.matmul(d, W[k].T, out=dx[k])
                    d = dx[k]
                    _relu_grad_and_bias_grad(d, out[k - 1], db[k - 1])
            if numba_impl._max_exponent(bits, exponent) == exponent:
                raise FloatingPointError("non-finite gradient")
            state["t"] += 1
            s = state["t"]
            lr_t = lr * np.sqrt(1.0 - beta2**s) / (1.0 - beta1**s)
            numba_impl.adam_notes(P, G, m, v, lr_t, beta1, beta2, eps)

    return run
