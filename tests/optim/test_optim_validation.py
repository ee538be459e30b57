"""Bad settings and bad inputs: one clear error, and parameters never corrupted."""

from __future__ import annotations

import numpy as np
import pytest
from optim_testkit import FACTORIES

from trainlab.errors import ConfigError, DivergenceError
from trainlab.optim import RULES, SGD, create, options


@pytest.mark.parametrize(
    "name,kw,arg",
    [
        ("sgd", {"lr": 0.0}, "lr"),
        ("adam", {"lr": -1e-3}, "lr"),
        ("adam", {"beta1": 1.0}, "beta1"),
        ("nadam", {"beta2": -0.1}, "beta2"),
        ("radam", {"beta1": 1.5}, "beta1"),
        ("adam", {"eps": 0.0}, "eps"),
        ("adagrad", {"eps": -1e-8}, "eps"),
        ("momentum", {"momentum": -0.5}, "momentum"),
        ("sgd", {"momentum": -0.1}, "momentum"),
        ("rmsprop", {"momentum": -0.1}, "momentum"),
        ("sgd", {"momentum": 0.9, "dampening": 0.1, "nesterov": True}, "nesterov"),
        ("sgd", {"nesterov": True}, "nesterov"),
        ("adam", {"eps_placement": "under"}, "eps_placement"),
        ("adam", {"nonfinite": "ignore"}, "nonfinite"),
        ("adam", {"weight_decay": -1.0}, "weight_decay"),
        ("swats", {"tol": 0.0}, "tol"),
        ("adam", {"momentum": 0.9}, "momentum"),  # not an Adam option
    ],
)
def test_bad_settings_raise_config_error_naming_the_argument(name, kw, arg):
    with pytest.raises(ConfigError, match=arg) as err:
        create(name, **kw)
    assert isinstance(err.value, ValueError)
    assert "\n" not in str(err.value)


def test_unknown_rule_lists_the_rules():
    with pytest.raises(ConfigError) as err:
        create("adamaxx")
    for name in RULES:
        assert name in str(err.value)


def test_every_rule_lists_its_options():
    assert options(RULES["adam"])[:4] == ["lr", "beta1", "beta2", "eps"]
    for cls in RULES.values():
        assert {"lr", "weight_decay", "nonfinite"} <= set(options(cls))


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_key_and_shape_mismatch_name_the_key(name):
    opt = FACTORIES[name]()
    p = {"w": np.ones((2, 3)), "bias": np.zeros(3)}
    with pytest.raises(ValueError, match="bias"):
        opt.update(p, {"w": np.ones((2, 3))})
    with pytest.raises(ValueError, match="extra"):
        opt.update(p, {"w": np.ones((2, 3)), "bias": np.ones(3), "extra": np.ones(1)})
    with pytest.raises(ValueError, match="bias"):
        opt.update(p, {"w": np.ones((2, 3)), "bias": np.ones(4)})
    assert np.array_equal(p["w"], np.ones((2, 3))) and opt.t == 0


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_nonfinite_gradient_raise_and_skip_leave_everything_untouched(name, bad):
    rng = np.random.default_rng(0)
    p = {"w": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    good = {k: rng.standard_normal(v.shape) for k, v in p.items()}
    poisoned = {k: v.copy() for k, v in good.items()}
    poisoned["b"][2] = bad

    opt = FACTORIES[name]()
    opt.update(p, good)
    snapshot = {k: v.copy() for k, v in p.items()}
    state = {k: v.copy() for k, v in opt.state_dict().items() if not k.startswith("noise/")}
    with pytest.raises(DivergenceError, match="b") as err:
        opt.update(p, poisoned)
    assert isinstance(err.value, FloatingPointError)
    for k in p:
        assert np.array_equal(p[k], snapshot[k])
    after = opt.state_dict()
    for k, v in state.items():
        assert np.array_equal(after[k], v, equal_nan=True), k

    inner = getattr(opt, "optimizer", opt)
    inner.nonfinite = "skip"
    opt.update(p, poisoned)
    assert opt.skipped == 1 and opt.t == 1
    for k in p:
        assert np.array_equal(p[k], snapshot[k])
    opt.update(p, good)  # and it goes on normally afterwards
    assert opt.t == 2 and all(np.all(np.isfinite(v)) for v in p.values())
    assert not np.array_equal(p["w"], snapshot["w"])


def test_create_skip_policy():
    opt = create("adam", nonfinite="skip")
    p = {"w": np.ones(2)}
    opt.update(p, {"w": np.array([np.nan, 1.0])})
    assert opt.skipped == 1 and np.array_equal(p["w"], np.ones(2))


def test_decoupled_weight_decay_on_plain_sgd_follows_its_formula():
    """W <- W (1 - lr wd) - lr g, versus coupled W <- W - lr (g + wd W)."""
    w0, g = np.array([1.0, -2.0, 3.0]), np.array([0.5, 0.5, -1.0])
    lr, wd = 0.1, 0.2
    dec, cpl = {"w": w0.copy()}, {"w": w0.copy()}
    SGD(lr=lr, weight_decay=wd, decoupled_weight_decay=True).update(dec, {"w": g})
    SGD(lr=lr, weight_decay=wd).update(cpl, {"w": g})
    np.testing.assert_allclose(dec["w"], w0 * (1 - lr * wd) - lr * g, rtol=0, atol=1e-15)
    np.testing.assert_allclose(cpl["w"], w0 - lr * (g + wd * w0), rtol=0, atol=1e-15)


def test_params_must_be_arrays():
    with pytest.raises(ConfigError, match="w"):
        create("sgd").update({"w": 1.0}, {"w": 1.0})


def test_every_rule_documents_equation_paper_defaults_and_pytorch():
    from trainlab.optim import GradientNoise

    for cls in [*RULES.values(), GradientNoise]:
        doc = cls.__doc__ or ""
        for part in ("Paper:", "Defaults:", "PyTorch:"):
            assert part in doc, (cls.__name__, part)
        assert "<-" in doc or "Equation" in doc, cls.__name__
