"""The one-pass path and trainlab.kernels: which rules hand the whole buffer to a
fused kernel, the NaN/inf check on the flat buffer, and the remembered checks."""

from __future__ import annotations

import numpy as np
import pytest
from optim_testkit import FACTORIES

from trainlab import kernels
from trainlab.errors import ConfigError, DivergenceError
from trainlab.optim import SGD, Adam, create, engine


def flat_problem(dtype=np.float32, seed=0):
    """Parameters and gradients as views into one buffer each, like MultiLayerNet's."""
    rng = np.random.default_rng(seed)
    shapes = {"W1": (30, 20), "b1": (20,), "W2": (20, 7), "b2": (7,)}
    n = sum(int(np.prod(s)) for s in shapes.values())
    pbuf = rng.standard_normal(n).astype(dtype)
    gbuf = (0.1 * rng.standard_normal(n)).astype(dtype)
    params, grads, off = {}, {}, 0
    for k, s in shapes.items():
        size = int(np.prod(s))
        params[k] = pbuf[off : off + size].reshape(s)
        grads[k] = gbuf[off : off + size].reshape(s)
        off += size
    return pbuf, gbuf, params, grads


def spy(monkeypatch, name):
    """Record the calls of ``trainlab.kernels.<name>`` (still running it)."""
    calls, real = [], getattr(kernels, name)

    def wrapper(p, g, *rest):
        calls.append((p, g))
        return real(p, g, *rest)

    monkeypatch.setattr(kernels, name, wrapper)
    return calls


@pytest.mark.parametrize(
    "factory,kernel",
    [
        ("adam", "adam_notes"),
        ("adam-nobias", "adam_notes"),
        ("adam-l2-max", "adam_notes"),
        ("adam-decoupled", "adam_notes"),
        ("noise-adam", "adam_notes"),
        ("momentum", "momentum_notes"),
        ("momentum-l2", "momentum_notes"),
        ("rmsprop", "rmsprop_notes"),
    ],
)
def test_rules_with_a_kernel_update_the_whole_buffer_in_one_call(factory, kernel, monkeypatch):
    calls = spy(monkeypatch, kernel)
    pbuf, gbuf, params, grads = flat_problem()
    opt = FACTORIES[factory]()
    for _ in range(3):
        opt.update(params, grads)
    assert len(calls) == 3
    for p, g in calls:
        assert p is pbuf and g.size == gbuf.size
    # the gradient handed over is the caller's, unless maximize or L2 changed it first
    assert (calls[0][1] is gbuf) == (
        factory in ("adam", "adam-nobias", "adam-decoupled", "momentum", "rmsprop")
    )


@pytest.mark.parametrize(
    "factory",
    [
        "amsgrad",
        "adam-torch",
        "adamw",
        "rmsprop-centered",
        "nesterov",
        "sgd",
        "sgd-momentum",
        "adagrad",
        "radam",
    ],
)
def test_options_without_a_kernel_keep_the_numpy_path(factory, monkeypatch):
    calls = [spy(monkeypatch, name) for name in ("adam_notes", "momentum_notes", "rmsprop_notes")]
    _, _, params, grads = flat_problem()
    opt = FACTORIES[factory]()
    opt.update(params, grads)
    assert opt.flat.state is not None and not any(calls)


def test_rmsprop_with_momentum_and_the_per_array_path_use_no_kernel(monkeypatch):
    calls = spy(monkeypatch, "rmsprop_notes")
    _, _, params, grads = flat_problem()
    create("rmsprop", momentum=0.5).update(params, grads)
    separate = {k: v.copy() for k, v in params.items()}
    create("rmsprop").update(separate, {k: v.copy() for k, v in grads.items()})
    assert calls == []


