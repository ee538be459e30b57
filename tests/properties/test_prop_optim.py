"""Every update rule, random shapes and settings: finite input gives finite output."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from trainlab.optim import RULES, create

SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, max_side=5)
VALUES = st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False, width=32)


@pytest.mark.parametrize("name", sorted(RULES))
@settings(max_examples=15, deadline=None)
@given(
    data=st.data(),
    shapes=st.lists(SHAPES, min_size=1, max_size=3),
    lr=st.floats(1e-4, 1.0),
    decay=st.sampled_from([0.0, 1e-4, 0.1]),
    dtype=st.sampled_from([np.float32, np.float64]),
    flat=st.booleans(),
)
def test_finite_in_finite_out(name, data, shapes, lr, decay, dtype, flat):
    sizes = [int(np.prod(s)) for s in shapes]
    buf = np.array(data.draw(hnp.arrays(dtype, sum(sizes), elements=VALUES)))
    if flat:  # views into one buffer, as MultiLayerNet provides (the one-pass path)
        offs = np.cumsum([0, *sizes])
        params = {f"p{i}": buf[offs[i] : offs[i + 1]].reshape(s) for i, s in enumerate(shapes)}
    else:
        params = {
            f"p{i}": data.draw(hnp.arrays(dtype, s, elements=VALUES)) for i, s in enumerate(shapes)
        }
    opt = create(name, lr=lr, weight_decay=decay)
    for _ in range(5):
        grads = {
            k: data.draw(hnp.arrays(dtype, p.shape, elements=VALUES | st.just(0.0)))
            for k, p in params.items()
        }
        opt.update(params, grads)
        for k, p in params.items():
            assert p.dtype == dtype and np.all(np.isfinite(p)), (name, k, p)
