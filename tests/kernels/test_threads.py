"""Asking and setting the BLAS thread count of NumPy's matrix products."""

import numpy as np
import pytest

from trainlab.errors import ConfigError
from trainlab.kernels import blas_threads, set_blas_threads


def test_set_and_restore_blas_threads():
    before = blas_threads()
    assert isinstance(before, int) and before >= 1  # NumPy's wheels bundle OpenBLAS
    g = np.random.default_rng(0)
    a, b = g.standard_normal((300, 200)), g.standard_normal((200, 100))
    try:
        assert set_blas_threads(1) is True
        assert blas_threads() == 1
        exact = np.einsum("ik,kj->ij", a, b)  # no BLAS: an independent product
        assert np.allclose(a @ b, exact, rtol=1e-12, atol=1e-12)
        assert set_blas_threads(2) is True
        assert blas_threads() == 2
    finally:
        set_blas_threads(before)
    assert blas_threads() == before


@pytest.mark.parametrize("bad", [0, -1, 1.5])
def test_bad_thread_counts(bad):
    with pytest.raises(ConfigError, match="positive integer"):
        set_blas_threads(bad)


def test_one_blas_thread_sets_and_restores(monkeypatch):
    from trainlab.kernels.threads import one_blas_thread

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    before = blas_threads()
    try:
        set_blas_threads(2)
        with one_blas_thread():
            assert blas_threads() == 1
        assert blas_threads() == 2
        monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")  # the user's choice wins
        with one_blas_thread():
            assert blas_threads() == 2
    finally:
        set_blas_threads(before)
