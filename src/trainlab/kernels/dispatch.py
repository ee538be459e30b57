"""Pick the implementation and check arguments.

``'auto'`` (the default) runs numba, when it loads, on arrays of
:data:`NUMBA_MIN` elements or more. Smaller arrays start on NumPy: loading
numba costs a process about half a second and 115 MB (its compiler and
registries), more than a short training of the notes' nets (about 0.1 M
parameters) spends in its kernels. Once the NumPy kernels have taken
:data:`NUMBA_PAYS_AFTER_S` seconds in a process, as much as loading numba
costs, 'auto' loads it for every size from then on: a long training is then
at most that much slower than it would have been with numba from its first
step, and a short one never pays the load (the rule of renting skis until
the rent adds up to the price). Both give the same bits, so the choice
changes speed only.
"""

from __future__ import annotations

import time
from types import ModuleType
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.kernels import numpy_impl

_impl: ModuleType | None = None  # the module for large arrays, chosen on first call
_choice = "auto"
#: elements from which 'auto' uses numba at once (below it NumPy is as fast, counting numba's load)
NUMBA_MIN = 1 << 20
#: seconds of NumPy kernels after which 'auto' uses numba for every size (about its load time)
NUMBA_PAYS_AFTER_S = 0.5
_numpy_seconds = 0.0  # spent in NumPy kernels that 'auto' chose by size, in this process


def use_backend(name: str = "auto") -> None:
    """``'numba'``, ``'numpy'`` or ``'auto'`` (numba if it can be loaded)."""
    global _impl, _choice, _numpy_seconds
    if name not in ("auto", "numba", "numpy"):
        raise ConfigError(f"unknown kernel backend {name!r}; use 'auto', 'numba' or 'numpy'")
    _impl, _choice, _numpy_seconds = None, name, 0.0
    if name == "numba":
        _load()


def _load(size: int | None = None) -> ModuleType:
    """The implementation for an array of ``size`` elements (None: a large one)."""
    global _impl
    if _by_size(size):
        return numpy_impl
    if _impl is None:
        if _choice == "numpy":
            _impl = numpy_impl
        else:
            try:
                from trainlab.kernels import numba_impl

                _impl = numba_impl
            except Exception as exc:  # not installed, or broken: NumPy does the same work
                if _choice == "numba":
                    raise ConfigError(
                        f"the numba kernels cannot be loaded ({exc}); "
                        "install numba or use backend 'auto'"
                    ) from None
                _impl = numpy_impl
    return _impl


def _by_size(size: int | None) -> bool:
    """True where 'auto' keeps NumPy for an array of ``size`` elements."""
    return (
        _choice == "auto"
        and size is not None
        and size < NUMBA_MIN
        and _numpy_seconds < NUMBA_PAYS_AFTER_S
    )


def _call(name: str, size: int, *args: Any) -> Any:
    """Run kernel ``name`` in the implementation for ``size`` elements, counting
    the time of NumPy kernels that 'auto' chose by size."""
    global _numpy_seconds
    if not _by_size(size):
        return getattr(_load(size), name)(*args)
    start = time.perf_counter()
    try:
        return getattr(numpy_impl, name)(*args)
    finally:
        _numpy_seconds += time.perf_counter() - start


def backend(size: int | None = None) -> str:
    """The implementation for arrays of ``size`` elements (None: large ones):
    ``'numba'`` or ``'numpy'``."""
    return "numba" if _load(size) is not numpy_impl else "numpy"


def _check(p: Any, *others: Any) -> None:
    for a in (p, *others):
        if not isinstance(a, np.ndarray) or a.shape != p.shape or a.dtype != p.dtype:
            raise ConfigError(
                "kernel arrays must be numpy arrays of one shape and dtype; "
                f"got {[(np.shape(x), getattr(x, 'dtype', None)) for x in (p, *others)]}"
            )
        if not a.flags.c_contiguous:
            raise ConfigError(
                "kernel arrays must be C-contiguous; pass the flat buffers "
                "(net.flat_params, net.flat_grads) or np.ascontiguousarray copies"
            )
    if p.dtype not in (np.float32, np.float64):
        raise ConfigError(f"kernels work on float32 or float64 arrays, got {p.dtype}")


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
    """One Adam step (notes' form) on ``p``, ``m``, ``v`` in place; see the package doc."""
    _check(p, g, m, v)
    _call("adam_notes", p.size, p, g, m, v, float(lr_t), float(beta1), float(beta2), float(eps))


def momentum_notes(p: np.ndarray, g: np.ndarray, v: np.ndarray, lr: float, momentum: float) -> None:
    """One Momentum step (notes' form) on ``p``, ``v`` in place."""
    _check(p, g, v)
    _call("momentum_notes", p.size, p, g, v, float(lr), float(momentum))


def rmsprop_notes(
    p: np.ndarray, g: np.ndarray, h: np.ndarray, lr: float, decay: float, eps: float
) -> None:
    """One RMSprop step (notes' form) on ``p``, ``h`` in place."""
    _check(p, g, h)
    _call("rmsprop_notes", p.size, p, g, h, float(lr), float(decay), float(eps))


def all_finite(g: np.ndarray) -> bool:
    """True when ``g`` holds no NaN or inf."""
    _check(g)
    return bool(_call("all_finite", g.size, g))