def test_a_subclass_that_rewrites_the_rule_is_not_replaced_by_the_kernel(monkeypatch):
    class SignAdam(Adam):  # a different rule on Adam's options: W <- W - lr * sign(g)
        def _apply(self, p, g, s):
            p -= self.lr * np.sign(g)

    calls = spy(monkeypatch, "adam_notes")
    pbuf, gbuf, params, grads = flat_problem(np.float64)
    start = pbuf.copy()
    SignAdam(lr=0.01).update(params, grads)
    assert calls == []
    np.testing.assert_array_equal(pbuf, start - 0.01 * np.sign(gbuf))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernel_path_follows_the_notes_formulas(dtype, kernel_backend):
    # Adam, Momentum and RMSprop as the notes write them, in float64, over 5 steps
    pbuf, gbuf, params, grads = flat_problem(dtype, seed=1)
    p0, g = pbuf.astype(np.float64), gbuf.astype(np.float64)
    rules = {
        "adam": create("adam", lr=0.01),
        "momentum": create("momentum", lr=0.05),
        "rmsprop": create("rmsprop", lr=0.01),
    }
    tol = 1e-5 if dtype == np.float32 else 1e-12
    for name, opt in rules.items():
        pbuf[...] = p0
        p, a, b = p0.copy(), np.zeros_like(p0), np.zeros_like(p0)
        for t in range(1, 6):
            opt.update(params, grads)
            if name == "adam":
                a += (1 - 0.9) * (g - a)
                b += (1 - 0.999) * (g**2 - b)
                p -= 0.01 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t) * a / (np.sqrt(b) + 1e-7)
            elif name == "momentum":
                a = 0.9 * a - 0.05 * g
                p += a
            else:
                b = 0.99 * b + (1 - 0.99) * g * g
                p -= 0.01 * g / (np.sqrt(b) + 1e-7)
        np.testing.assert_allclose(pbuf, p, rtol=tol, atol=tol, err_msg=name)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nonfinite_gradient_in_the_flat_buffer(bad, kernel_backend):
    pbuf, gbuf, params, grads = flat_problem()
    opt = create("adam", lr=0.01)
    opt.update(params, grads)
    snapshot, state = pbuf.copy(), {k: v.copy() for k, v in opt.state_dict().items()}
    gbuf[-1] = bad  # the last element of b2
    with pytest.raises(DivergenceError, match=r"in b2 at step 2"):
        opt.update(params, grads)
    opt.nonfinite = "skip"
    opt.update(params, grads)
    assert opt.t == 1 and opt.skipped == 1
    assert np.array_equal(pbuf, snapshot)
    for k, v in opt.state_dict().items():
        assert np.array_equal(v, state[k]) or k == "skipped", k


@pytest.mark.parametrize("flat", [True, False])
def test_huge_finite_gradients_are_not_called_nonfinite(flat):
    # their float64 sum overflows to inf, but every element is finite
    big = np.finfo(np.float64).max
    pbuf = np.zeros(4)
    huge = np.full(4, big)
    params = {"a": pbuf[:2], "b": pbuf[2:]}
    grads = {"a": huge[:2], "b": huge[2:]}
    if not flat:
        params, grads = ({k: v.copy() for k, v in d.items()} for d in (params, grads))
    SGD(lr=1e-300).update(params, grads)
    for v in params.values():
        np.testing.assert_array_equal(v, -1e-300 * big)


def test_checks_run_once_while_the_same_dicts_hold_the_same_arrays(monkeypatch):
    seen = []
    real = engine.check
    monkeypatch.setattr(engine, "check", lambda p, g: seen.append(1) or real(p, g))
    _, _, params, grads = flat_problem()
    opt = create("momentum")
    for _ in range(5):
        opt.update(params, grads)
    assert len(seen) == 1
    opt.update(params, dict(grads))  # another dict: checked again
    assert len(seen) == 2


def test_changed_dicts_and_arrays_are_checked_again():
    pbuf, gbuf, params, grads = flat_problem(np.float64)
    opt = SGD(lr=0.5)
    opt.update(params, grads)
    # a replaced gradient of the wrong shape, in the same dict
    grads["b1"] = np.ones(21)
    with pytest.raises(ConfigError, match=r"grads\['b1'\] has shape \(21,\)"):
        opt.update(params, grads)
    del grads["b1"]
    with pytest.raises(ConfigError, match="no gradient for b1"):
        opt.update(params, grads)
    grads["b1"] = gbuf[600:620]
    # the same array object, reshaped in place
    params["W2"].shape = (7, 20)
    with pytest.raises(ConfigError, match=r"params\['W2'\] has shape \(7, 20\)"):
        opt.update(params, grads)
    params["W2"].shape = (20, 7)
    assert opt.t == 1


def test_a_replaced_parameter_array_is_the_one_updated():
    pbuf, gbuf, params, grads = flat_problem(np.float64)
    opt = SGD(lr=0.5)
    opt.update(params, grads)
    before = pbuf.copy()
    fresh = params["b1"] + 1.0  # no longer a view of the buffer: the per-array path
    params["b1"] = fresh
    expect = fresh - 0.5 * grads["b1"]
    opt.update(params, grads)
    np.testing.assert_array_equal(fresh, expect)
    np.testing.assert_array_equal(pbuf[600:620], before[600:620])  # the old view: untouched
    np.testing.assert_array_equal(params["W1"], before[:600].reshape(30, 20) - 0.5 * grads["W1"])
