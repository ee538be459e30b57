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
and the float32 update then took 14 times as long. So where the arrays are
float32, the products with those states are taken in float64 and rounded
once to float32: the float64 product of two float32 numbers is exact, so this
is the float32 product bit for bit, and in float64 these numbers are normal.
RMSprop's ``h`` (decay 0.99) gets there only after some 7,000 steps of zero
gradient: its product with the decay is taken the same way, its square root
stays in float32 (in float64 it would halve the speed of every element for
the sake of a few). Adam's ``v`` (0.999) would need some 60,000 such steps
and stays in float32.

Each kernel is one loop body that numba compiles for both dtypes; only
:func:`times`, the product with a decaying state, differs between them.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
from numba import njit, prange
from numba.extending import overload

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


def times(x: Any, c: Any) -> Any:
    """``x * c`` rounded once to ``x``'s dtype, for a product with a decaying
    state: ``c`` is a float64 holding a number of ``x``'s dtype, so that for
    float32 ``x`` the product is taken in float64 (the same bits, see the
    module docstring). Compiled code only; numba picks the form by the dtype."""
    raise NotImplementedError("times() runs inside numba-compiled kernels only")


@overload(times, inline="always")
def _times_by_dtype(x: Any, c: Any) -> Any:
    def in_float64_rounded_once(x: Any, c: Any) -> Any:
        return np.float32(np.float64(x) * c)

    def as_it_is(x: Any, c: Any) -> Any:
        return x * c

    if c != numba.float64:  # a float32 c would let LLVM fold the product back into float32
        return None
    return {numba.float32: in_float64_rounded_once, numba.float64: as_it_is}.get(x)


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
        mi = m[i] + times(gi - m[i], c1)
        vi = v[i] + (gi * gi - v[i]) * c2
        m[i] = mi
        v[i] = vi
        p[i] -= times(mi, lr_t) / (np.sqrt(vi) + eps)


def _momentum_body(p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, mom: float) -> None:
    for i in prange(p.size):
        vi = times(v[i], mom) - g[i] * lr
        v[i] = vi
        p[i] += vi


def _rmsprop_body(
    p: np.ndarray, g: np.ndarray, h: np.ndarray, lr: float, decay: float, c: float, eps: float
) -> None:
    for i in prange(p.size):
        gi = g[i]
        hi = times(h[i], decay) + (gi * gi) * c
        h[i] = hi
        p[i] -= (gi / (np.sqrt(hi) + eps)) * lr


_adam = _serial_and_parallel(_adam_body)
_momentum = _serial_and_parallel(_momentum_body)
_rmsprop = _serial_and_parallel(_rmsprop_body)


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


def _scalars(p: np.ndarray) -> tuple[Callable[[float], Any], Callable[[float], Any]]:
    """Two ways to pass a Python float to a kernel on ``p``: rounded to ``p``'s
    dtype (``f``), and that number held in a float64 (``f64``, for :func:`times`)."""
    f = p.dtype.type
    return f, lambda x: np.float64(f(x))


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
    f, f64 = _scalars(p)
    _pick(_adam, p)(*_flat(p, g, m, v), f64(lr_t), f64(1.0 - beta1), f(1.0 - beta2), f(eps))


def momentum_notes(p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, momentum: float) -> None:
    f, f64 = _scalars(p)
    _pick(_momentum, p)(*_flat(p, g, v), f(lr), f64(momentum))


def rmsprop_notes(
    p: np.ndarray, g: np.ndarray, h: np.ndarray, lr: float, decay: float, eps: float
) -> None:
    f, f64 = _scalars(p)
    _pick(_rmsprop, p)(*_flat(p, g, h), f(lr), f64(decay), f(1.0 - decay), f(eps))


_EXPONENT = {4: (np.uint32, 0x7F800000), 8: (np.uint64, 0x7FF0000000000000)}


def all_finite(g: np.ndarray) -> bool:
    utype, mask = _EXPONENT[g.itemsize]
    return bool(_max_exponent(g.reshape(-1).view(utype), utype(mask)) != mask)
