"""from_torch(name, **kw) takes the same steps as torch.optim.<name>(params, **kw).

PyTorch (CPU) runs beside trainlab: random shapes (a 0-d parameter included),
random hyperparameters drawn from a seeded generator, random gradients fed to
both, float64, 100 steps; the largest difference must stay below 1e-10.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from lockstep import lockstep

from trainlab.errors import ConfigError
from trainlab.optim import SGD, Adam, AdamW, Momentum, Nesterov, from_torch

STEPS = 100
TOL = 1e-10


@pytest.fixture(autouse=True)
def float64_torch():
    # torch keeps scalar state (NAdam's mu_product, step counts) in the default
    # float dtype; make that float64 too, so both sides compute in float64
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def loguniform(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def betas(rng):
    return (float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.9, 0.9999)))


# name -> list of option sets; numbers are drawn, flags name the options covered
VARIANTS = {
    "SGD": [
        {},
        {"momentum"},
        {"momentum", "dampening"},
        {"momentum", "nesterov"},
        {"momentum", "weight_decay", "maximize"},
        {"weight_decay"},
    ],
    "Adagrad": [
        {},
        {"lr_decay"},
        {"initial_accumulator_value", "eps"},
        {"lr_decay", "initial_accumulator_value", "weight_decay", "maximize"},
    ],
    "RMSprop": [
        {},
        {"alpha", "eps"},
        {"centered"},
        {"momentum"},
        {"centered", "momentum"},
        {"centered", "momentum", "weight_decay", "maximize"},
    ],
    "Adadelta": [{}, {"lr", "rho", "eps"}, {"weight_decay", "maximize"}],
    "Adam": [
        {},
        {"betas", "eps"},
        {"amsgrad"},
        {"weight_decay"},
        {"amsgrad", "weight_decay"},
        {"decoupled_weight_decay", "weight_decay", "maximize"},
    ],
    "AdamW": [{}, {"betas", "eps", "weight_decay"}, {"amsgrad", "weight_decay"}, {"maximize"}],
    "NAdam": [
        {},
        {"betas", "momentum_decay"},
        {"weight_decay"},
        {"weight_decay", "decoupled_weight_decay"},
        {"maximize"},
    ],
    "RAdam": [
        {},
        {"betas", "eps"},
        {"weight_decay"},
        {"weight_decay", "decoupled_weight_decay", "maximize"},
    ],
}


def draw(name: str, flags: set, rng) -> dict:
    """Random values for the options in ``flags`` (the rest keep torch's defaults)."""
    values = {
        "lr": loguniform(rng, 1e-3, 1e-1) if name != "Adadelta" else rng.uniform(0.2, 2.0),
        "momentum": rng.uniform(0.5, 0.99),
        "dampening": rng.uniform(0.05, 0.9),
        "nesterov": True,
        "weight_decay": loguniform(rng, 1e-4, 1e-1),
        "maximize": True,
        "lr_decay": loguniform(rng, 1e-3, 1e-1),
        "initial_accumulator_value": rng.uniform(0.01, 1.0),
        "eps": loguniform(rng, 1e-10, 1e-3),
        "alpha": rng.uniform(0.8, 0.999),
        "centered": True,
        "rho": rng.uniform(0.5, 0.99),
        "betas": betas(rng),
        "amsgrad": True,
        "decoupled_weight_decay": True,
        "momentum_decay": loguniform(rng, 1e-3, 1e-1),
    }
    kw = {k: values[k] for k in flags}
    if name != "Adadelta" or "lr" in flags:
        kw["lr"] = values["lr"]  # always a drawn rate, except Adadelta's default 1.0
    return {k: (float(v) if isinstance(v, (float, np.floating)) else v) for k, v in kw.items()}


def random_shapes(rng):
    shapes = [()]  # a 0-d parameter every time
    for _ in range(rng.integers(2, 4)):
        shapes.append(tuple(int(d) for d in rng.integers(1, 6, size=rng.integers(1, 4))))
    return shapes


def run_both(name: str, kw: dict, seed: int, new_lr: float | None = None) -> float:
    """Max |trainlab - torch| over all parameters and steps."""
    rng = np.random.default_rng(seed)
    shapes = random_shapes(rng)
    start = [rng.standard_normal(s) for s in shapes]
    tparams = [torch.tensor(a, requires_grad=True) for a in start]
    topt = getattr(torch.optim, name)(tparams, **kw)
    opt = from_torch(name, **kw)
    return lockstep(topt, tparams, opt, start, rng, STEPS, new_lr)


CASES = [
    (name, i, flags) for name, variants in VARIANTS.items() for i, flags in enumerate(variants)
]


@pytest.mark.parametrize(
    "name,index,flags", CASES, ids=[f"{n}-{'+'.join(sorted(f)) or 'defaults'}" for n, _, f in CASES]
)
def test_matches_torch(name, index, flags):
    for draw_no in range(2):  # two independent draws of every option set
        seed = 1000 * index + draw_no + 17 * len(name)
        kw = draw(name, flags, np.random.default_rng(seed))
        worst = run_both(name, kw, seed)
        assert worst <= TOL, (kw, worst)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_lr_changed_mid_run_matches_torch(name):
    kw = draw(name, set(), np.random.default_rng(5))
    if name == "SGD":
        kw.update(momentum=0.9)  # the case where rescaling matters
    new_lr = kw.get("lr", 1.0) * 0.3
    assert run_both(name, kw, seed=99, new_lr=new_lr) <= TOL


def test_torch_defaults_apply():
    assert from_torch("SGD").lr == 1e-3
    assert from_torch("Adam").lr == 1e-3 and from_torch("Adam").eps == 1e-8
    assert from_torch("Adagrad").eps == 1e-10
    assert from_torch("Adadelta").lr == 1.0
    assert from_torch("NAdam").lr == 2e-3
    w = from_torch("AdamW")
    assert w.weight_decay == 1e-2 and w.decoupled_weight_decay
    assert isinstance(w, AdamW)
    a = from_torch("Adam", betas=(0.8, 0.95), weight_decay=0.1)
    assert (a.beta1, a.beta2, a.eps_placement) == (0.8, 0.95, "torch")
    assert not a.decoupled_weight_decay
    assert from_torch("RMSprop", alpha=0.9).decay_rate == 0.9


def test_implementation_options_are_ignored():
    kw = dict(lr=0.01, foreach=False, capturable=False, differentiable=False)
    assert run_both("Adam", kw, seed=4) <= TOL
    assert run_both("SGD", dict(lr=0.01, momentum=0.5, fused=None, foreach=None), seed=4) <= TOL


def test_unknown_name_or_option_lists_the_valid_ones():
    with pytest.raises(ConfigError, match="Adam.*RAdam"):
        from_torch("SparseAdam")
    with pytest.raises(ConfigError, match="nesterov") as err:
        from_torch("SGD", lr=0.1, betas=(0.9, 0.99))
    assert "betas" in str(err.value)
    with pytest.raises(ConfigError, match="betas"):
        from_torch("Adam", betas=0.9)
    with pytest.raises(ConfigError, match=r"betas\[1\]"):
        from_torch("Adam", betas=(0.9, 1.0))


def test_notes_momentum_keeps_old_lr_inside_v_but_torch_form_rescales():
    """With a constant lr the notes' Momentum/Nesterov equal torch's SGD; after an
    lr change only the PyTorch-form SGD does, the notes' v still holds the old lr."""
    rng = np.random.default_rng(0)
    start = rng.standard_normal(6)
    grads = [rng.standard_normal(6) for _ in range(40)]

    def torch_path(nesterov, change):
        t = torch.tensor(start, requires_grad=True)
        opt = torch.optim.SGD([t], lr=0.1, momentum=0.9, nesterov=nesterov)
        for i, g in enumerate(grads):
            if change and i == 20:
                opt.param_groups[0]["lr"] = 0.02
            t.grad = torch.tensor(g)
            opt.step()
        return t.detach().numpy()

    def ours(opt, change):
        p = {"w": start.copy()}
        for i, g in enumerate(grads):
            if change and i == 20:
                opt.lr = 0.02
            opt.update(p, {"w": g})
        return p["w"]

    def notes_momentum_reference(change):  # v <- a v - lr g, W <- W + v, written out
        w, v, lr = start.copy(), np.zeros(6), 0.1
        for i, g in enumerate(grads):
            lr = 0.02 if change and i == 20 else lr
            v = 0.9 * v - lr * g
            w = w + v
        return w

    for nesterov, notes_cls in ((False, Momentum), (True, Nesterov)):
        const = torch_path(nesterov, False)
        assert np.max(np.abs(ours(notes_cls(lr=0.1, momentum=0.9), False) - const)) < TOL
        changed = torch_path(nesterov, True)
        torch_form = SGD(lr=0.1, momentum=0.9, nesterov=nesterov)
        assert np.max(np.abs(ours(torch_form, True) - changed)) < TOL
        # the notes' form differs after the change: its velocity carries lr=0.1
        assert np.max(np.abs(ours(notes_cls(lr=0.1, momentum=0.9), True) - changed)) > 1e-3
    np.testing.assert_allclose(
        ours(Momentum(lr=0.1, momentum=0.9), True),
        notes_momentum_reference(True),
        rtol=0,
        atol=1e-12,
    )


def test_notes_adam_eps_differs_from_torch_adam_eps():
    """Same betas, same eps: the notes' placement is not torch's, torch's is."""
    kw = dict(lr=0.05, betas=(0.9, 0.999), eps=1e-3)
    rng = np.random.default_rng(1)
    start, grads = rng.standard_normal(5), [0.01 * rng.standard_normal(5) for _ in range(30)]
    t = torch.tensor(start, requires_grad=True)
    topt = torch.optim.Adam([t], **kw)
    notes = Adam(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-3)
    torch_form = Adam(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-3, eps_placement="torch")
    pn, pt = {"w": start.copy()}, {"w": start.copy()}
    for g in grads:
        t.grad = torch.tensor(g)
        topt.step()
        notes.update(pn, {"w": g})
        torch_form.update(pt, {"w": g})
    ref = t.detach().numpy()
    assert np.max(np.abs(pt["w"] - ref)) < TOL
    assert np.max(np.abs(pn["w"] - ref)) > 1e-4
