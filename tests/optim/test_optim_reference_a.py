"""from_reference(name, **kw) takes the same steps as the authors' implementation.

Lion (lion_pytorch.Lion), ADOPT, AdEMAMix and LAMB (pytorch_optimizer) run beside
trainlab: random shapes (a 0-d and a 1-element parameter included), random
options drawn from a seeded generator, random gradients fed to both sides,
float64, 100 steps; the largest difference must stay below 1e-10.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
import torch
from lockstep import lockstep

from trainlab.errors import ConfigError
from trainlab.optim import create, from_reference

STEPS = 100
TOL = 1e-10


@pytest.fixture(autouse=True)
def float64_torch():
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def loguniform(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


# reference -> option sets; numbers are drawn, the names say which options are set
VARIANTS = {
    "lion_pytorch.Lion": [
        {},
        {"betas"},
        {"weight_decay"},
        {"betas", "weight_decay", "decoupled_weight_decay"},
    ],
    "pytorch_optimizer.ADOPT": [
        {},
        {"betas", "eps"},
        {"clip_lambda"},
        {"weight_decay"},
        {"weight_decay", "weight_decouple", "maximize"},
        {"betas", "clip_lambda", "foreach"},
    ],
    "pytorch_optimizer.AdEMAMix": [
        {},
        {"betas3", "eps"},
        {"alpha"},
        {"alpha", "t_alpha_beta3"},
        {"betas3", "t_alpha_beta3"},
        {"weight_decay"},
        {"weight_decay", "weight_decouple", "maximize"},
        {"t_alpha_beta3", "foreach"},
    ],
    "pytorch_optimizer.Lamb": [
        {},
        {"betas", "eps"},
        {"grad_averaging"},
        {"adam"},
        {"clamp"},
        {"weight_decay"},
        {"weight_decay", "weight_decouple", "maximize"},
        {"weight_decay", "clamp", "foreach"},
        {"max_grad_norm", "n_sma_threshold", "degenerated_to_sgd"},  # inactive without
        # pre_norm and rectify: accepted, as the reference accepts them
    ],
}


def draw(name: str, flags: set, rng) -> dict:
    """Random values for the options in ``flags`` (the rest keep the reference's defaults)."""
    sign_step = name == "lion_pytorch.Lion"  # every weight moves by lr: keep it small
    values = {
        "lr": loguniform(rng, 1e-4, 1e-2) if sign_step else loguniform(rng, 1e-3, 1e-1),
        "betas": (float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.9, 0.9999))),
        "weight_decay": loguniform(rng, 1e-3, 1e-1) * (10 if sign_step else 1),
        "decoupled_weight_decay": True,
        "maximize": True,
        "eps": loguniform(rng, 1e-10, 1e-3),
        "clip_lambda": None,
        "weight_decouple": name != "pytorch_optimizer.Lamb",  # the other one than default
        "foreach": False,
        "alpha": rng.uniform(0.0, 10.0),
        "t_alpha_beta3": rng.uniform(10.0, 200.0),
        "grad_averaging": False,
        "adam": True,
        "clamp": rng.uniform(0.5, 3.0),  # a class attribute of Lamb: run_both sets it
        "max_grad_norm": rng.uniform(0.1, 2.0),
        "n_sma_threshold": int(rng.integers(4, 8)),
        "degenerated_to_sgd": True,
    }
    betas3 = (*values["betas"], float(rng.uniform(0.99, 0.99999)))
    kw = {"lr": values["lr"]} | {k: values[k] for k in set(flags) - {"betas3"}}
    return kw | ({"betas": betas3} if "betas3" in flags else {})


def reference(name: str):
    module, cls = name.rsplit(".", 1)
    return getattr(importlib.import_module(module), cls)


def random_shapes(rng):
    shapes = [(), (1,)]  # a 0-d and a 1-element parameter every time
    for _ in range(rng.integers(2, 4)):
        shapes.append(tuple(int(d) for d in rng.integers(1, 6, size=rng.integers(1, 4))))
    return shapes


def run_both(name: str, kw: dict, seed: int, new_lr: float | None = None) -> float:
    """Max |trainlab - reference| over all parameters and steps."""
    rng = np.random.default_rng(seed)
    shapes = random_shapes(rng)
    start = [rng.standard_normal(s) for s in shapes]
    start[1][...] = 0.0  # a weight at zero (LAMB's trust ratio is then 1)
    tparams = [torch.tensor(a, requires_grad=True) for a in start]
    kw = dict(kw)
    clamp = kw.pop("clamp", None)
    ref = reference(name)(tparams, **kw)
    opt = from_reference(name, **kw)
    if clamp is not None:  # LAMB's cap on the weights' norm
        ref.clamp = opt.clamp = clamp
    return lockstep(ref, tparams, opt, start, rng, STEPS, new_lr)


CASES = [(name, i, flags) for name, sets in VARIANTS.items() for i, flags in enumerate(sets)]


