"""Pick the implementation and check arguments.

``'auto'`` (the default) runs NumPy on arrays under :data:`NUMBA_MIN`
elements and numba, when it loads, on larger ones. Loading numba costs a
process about 0.7 s and 115 MB (its compiler and registries), which a
compiled kernel saves back only over many steps of a large buffer: the notes'
nets (about 0.1 M parameters) never import it, and neither do the worker
processes that train them. Both give the same bits, so the choice changes
speed only.
"""

from __future__ import annotations

import numpy as np

from trainlab.errors import ConfigError
from trainlab.kernels import numpy_impl

_impl = None  # the module for large arrays, chosen on first call
_choice = "auto"
#: elements from which 'auto' uses numba (below it NumPy is as fast, counting numba's load)
NUMBA_MIN = 1 << 20


def use_backend(name: str = "auto") -> None:
    """``'numba'``, ``'numpy'`` or ``'auto'`` (numba if it can be loaded)."""
    global _impl, _choice
    if name not in ("auto", "numba", "numpy"):
        raise ConfigError(f"unknown kernel backend {name!r}; use 'auto', 'numba' or 'numpy'")
    _impl, _choice = None, name
    if name == "numba":
        _load()


def _load(size: int | None = None):
    """The implementation for an array of ``size`` elements (None: a large one)."""
    global _impl
    if _choice == "auto" and size is not None and size < NUMBA_MIN:
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
                    raise ConfigError(f"the numba kernels cannot be loaded ({exc}); "
                                      "install numba or use backend 'auto'") from None
                _impl = numpy_impl
    return _impl


def backend(size: int | None = None) -> str:
    """The implementation for arrays of ``size`` elements (None: large ones):
    ``'numba'`` or ``'numpy'``."""
    return "numba" if _load(size) is not numpy_impl else "numpy"


def _check(p, *others):
    for a in (p, *others):
        if not isinstance(a, np.ndarray) or a.shape != p.shape or a.dtype != p.dtype:
            raise ConfigError("kernel arrays must be numpy arrays of one shape and dtype; "
                              f"got {[(np.shape(x), getattr(x, 'dtype', None)) for x in (p, *others)]}")
        if not a.flags.c_contiguous:
            raise ConfigError("kernel arrays must be C-contiguous; pass the flat buffers "
                              "(net.flat_params, net.flat_grads) or np.ascontiguousarray copies")
    if p.dtype not in (np.float32, np.float64):
        raise ConfigError(f"kernels work on float32 or float64 arrays, got {p.dtype}")


def adam_notes(p, g, m, v, lr_t, beta1, beta2, eps) -> None:
    """One Adam step (notes' form) on ``p``, ``m``, ``v`` in place; see the package doc."""
    _check(p, g, m, v)
    _load(p.size).adam_notes(p, g, m, v, float(lr_t), float(beta1), float(beta2), float(eps))


def momentum_notes(p, g, v, lr, momentum) -> None:
    """One Momentum step (notes' form) on ``p``, ``v`` in place."""
    _check(p, g, v)
    _load(p.size).momentum_notes(p, g, v, float(lr), float(momentum))


def rmsprop_notes(p, g, h, lr, decay, eps) -> None:
    """One RMSprop step (notes' form) on ``p``, ``h`` in place."""
    _check(p, g, h)
    _load(p.size).rmsprop_notes(p, g, h, float(lr), float(decay), float(eps))


def all_finite(g) -> bool:
    """True when ``g`` holds no NaN or inf."""
    _check(g)
    return _load(g.size).all_finite(g)
