"""The torch.optim rules the notes do not have (Adamax, Rprop, ASGD, Adafactor) take
torch's steps: random shapes (a 0-d and a 1-element parameter every time), random
options from a seeded generator, random gradients fed to both, float64, 100 steps,
the largest difference below 1e-10. Also: checkpoints resume bit for bit, the
shared-buffer path gives the same bits as separate arrays, bad options are refused.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from lockstep import lockstep

from trainlab.errors import ConfigError
from trainlab.optim import create, from_torch, options

STEPS = 100
TOL = 1e-10


@pytest.fixture(autouse=True)
def float64_torch():
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # torch's scalar state (ASGD's eta, mu) too
    yield
    torch.set_default_dtype(old)


def loguniform(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


# name -> option sets; each set names the options drawn, the rest keep torch's defaults
VARIANTS = {
    "Adamax": [{}, {"betas", "eps"}, {"weight_decay"}, {"betas", "weight_decay", "maximize"}],
    "Rprop": [{}, {"etas"}, {"step_sizes"}, {"etas", "step_sizes", "maximize"}],
    "ASGD": [
        {},
        {"lambd", "alpha"},
        {"t0"},
        {"lambd", "alpha", "t0", "weight_decay"},
        {"t0", "maximize"},
    ],
    "Adafactor": [
        {},
        {"beta2_decay"},
        {"eps", "d"},
        {"weight_decay"},
        {"beta2_decay", "eps", "d", "weight_decay", "maximize"},
    ],
}


def draw(name: str, flags: set, rng) -> dict:
    values = {
        "betas": (float(rng.uniform(0.3, 0.95)), float(rng.uniform(0.9, 0.9999))),
        "eps": loguniform(rng, 1e-10, 1e-2),
        "weight_decay": loguniform(rng, 1e-4, 1e-1),
        "maximize": True,
        "etas": (float(rng.uniform(0.1, 0.9)), float(rng.uniform(1.05, 2.0))),
        "step_sizes": (loguniform(rng, 1e-8, 1e-3), loguniform(rng, 0.05, 5.0)),
        "lambd": loguniform(rng, 1e-4, 1.0),
        "alpha": float(rng.uniform(0.3, 1.0)),
        "t0": float(rng.integers(0, 60)),
        "beta2_decay": float(rng.uniform(-1.0, 0.0)),
        "d": float(rng.uniform(1.0, 3.0)),
    }
    if name == "Adafactor":  # its eps is a pair (eps1, eps2); a large one clamps often
        eps1 = loguniform(rng, 1e-30, 1e-3) if rng.random() < 0.5 else rng.uniform(0.1, 1.0)
        values["eps"] = (float(eps1), loguniform(rng, 1e-3, 3.0))
    return {"lr": loguniform(rng, 1e-3, 1e-1), **{k: values[k] for k in flags}}


def random_shapes(rng):
    shapes = [(), (1,), (4, 3)]  # a 0-d, a 1-element and a matrix parameter every time
    for _ in range(rng.integers(2, 4)):
        shapes.append(tuple(int(d) for d in rng.integers(1, 6, size=rng.integers(1, 4))))
    return shapes


def run_both(name: str, kw: dict, seed: int, new_lr: float | None = None) -> float:
    """Max |trainlab - torch| over all parameters, steps and (for ASGD) averages."""
    rng = np.random.default_rng(seed)
    shapes = random_shapes(rng)
    start = [rng.standard_normal(s) for s in shapes]
    tparams = [torch.tensor(a, requires_grad=True) for a in start]
    topt = getattr(torch.optim, name)(tparams, **kw)
    opt = from_torch(name, **kw)

    def averages(i, t, mine):  # ASGD's averaged weights, compared too
        if name != "ASGD":
            return 0.0
        return float(np.max(np.abs(topt.state[t]["ax"].numpy() - opt.state[f"w{i}"]["ax"])))

    return lockstep(topt, tparams, opt, start, rng, STEPS, new_lr, averages)


CASES = [(n, i, flags) for n, variants in VARIANTS.items() for i, flags in enumerate(variants)]


@pytest.mark.parametrize(
    "name,index,flags", CASES, ids=[f"{n}-{'+'.join(sorted(f)) or 'defaults'}" for n, _, f in CASES]
)
def test_matches_torch(name, index, flags):
    for draw_no in range(3):  # three independent draws of every option set
        seed = 1000 * index + draw_no + 31 * len(name)
        kw = draw(name, flags, np.random.default_rng(seed))
        assert run_both(name, kw, seed) <= TOL, kw


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_lr_changed_mid_run_matches_torch(name):
    # ASGD's step size at step t is computed at the end of step t - 1, with the rate then
    kw = draw(name, {"lambd", "t0"} if name == "ASGD" else set(), np.random.default_rng(5))
    assert run_both(name, kw, seed=99, new_lr=kw["lr"] * 0.3) <= TOL


def test_torch_defaults_and_pairs_apply():
    a = from_torch("Adamax")
    assert (a.lr, a.beta1, a.beta2, a.eps, a.weight_decay) == (2e-3, 0.9, 0.999, 1e-8, 0.0)
    r = from_torch("Rprop", etas=(0.4, 1.5), step_sizes=(1e-5, 2.0))
    assert (r.etaminus, r.etaplus, r.step_size_min, r.step_size_max) == (0.4, 1.5, 1e-5, 2.0)
    assert from_torch("Rprop").lr == 1e-2
    s = from_torch("ASGD", alpha=0.5)
    assert (s.lr, s.lambd, s.alpha, s.t0) == (1e-2, 1e-4, 0.5, 1e6)
    f = from_torch("Adafactor", eps=(1e-20, 1e-2))
    assert (f.lr, f.beta2_decay, f.eps1, f.eps2, f.d) == (1e-2, -0.8, 1e-20, 1e-2, 1.0)
    assert from_torch("Adafactor").eps1 is None
    with pytest.raises(ConfigError, match="etas"):
        from_torch("Rprop", etas=0.5)
    with pytest.raises(ConfigError, match="eps"):
        from_torch("Adafactor", eps=1e-3)


# one instance per rule, with options that switch on every code path
FACTORIES = {
    "adamax": lambda: create("adamax", lr=0.01, weight_decay=0.01, maximize=True),
    "rprop": lambda: create("rprop", lr=0.01, etaminus=0.3, step_size_max=0.5),
    "asgd": lambda: create("asgd", lr=0.05, lambd=0.01, t0=5, weight_decay=0.01),
    "adafactor": lambda: create("adafactor", lr=0.05, weight_decay=0.01, d=1.5),
    "adafactor-eps1": lambda: create("adafactor", eps1=1e-20, beta2_decay=-0.5, maximize=True),
}
SHAPES = [(6, 4), (), (1,), (5,), (2, 3, 2)]


def one_buffer(arrays: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Views into one contiguous buffer, as MultiLayerNet lays its parameters out."""
    buf = np.concatenate([a.ravel() for a in arrays])
    views, off = {}, 0
    for i, a in enumerate(arrays):
        views[f"p{i}"] = buf[off : off + a.size].reshape(a.shape)
        off += a.size
    return views


