"""How many threads NumPy's BLAS uses for matrix products, asked and set at run time.

The matrices of the notes' nets are small (batch 128, width 100): one thread
already keeps a core busy, and a second thread only pays when the core it
needs is idle. On a machine whose cores are busy with other work, BLAS threads
that wait for each other make every product several times slower, so one
thread is the safe choice there. Results can differ in the last bits between
thread counts (the products are split differently); for bit-identical reruns
keep the count fixed.

Works with the OpenBLAS that NumPy's wheels bundle (and a system OpenBLAS or
MKL); where the library cannot be found, :func:`blas_threads` returns None and
:func:`set_blas_threads` does nothing and returns False.
"""

from __future__ import annotations

import ctypes

import numpy as np  # noqa: F401  (the BLAS library must be loaded to be found)

_SYMBOLS = (("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
            ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
            ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
            ("openblas_get_num_threads", "openblas_set_num_threads"),
            ("MKL_Get_Max_Threads", "MKL_Set_Num_Threads"))
_found: tuple | None = None


def _library():
    """(get, set) of the loaded BLAS, looked up once, or None."""
    global _found
    if _found is None:
        _found = (None,)
        try:
            with open("/proc/self/maps") as fh:
                paths = sorted({line.split()[-1] for line in fh if ".so" in line
                                and ("blas" in line.lower() or "mkl" in line.lower())})
        except OSError:
            paths = []
        for path in paths:
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            for get, set_ in _SYMBOLS:
                if hasattr(lib, get) and hasattr(lib, set_):
                    _found = (getattr(lib, get), getattr(lib, set_))
                    break
            if _found[0] is not None:
                break
    return _found if _found[0] is not None else None


def blas_threads() -> int | None:
    """Threads the BLAS uses now, or None if its library cannot be asked."""
    lib = _library()
    return int(lib[0]()) if lib else None


def set_blas_threads(n: int) -> bool:
    """Use ``n`` ≥ 1 threads for matrix products from now on; False if not possible."""
    from trainlab.errors import ConfigError

    if int(n) != n or n < 1:
        raise ConfigError(f"threads must be a positive integer, got {n}")
    lib = _library()
    if not lib:
        return False
    lib[1](ctypes.c_int(int(n)))
    return True
