"""The net's fast paths (reused buffers, in-place ReLU) against a plain reference
written here: fresh arrays for every result, the book's formulas.

float64: equal values (a multiplication by the ReLU mask may turn a 0 into -0,
which compares equal); float32: within rounding of the float64 reference.
"""

import numpy as np
import pytest

from trainlab.nn import Affine, MultiLayerNet, Relu, relative_error


def reference_gradient(params, n_layers, x, t):
    """Loss and gradients of the ReLU net, straight from the formulas."""
    a, cache = x.reshape(len(x), -1), []
    for i in range(1, n_layers + 1):
        W, b = params[f"W{i}"], params[f"b{i}"]
        h = a @ W + b
        cache.append((a, h))
        a = np.maximum(h, 0) if i < n_layers else h
    z = a - a.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n = len(x)
    loss = -logp[np.arange(n), t].sum() / n
    d = np.exp(logp)
    d[np.arange(n), t] -= 1
    d = d * (1 / n)
    grads = {}
    for i in range(n_layers, 0, -1):
        a_in, h = cache[i - 1]
        if i < n_layers:
            d = np.where(h > 0, d, 0.0)
        grads[f"W{i}"] = a_in.T @ d
        grads[f"b{i}"] = d.sum(axis=0)
        d = d @ params[f"W{i}"].T
    return loss, grads


def data(n, d_in=12, seed=0):
    g = np.random.default_rng(seed)
    return g.standard_normal((n, d_in)), g.integers(0, 5, n)


def net(dtype=np.float64, sizes=(12, [16, 9, 7], 5)):
    return MultiLayerNet(*sizes, dtype=dtype, rng=np.random.default_rng(1))


@pytest.mark.parametrize("batches", [[8], [8, 3, 8, 20, 1, 8, 5, 13, 8]])
def test_float64_equals_reference_across_batch_sizes(batches):
    # several batch sizes in turn: more shapes than the buffers keep, and back again
    m = net()
    for k, n in enumerate(batches):
        x, t = data(n, seed=k)
        grads = m.gradient(x, t)
        loss, ref = reference_gradient({k: v.copy() for k, v in m.params.items()}, 4, x, t)
        assert m.last_loss == loss
        for key in ref:
            np.testing.assert_array_equal(grads[key], ref[key], err_msg=key)


def test_training_steps_equal_reference_training():
    # ten SGD steps with reused buffers end exactly where the plain formulas do
    m = net()
    params = {k: v.copy() for k, v in m.params.items()}
    for step in range(10):
        x, t = data(16, seed=step)
        grads = m.gradient(x, t)
        _, ref = reference_gradient(params, 4, x, t)
        for k in params:
            m.params[k] -= 0.1 * grads[k]
            params[k] -= 0.1 * ref[k]
    for k in params:
        np.testing.assert_array_equal(m.params[k], params[k], err_msg=k)


def test_float32_within_rounding_of_float64_reference():
    m = net(np.float32)
    x, t = data(32)
    x32 = x.astype(np.float32)
    grads = m.gradient(x32, t)
    p64 = {k: v.astype(np.float64) for k, v in m.params.items()}
    loss, ref = reference_gradient(p64, 4, x32.astype(np.float64), t)
    assert grads["W1"].dtype == np.float32
    assert m.last_loss == pytest.approx(loss, rel=1e-5)
    for k in ref:
        assert relative_error(grads[k], ref[k]) < 1e-5, k


def test_returned_arrays_are_not_overwritten_later():
    m = net()
    x, t = data(6)
    y = m.predict(x)
    kept = y.copy()
    m.gradient(*data(6, seed=3))
    m.predict(data(6, seed=4)[0])
    np.testing.assert_array_equal(y, kept)
    # eval-mode predict of a larger set equals the same rows predicted alone
    big, _ = data(50, seed=5)
    np.testing.assert_allclose(m.predict(big)[:6], m.predict(big[:6]), rtol=1e-12)