@pytest.mark.parametrize(
    "name,index,flags",
    CASES,
    ids=[f"{n.rsplit('.', 1)[1]}-{'+'.join(sorted(f)) or 'defaults'}" for n, _, f in CASES],
)
def test_matches_reference(name, index, flags):
    for draw_no in range(2):  # two independent draws of every option set
        seed = 1000 * index + draw_no + 17 * len(name)
        kw = draw(name, flags, np.random.default_rng(seed))
        assert run_both(name, kw, seed) <= TOL, kw


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_lr_changed_mid_run_matches_reference(name):
    flags = set().union(*VARIANTS[name])  # every option at once
    kw = draw(name, flags, np.random.default_rng(5))
    assert run_both(name, kw, seed=99, new_lr=kw["lr"] * 0.3) <= TOL, kw


def test_reference_defaults_apply():
    lion = from_reference("lion_pytorch.Lion")
    assert (lion.lr, lion.beta1, lion.beta2, lion.weight_decay) == (1e-4, 0.9, 0.99, 0.0)
    assert lion.decoupled_weight_decay
    assert from_reference("lion_pytorch.Lion", lr=0.01, weight_decay=0.1).weight_decay == 0.1
    fixed = from_reference(
        "lion_pytorch.Lion", lr=0.01, weight_decay=0.1, decoupled_weight_decay=True
    )
    assert fixed.weight_decay == pytest.approx(10.0)  # lion_pytorch divides by the first lr
    adopt = from_reference("pytorch_optimizer.ADOPT")
    assert (adopt.lr, adopt.beta1, adopt.beta2, adopt.eps) == (1e-3, 0.9, 0.9999, 1e-6)
    assert adopt.clip and not adopt.decoupled_weight_decay
    assert not from_reference("pytorch_optimizer.ADOPT", clip_lambda=None).clip
    mix = from_reference("pytorch_optimizer.AdEMAMix")
    assert (mix.beta1, mix.beta2, mix.beta3, mix.alpha, mix.eps) == (0.9, 0.999, 0.9999, 5.0, 1e-8)
    assert mix.t_alpha_beta3 is None and not mix.decoupled_weight_decay
    lamb = from_reference("pytorch_optimizer.Lamb")
    assert (lamb.lr, lamb.beta1, lamb.beta2, lamb.eps, lamb.clamp) == (1e-3, 0.9, 0.999, 1e-6, 10.0)
    assert lamb.decoupled_weight_decay and lamb.grad_averaging and lamb.trust_ratio
    assert not from_reference("pytorch_optimizer.Lamb", adam=True).trust_ratio


@pytest.mark.parametrize(
    "name,kw,match",
    [
        ("lion_pytorch.Lion", dict(betas=(0.9,)), "betas"),
        ("lion_pytorch.Lion", dict(betas=0.9), "betas"),
        ("lion_pytorch.Lion", dict(betas=(0.9, 1.0)), r"betas\[1\]"),
        ("lion_pytorch.Lion", dict(lr=0.0), "lr"),
        ("lion_pytorch.Lion", dict(lr=0.0, weight_decay=0.1, decoupled_weight_decay=True), "lr"),
        ("lion_pytorch.Lion", dict(weight_decay=-0.1), "weight_decay"),
        ("lion_pytorch.Lion", dict(eps=1e-8), "eps"),
        ("pytorch_optimizer.ADOPT", dict(clip_lambda=lambda step: step), "clip_lambda"),
        ("pytorch_optimizer.ADOPT", dict(weight_decay=0.1, fixed_decay=True), "fixed_decay"),
        ("pytorch_optimizer.ADOPT", dict(cautious=True), "cautious"),
        ("pytorch_optimizer.ADOPT", dict(eps=0.0), "eps"),
        ("pytorch_optimizer.ADOPT", dict(betas=(0.9, 0.99, 0.999)), "betas"),
        ("pytorch_optimizer.AdEMAMix", dict(betas=(0.9, 0.99)), "betas"),
        ("pytorch_optimizer.AdEMAMix", dict(betas=(0.9, 0.99, 1.0)), r"betas\[2\]"),
        ("pytorch_optimizer.AdEMAMix", dict(alpha=-1.0), "alpha"),
        ("pytorch_optimizer.AdEMAMix", dict(t_alpha_beta3=0.0), "t_alpha_beta3"),
        ("pytorch_optimizer.AdEMAMix", dict(weight_decay=0.1, fixed_decay=True), "fixed_decay"),
        ("pytorch_optimizer.AdEMAMix", dict(stable_adamw=True), "stable_adamw"),
        ("pytorch_optimizer.Lamb", dict(rectify=True), "rectify"),
        ("pytorch_optimizer.Lamb", dict(pre_norm=True), "pre_norm"),
        ("pytorch_optimizer.Lamb", dict(weight_decay=0.1, fixed_decay=True), "fixed_decay"),
        ("pytorch_optimizer.Lamb", dict(adanorm=True), "adanorm"),
        ("pytorch_optimizer.Lamb", dict(adam_debias=True), "adam_debias"),
        ("pytorch_optimizer.Lamb", dict(clamp=1.0), "clamp"),
    ],
)
def test_bad_reference_options_are_refused(name, kw, match):
    with pytest.raises(ConfigError, match=match):
        from_reference(name, **kw)


