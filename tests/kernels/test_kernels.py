"""The fused kernels against the notes' formulas, written out here, and against
trainlab.optim's rules: bit-identical when the order of operations is the same."""

import math
import sys

import numpy as np
import pytest

from trainlab import kernels
from trainlab.errors import ConfigError
from trainlab.kernels import numba_impl, numpy_impl
from trainlab.optim import Adam, Momentum, RMSprop

# numba is a test dependency (trainlab[fast] is in trainlab[test]): both kernels run
IMPLS = [numpy_impl, numba_impl]
# 1 element, a chunk boundary crossed, and (numba) the multi-threaded path
SIZES = [1, 7, numpy_impl.CHUNK + 5, (1 << 20) + 3]


def same_bits(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def arrays(n, dtype, k, seed=0):
    g = np.random.default_rng(seed)
    return [g.standard_normal(n).astype(dtype) for _ in range(k)]


# -- the formulas, as trainlab.optim writes them (Python floats as scalars) ----------
def adam_ref(p, g, m, v, lr_t, b1, b2, eps):
    m += (g - m) * (1.0 - b1)
    v += (g * g - v) * (1.0 - b2)
    p -= (m * lr_t) / (np.sqrt(v) + eps)


def momentum_ref(p, g, v, lr, mom):
    v *= mom
    v -= g * lr
    p += v


def rmsprop_ref(p, g, h, lr, decay, eps):
    h *= decay
    h += (g * g) * (1.0 - decay)
    p -= (g / (np.sqrt(h) + eps)) * lr


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", SIZES)
def test_kernels_match_formulas_bit_for_bit(impl, dtype, n):
    p, g, m = arrays(n, dtype, 3)
    v = np.abs(arrays(n, dtype, 1, seed=1)[0])
    P, M, V = p.copy(), m.copy(), v.copy()
    for t in (1, 2, 3):
        lr_t = 1e-3 * math.sqrt(1.0 - 0.999**t) / (1.0 - 0.9**t)
        impl.adam_notes(p, g, m, v, lr_t, 0.9, 0.999, 1e-7)
        adam_ref(P, g, M, V, lr_t, 0.9, 0.999, 1e-7)
    assert same_bits(p, P) and same_bits(m, M) and same_bits(v, V)

    p, g, v = arrays(n, dtype, 3, seed=2)
    P, V = p.copy(), v.copy()
    for _ in range(3):
        impl.momentum_notes(p, g, v, 0.01, 0.9)
        momentum_ref(P, g, V, 0.01, 0.9)
    assert same_bits(p, P) and same_bits(v, V)

    p, g = arrays(n, dtype, 2, seed=3)
    h = np.abs(arrays(n, dtype, 1, seed=4)[0])
    P, H = p.copy(), h.copy()
    for _ in range(3):
        impl.rmsprop_notes(p, g, h, 0.01, 0.99, 1e-7)
        rmsprop_ref(P, g, H, 0.01, 0.99, 1e-7)
    assert same_bits(p, P) and same_bits(h, H)


def test_times_rounds_once_and_refuses_a_float32_factor():
    # one loop body serves both dtypes; only times() differs: a float32 state times
    # a float64 factor (holding a float32 number) is the float32 product, and a
    # float32 factor is refused, since LLVM would take that product in float32
    from numba import njit
    from numba.core.errors import TypingError

    @njit
    def product(x, c):
        return numba_impl.times(x, c)

    x, c = np.float32(3e-39), np.float32(0.9)  # a subnormal state
    r = product(x, np.float64(c))  # numba returns a float32 as a Python float
    assert np.float32(r) == r and np.float32(r).tobytes() == (x * c).tobytes()
    assert product(0.1, 0.9) == 0.1 * 0.9
    with pytest.raises(TypingError):
        product(x, c)


def across_the_range(n, dtype, seed):
    """Finite numbers of every size the dtype has, subnormals included: random
    bit patterns (NaN and inf left out), a quarter of them zeros."""
    rng = np.random.default_rng(seed)
    bits, exponent = (np.uint32, 0xFF) if dtype == np.float32 else (np.uint64, 0x7FF)
    width = 8 * np.dtype(dtype).itemsize
    x = rng.integers(0, 1 << (width - 1), n, dtype=bits, endpoint=False)
    x |= rng.integers(0, 2, n, dtype=bits) << bits(width - 1)  # signs
    x = x.view(dtype)
    x[~np.isfinite(x)] = 0
    x[rng.random(n) < 0.25] = 0
    return x


def stuck(n, dtype, seed):
    """What training leaves where gradients are 0: states decayed into and
    through the subnormal range, and tiny gradients."""
    rng = np.random.default_rng(seed)
    tiny = np.finfo(dtype).tiny
    scale = rng.choice([0.0, tiny * 1e-6, tiny * 1e-3, tiny, tiny * 1e3, tiny * 1e12, 1e-3], n)
    return (rng.standard_normal(n) * scale).astype(dtype)


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("states", [across_the_range, stuck])
def test_kernels_match_formulas_where_numbers_are_subnormal(impl, dtype, states):
    # numba takes some float32 products and square roots in float64 where
    # states get subnormal (see numba_impl): the bits must stay the formulas'
    n = 20_000
    p = np.random.default_rng(9).standard_normal(n).astype(dtype)
    g = states(n, dtype, 10)
    m, v = states(n, dtype, 11), np.abs(states(n, dtype, 12))
    P, M, V = p.copy(), m.copy(), v.copy()
    with np.errstate(all="ignore"):  # huge random states overflow in both
        for t in range(1, 31):
            lr_t = 1e-3 * math.sqrt(1.0 - 0.999**t) / (1.0 - 0.9**t)
            impl.adam_notes(p, g, m, v, lr_t, 0.9, 0.999, 1e-7)
            adam_ref(P, g, M, V, lr_t, 0.9, 0.999, 1e-7)
            g = np.where(np.arange(n) % 3 == 0, 0, g).astype(dtype)  # some gradients stop
        assert same_bits(p, P) and same_bits(m, M) and same_bits(v, V)
        for rule in ("momentum", "rmsprop"):
            p2, P2 = p.copy(), p.copy()
            s, S = np.abs(states(n, dtype, 13)), None
            S = s.copy()
            for _ in range(30):
                if rule == "momentum":
                    impl.momentum_notes(p2, g, s, 0.01, 0.9)
                    momentum_ref(P2, g, S, 0.01, 0.9)
                else:
                    impl.rmsprop_notes(p2, g, s, 0.01, 0.99, 1e-7)
                    rmsprop_ref(P2, g, S, 0.01, 0.99, 1e-7)
            assert same_bits(p2, P2) and same_bits(s, S), rule
    tiny = np.finfo(dtype).tiny
    assert np.any((m != 0) & (np.abs(m) < tiny)), "the test must reach subnormal states"


def flat_params(n=3000, dtype=np.float32):
    """A flat buffer with dict views, like MultiLayerNet's."""
    p, g = arrays(n, dtype, 2, seed=5)
    g *= 0.1
    params = {"W1": p[:2000].reshape(40, 50), "b1": p[2000:2050], "W2": p[2050:].reshape(50, 19)}
    grads = {"W1": g[:2000].reshape(40, 50), "b1": g[2000:2050], "W2": g[2050:].reshape(50, 19)}
    return p, g, params, grads


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_kernels_equal_trainlab_optim_rules(impl):
    # the wiring promise: a rule that calls the kernel changes no bit of its results
    for rule, kernel, state in (
        (Adam(lr=0.01), "adam", ("m", "v")),
        (Momentum(lr=0.05, momentum=0.8), "momentum", ("v",)),
        (RMSprop(lr=0.02, decay_rate=0.9), "rmsprop", ("h",)),
    ):
        p, g, params, grads = flat_params()
        q = p.copy()
        s = [np.zeros_like(p) for _ in state]
        for t in range(1, 5):
            rule.update(params, grads)
            if kernel == "adam":
                lr_t = rule.lr * math.sqrt(1.0 - rule.beta2**t) / (1.0 - rule.beta1**t)
                impl.adam_notes(q, g, *s, lr_t, rule.beta1, rule.beta2, rule.eps)
            elif kernel == "momentum":
                impl.momentum_notes(q, g, *s, rule.lr, rule.momentum)
            else:
                impl.rmsprop_notes(q, g, *s, rule.lr, rule.decay_rate, rule.eps)
        assert same_bits(p, q), kernel
        for name, arr in zip(state, s, strict=False):
            got = np.concatenate([rule.state[k][name].ravel() for k in params])
            assert same_bits(got, arr), (kernel, name)


@pytest.mark.parametrize("backend", ["numpy", "numba"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [7, numpy_impl.CHUNK + 5, (1 << 20) + 3])
def test_each_kernel_gives_the_bits_of_the_readable_rule(backend, dtype, n):
    # the kernel a rule hands the engine (its _kernel) against the rule's own
    # _apply (its equation), on the same flat buffer
    kernels.use_backend(backend)
    try:
        for rule in (
            Adam(lr=0.01),
            Momentum(lr=0.05, momentum=0.8),
            RMSprop(lr=0.02, decay_rate=0.9),
        ):
            p, g = arrays(n, dtype, 2, seed=8)
            q = p.copy()
            readable, fused = rule._init_state(p), rule._init_state(p)
            for t in range(1, 4):
                rule.t = t
                rule._begin_step()
                rule._apply(p, g, readable)
                rule._kernel()(q, g, fused)
            assert same_bits(p, q), type(rule).__name__
            for name in readable:
                assert same_bits(readable[name], fused[name]), (type(rule).__name__, name)
    finally:
        kernels.use_backend("auto")


def test_float32_kernel_tracks_the_books_float64_adam():
    # the book's Adam in float64, p -= lr_t * m / (sqrt(v) + 1e-7): float32 stays within rounding
    p, g = arrays(5000, np.float64, 2, seed=6)
    g *= 0.01
    P, m, v = p.copy(), np.zeros_like(p), np.zeros_like(p)
    q, m32, v32 = p.astype(np.float32), np.zeros(5000, np.float32), np.zeros(5000, np.float32)
    g32 = g.astype(np.float32)
    for t in range(1, 11):
        lr_t = 0.001 * np.sqrt(1.0 - 0.999**t) / (1.0 - 0.9**t)
        m += (1 - 0.9) * (g - m)
        v += (1 - 0.999) * (g**2 - v)
        P -= lr_t * m / (np.sqrt(v) + 1e-7)
        kernels.adam_notes(q, g32, m32, v32, lr_t, 0.9, 0.999, 1e-7)
    step = np.abs(P - p)  # about 10 * lr
    assert np.max(np.abs(q - P)) < 1e-6 + 1e-3 * step.max()
    assert np.allclose(m32, m, rtol=1e-5, atol=1e-9) and np.allclose(v32, v, rtol=1e-5, atol=1e-12)


@pytest.mark.parametrize("impl", IMPLS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_all_finite(impl, dtype):
    n = numpy_impl.CHUNK * 2 + 3
    g = arrays(n, dtype, 1, seed=7)[0]
    assert impl.all_finite(g) is True
    for bad in (np.nan, np.inf, -np.inf):
        for pos in (0, numpy_impl.CHUNK, n - 1):
            h = g.copy()
            h[pos] = bad
            assert impl.all_finite(h) is False, (bad, pos)
    huge = np.full(n, np.finfo(dtype).max, dtype)  # the sum overflows, every element is finite
    assert impl.all_finite(huge) is True
    assert impl.all_finite(np.zeros(0, dtype)) is True


def test_bad_arrays_are_refused():
    p = np.zeros(10, np.float32)
    with pytest.raises(ConfigError, match="one shape and dtype"):
        kernels.momentum_notes(p, np.zeros(9, np.float32), np.zeros(10, np.float32), 0.1, 0.9)
    with pytest.raises(ConfigError, match="one shape and dtype"):
        kernels.momentum_notes(p, np.zeros(10, np.float64), np.zeros(10, np.float32), 0.1, 0.9)
    with pytest.raises(ConfigError, match="C-contiguous"):
        kernels.adam_notes(
            np.zeros((4, 6), np.float32)[:, ::2],
            *[np.zeros((4, 3), np.float32)] * 3,
            1e-3,
            0.9,
            0.999,
            1e-7,
        )
    with pytest.raises(ConfigError, match="float32 or float64"):
        kernels.rmsprop_notes(*[np.zeros(3, np.int32)] * 3, 0.1, 0.9, 1e-7)


def test_backend_choice_and_fallback(monkeypatch):
    try:
        assert kernels.backend() == "numba"
        kernels.use_backend("numpy")
        assert kernels.backend() == "numpy"
        with pytest.raises(ConfigError, match="unknown kernel backend"):
            kernels.use_backend("fortran")
        # numba that cannot be imported: 'auto' falls back, 'numba' says why
        monkeypatch.setitem(sys.modules, "numba", None)
        monkeypatch.delitem(sys.modules, "trainlab.kernels.numba_impl", raising=False)
        if hasattr(sys.modules["trainlab.kernels"], "numba_impl"):
            monkeypatch.delattr(sys.modules["trainlab.kernels"], "numba_impl")
        kernels.use_backend("auto")
        assert kernels.backend() == "numpy"
        p = np.ones(4, np.float32)
        kernels.momentum_notes(p, np.ones(4, np.float32), np.zeros(4, np.float32), 0.5, 0.9)
        assert np.array_equal(p, np.full(4, 0.5, np.float32))
        with pytest.raises(ConfigError, match="cannot be loaded"):
            kernels.use_backend("numba")
    finally:
        monkeypatch.undo()
        kernels.use_backend("auto")
    assert kernels.backend() == "numba"


def test_auto_runs_numpy_below_a_million_elements_and_numba_from_there():
    from trainlab.kernels.dispatch import NUMBA_MIN

    try:
        kernels.use_backend("auto")
        assert NUMBA_MIN == 1 << 20
        assert kernels.backend(110_000) == "numpy"  # the notes' nets: numba is not worth loading
        assert kernels.backend(NUMBA_MIN) == "numba"
        kernels.use_backend("numba")  # asked for: every size
        assert kernels.backend(10) == "numba"
    finally:
        kernels.use_backend("auto")


def test_auto_loads_numba_once_numpy_kernels_have_taken_as_long_as_loading_it(monkeypatch):
    from trainlab.kernels import dispatch

    kernels.use_backend("auto")
    try:
        monkeypatch.setattr(dispatch, "NUMBA_PAYS_AFTER_S", 0.01)
        p, g, v = arrays(110_000, np.float32, 3)
        for calls in range(1, 10_000):  # noqa: B007 (the count is read after the loop)
            assert kernels.backend(p.size) == "numpy"
            kernels.momentum_notes(p, g, v, 0.01, 0.9)
            if dispatch._numpy_seconds >= 0.01:
                break
        assert calls > 1  # a few calls first, on NumPy
        # from now on numba for every size (NumPy where numba cannot be loaded)
        assert kernels.backend(10) == kernels.backend(p.size) == "numba"
        kernels.use_backend("auto")  # starts counting afresh
        assert kernels.backend(p.size) == "numpy"
    finally:
        monkeypatch.undo()
        kernels.use_backend("auto")