def test_affine_with_and_without_buffers_agree():
    g = np.random.default_rng(2)
    W, b = g.standard_normal((6, 4)), g.standard_normal(4)
    plain, fast = Affine(W, b), Affine(W, b, reuse_buffers=True)
    for n in (5, 3, 5):
        x, dout = g.standard_normal((n, 6)), g.standard_normal((n, 4))
        np.testing.assert_array_equal(fast.forward(x), x @ W + b)
        np.testing.assert_array_equal(plain.forward(x), x @ W + b)
        dx_fast, dx_plain = fast.backward(dout.copy()), plain.backward(dout.copy())
        np.testing.assert_array_equal(dx_fast, dout @ W.T)
        np.testing.assert_array_equal(dx_plain, dout @ W.T)
        np.testing.assert_array_equal(fast.dW, x.T @ dout)
        np.testing.assert_array_equal(fast.db, dout.sum(axis=0))
    # an input of another dtype still works (no buffer: NumPy's promotion)
    out = fast.forward(np.ones((2, 6), np.float32))
    assert out.dtype == np.float64


def test_relu_inplace_mask_and_backward():
    x = np.array([[-1.5, 0.0, 2.0], [3.0, -0.0, -4.0]])
    r = Relu(inplace=True)
    out = r.forward(x)
    assert out is x
    np.testing.assert_array_equal(out, [[0, 0, 2], [3, 0, 0]])
    np.testing.assert_array_equal(r.mask, [[True, True, False], [False, True, True]])
    d = np.arange(1.0, 7.0).reshape(2, 3)
    back = r.backward(d)
    assert back is d
    np.testing.assert_array_equal(back, [[0, 0, 3], [4, 0, 0]])
    plain = Relu()
    np.testing.assert_array_equal(plain.forward(np.array([[-1.5, 0.0, 2.0]])), [[0, 0, 2]])
    np.testing.assert_array_equal(plain.backward(np.ones((1, 3))), [[0, 0, 1]])


def test_float32_across_batch_sizes_within_rounding_of_float64_reference():
    # float32 sums its biases' gradients and softmax rows with BLAS products
    # against vectors of ones, one per batch size; switching sizes back and forth
    m = net(np.float32)
    for k, n in enumerate([8, 3, 8, 20, 1, 8, 5, 13, 8]):
        x, t = data(n, seed=k)
        x32 = x.astype(np.float32)
        grads = m.gradient(x32, t)
        p64 = {key: v.astype(np.float64) for key, v in m.params.items()}
        loss, ref = reference_gradient(p64, 4, x32.astype(np.float64), t)
        assert m.last_loss == pytest.approx(loss, rel=1e-5)
        for key in ref:
            assert relative_error(grads[key], ref[key]) < 1e-5, (n, key)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_with_loss_against_formula(dtype):
    from trainlab.nn import SoftmaxWithLoss

    g = np.random.default_rng(4)
    x = (g.standard_normal((9, 7)) * 5).astype(dtype)
    x[2, :] = 1.5  # a row of ties
    x[3, 6] = 40.0  # maximum in the last column
    t = g.integers(0, 7, 9)
    x64 = x.astype(np.float64)
    z = x64 - x64.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    loss = -np.log(p[np.arange(9), t]).mean()
    grad = p.copy()
    grad[np.arange(9), t] -= 1
    grad /= 9
    layer = SoftmaxWithLoss()
    tol = 1e-6 if dtype == np.float32 else 1e-13
    assert layer.forward(x, t) == pytest.approx(loss, rel=tol)
    d = layer.backward()
    assert d.dtype == dtype
    np.testing.assert_allclose(d, grad, rtol=tol * 10, atol=tol)
    with pytest.raises(IndexError):  # a label past the last class is not read from the next row
        SoftmaxWithLoss().forward(x, np.full(9, 7))


def test_relu_inplace_switching_shapes_and_dtypes():
    r = Relu(inplace=True)
    g = np.random.default_rng(5)
    for shape, dtype in [
        ((4, 3), np.float64),
        ((4, 3), np.float32),
        ((2, 3), np.float32),
        ((4, 3), np.float64),
    ]:
        x = g.standard_normal(shape).astype(dtype)
        expect, keep = np.maximum(x, 0), x > 0
        out = r.forward(x)
        assert out.dtype == dtype
        np.testing.assert_array_equal(out, expect)
        np.testing.assert_array_equal(r.backward(np.ones(shape, dtype)), keep.astype(dtype))
