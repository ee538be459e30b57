"""Test-wide settings, applied before NumPy is imported by any test module.

The suite runs two pytest workers on two cores; BLAS threads on top of that
wait for each other and make the small matrix products of these tests many
times slower. One BLAS thread per worker (unless the caller chose otherwise).
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("TRAINLAB_OFFLINE", "1")  # tests never reach the internet
os.environ.setdefault("MPLBACKEND", "Agg")
