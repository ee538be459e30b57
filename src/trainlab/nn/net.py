"""A fully connected network, the book's ``MultiLayerNetExtend``.

Layer order per hidden layer: Affine → [BatchNorm] → activation → [Dropout];
then a final Affine and SoftmaxWithLoss (``loss="cross_entropy"``, a classifier)
or MeanSquaredError (``loss="mse"``, a regressor; see :mod:`trainlab.nn.losses`).

Every parameter in ``params`` (``W1, b1, gamma1, beta1, W2, ...``) is a view
into one contiguous buffer, ``flat_params``; every gradient that
:meth:`MultiLayerNet.gradient` returns is a view into ``flat_grads``. An
optimizer can therefore update all of them in one vectorized pass.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.nn.batchnorm import BatchNormalization
from trainlab.nn.dropout import Dropout
from trainlab.nn.gradcheck import numerical_gradient
from trainlab.nn.hessian import hessian_vector_product
from trainlab.nn.init import init_weight, weight_std
from trainlab.nn.layers import ACTIVATIONS, Affine, SoftmaxWithLoss
from trainlab.nn.losses import MeanSquaredError, r2_score
from trainlab.nn.parameters import check_size, layout, views

__all__ = ["LOSSES", "MultiLayerNet", "check_size"]

LOSSES = ("cross_entropy", "mse")


def _checked_dtype(
    sizes: list[int], activation: str, weight_init_std: Any, lam: float, loss: str, dtype: Any
) -> np.dtype[Any]:
    """Refuse bad options in one line each (before allocating); the dtype as NumPy's."""
    if any(int(s) != s or s < 1 for s in sizes):
        raise ConfigError(f"layer sizes must be positive integers, got {sizes}")
    if activation not in ACTIVATIONS:
        raise ConfigError(
            f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}"
        )
    if not np.isfinite(lam) or lam < 0:
        raise ConfigError(f"weight_decay_lambda must be ≥ 0, got {lam}")
    if loss not in LOSSES:
        raise ConfigError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    floats: np.dtype[Any] = np.dtype(dtype)
    if floats not in (np.float32, np.float64):
        raise ConfigError(f"dtype must be float32 or float64, got {floats}")
    weight_std(weight_init_std, sizes[0])  # validates the spec early
    check_size(sizes, floats.itemsize)
    return floats


