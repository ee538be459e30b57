"""from_torch('Muon', ...) takes torch.optim.Muon's steps.

PyTorch runs Newton-Schulz in bfloat16, so the bfloat16 form is compared step by
step from the same state (torch's weights and momentum copied into trainlab
before every step): each update within 2^-6 of its size. The exact float form is
compared over 100 steps, to 1e-10, with torch's Muon whose Newton-Schulz is
swapped for the same iteration in float64 (written here; torch has no option
for it).
"""

from __future__ import annotations

import sys

import numpy as np
import pytest
import torch
import torch.optim._muon as torch_muon
from test_optim_flat import flat_views

from trainlab.errors import ConfigError
from trainlab.optim import from_torch
from trainlab.optim.muon import Muon, newton_schulz

STEPS = 100
TOL = 1e-10
BF16_TOL = 2.0**-6


@pytest.fixture(autouse=True)
def float64_torch():
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


# option sets; numbers are drawn, flags name the options covered
VARIANTS = [
    set(),
    {"momentum", "weight_decay"},
    {"nesterov"},
    {"ns_coefficients", "ns_steps"},
    {"eps", "adjust_lr_fn"},
    {"adjust_lr_fn", "nesterov", "momentum"},
]


def draw(flags: set, rng) -> dict:
    values = {
        "momentum": float(rng.uniform(0.5, 0.99)),
        "weight_decay": float(np.exp(rng.uniform(np.log(1e-3), np.log(0.5)))),
        "nesterov": False,
        "ns_coefficients": (3.4445, -4.7750, 2.0315) * rng.uniform(0.9, 1.1, 3),
        "ns_steps": int(rng.integers(1, 8)),
        "eps": float(10 ** rng.uniform(-9, -5)),
        "adjust_lr_fn": str(rng.choice(["original", "match_rms_adamw"])),
    }
    kw = {k: values[k] for k in flags}
    if "ns_coefficients" in kw:
        kw["ns_coefficients"] = tuple(float(v) for v in kw["ns_coefficients"])
    kw["lr"] = float(np.exp(rng.uniform(np.log(1e-3), np.log(0.1))))
    return kw


def random_shapes(rng) -> list[tuple[int, int]]:
    """A 1 x 1, a row, a column, and random wide, tall or square matrices."""
    drawn = [tuple(int(n) for n in rng.integers(1, 49, size=2)) for _ in range(3)]
    return [(1, 1), (1, 5), (6, 1), *drawn]


def ns_float64(grad, ns_coefficients, ns_steps, eps):
    """torch's Newton-Schulz iteration, with the same steps, in float64."""
    a, b, c = ns_coefficients
    X = grad.double()
    tall = grad.size(0) > grad.size(1)
    if tall:
        X = X.T
    X = X / X.norm().clamp(min=eps)
    for _ in range(ns_steps):
        A = X @ X.T
        X = a * X + (b * A + c * (A @ A)) @ X
    return X.T if tall else X


CASES = list(enumerate(VARIANTS))
IDS = ["+".join(sorted(f)) or "defaults" for f in VARIANTS]


@pytest.mark.parametrize("index,flags", CASES, ids=IDS)
def test_bfloat16_steps_match_torch_from_the_same_state(index, flags):
    rng = np.random.default_rng(100 + index)
    kw = draw(flags, rng)
    shapes = random_shapes(rng)
    tparams = [torch.tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]
    topt = torch.optim.Muon(tparams, **kw)
    opt = from_torch("Muon", **kw)
    assert opt.ns_dtype == "bfloat16"
    mine = {f"w{i}": t.detach().numpy().copy() for i, t in enumerate(tparams)}
    worst = 0.0
    for step in range(STEPS):
        for i, t in enumerate(tparams):  # the same state on both sides
            mine[f"w{i}"][...] = t.detach().numpy()
            if step:
                opt.state[f"w{i}"]["B"][...] = topt.state[t]["momentum_buffer"].numpy()
        before = {k: v.copy() for k, v in mine.items()}
        grads = [rng.standard_normal(s) for s in shapes]
        for t, g in zip(tparams, grads, strict=True):
            t.grad = torch.tensor(g)
        topt.step()
        opt.update(mine, {f"w{i}": g for i, g in enumerate(grads)})
        for i, t in enumerate(tparams):
            theirs = t.detach().numpy() - before[f"w{i}"]
            ours = mine[f"w{i}"] - before[f"w{i}"]
            worst = max(worst, np.linalg.norm(ours - theirs) / np.linalg.norm(theirs))
    assert worst <= BF16_TOL, (kw, worst)


@pytest.mark.parametrize("index,flags", CASES, ids=IDS)
def test_float_form_matches_torch_with_float64_newton_schulz(index, flags, monkeypatch):
    monkeypatch.setattr(torch_muon, "_zeropower_via_newtonschulz", ns_float64)
    for draw_no in range(2):
        rng = np.random.default_rng([index, draw_no])
        kw = draw(flags, rng)
        shapes = random_shapes(rng)
        start = [rng.standard_normal(s) for s in shapes]
        tparams = [torch.tensor(a, requires_grad=True) for a in start]
        topt = torch.optim.Muon(tparams, **kw)
        opt = Muon(**{**kw, "adjust_lr_fn": kw.get("adjust_lr_fn", "original")}, ns_dtype="float")
        mine = {f"w{i}": a.copy() for i, a in enumerate(start)}
        worst = 0.0
        for _ in range(STEPS):
            grads = [rng.standard_normal(s) for s in shapes]
            for t, g in zip(tparams, grads, strict=True):
                t.grad = torch.tensor(g)
            topt.step()
            opt.update(mine, {f"w{i}": g for i, g in enumerate(grads)})
            for i, t in enumerate(tparams):
                worst = max(worst, float(np.max(np.abs(t.detach().numpy() - mine[f"w{i}"]))))
        moved = max(float(np.max(np.abs(mine[f"w{i}"] - a))) for i, a in enumerate(start))
        assert moved > 1e-3, "the parameters hardly moved; the comparison would say little"
        assert worst <= TOL, (kw, worst)


