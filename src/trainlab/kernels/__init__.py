"""Fused update kernels: the notes' Adam, Momentum and RMSprop in one pass.

Each kernel updates ``p`` and the rule's state in place, with the operations
in the same order as :mod:`trainlab.optim` writes them, so the results are
bit-identical to the rule's own NumPy code::

    adam_notes(p, g, m, v, lr_t, beta1, beta2, eps)
        m <- m + (g - m) * (1 - beta1)
        v <- v + (g * g - v) * (1 - beta2)
        p <- p - (m * lr_t) / (sqrt(v) + eps)      lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)

    momentum_notes(p, g, v, lr, momentum)
        v <- v * momentum - g * lr
        p <- p + v

    rmsprop_notes(p, g, h, lr, decay, eps)
        h <- h * decay + (g * g) * (1 - decay)
        p <- p - (g / (sqrt(h) + eps)) * lr

    all_finite(g) -> bool                          no NaN or inf in g

Scalars are rounded to the arrays' dtype first, as NumPy does with Python
floats. Two implementations: compiled loops (numba, when it is installed:
one pass over memory, and no slow arithmetic on subnormal numbers, see
:mod:`.numba_impl`) and NumPy (cache-sized chunks). By default arrays of a
million elements or more get numba at once, and smaller ones NumPy until the
NumPy kernels have taken about as long as loading numba (see
:mod:`.dispatch`); :func:`backend` says which one runs. numba is imported on
first use only, and any failure to load it falls back to NumPy.
:mod:`trainlab.optim.engine` calls them on the flat
buffers in place of the rule's own ``_apply``; each is tested to give the same
bits as that readable rule on those buffers.

:data:`CHUNK` is the one chunk size, here and on the engine's one-pass path.

:func:`blas_threads` / :func:`set_blas_threads` ask and set the number of
threads NumPy's BLAS uses for the net's matrix products (see :mod:`.threads`).
"""

from trainlab.kernels.dispatch import (
    adam_notes,
    all_finite,
    backend,
    momentum_notes,
    rmsprop_notes,
    use_backend,
)
from trainlab.kernels.numpy_impl import CHUNK
from trainlab.kernels.threads import blas_threads, set_blas_threads

__all__ = [
    "CHUNK",
    "adam_notes",
    "momentum_notes",
    "rmsprop_notes",
    "all_finite",
    "backend",
    "use_backend",
    "blas_threads",
    "set_blas_threads",
]
