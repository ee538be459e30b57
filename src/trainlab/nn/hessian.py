r"""Hessian-vector products of a :class:`~trainlab.nn.MultiLayerNet`'s loss, exactly.

``H v`` is the derivative of the gradient along ``v``: ``d/dε ∇L(θ + ε v)`` at
ε = 0. Pearlmutter's R-operator (1994) computes it in one pass forward and one
backward, carrying beside every quantity ``a`` of backpropagation its
derivative along ``v``, written ``Ra``. For the layers of the notes::

    Affine       z = h W + b          Rz = Rh W + h RW + Rb     (RW = v_W, Rb = v_b)
                 dW = hᵀ d            RdW = Rhᵀ d + hᵀ Rd
                 dh = d Wᵀ            Rdh = Rd Wᵀ + d v_Wᵀ
    ReLU         o = z · [z > 0]      Ro = Rz · [z > 0],  Rdz = Rd · [z > 0]
    Sigmoid      o = σ(z)             Ro = o(1 − o) Rz,   Rdz = Rd o(1 − o) + d (1 − 2o) Ro
    Tanh         o = tanh z           Ro = (1 − o²) Rz,   Rdz = Rd (1 − o²) − 2 d o Ro
    Dropout      o = z · m            the same mask m for Ro and Rdz
    Softmax+CE   dz = (p − y) / N     Rdz = p ⊙ (Rz − Σ p Rz) / N
    Batch norm   xn = (x − μ) s,  s = (var + ε)^(−1/2); Rμ, Rvar, Rs, Rxn by the
                 product rule, and the same for its backward formula
    Weight decay ∇ += λ W             Hv += λ v_W

Cost: the forward pass carries two products per Affine (``Rh W`` and ``h v_W``),
the backward pass four (``RdW``'s two, ``Rdh``'s two), the plain pass three:
about three gradients' worth of matrix products (``benchmarks/bench_hessian.py``).

Paper: Pearlmutter, "Fast exact multiplication by the Hessian", Neural
Computation 1994; Lanczos 1950; Hutchinson 1990.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from trainlab.errors import ConfigError
from trainlab.nn.batchnorm import BatchNormalization
from trainlab.nn.dropout import Dropout
from trainlab.nn.layers import Affine, Relu, Sigmoid, Tanh
from trainlab.nn.losses import MeanSquaredError

Array = np.ndarray
#: one layer's record for the backward pass: (kind, layer, index, what it keeps)
Tape = list[tuple[str, Any, int, Any]]


class Network(Protocol):
    """What the R-operator reads of a :class:`trainlab.nn.MultiLayerNet`."""

    dtype: np.dtype[Any]
    flat_params: np.ndarray
    params: dict[str, np.ndarray]
    layers: list[Any]
    last_layer: Any
    rng: np.random.Generator
    weight_decay_lambda: float


def _direction(net: Network, v: Any) -> dict[str, np.ndarray]:
    """``v`` as a dict shaped like ``net.params``: a dict, or a flat vector."""
    if not isinstance(v, dict):
        flat = np.asarray(v, dtype=net.dtype).reshape(-1)
        if flat.size != net.flat_params.size:
            raise ConfigError(
                f"v has {flat.size} numbers but the network has {net.flat_params.size} "
                "parameters; pass one number per parameter (or a dict like net.params)"
            )
        out: dict[str, np.ndarray] = {}
        off = 0
        for k, p in net.params.items():
            out[k] = flat[off : off + p.size].reshape(p.shape)
            off += p.size
        return out
    missing = set(net.params) ^ set(v)
    if missing:
        raise ConfigError(f"v's keys differ from the network's at {sorted(missing)}; match params")
    return {k: np.asarray(v[k], dtype=net.dtype).reshape(net.params[k].shape) for k in net.params}


def _bn_forward(
    bn: BatchNormalization, x: Array, rx: Array, vg: Array, vb: Array
) -> tuple[Array, Array, tuple[Array, Array, Array, Array]]:
    n = x.shape[0]
    mu, rmu = x.mean(axis=0), rx.mean(axis=0)
    xc, rxc = x - mu, rx - rmu
    var = (xc * xc).sum(axis=0) / n
    s = 1.0 / np.sqrt(var + bn.eps)
    rs = -0.5 * s**3 * (2.0 * (xc * rxc).sum(axis=0) / n)
    xn, rxn = xc * s, rxc * s + xc * rs
    return xn * bn.gamma + bn.beta, vg * xn + bn.gamma * rxn + vb, (xn, rxn, s, rs)


def _bn_backward(
    bn: BatchNormalization, cache: tuple[Array, Array, Array, Array], d: Array, rd: Array, vg: Array
) -> tuple[Array, Array, Array, Array]:
    xn, rxn, s, rs = cache
    rdgamma, rdbeta = (rd * xn + d * rxn).sum(axis=0), rd.sum(axis=0)
    g, rg = d * bn.gamma, d * vg + rd * bn.gamma  # ∂L/∂xn and its R
    m, mx = g.mean(axis=0), (g * xn).mean(axis=0)
    rm, rmx = rg.mean(axis=0), (rg * xn + g * rxn).mean(axis=0)
    dx = s * (g - m - xn * mx)
    rdx = rs * (g - m - xn * mx) + s * (rg - rm - rxn * mx - xn * rmx)
    return dx, rdx, rdgamma, rdbeta


def _forward(net: Network, x: Array, v: dict[str, Array]) -> tuple[Array, Array, Tape]:
    """Train-mode forward pass with R; returns (logits, their R, per-layer caches)."""
    h: Array = x
    rh: Any = None
    tape: Tape = []
    i = 0
    for layer in net.layers:
        if isinstance(layer, Affine):
            i += 1
            z = h @ layer.W + layer.b
            rz = h @ v[f"W{i}"] + v[f"b{i}"] + (0.0 if rh is None else rh @ layer.W)
            tape.append(("affine", layer, i, (h, rh)))
        elif isinstance(layer, BatchNormalization):
            vg, vb = v[f"gamma{i}"], v[f"beta{i}"]
            z, rz, cache = _bn_forward(layer, h, rh, vg, vb)
            tape.append(("bn", layer, i, cache))
        elif isinstance(layer, Dropout):
            # the mask the layer itself would draw, from the same generator
            mask = layer.rng.random(h.shape, dtype=np.float32) > layer.dropout_ratio
            scale = (
                mask / h.dtype.type(1 - layer.dropout_ratio) if layer.mode == "inverted" else mask
            )
            z, rz = h * scale, rh * scale
            tape.append(("scale", layer, i, scale))
        elif isinstance(layer, Relu):
            keep = h > 0
            z, rz = h * keep, rh * keep
            tape.append(("scale", layer, i, keep))
        elif isinstance(layer, (Sigmoid, Tanh)):
            o = Sigmoid().forward(h) if isinstance(layer, Sigmoid) else np.tanh(h)
            slope = o * (1 - o) if isinstance(layer, Sigmoid) else 1 - o * o
            z, rz = o, slope * rh
            tape.append(("sigmoid" if isinstance(layer, Sigmoid) else "tanh", layer, i, (o, rz)))
        else:
            raise ConfigError(f"no Hessian-vector product through {type(layer).__name__}")
        h, rh = z, rz
    return h, rh, tape


def _loss_backward(net: Network, z: Array, rz: Array, t: Any) -> tuple[Array, Array]:
    """∂L/∂z and its R, for the network's output layer."""
    if isinstance(net.last_layer, MeanSquaredError):
        target = np.asarray(t, dtype=z.dtype).reshape(z.shape)
        return 2.0 * (z - target) / z.size, 2.0 * rz / z.size
    t = np.asarray(t)
    labels = t.argmax(axis=1) if t.ndim == 2 else t
    n = z.shape[0]
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    rp = p * (rz - (p * rz).sum(axis=1, keepdims=True))
    d = p.copy()
    d[np.arange(n), labels] -= 1
    return d / n, rp / n


