"""The benchmark takes LBFGS, which steps with a closure: on the noisy quadratic
each step is one minibatch (its noise drawn once, held fixed while the rule
evaluates the step's loss again), as a torch loop over the same draws takes it;
on a network each batch is one ``step(closure)``; its grid is centred like the others'."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from trainlab.cli import main
from trainlab.io import read_json
from trainlab.optim import CLOSURE_RULES
from trainlab.tune.problems import NoisyQuadratic


def torch_quadratic(q: NoisyQuadratic, kw: dict, seed: int, epochs: int) -> list[float]:
    """The noise-free loss after each epoch of ``torch.optim.LBFGS`` on the step
    losses ``½ Σ h x² + σ ε·x`` (ε drawn once a step), written out here with their
    analytic gradient ``h x + σ ε`` (as the landscape tests give both sides theirs)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
    h = np.geomspace(q.h_min, q.h_max, q.dim)
    x = torch.tensor(rng.standard_normal(q.dim), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([x], **kw)

    def f(noise):
        now = x.detach().numpy()
        return 0.5 * np.sum(h * now * now) + noise @ now, h * now + noise

    quiet = np.zeros(q.dim)
    scored = [f(quiet)[0]]
    for _ in range(epochs):
        for _ in range(q.steps_per_epoch):
            noise = q.sigma * rng.standard_normal(q.dim)

            def closure(noise=noise):
                loss, grad = f(noise)
                x.grad = torch.tensor(grad, dtype=torch.float64)
                return torch.tensor(loss, dtype=torch.float64)

            opt.step(closure)
        scored.append(f(quiet)[0])
    return scored


# A few iterations a step: with torch's 20 (and the line search) L-BFGS solves each
# step's 20-dimensional quadratic down to the rounding floor, where its next pair of
# differences is made of rounding (torch and NumPy sum a dot product's terms in
# different orders), and the two paths part by 1e-6 within 30 steps: the
# comparison would measure rounding, not the rule.
CASES = [
    {"lr": 0.2, "max_iter": 3, "line_search_fn": None},
    {"lr": 1.0, "max_iter": 2, "line_search_fn": "strong_wolfe"},
]


@pytest.mark.parametrize("kw", CASES, ids=["fixed-step", "strong-wolfe"])
def test_the_quadratic_gives_lbfgs_one_minibatch_per_step(kw):
    q = NoisyQuadratic(steps_per_epoch=10)
    options = {k: v for k, v in kw.items() if k != "lr"}
    mine = q.run("lbfgs", kw["lr"], seed=3, epochs=3, options=options)["val"]
    theirs = torch_quadratic(q, kw, 3, 3)
    assert np.allclose(mine, theirs, rtol=1e-10, atol=1e-12)
    assert mine[-1] < 0.2 * mine[0], "L-BFGS should have come down the bowl"


def test_benchmark_takes_lbfgs_with_a_centred_grid(tmp_path):
    args = [
        "benchmark",
        "--quick",
        "--problems",
        "digits,noisy-quadratic",
        "--optimizers",
        "adamw,lbfgs",
        "--seeds",
        "1",
        "--epochs",
        "2",
        "--quiet",
        "--out",
        str(tmp_path),
    ]
    assert main(args) == 0
    problems = read_json(tmp_path / "metrics.json")["problems"]
    for p in ("digits", "noisy-quadratic"):
        adamw, lbfgs = problems[p]["adamw"], problems[p]["lbfgs"]
        ratio = np.array(lbfgs["sensitivity"]["lr"]) / np.array(adamw["sensitivity"]["lr"])
        assert np.allclose(ratio, CLOSURE_RULES["lbfgs"].lr_vs_adamw, rtol=1e-9)
        assert any(v is not None for v in lbfgs["sensitivity"]["val"])