@pytest.mark.parametrize(
    "name,kw,match",
    [
        ("lion", dict(beta1=1.0), "beta1"),
        ("lion", dict(beta2=-0.1), "beta2"),
        ("lion", dict(lr=-1.0), "lr"),
        ("lion", dict(decoupled_weight_decay=False), "decoupled_weight_decay"),
        ("lion", dict(beta1="0.9"), "beta1"),
        ("adopt", dict(eps=0.0), "eps"),
        ("adopt", dict(beta2=1.0), "beta2"),
        ("adopt", dict(clip=1), "clip"),
        ("ademamix", dict(beta3=1.0), "beta3"),
        ("ademamix", dict(beta1=0.0, t_alpha_beta3=100), "beta1"),
        ("ademamix", dict(alpha=True), "alpha"),
        ("lamb", dict(clamp=0.0), "clamp"),
        ("lamb", dict(weight_decay=-1.0), "weight_decay"),
        ("lamb", dict(trust_ratio="no"), "trust_ratio"),
    ],
)
def test_bad_options_are_refused(name, kw, match):
    with pytest.raises(ConfigError, match=match):
        create(name, **kw)


def all_options(name: str, seed: int) -> dict:
    """Every option the tests exercise for ``name`` at once (LAMB's clamp aside)."""
    kw = draw(name, set().union(*VARIANTS[name]), np.random.default_rng(seed))
    kw.pop("clamp", None)
    return kw


def steps(opt, params: dict, grads: list[dict]) -> None:
    for g in grads:
        opt.update(params, g)


def problem(seed: int, n_steps: int):
    rng = np.random.default_rng(seed)
    shapes = [(4, 3), (), (1,), (2, 3, 2)]
    start = {f"w{i}": rng.standard_normal(s) for i, s in enumerate(shapes)}
    grads = [{k: rng.standard_normal(v.shape) for k, v in start.items()} for _ in range(n_steps)]
    return start, grads


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_state_dict_round_trip_mid_run_gives_the_same_next_steps(name):
    kw = all_options(name, 3)
    start, grads = problem(4, 20)
    whole = {k: v.copy() for k, v in start.items()}
    opt = from_reference(name, **kw)
    steps(opt, whole, grads[:10])
    resumed = {k: v.copy() for k, v in whole.items()}
    fresh = from_reference(name, **kw)
    fresh.load_state_dict({k: np.array(v) for k, v in opt.state_dict().items()})
    steps(opt, whole, grads[10:])
    steps(fresh, resumed, grads[10:])
    for k in whole:
        assert np.array_equal(whole[k], resumed[k]), k
        assert not np.array_equal(whole[k], start[k]), k


def root(a: np.ndarray) -> np.ndarray:
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_one_buffer_gives_the_same_bits_as_separate_arrays(name, dtype):
    kw = all_options(name, 6)
    start, grads = problem(7, 30)
    total = sum(v.size for v in start.values())
    pbuf, gbuf = np.empty(total, dtype), np.empty(total, dtype)
    flat, gflat, off = {}, {}, 0
    for k, v in start.items():
        flat[k] = pbuf[off : off + v.size].reshape(v.shape)
        gflat[k] = gbuf[off : off + v.size].reshape(v.shape)
        flat[k][...] = v
        off += v.size
    sep = {k: v.astype(dtype) for k, v in start.items()}
    opt_flat, opt_sep = from_reference(name, **kw), from_reference(name, **kw)
    for g in grads:
        for k in gflat:
            gflat[k][...] = g[k]
        opt_flat.update(flat, gflat)
        opt_sep.update(sep, {k: v.astype(dtype) for k, v in g.items()})
    # the one-pass path lays the state out as views of one buffer; LAMB's trust
    # ratio needs each parameter whole: it is handed one at a time
    field = opt_flat.state_names[0]
    buffers = {id(root(opt_flat.state[k][field])) for k in flat}
    assert (len(buffers) == 1) == (not opt_flat.per_parameter), buffers
    for k in sep:
        assert flat[k].dtype == dtype
        assert np.array_equal(flat[k], sep[k]), k


def test_trainlab_names_build_the_rules_with_the_papers_defaults():
    lion, adopt, mix, lamb = (create(n) for n in ("lion", "adopt", "ademamix", "lamb"))
    assert (lion.lr, lion.beta1, lion.beta2) == (1e-4, 0.9, 0.99)
    assert (adopt.beta2, adopt.eps, adopt.clip) == (0.9999, 1e-6, True)
    assert (mix.beta3, mix.alpha, mix.t_alpha_beta3) == (0.9999, 5.0, None)
    assert (lamb.eps, lamb.clamp, lamb.decoupled_weight_decay) == (1e-6, 10.0, True)
