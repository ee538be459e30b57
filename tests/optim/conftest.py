"""The kernel backends the one-pass path is tested with."""

import importlib.util

import pytest

from trainlab import kernels

BACKENDS = ["numpy"] + ["numba"] * (importlib.util.find_spec("numba") is not None)


@pytest.fixture(params=BACKENDS)
def kernel_backend(request):
    """Run the test with each kernel backend, then go back to the automatic choice."""
    kernels.use_backend(request.param)
    try:
        assert kernels.backend() == request.param
        yield request.param
    finally:
        kernels.use_backend("auto")