def _backward(
    tape: Tape, d: Array, rd: Array, v: dict[str, Array], hv: dict[str, Array]
) -> dict[str, Array]:
    for kind, layer, i, cache in reversed(tape):
        if kind == "affine":
            h, rh = cache
            hv[f"W{i}"] = h.T @ rd + (0.0 if rh is None else rh.T @ d)
            hv[f"b{i}"] = rd.sum(axis=0)
            if i > 1:
                d, rd = d @ layer.W.T, rd @ layer.W.T + d @ v[f"W{i}"].T
        elif kind == "bn":
            d, rd, hv[f"gamma{i}"], hv[f"beta{i}"] = _bn_backward(
                layer, cache, d, rd, v[f"gamma{i}"]
            )
        elif kind == "scale":
            d, rd = d * cache, rd * cache
        else:
            o, ro = cache
            if kind == "sigmoid":
                d, rd = d * o * (1 - o), rd * o * (1 - o) + d * (1 - 2 * o) * ro
            else:
                d, rd = d * (1 - o * o), rd * (1 - o * o) - 2 * d * o * ro
    return hv


def hessian_vector_product(net: Network, x: Any, t: Any, v: Any) -> dict[str, np.ndarray]:
    """``H v`` of ``net.loss(x, t, train_flg=True)`` (weight decay included) at the
    current parameters, with the dropout masks that ``net.gradient(x, t)`` would
    draw next. ``v`` is a dict like ``net.params`` or a flat vector; the result is
    a dict like ``net.params``. The network is left as it was: parameters, batch
    norm's running statistics and the generator's state (so training with and
    without Hessian products follows the same path, bit for bit)."""
    v = _direction(net, v)
    x = np.asarray(x, dtype=net.dtype).reshape(len(x), -1)
    state = net.rng.bit_generator.state
    try:
        z, rz, tape = _forward(net, x, v)
        d, rd = _loss_backward(net, z, rz, t)
        hv = _backward(tape, d, rd, v, {})
    finally:
        net.rng.bit_generator.state = state
    lam = net.weight_decay_lambda
    out: dict[str, np.ndarray] = {}
    for k in net.params:
        out[k] = np.asarray(hv[k], dtype=net.dtype) + (lam * v[k] if lam and k[0] == "W" else 0)
    return out
