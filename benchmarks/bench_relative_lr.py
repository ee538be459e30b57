"""Each rule's typical learning rate relative to AdamW's, measured on the
benchmark's built-in problems at the notes' length of training.

For every problem, seed and rule: the benchmark's lr phase (the same
``problem.run`` and :func:`~trainlab.tune.plan.rule_options` as
``trainlab benchmark``, default options, the problem's final validation
metric after ``--epochs``) on a log grid with a point every decade from
``LOW`` to ``HIGH``, then the quarter-decade points within ¾ of a decade of
the best. The best lr of the rule divided by AdamW's best lr on the same
problem and seed is one ratio; a problem's ratio is the geometric mean over
its seeds, and the printed value the geometric mean over problems (each
problem counts once), rounded to 1, 2 or 5 times a power of ten (finer steps
read too much into a few seeds). Diverged runs count as the worst.

The defaults are the measurement stored as the rule classes' ``lr_vs_adamw``:
the notes' network on the full digits problem and on Fashion-MNIST's
``--quick`` subset (the full one costs five times more), and the noisy
quadratic, 10 epochs as the notes train, seeds 0–2. Each best lr is appended
to ``--log`` as a JSON line, so the problems can run in separate processes
(the stored values: about 25 minutes on 2 shared cores) and ``--combine``
prints the table from the logs::

    PYTHONPATH=src nice -n 10 python benchmarks/bench_relative_lr.py \\
        --problems digits,noisy-quadratic --log a.jsonl
    PYTHONPATH=src nice -n 10 python benchmarks/bench_relative_lr.py \\
        --problems fashion-mnist --log b.jsonl
    python benchmarks/bench_relative_lr.py --combine a.jsonl b.jsonl

It prints a Markdown table and ``rule: value`` lines for the rule classes'
``lr_vs_adamw``.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from pathlib import Path

import numpy as np

from trainlab.errors import DivergenceError
from trainlab.kernels.threads import one_blas_thread
from trainlab.optim import CLOSURE_RULES, RULES
from trainlab.tune.plan import rule_options
from trainlab.tune.problems import make_problem

PROBLEMS = ("digits", "fashion-mnist", "noisy-quadratic")
NAMES = [*RULES, *CLOSURE_RULES]  # every rule, LBFGS with its torch defaults too
SEEDS = (0, 1, 2)
LOW, HIGH = -5, 1  # decades of the coarse grid: 1e-5 .. 10
EPOCHS = 10  # the notes' length of training
DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"


def score(problem, rule: str, lr: float, seed: int, epochs: int) -> float:
    """The final validation metric, higher is better (a loss negated); -inf if it diverged."""
    opts = rule_options(rule, {"lr": lr})
    opts.pop("lr")
    try:
        with one_blas_thread(), np.errstate(all="ignore"):
            val = problem.run(rule, lr, seed, epochs, options=opts)["val"][-1]
    except (DivergenceError, FloatingPointError, OverflowError):
        return -math.inf
    if val is None or not math.isfinite(val):
        return -math.inf
    return val if problem.metric == "accuracy" else -val


def best_lr(problem, rule: str, seed: int, epochs: int) -> float:
    """The best rate of the decade grid refined by quarter decades (ties: the smaller)."""
    tried: dict[float, float] = {}
    for e in range(LOW, HIGH + 1):
        tried[10.0**e] = score(problem, rule, 10.0**e, seed, epochs)
    centre = max(tried, key=lambda lr: (tried[lr], -lr))
    for k in (-3, -2, -1, 1, 2, 3):
        lr = centre * 10 ** (k / 4)
        tried[lr] = score(problem, rule, lr, seed, epochs)
    return max(tried, key=lambda lr: (tried[lr], -lr))


def rounded(ratio: float) -> float:
    """``ratio`` to the nearest of 1, 2, 5 times a power of ten (on a log scale)."""
    steps = [m * 10.0**k for k in range(-5, 5) for m in (1, 2, 5)]
    return min(steps, key=lambda s: abs(math.log(s / ratio)))


def geomean(values) -> float:
    return math.exp(float(np.mean(np.log(list(values)))))


def measure(args, rules: list[str]) -> None:
    """Append ``{"problem", "seed", "rule", "lr"}`` lines to ``args.log``, AdamW first."""
    with open(args.log, "a", encoding="utf-8") as log:
        for name in args.problems:
            quick = name in args.quick
            problem = make_problem(name, quick=quick, data_dir=str(args.data_dir))
            if hasattr(problem, "dataset"):
                problem.dataset()
            for seed in args.seeds:
                for rule in ["adamw", *rules]:
                    lr = best_lr(problem, rule, seed, args.epochs)
                    cell = {"problem": name, "seed": seed, "rule": rule, "lr": lr}
                    log.write(json.dumps(cell) + "\n")
                    log.flush()
                    print(cell, flush=True)


def factors(cells: list[dict]) -> tuple[dict, dict]:
    """Each rule's ratios per problem (over its seeds) and its rounded ``lr_vs_adamw``."""
    adamw = {(c["problem"], c["seed"]): c["lr"] for c in cells if c["rule"] == "adamw"}
    ratios: dict = defaultdict(lambda: defaultdict(list))
    for c in cells:
        ratios[c["rule"]][c["problem"]].append(c["lr"] / adamw[c["problem"], c["seed"]])
    per_problem = {
        rule: {p: geomean(r) for p, r in by_problem.items()} for rule, by_problem in ratios.items()
    }
    typical = {rule: rounded(geomean(by.values())) for rule, by in per_problem.items()}
    return per_problem, typical


def combine(logs: list[str]) -> None:
    """Print the Markdown table and the ``rule: value`` lines from the logs."""
    cells = [json.loads(line) for log in logs for line in Path(log).read_text().splitlines()]
    per_problem, typical = factors(cells)
    problems = sorted({c["problem"] for c in cells})
    adamw = defaultdict(list)
    for c in cells:
        if c["rule"] == "adamw":
            adamw[c["problem"]].append(c["lr"])
    print("| rule | " + " | ".join(problems) + " | `lr_vs_adamw` |")
    print("|---" * (len(problems) + 2) + "|")
    best = " | ".join(f"{geomean(adamw[p]):.2g}" for p in problems)
    print(f"| AdamW's best lr | {best} | 1 |")
    for rule in [r for r in NAMES if r in per_problem and r != "adamw"]:
        cells_ = " | ".join(f"{per_problem[rule].get(p, math.nan):.2g}" for p in problems)
        print(f"| {rule} | {cells_} | {typical[rule]:g} |")
    print("\n".join(f"{rule}: {typical[rule]:g}" for rule in NAMES if rule in typical))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rules", nargs="*", help="rules to measure (default: every rule)")
    parser.add_argument("--problems", type=lambda s: s.split(","), default=list(PROBLEMS))
    parser.add_argument("--seeds", type=lambda s: [int(x) for x in s.split(",")], default=SEEDS)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument(
        "--quick",
        type=lambda s: s.split(","),
        default=["fashion-mnist"],
        help="problems run on their --quick subsets (default fashion-mnist)",
    )
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--log", default="relative_lr.jsonl", help="JSON lines appended here")
    parser.add_argument("--combine", nargs="+", metavar="LOG", help="only print the table")
    args = parser.parse_args()
    if args.combine:
        combine(args.combine)
        return
    measure(args, args.rules or [r for r in NAMES if r != "adamw"])
    combine([args.log])


if __name__ == "__main__":
    main()
