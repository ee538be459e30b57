"""One BLAS thread while an experiment runs.

The experiments multiply small matrices (at most a few hundred rows). On such
sizes OpenBLAS's worker threads cost more in hand-offs than they save, and on
a busy two-core machine they spin while they wait: the same runs were 5 to 15
times slower with two threads than with one. :func:`one_blas_thread` sets the
count to 1 for the duration of a ``with`` block and restores it afterwards,
unless ``OPENBLAS_NUM_THREADS`` or ``OMP_NUM_THREADS`` is set (then the user's
choice stands). Where NumPy's OpenBLAS cannot be found it does nothing.
"""

from __future__ import annotations

import ctypes
import os
from contextlib import contextmanager
from pathlib import Path


def _openblas():
    """``(get, set)`` thread-count functions of the OpenBLAS bundled with NumPy, or None."""
    import numpy

    libs = Path(numpy.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libs.glob("*openblas*")) if libs.is_dir() else ():
        try:
            lib = ctypes.CDLL(str(path))  # already loaded by NumPy: the same handle
        except OSError:
            continue
        for stem in ("scipy_openblas", "openblas"):
            for suffix in ("64_", ""):
                get = getattr(lib, f"{stem}_get_num_threads{suffix}", None)
                put = getattr(lib, f"{stem}_set_num_threads{suffix}", None)
                if get is not None and put is not None:
                    return get, put
    return None


@contextmanager
def one_blas_thread():
    found = None
    if not (os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS")):
        found = _openblas()
    if found is None:
        yield
        return
    get, put = found
    before = int(get())
    put(1)
    try:
        yield
    finally:
        put(before)
