"""Property tests run with one BLAS thread (see ``one_blas_thread``)."""

import pytest


@pytest.fixture(autouse=True, scope="module")
def one_blas_thread():
    """Matrix products on one thread: with the test workers already filling the
    cores, BLAS threads waiting for each other make small products many times slower."""
    try:
        from trainlab.kernels.threads import blas_threads, set_blas_threads
    except ImportError:  # no thread control here: run as is
        yield
        return
    before = blas_threads()
    set_blas_threads(1)
    yield
    if before:
        set_blas_threads(before)
