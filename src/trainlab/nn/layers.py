"""Layers with ``forward`` and ``backward``, in the book's style.

Each layer caches what its backward pass needs. Layers with parameters hold
views (``W``, ``b``, ``gamma``, ``beta``) into the network's parameter buffer
and write their gradients into views (``dW``, ``db``, ...) of its gradient
buffer, so nothing is copied between the net and the optimizer.

Speed: layers that the network owns (``Affine(reuse_buffers=True)``,
``Relu(inplace=True)``) write their outputs and gradients into arrays kept
from call to call, one set per batch shape, instead of allocating new ones at
every step (:mod:`trainlab.nn.buffers`); such an output is valid until the
layer's next call. Batch normalisation and dropout have modules of their own
(:mod:`trainlab.nn.batchnorm`, :mod:`trainlab.nn.dropout`) and are named here too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.nn.batchnorm import BatchNormalization
from trainlab.nn.buffers import col_sums, constant, reused_buffer, row_sums
from trainlab.nn.dropout import Dropout

__all__ = [
    "Affine",
    "Relu",
    "Sigmoid",
    "Tanh",
    "SoftmaxWithLoss",
    "BatchNormalization",
    "Dropout",
    "ACTIVATIONS",
    "softmax",
    "log_softmax",
    "cross_entropy_error",
]


class Affine:
    """``out = x @ W + b``.

    Backward: ``dW = x.T @ dout``, ``db = sum(dout, axis=0)``, ``dx = dout @ W.T``.
    ``need_dx=False`` (the first layer) skips ``dx``: nobody uses it.
    ``reuse_buffers=True`` writes ``out`` and ``dx`` into arrays reused at every
    call (the net's hidden layers); by default each call returns new arrays.
    """

    def __init__(
        self,
        W: np.ndarray,
        b: np.ndarray,
        dW: np.ndarray | None = None,
        db: np.ndarray | None = None,
        need_dx: bool = True,
        reuse_buffers: bool = False,
    ) -> None:
        self.W, self.b = W, b
        self.dW = np.zeros_like(W) if dW is None else dW
        self.db = np.zeros_like(b) if db is None else db
        self.need_dx = need_dx
        self.reuse_buffers = reuse_buffers
        self.x: np.ndarray | None = None
        self.original_shape: tuple[int, ...] | None = None
        self._out: dict[Any, np.ndarray] = {}
        self._dx: dict[Any, np.ndarray] = {}
        self._last_out = self._last_dx = (None, None)  # (rows, buffer) of the last call

    def _reused(self, cache: dict[Any, np.ndarray], last: str, n: int, cols: int) -> np.ndarray:
        """The reused (n, cols) buffer; the last one used is checked first."""
        buf: np.ndarray
        rows, buf = getattr(self, last)
        if rows != n:
            buf = reused_buffer(cache, (n, cols), self.W.dtype)
            setattr(self, last, (n, buf))
        return buf

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.original_shape = x.shape
        if x.ndim != 2:
            x = x.reshape(x.shape[0], -1)
        self.x = x
        W = self.W
        out: np.ndarray
        if x.dtype != W.dtype:
            out = x @ W
        else:
            n, cols = x.shape[0], W.shape[1]
            out = (
                self._reused(self._out, "_last_out", n, cols)
                if self.reuse_buffers
                else np.empty((n, cols), x.dtype)
            )
            np.matmul(x, W, out=out)
        out += self.b
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        assert self.x is not None and self.original_shape is not None, "backward before forward"
        np.matmul(self.x.T, dout, out=self.dW)
        col_sums(dout, out=self.db)
        if not self.need_dx:
            return None
        W = self.W
        if self.reuse_buffers and dout.dtype == W.dtype:
            dx = self._reused(self._dx, "_last_dx", dout.shape[0], W.shape[0])
            np.matmul(dout, W.T, out=dx)
        else:
            dx = dout @ W.T
        return dx if len(self.original_shape) == 2 else dx.reshape(self.original_shape)


class Relu:
    """``out = max(0, x)``; backward passes ``dout`` where ``x > 0``.

    ``inplace=True`` overwrites the input and the incoming gradient instead of
    allocating new arrays; the net uses it on arrays it owns.
    """

    def __init__(self, inplace: bool = False) -> None:
        self.inplace = inplace
        self.keep: np.ndarray | None = None  # True where x > 0: where the gradient passes
        self._bufs: dict[Any, np.ndarray] = {}
        # (shape and dtype, mask, zeros) of the last call
        self._last: tuple[Any, Any, Any] = (None, None, None)

    @property
    def mask(self) -> np.ndarray | None:
        """True where the output was set to 0 (the book's ``mask``)."""
        return None if self.keep is None else ~self.keep

    def forward(self, x: np.ndarray) -> np.ndarray:
        if not self.inplace:
            self.keep = x > 0
            result: np.ndarray = np.maximum(x, 0)
            return result
        shape, dtype = x.shape, x.dtype
        if self._last[0] != (shape, dtype):
            # max against an array of zeros is the same operation as against the
            # scalar 0, and several times faster than broadcasting it
            self._last = (
                (shape, dtype),
                reused_buffer(self._bufs, shape, np.bool_),
                reused_buffer(self._bufs, shape, dtype, fill=0),
            )
        _, keep, zeros = self._last
        self.keep = np.greater(x, 0, out=keep)
        result = np.maximum(x, zeros, out=x)
        return result

    def backward(self, dout: np.ndarray) -> np.ndarray:
        assert self.keep is not None, "backward before forward"
        if not self.inplace:
            result: np.ndarray = dout * self.keep
            return result
        result = np.multiply(dout, self.keep, out=dout)
        return result


class Sigmoid:
    """``out = 1 / (1 + exp(-x))``; backward ``dout * out * (1 - out)``."""

    def __init__(self) -> None:
        self.out: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        # exp(-|x|) never overflows; this form is exact for both signs
        e = np.exp(-np.abs(x))
        out: np.ndarray = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(
            x.dtype, copy=False
        )
        self.out = out
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        assert self.out is not None, "backward before forward"
        result: np.ndarray = dout * (1.0 - self.out) * self.out
        return result


class Tanh:
    """``out = tanh(x)``; backward ``dout * (1 - out^2)``."""

    def __init__(self) -> None:
        self.out: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.tanh(x)
        self.out = out
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        assert self.out is not None, "backward before forward"
        result: np.ndarray = dout * (1.0 - self.out * self.out)
        return result


def softmax(x: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for any logits (the max is subtracted first)."""
    x = x - x.max(axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


def log_softmax(x: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax: ``x - max - log(sum(exp(x - max)))``, finite for any finite x."""
    z = x - x.max(axis=-1, keepdims=True)
    result: np.ndarray = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return result


def cross_entropy_error(y: np.ndarray, t: Any) -> float:
    """Mean cross-entropy of probabilities ``y`` against labels or one-hot ``t``."""
    if y.ndim == 1:
        y, t = y.reshape(1, -1), np.reshape(t, (1, -1))
    if t.size == y.size:
        t = t.argmax(axis=1)
    n = y.shape[0]
    return float(-np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n)


class SoftmaxWithLoss:
    """Softmax followed by the mean cross-entropy loss.

    The loss is computed from the log-softmax, so it stays finite for logits
    of any size (±1e4 included). Backward: ``(softmax(x) - onehot(t)) / N``.
    ``t`` may be class labels (N,) or one-hot (N, C).
    """

    def __init__(self) -> None:
        self.y: np.ndarray | None = None
        self.t: np.ndarray | None = None

    def forward(self, x: np.ndarray, t: np.ndarray) -> float:
        n = x.shape[0]
        labels = t.argmax(axis=1) if t.ndim == 2 else t
        rows = constant("rows", n, None)
        # log_softmax(x), with the row maxima picked where argmax points (the
        # same values as x.max(axis=1), in a fraction of its time on few columns)
        z = x - x[rows, x.argmax(axis=1)][:, None]
        logp = z
        logp -= np.log(row_sums(np.exp(z)))[:, None]
        self.t = labels
        self.y = np.exp(logp)
        return float(-logp[rows, labels].sum() / n)

    def backward(self, dout: float = 1) -> np.ndarray:
        assert self.y is not None and self.t is not None, "backward before forward"
        n = self.y.shape[0]
        dx = self.y
        dx[constant("rows", n, None), self.t] -= 1
        dx *= dout / n
        return dx


ACTIVATIONS = {"relu": Relu, "sigmoid": Sigmoid, "tanh": Tanh}
