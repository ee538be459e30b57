"""The kernels in NumPy: in-place ufuncs over chunks that stay in cache."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

CHUNK = 1 << 15  # elements per chunk: a few arrays of it fit in L2 cache


def _chunks(n: int) -> Iterator[slice]:
    for lo in range(0, n, CHUNK):
        yield slice(lo, min(lo + CHUNK, n))


def _scratch(p: np.ndarray, k: int = 2) -> list[np.ndarray]:
    return [np.empty(min(p.size, CHUNK), p.dtype) for _ in range(k)]


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
    p, g, m, v = (a.reshape(-1) for a in (p, g, m, v))
    d0, e0 = _scratch(p)
    for c in _chunks(p.size):
        pc, gc, mc, vc = p[c], g[c], m[c], v[c]
        d, e = d0[: gc.size], e0[: gc.size]
        np.subtract(gc, mc, out=d)
        d *= 1.0 - beta1
        mc += d
        np.multiply(gc, gc, out=d)
        d -= vc
        d *= 1.0 - beta2
        vc += d
        np.sqrt(vc, out=d)
        d += eps
        np.multiply(mc, lr_t, out=e)
        e /= d
        pc -= e


def momentum_notes(p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, momentum: float) -> None:
    p, g, v = (a.reshape(-1) for a in (p, g, v))
    (d0,) = _scratch(p, 1)
    for c in _chunks(p.size):
        vc, d = v[c], d0[: c.stop - c.start]
        vc *= momentum
        np.multiply(g[c], lr, out=d)
        vc -= d
        p[c] += vc


def rmsprop_notes(
    p: np.ndarray, g: np.ndarray, h: np.ndarray, lr: float, decay: float, eps: float
) -> None:
    p, g, h = (a.reshape(-1) for a in (p, g, h))
    d0, e0 = _scratch(p)
    for c in _chunks(p.size):
        gc, hc = g[c], h[c]
        d, e = d0[: gc.size], e0[: gc.size]
        hc *= decay
        np.multiply(gc, gc, out=d)
        d *= 1.0 - decay
        hc += d
        np.sqrt(hc, out=e)
        e += eps
        np.divide(gc, e, out=d)
        d *= lr
        p[c] -= d


def all_finite(g: np.ndarray) -> bool:
    g = g.reshape(-1)
    return all(np.isfinite(g[c]).all() for c in _chunks(g.size))  # a chunk's mask stays small