def root(a: np.ndarray) -> np.ndarray:
    """The array that owns ``a``'s memory."""
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def trajectory(make, steps: int, flat: bool = False, stop: int | None = None):
    """Parameters after ``steps`` steps; with ``stop``, checkpoint there into a new rule."""
    rng = np.random.default_rng(11)
    start = [rng.standard_normal(s) for s in SHAPES]
    noise = [[rng.standard_normal(s) for s in SHAPES] for _ in range(steps)]
    params = one_buffer(start) if flat else {f"p{i}": a for i, a in enumerate(start)}
    grads = one_buffer(start) if flat else {k: np.empty_like(v) for k, v in params.items()}
    opt = make()
    for k in range(steps):
        if k == stop:
            fresh = make()
            fresh.load_state_dict({key: np.array(v) for key, v in opt.state_dict().items()})
            opt = fresh
        for i, key in enumerate(params):  # gradient of 0.15 ||p||^2 plus noise
            np.multiply(params[key], 0.3, out=grads[key])
            grads[key] += noise[k][i]
        opt.update(params, grads)
    return opt, params


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_checkpoint_mid_run_resumes_bit_for_bit(name):
    _, whole = trajectory(FACTORIES[name], 30)
    _, resumed = trajectory(FACTORIES[name], 30, stop=20)
    for key in whole:
        assert np.array_equal(whole[key], resumed[key]), key


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_one_buffer_gives_the_bits_of_separate_arrays(name):
    opt_sep, sep = trajectory(FACTORIES[name], 20)
    opt_flat, flat = trajectory(FACTORIES[name], 20, flat=True)
    # the one-pass path lays each state field out in one buffer; Adafactor reads
    # each parameter in its own shape and is handed one at a time
    for field in {f for s in opt_flat.state.values() for f in s}:
        buffers = {id(root(s[field])) for s in opt_flat.state.values() if field in s}
        assert (len(buffers) == 1) == (not opt_flat.per_parameter), (field, buffers)
    for key in sep:
        assert np.array_equal(sep[key], flat[key]), key
        for field, arr in opt_sep.state[key].items():
            assert np.array_equal(opt_flat.state[key][field], arr), (key, field)


@pytest.mark.parametrize(
    "name,kw,arg",
    [
        ("adamax", {"beta2": 1.0}, "beta2"),
        ("adamax", {"eps": 0.0}, "eps"),
        ("rprop", {"etaminus": 1.0}, "etaminus"),
        ("rprop", {"etaplus": 0.9}, "etaplus"),
        ("rprop", {"step_size_min": -1.0}, "step_size_min"),
        ("rprop", {"step_size_min": 1.0, "step_size_max": 0.5}, "step_size_max"),
        ("asgd", {"lambd": -0.1}, "lambd"),
        ("asgd", {"alpha": float("nan")}, "alpha"),
        ("asgd", {"t0": -1.0}, "t0"),
        ("asgd", {"t0": "never"}, "t0"),
        ("adafactor", {"beta2_decay": 0.1}, "beta2_decay"),
        ("adafactor", {"eps1": 0.0}, "eps1"),
        ("adafactor", {"eps2": -1.0}, "eps2"),
        ("adafactor", {"d": 0.5}, "d"),
        ("adafactor", {"weight_decay": -0.1}, "weight_decay"),
        ("adafactor", {"decoupled_weight_decay": True}, "decoupled_weight_decay"),
    ],
)
def test_bad_options_raise_config_error(name, kw, arg):
    with pytest.raises(ConfigError, match=arg):
        create(name, **kw)


def test_options_are_listed_with_their_own_first():
    assert options(create("rprop").__class__)[:5] == [
        "lr",
        "etaminus",
        "etaplus",
        "step_size_min",
        "step_size_max",
    ]
    assert options(create("asgd").__class__)[:4] == ["lr", "lambd", "alpha", "t0"]
    assert options(create("adamax").__class__)[:4] == ["lr", "beta1", "beta2", "eps"]
    adafactor = options(create("adafactor").__class__)
    assert adafactor[:7] == ["lr", "beta2_decay", "eps1", "eps2", "d", "weight_decay", "maximize"]
    assert "decoupled_weight_decay" not in adafactor
