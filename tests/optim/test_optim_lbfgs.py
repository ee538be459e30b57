"""from_torch('LBFGS', ...) takes the same steps as torch.optim.LBFGS, with and without
the strong-Wolfe line search, in float64: on the landscape functions (both sides get
the function's analytic gradient) and on a small network (trainlab's MultiLayerNet
against the same network written in torch, gradients by autograd)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch_lbfgs import torch_landscape_steps

from trainlab.data.digits import read_digits
from trainlab.errors import ConfigError
from trainlab.landscape.functions import FUNCTIONS, get_function
from trainlab.nn import MultiLayerNet
from trainlab.optim import from_torch
from trainlab.optim.lbfgs import LBFGS

TOL = 1e-10
SEARCHES = [None, "strong_wolfe"]


@pytest.fixture(autouse=True)
def float64_torch():
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


def draw(rng, line_search_fn) -> dict:
    """Random torch options; every option is drawn in some of the cases."""
    kw = {
        "lr": float(np.exp(rng.uniform(np.log(0.05), np.log(1.0)))),
        "max_iter": int(rng.integers(1, 25)),
        "history_size": int(rng.integers(1, 12)),
        "line_search_fn": line_search_fn,
    }
    if rng.random() < 0.5:
        kw["max_eval"] = int(rng.integers(1, 40))
    if rng.random() < 0.5:
        kw["tolerance_grad"] = float(10 ** rng.uniform(-9, -5))
    if rng.random() < 0.5:
        kw["tolerance_change"] = float(10 ** rng.uniform(-12, -7))
    return kw


def landscape_run(name: str, kw: dict, start, steps: int) -> tuple[float, float]:
    """(largest difference of x, y and the loss over the steps, relative where they
    exceed 1, as on a function unbounded below; the distance moved)."""
    f = get_function(name)
    theirs = torch_landscape_steps(f, kw, start, steps)
    params = {"x": np.array(float(start[0])), "y": np.array(float(start[1]))}

    def closure():
        x, y = float(params["x"]), float(params["y"])
        gx, gy = f.grad(x, y)
        return f.value(x, y), {"x": np.array(float(gx)), "y": np.array(float(gy))}

    opt = from_torch("LBFGS", **kw)
    worst = 0.0
    with np.errstate(all="ignore"):
        for now in theirs:
            mine = opt.step(params, closure)
            diff = np.abs(now - [params["x"], params["y"], mine]) / np.maximum(1, np.abs(now))
            worst = max(worst, *diff)
    moved = float(np.hypot(params["x"] - start[0], params["y"] - start[1]))
    return worst, moved


NAMES = sorted(set(FUNCTIONS) - {"notes"})  # 'notes' is the bowl again
# Not the saddle with the line search: it is unbounded below, so the search
# extrapolates tenfold again and again, and the cubic through two points of its
# quadratic slice is degenerate (d2^2 = d1^2 - g1 g2 cancels to rounding), so
# torch's fused p + t*d (one rounding, where NumPy rounds twice) flips the choice
# between the interval's ends within the first step.
CASES = [(n, s) for n in NAMES for s in SEARCHES if (n, s) != ("saddle", "strong_wolfe")]


@pytest.mark.parametrize("name,search", CASES, ids=[f"{n}-{s or 'fixed'}" for n, s in CASES])
def test_landscape_matches_torch(name, search):
    f = get_function(name)
    (x0, x1), (y0, y1) = f.window
    rng = np.random.default_rng([len(name), SEARCHES.index(search)])
    starts = [f.start] + [(rng.uniform(x0, x1), rng.uniform(y0, y1)) for _ in range(2)]
    moved = 0.0
    for i, start in enumerate(starts):
        kw = draw(np.random.default_rng([i, len(name), SEARCHES.index(search)]), search)
        if name == "rosenbrock" and search is None:
            kw["lr"] = min(kw["lr"], 0.01)  # larger fixed steps leave the valley for inf
        worst, dist = landscape_run(name, kw, start, steps=8)
        assert worst <= TOL, (start, kw, worst)
        moved = max(moved, dist)
    assert moved > 1e-2, "the points hardly moved; the comparison would say little"


def test_line_search_that_narrows_its_bracket_to_nothing_matches_torch():
    # from this start on Rastrigin the zoom shrinks its bracket below 1e-9 and stops there
    kw = dict(lr=1.0, history_size=5, line_search_fn="strong_wolfe")
    kw.update(tolerance_grad=1e-12, tolerance_change=1e-14)
    worst, moved = landscape_run("rastrigin", kw, (4.2252486004826695, 2.722991285646053), 8)
    assert worst <= TOL and moved > 1e-2, (worst, moved)


def digits_rows(n: int = 60):
    images, labels = read_digits()
    return images[:n].reshape(n, -1).astype(np.float64) / 16.0, labels[:n].astype(np.int64)


@pytest.mark.parametrize("search", SEARCHES, ids=["fixed-step", "strong-wolfe"])
def test_small_network_matches_torch(search):
    x, t = digits_rows()
    rng = np.random.default_rng(4)
    net = MultiLayerNet(64, [10], 10, activation="tanh", dtype=np.float64, rng=rng)
    tparams = [torch.tensor(p.copy(), requires_grad=True) for p in net.params.values()]
    W1, b1, W2, b2 = tparams
    kw = {"lr": 0.5 if search is None else 1.0, "max_iter": 10, "history_size": 7}
    topt = torch.optim.LBFGS(tparams, line_search_fn=search, **kw)
    tx, tt = torch.tensor(x), torch.tensor(t)

    def torch_closure():
        topt.zero_grad()
        loss = torch.nn.functional.cross_entropy(torch.tanh(tx @ W1 + b1) @ W2 + b2, tt)
        loss.backward()
        return loss

    def closure():
        grads = net.gradient(x, t)
        return net.last_loss, grads

    opt = from_torch("LBFGS", line_search_fn=search, **kw)
    first = net.loss(x, t)
    worst = 0.0
    for _ in range(6):
        theirs = float(topt.step(torch_closure).detach())
        mine = opt.step(net.params, closure)
        worst = max(worst, abs(theirs - mine))
        for p, tp in zip(net.params.values(), tparams, strict=True):
            worst = max(worst, float(np.max(np.abs(p - tp.detach().numpy()))))
    assert worst <= TOL, worst
    assert net.loss(x, t) < 0.5 * first, "L-BFGS should have trained the network"


def test_state_dict_round_trip_mid_run_gives_the_same_steps():
    f = get_function("rosenbrock")

    def run(opt, params, steps):
        def closure():
            x, y = float(params["x"]), float(params["y"])
            gx, gy = f.grad(x, y)
            return f.value(x, y), {"x": np.array(gx), "y": np.array(gy)}

        for _ in range(steps):
            opt.step(params, closure)

    kw = dict(lr=1.0, max_iter=3, history_size=4, line_search_fn="strong_wolfe")
    a, pa = LBFGS(**kw), {"x": np.array(-1.2), "y": np.array(1.0)}
    run(a, pa, 4)
    saved = {k: np.array(v) for k, v in a.state_dict().items()}
    assert all(isinstance(v, np.ndarray) and v.dtype.kind in "iuf" for v in saved.values())
    b, pb = LBFGS(**kw), {k: v.copy() for k, v in pa.items()}
    b.load_state_dict(saved)
    run(a, pa, 10)
    run(b, pb, 10)
    assert all(np.array_equal(pa[k], pb[k]) for k in pa)
    assert a.n_iter == b.n_iter and a.func_evals == b.func_evals
    fresh = LBFGS(**kw).state_dict()
    assert set(fresh) == {"lr", "func_evals", "n_iter", "t", "prev_loss", "H_diag"}


def test_torch_defaults_apply():
    opt = from_torch("LBFGS")
    assert isinstance(opt, LBFGS)
    assert opt.hyperparameters() == dict(
        lr=1.0,
        max_iter=20,
        max_eval=25,
        tolerance_grad=1e-7,
        tolerance_change=1e-9,
        history_size=100,
        line_search_fn=None,
    )
    assert from_torch("LBFGS", max_iter=8).max_eval == 10


@pytest.mark.parametrize(
    "kw,words",
    [
        ({"lr": 0.0}, "lr"),
        ({"max_iter": 0}, "max_iter"),
        ({"max_eval": 2.5}, "max_eval"),
        ({"history_size": -1}, "history_size"),
        ({"tolerance_grad": -1e-3}, "tolerance_grad"),
        ({"line_search_fn": "backtracking"}, "line_search_fn"),
    ],
)
def test_bad_options_are_refused(kw, words):
    with pytest.raises(ConfigError, match=words):
        from_torch("LBFGS", **kw)


def test_a_closure_with_other_keys_is_refused():
    params = {"w": np.ones(2)}
    with pytest.raises(ConfigError, match="expected"):
        LBFGS().step(params, lambda: (1.0, {"v": np.ones(2)}))