@pytest.mark.parametrize("shape", [(3, 8), (8, 3), (5, 5)])
def test_newton_schulz_orthogonalises(shape):
    # with the classic cubic coefficients the iteration converges to U V^T
    M = np.random.default_rng(5).standard_normal(shape)
    U, _, Vt = np.linalg.svd(M, full_matrices=False)
    Q = newton_schulz(M, (1.5, -0.5, 0.0), steps=60, dtype="float")
    np.testing.assert_allclose(Q, U @ Vt, atol=1e-12)
    # Muon's quintic leaves every singular value in about [0.7, 1.2] after five steps
    s = np.linalg.svd(newton_schulz(M, steps=5, dtype="bfloat16"), compute_uv=False)
    assert np.all((s > 0.6) & (s < 1.25)), s


def matrices(seed: int, shapes=((4, 3), (2, 7), (5, 5))):
    rng = np.random.default_rng(seed)
    params = {f"W{i}": rng.standard_normal(s) for i, s in enumerate(shapes)}
    grads = [{k: rng.standard_normal(v.shape) for k, v in params.items()} for _ in range(25)]
    return params, grads


@pytest.mark.parametrize("ns_dtype", ["bfloat16", "float"])
def test_state_dict_round_trip_mid_run_gives_the_same_steps(ns_dtype):
    params, grads = matrices(1)
    a = Muon(lr=0.02, ns_dtype=ns_dtype)
    for g in grads[:5]:
        a.update(params, g)
    saved = {k: np.array(v) for k, v in a.state_dict().items()}
    b = Muon(lr=0.02, ns_dtype=ns_dtype)
    b.load_state_dict(saved)
    other = {k: v.copy() for k, v in params.items()}
    for g in grads[5:15]:
        a.update(params, g)
        b.update(other, g)
    assert all(np.array_equal(params[k], other[k]) for k in params)
    assert a.t == b.t == 15


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_buffer_gives_the_same_bits_as_separate_arrays(dtype):
    params, grads = matrices(2)
    start = {k: v.astype(dtype) for k, v in params.items()}
    _, flat = flat_views(start, dtype)
    gbuf, gflat = flat_views(start, dtype)
    sep = {k: v.copy() for k, v in start.items()}
    opt_flat, opt_sep = Muon(lr=0.02), Muon(lr=0.02)
    for g in grads:
        for k in gflat:
            gflat[k][...] = g[k]
        opt_flat.update(flat, gflat)
        opt_sep.update(sep, {k: v.astype(dtype) for k, v in g.items()})
    for k in start:
        assert flat[k].dtype == dtype
        assert np.array_equal(flat[k], sep[k]), k
        assert not np.array_equal(flat[k], start[k]), k


def test_other_shapes_are_refused_before_anything_changes():
    params = {"W": np.ones((3, 2)), "b": np.zeros(2)}
    grads = {"W": np.ones((3, 2)), "b": np.ones(2)}
    opt = Muon()
    with pytest.raises(ConfigError, match=r"b has shape \(2,\).*partition"):
        opt.update(params, grads)
    assert opt.t == 0 and not opt.state and np.array_equal(params["W"], np.ones((3, 2)))


def test_bfloat16_without_ml_dtypes_names_the_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ml_dtypes", None)  # import now fails
    with pytest.raises(ConfigError, match="pip install ml_dtypes"):
        Muon()  # refused when built, before any step
    params, grads = matrices(3)
    Muon(ns_dtype="float").update(params, grads[0])  # the float form needs nothing


def test_torch_defaults_apply():
    opt = from_torch("Muon")
    assert isinstance(opt, Muon)
    assert (opt.lr, opt.weight_decay, opt.momentum, opt.nesterov) == (1e-3, 0.1, 0.95, True)
    assert (opt.eps, opt.ns_steps, opt.adjust_lr_fn) == (1e-7, 5, "original")
    assert opt.ns_coefficients == (3.4445, -4.7750, 2.0315)
    assert opt.decoupled_weight_decay and opt.per_parameter


@pytest.mark.parametrize(
    "kw,words",
    [
        ({"lr": 0.0}, "lr"),
        ({"momentum": 1.0}, "momentum"),
        ({"weight_decay": -0.1}, "weight_decay"),
        ({"ns_coefficients": (1.0, 2.0)}, "ns_coefficients"),
        ({"ns_steps": 0}, "ns_steps"),
        ({"ns_steps": 100}, "ns_steps"),
        ({"eps": 0.0}, "eps"),
        ({"adjust_lr_fn": "spectral"}, "adjust_lr_fn"),
        ({"ns_dtype": "float16"}, "ns_dtype"),
    ],
)
def test_bad_options_are_refused(kw, words):
    with pytest.raises(ConfigError, match=words):
        Muon(**kw)