class MultiLayerNet:
    """Fully connected net with optional batch norm, weight decay and dropout.

    Args:
        input_size, hidden_size_list, output_size: layer widths.
        activation: ``'relu'``, ``'sigmoid'`` or ``'tanh'``.
        weight_init_std: a number (the std), ``'xavier'``/``'sigmoid'``
            (std sqrt(1/n)), ``'he'``/``'relu'`` (std sqrt(2/n)),
            ``'glorot_normal'`` or ``'glorot_uniform'``; see :mod:`trainlab.nn.init`.
        weight_decay_lambda: λ of the L2 penalty ½λΣW² added to the loss
            (weights only, not biases or batch-norm parameters).
        use_dropout, dropout_ratio, dropout_mode: dropout after each hidden
            activation; ``dropout_mode`` is ``'notes'`` or ``'inverted'``.
        use_batchnorm: batch normalisation before each hidden activation.
        dtype: ``numpy.float32`` (fast) or ``numpy.float64`` (gradient checks).
        rng: a ``numpy.random.Generator`` for initial weights and dropout masks;
            ``None`` means ``default_rng(0)``, so a net is reproducible by default.
        loss: ``'cross_entropy'`` (softmax output, class labels; the score is the
            accuracy) or ``'mse'`` (linear output, real targets (N,) or (N, K);
            the score is R², so "higher is better" holds for both).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size_list: list[int] | tuple[int, ...],
        output_size: int,
        activation: str = "relu",
        weight_init_std: Any = "relu",
        weight_decay_lambda: float = 0.0,
        use_dropout: bool = False,
        dropout_ratio: float = 0.5,
        use_batchnorm: bool = False,
        dtype: Any = np.float32,
        rng: np.random.Generator | None = None,
        dropout_mode: str = "notes",
        loss: str = "cross_entropy",
    ) -> None:
        sizes = [input_size, *list(hidden_size_list), output_size]
        dtype = _checked_dtype(sizes, activation, weight_init_std, weight_decay_lambda, loss, dtype)
        rng = np.random.default_rng(0) if rng is None else rng
        self.loss_name = loss
        self.sizes = [int(s) for s in sizes]
        self.input_size, self.output_size = self.sizes[0], self.sizes[-1]
        self.hidden_size_list = self.sizes[1:-1]
        self.hidden_layer_num = len(self.hidden_size_list)
        self.activation, self.weight_init_std = activation, weight_init_std
        self.weight_decay_lambda = float(weight_decay_lambda)
        self.use_dropout, self.dropout_ratio = use_dropout, dropout_ratio
        self.use_batchnorm, self.dtype, self.rng = use_batchnorm, dtype, rng

        shapes = layout(self.sizes, use_batchnorm)
        total = sum(int(np.prod(shape)) for _, shape in shapes)
        self.flat_params = np.empty(total, dtype)
        self.flat_grads = np.zeros(total, dtype)
        self.params: dict[str, np.ndarray] = views(self.flat_params, shapes)
        self.grads: dict[str, np.ndarray] = views(self.flat_grads, shapes)
        self.init_params(rng)

        self.layers: list[Any] = []  # Affine, BatchNormalization, activations, Dropout
        self.batchnorms: list[BatchNormalization] = []
        self.dropouts: list[Dropout] = []
        self._add_layers(dropout_mode)
        self.last_layer = SoftmaxWithLoss() if loss == "cross_entropy" else MeanSquaredError()
        self.last_loss: float | None = None

    def _add_layers(self, dropout_mode: str) -> None:
        """Affine → [BatchNorm] → activation → [Dropout] per hidden layer, then Affine."""
        P, G = self.params, self.grads
        for i in range(1, len(self.sizes)):
            # hidden layers reuse their output buffers; the last one returns
            # fresh logits, which predict() hands to the caller
            last = i == len(self.sizes) - 1
            W, b, dW, db = P[f"W{i}"], P[f"b{i}"], G[f"W{i}"], G[f"b{i}"]
            self.layers.append(Affine(W, b, dW, db, need_dx=i > 1, reuse_buffers=not last))
            if last:
                break
            if self.use_batchnorm:
                bn = BatchNormalization(
                    P[f"gamma{i}"], P[f"beta{i}"], G[f"gamma{i}"], G[f"beta{i}"]
                )
                self.batchnorms.append(bn)
                self.layers.append(bn)
            act = ACTIVATIONS[self.activation]
            self.layers.append(act(inplace=True) if self.activation == "relu" else act())
            if self.use_dropout:
                do = Dropout(self.dropout_ratio, dropout_mode, self.rng)
                self.dropouts.append(do)
                self.layers.append(do)

    # -- parameters ---------------------------------------------------------------
    def init_params(self, rng: np.random.Generator) -> None:
        """Draw initial weights; biases and betas start at 0, gammas at 1."""
        for name, p in self.params.items():
            if name.startswith("W"):
                i = int(name[1:])
                p[...] = init_weight(
                    self.weight_init_std, self.sizes[i - 1], self.sizes[i], rng, dtype=self.dtype
                )
            elif name.startswith("gamma"):
                p[...] = 1
            else:
                p[...] = 0

    def buffers(self) -> dict[str, np.ndarray]:
        """Non-trained state: batch norm's running mean and variance."""
        out = {}
        for i, bn in enumerate(self.batchnorms, start=1):
            out[f"running_mean{i}"] = bn.running_mean
            out[f"running_var{i}"] = bn.running_var
        return out

    # -- forward and backward -------------------------------------------------------
    def predict(self, x: np.ndarray, train_flg: bool = False) -> np.ndarray:
        """Scores (logits) for inputs ``x``; ``train_flg`` selects train-mode
        batch norm and dropout."""
        x = np.asarray(x, dtype=self.dtype)
        for layer in self.layers:
            if isinstance(layer, (BatchNormalization, Dropout)):
                x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
        return x

    def _decay_term(self) -> float:
        lam = self.weight_decay_lambda
        if not lam:
            return 0.0
        return (
            0.5
            * lam
            * sum(float(np.vdot(W, W)) for k, W in self.params.items() if k.startswith("W"))
        )

    def loss(self, x: Any, t: Any, train_flg: bool = False) -> float:
        """Mean cross-entropy (or mean squared error) plus ½λΣW²."""
        y = self.predict(x, train_flg)
        return self.last_layer.forward(y, np.asarray(t)) + self._decay_term()

    def accuracy(self, x: np.ndarray, t: Any, batch_size: int = 10000) -> float:
        """Share of correct predictions (eval mode), in batches to bound memory;
        for a regressor (``loss='mse'``) the R² score."""
        t = np.asarray(t)
        if self.loss_name == "mse":
            return self.evaluate(x, t, batch_size)[1]
        if t.ndim != 1:
            t = t.argmax(axis=1)
        n = int(x.shape[0])
        if n == 0:
            return float("nan")
        correct = 0
        for lo in range(0, n, batch_size):
            y = self.predict(x[lo : lo + batch_size])
            correct += int(np.sum(y.argmax(axis=1) == t[lo : lo + batch_size]))
        return correct / n

    def evaluate(self, x: np.ndarray, t: Any, batch_size: int = 10000) -> tuple[float, float]:
        """(loss, accuracy) over a whole set, in eval mode, in batches; for a
        regressor (mean squared error + ½λΣW², R²)."""
        t = np.asarray(t)
        if self.loss_name == "mse":
            y = np.concatenate(
                [self.predict(x[lo : lo + batch_size]) for lo in range(0, x.shape[0], batch_size)]
            )
            return self.last_layer.forward(y, t) + self._decay_term(), r2_score(y, t)
        labels = t.argmax(axis=1) if t.ndim != 1 else t
        n = x.shape[0]
        total, correct = 0.0, 0
        for lo in range(0, n, batch_size):
            y = self.predict(x[lo : lo + batch_size])
            tb = labels[lo : lo + batch_size]
            total += self.last_layer.forward(y, tb) * len(tb)
            correct += int(np.sum(y.argmax(axis=1) == tb))
        return total / n + self._decay_term(), correct / n

    def gradient(self, x: Any, t: Any) -> dict[str, np.ndarray]:
        """Backpropagation. Returns a dict with the same keys as ``params``.

        The arrays are views into ``flat_grads`` and are overwritten by the
        next call; copy them to keep them. The loss of this forward pass
        (train mode) is left in ``last_loss``.
        """
        self.last_loss = self.loss(x, t, train_flg=True)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        lam = self.weight_decay_lambda
        if lam:
            for k, W in self.params.items():
                if k.startswith("W"):
                    self.grads[k] += lam * W
        return self.grads

    #: H·v of the training loss, exactly: ``net.hessian_vector_product(x, t, v)``
    hessian_vector_product = hessian_vector_product

    def numerical_gradient(self, x: Any, t: Any, h: float = 1e-4) -> dict[str, np.ndarray]:
        """Central differences of ``loss(x, t, train_flg=True)``, element by element.

        Slow; for checking :meth:`gradient`. Dropout masks are drawn from the
        same generator state at every evaluation, and batch norm's running
        statistics are restored afterwards, so the result is deterministic.
        """
        rng_state = self.rng.bit_generator.state
        saved_buffers = {k: v.copy() for k, v in self.buffers().items()}

        def f() -> float:
            self.rng.bit_generator.state = rng_state
            return self.loss(x, t, train_flg=True)

        grads = {k: numerical_gradient(f, p, h).astype(p.dtype) for k, p in self.params.items()}
        self.rng.bit_generator.state = rng_state
        for k, v in self.buffers().items():
            v[...] = saved_buffers[k]
        return grads

    def __repr__(self) -> str:
        return (
            f"MultiLayerNet(sizes={self.sizes}, activation={self.activation!r}, "
            f"weight_init_std={self.weight_init_std!r}, batchnorm={self.use_batchnorm}, "
            f"dropout={self.dropout_ratio if self.use_dropout else 0}, "
            f"weight_decay_lambda={self.weight_decay_lambda}, dtype={self.dtype.name}"
            + (", loss='mse')" if self.loss_name == "mse" else ")")
        )
