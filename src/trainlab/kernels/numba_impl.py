"""The kernels as compiled loops (numba): one pass over memory.

``fastmath`` stays off, so every operation rounds as NumPy's does, in the
same order, and the results are bit-identical to :mod:`numpy_impl`. Large
arrays are split over threads (``prange``); elements are independent, so the
split changes nothing in the results.

Subnormal numbers. On many CPUs a float32 multiplication, division or square
root whose input or result is subnormal (below 2**-126, about 1.2e-38) costs
a hundred times a normal one. Training makes such numbers: where a gradient
is exactly 0 (an input pixel that is 0 in the whole batch, a ReLU unit that
does not fire), Momentum's ``v`` and Adam's ``m`` shrink by a constant factor
at every step, reach the subnormal range within a few hundred steps, and can
stay there for good (``m - 0.1 * m`` rounds back to ``m``). On the notes'
Fashion-MNIST net an eighth of Adam's ``m`` is there after a thousand steps,
and the float32 update then took 14 times as long. So in the float32 kernels
the products with those states are taken in float64 and rounded once to
float32 (``_times``): the float64 product of two float32 numbers is exact, so
this is the float32 product bit for bit, and in float64 these numbers are
normal. RMSprop's ``h`` (decay 0.99) gets there only after some 7,000 steps
of zero gradient: its product with the decay is taken the same way, its square
root stays in float32 (in float64 it would halve the speed of every element
for the sake of a few). Adam's ``v`` (0.999) would need some 60,000 such steps
and stays in float32.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit, prange

# Below this many elements the update runs on one thread. Measured on an idle
# 2-core machine, Adam on 2 threads vs 1: no gain at 16k elements, 1.4x at 64k,
# 1.7-1.9x at 256k-1M, about 1x at 10M (memory-bound); on a busy machine
# threads that wait for each other can lose, so only large arrays use them.
PARALLEL_MIN = 1 << 18


def _serial_and_parallel(body: Callable[..., None]) -> tuple[Any, Any]:
    """Compile one loop body twice: on one thread, and split over threads
    (``prange`` is a plain ``range`` in the serial build). The parallel build
    compiles a twin of the function under its own name, so that the two stay
    apart in numba's on-disk cache."""
    twin = types.FunctionType(body.__code__, body.__globals__, body.__name__ + "_parallel")
    twin.__qualname__ = body.__qualname__ + "_parallel"
    return (
        njit(cache=True, nogil=True, error_model="numpy")(body),
        njit(parallel=True, cache=True, nogil=True, error_model="numpy")(twin),
    )


_inline = njit(inline="always", error_model="numpy")


@_inline
def _times(x: Any, c: Any) -> Any:
    """float32 x times float64 c (a float32 number), rounded once to float32."""
    return np.float32(np.float64(x) * c)


def _adam_body(
    p: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    lr_t: float,
    c1: float,
    c2: float,
    eps: float,
) -> None:
    for i in prange(p.size):
        gi = g[i]
        mi = m[i] + (gi - m[i]) * c1
        vi = v[i] + (gi * gi - v[i]) * c2
        m[i] = mi
        v[i] = vi
        p[i] -= (mi * lr_t) / (np.sqrt(vi) + eps)


def _adam32_body(
    p: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    lr_t: float,
    c1: float,
    c2: float,
    eps: float,
    c1_64: float,
    lr_t64: float,
) -> None:
    for i in prange(p.size):
        gi = g[i]
        mi = m[i] + _times(gi - m[i], c1_64)
        vi = v[i] + (gi * gi - v[i]) * c2
        m[i] = mi
        v[i] = vi
        p[i] -= _times(mi, lr_t64) / (np.sqrt(vi) + eps)


def _momentum_body(p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, mom: float) -> None:
    for i in prange(p.size):
        vi = v[i] * mom - g[i] * lr
        v[i] = vi
        p[i] += vi


def _momentum32_body(
    p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, mom: float, mom64: float
) -> None:
    for i in prange(p.size):
        vi = _times(v[i], mom64) - g[i] * lr
        v[i] = vi
        p[i] += vi


def _rmsprop_body(
    p: np.ndarray, g: np.ndarray, h: np.ndarray, lr: float, decay: float, c: float, eps: float
) -> None:
    for i in prange(p.size):
        gi = g[i]
        hi = h[i] * decay + (gi * gi) * c
        h[i] = hi
        p[i] -= (gi / (np.sqrt(hi) + eps)) * lr


def _rmsprop32_body(
    p: np.ndarray,
    g: np.ndarray,
    h: np.ndarray,
    lr: float,
    decay: float,
    c: float,
    eps: float,
    decay64: float,
) -> None:
    for i in prange(p.size):
        gi = g[i]
        hi = _times(h[i], decay64) + (gi * gi) * c
        h[i] = hi
        p[i] -= (gi / (np.sqrt(hi) + eps)) * lr


_adam = _serial_and_parallel(_adam_body)
_adam32 = _serial_and_parallel(_adam32_body)
_momentum = _serial_and_parallel(_momentum_body)
_momentum32 = _serial_and_parallel(_momentum32_body)
_rmsprop = _serial_and_parallel(_rmsprop_body)
_rmsprop32 = _serial_and_parallel(_rmsprop32_body)


@njit(cache=True, nogil=True, error_model="numpy")
def _max_exponent(bits: np.ndarray, mask: Any) -> Any:
    # a float is NaN or inf exactly when its exponent bits are all ones; an
    # integer max vectorises, where a float sum would have to keep its order
    acc = bits.dtype.type(0)
    for i in range(bits.size):
        acc = max(acc, bits[i] & mask)
    return acc


def _flat(*arrays: np.ndarray) -> list[np.ndarray]:
    return [a.reshape(-1) for a in arrays]


def _pick(pair: tuple[Any, Any], p: np.ndarray) -> Any:
    return pair[p.size >= PARALLEL_MIN]


def adam_notes(
    p: np.ndarray,
    g: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    lr_t: float,
    beta1: float,
    beta2: float,
    eps: float,
) -> None:
    f = p.dtype.type
    args = (*_flat(p, g, m, v), f(lr_t), f(1.0 - beta1), f(1.0 - beta2), f(eps))
    if p.dtype == np.float32:
        _pick(_adam32, p)(*args, np.float64(args[5]), np.float64(args[4]))
    else:
        _pick(_adam, p)(*args)


def momentum_notes(p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, momentum: float) -> None:
    f = p.dtype.type
    args = (*_flat(p, g, v), f(lr), f(momentum))
    if p.dtype == np.float32:
        _pick(_momentum32, p)(*args, np.float64(args[4]))
    else:
        _pick(_momentum, p)(*args)


def rmsprop_notes(
    p: np.ndarray, g: np.ndarray, h: np.ndarray, lr: float, decay: float, eps: float
) -> None:
    f = p.dtype.type
    args = (*_flat(p, g, h), f(lr), f(decay), f(1.0 - decay), f(eps))
    if p.dtype == np.float32:
        _pick(_rmsprop32, p)(*args, np.float64(args[4]))
    else:
        _pick(_rmsprop, p)(*args)


_EXPONENT = {4: (np.uint32, 0x7F800000), 8: (np.uint64, 0x7FF0000000000000)}


def all_finite(g: np.ndarray) -> bool:
    utype, mask = _EXPONENT[g.itemsize]
    return bool(_max_exponent(g.reshape(-1).view(utype), utype(mask)) != mask)
