"""Each rule's typical learning rate relative to AdamW's, measured on the
benchmark's built-in problems.

For every problem, seed and rule: the benchmark's lr phase (the same
``problem.run`` and :func:`~trainlab.tune.plan.rule_options` as
``trainlab benchmark``, default options, the problem's final validation
metric) on a log grid with a point every decade from ``LOW`` to ``HIGH``,
then the quarter-decade points within ¾ of a decade of the best. The best lr of the
rule divided by AdamW's best lr on the same problem and seed is one ratio;
the printed value is the geometric mean of the ratios over problems and
seeds, rounded to a power of ten's thirds (1, 2, 5 steps read too much into
two seeds). Diverged runs count as the worst.

Run (quick problems, two seeds; a few minutes on one core)::

    PYTHONPATH=src nice -n 10 python benchmarks/bench_relative_lr.py [rule ...]

It prints a Markdown table and ``rule: value`` lines for the rule classes'
``lr_vs_adamw``.
"""

from __future__ import annotations

import math
import sys

import numpy as np

from trainlab.errors import DivergenceError
from trainlab.kernels.threads import one_blas_thread
from trainlab.optim import RULES
from trainlab.tune.plan import rule_options
from trainlab.tune.problems import make_problem

PROBLEMS = ("digits", "noisy-quadratic")  # fashion-mnist needs its files
SEEDS = (0, 1)
LOW, HIGH = -5, 1  # decades of the coarse grid: 1e-5 .. 10
EPOCHS = 4  # --quick


def score(problem, rule: str, lr: float, seed: int) -> float:
    """The final validation metric, higher is better (a loss negated); -inf if it diverged."""
    opts = rule_options(rule, {"lr": lr})
    opts.pop("lr")
    try:
        with one_blas_thread(), np.errstate(all="ignore"):
            val = problem.run(rule, lr, seed, EPOCHS, options=opts)["val"][-1]
    except (DivergenceError, FloatingPointError, OverflowError):
        return -math.inf
    if val is None or not math.isfinite(val):
        return -math.inf
    return val if problem.metric == "accuracy" else -val


def best_lr(problem, rule: str, seed: int) -> float:
    """The best rate of the decade grid refined by quarter decades (ties: the smaller)."""
    tried: dict[float, float] = {}
    for e in range(LOW, HIGH + 1):
        tried[10.0**e] = score(problem, rule, 10.0**e, seed)
    centre = max(tried, key=lambda lr: (tried[lr], -lr))
    for k in (-3, -2, -1, 1, 2, 3):
        tried[centre * 10 ** (k / 4)] = score(problem, rule, centre * 10 ** (k / 4), seed)
    return max(tried, key=lambda lr: (tried[lr], -lr))


def rounded(ratio: float) -> float:
    """``ratio`` to the nearest of 1, 2, 5 times a power of ten (on a log scale)."""
    steps = [m * 10.0**k for k in range(-5, 5) for m in (1, 2, 5)]
    return min(steps, key=lambda s: abs(math.log(s / ratio)))


def main(rules: list[str]) -> None:
    problems = {name: make_problem(name, quick=True) for name in PROBLEMS}
    for p in problems.values():
        if hasattr(p, "dataset"):
            p.dataset()
    adamw = {(n, s): best_lr(p, "adamw", s) for n, p in problems.items() for s in SEEDS}
    print("| rule | " + " | ".join(f"{n} seed {s}" for n, s in adamw) + " | lr_vs_adamw |")
    print("|---" * (len(adamw) + 2) + "|")
    print("| adamw | " + " | ".join(f"{v:.2g}" for v in adamw.values()) + " | 1 |", flush=True)
    lines = []
    for rule in rules:
        best = {(n, s): best_lr(p, rule, s) for n, p in problems.items() for s in SEEDS}
        ratios = [best[k] / adamw[k] for k in best]
        typical = rounded(math.exp(np.mean(np.log(ratios))))
        cells = " | ".join(f"{v:.2g}" for v in best.values())
        print(f"| {rule} | {cells} | {typical:g} |", flush=True)
        lines.append(f"{rule}: {typical:g}")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:] or [r for r in RULES if r != "adamw"])
