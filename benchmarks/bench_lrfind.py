"""The learning-rate finder against the benchmark's tuned rate
(``python benchmarks/bench_lrfind.py [PROBLEM ...] [--rules sgd,adam]``).

For each problem of ``trainlab benchmark`` (digits; Fashion-MNIST's subsample,
from ``../shared/data/fashion-mnist``) and each rule: the benchmark's protocol
picks the rate on the grid 1e-4..1 (9 points, seed 0, final validation
accuracy), then reruns it with seeds 1..3 for the test accuracy; the finder
(``trainlab.lrfind``, 200 steps, 3 seeds) sweeps the same network and data,
and its interval's geometric middle is trained with the same seeds. Prints a
table (and the JSON on stderr); the finder's own seconds are its sweeps alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from trainlab.errors import DivergenceError
from trainlab.train.lrfind import lrfind
from trainlab.tune.problems import PROBLEMS

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "fashion-mnist"
GRID = [10 ** (-4 + k / 2) for k in range(9)]
EPOCHS, SEEDS = 20, (1, 2, 3)


def score(problem, rule, lr, seed, test=False) -> float:
    try:
        r = problem.run(rule, lr, seed, EPOCHS, test=test)
    except DivergenceError:
        return 0.0
    return r["test"] if test else r["val"][-1]


def compare(problem, rule) -> dict:
    (x, t), _, _, info = problem.dataset()
    net = problem.network(x.shape[1], info["n_outputs"], np.random.default_rng(0))
    start = time.perf_counter()
    found = lrfind(net, x, t, rule)
    seconds = time.perf_counter() - start
    val = {lr: score(problem, rule, lr, 0) for lr in GRID}
    tuned = max(val, key=val.get)
    acc_tuned = [score(problem, rule, tuned, s, True) for s in SEEDS]
    acc_found = [score(problem, rule, found.middle, s, True) for s in SEEDS]
    return {
        "problem": problem.name,
        "rule": rule,
        "tuned_lr": tuned,
        "tuned_test": float(np.mean(acc_tuned)),
        "interval": list(found.interval),
        "middle": found.middle,
        "spread_decades": found.spread,
        "middle_test": float(np.mean(acc_found)),
        "finder_seconds": seconds,
    }


def main(argv=None) -> None:
    p = argparse.ArgumentParser()
    p.add_argument("problems", nargs="*", default=["digits", "fashion-mnist"])
    p.add_argument("--rules", default="sgd,adam")
    args = p.parse_args(argv)
    rows = []
    print(
        "| problem | rule | tuned lr | its test acc | finder interval | middle | its test acc "
        "| difference (points) | finder s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.problems:
        problem = PROBLEMS[name]
        if name == "fashion-mnist":
            problem = replace(problem, data_dir=str(DATA.resolve()))
        for rule in args.rules.split(","):
            r = compare(problem, rule)
            rows.append(r)
            lo, hi = r["interval"]
            diff = 100 * (r["middle_test"] - r["tuned_test"])
            print(
                f"| {name} | {rule} | {r['tuned_lr']:.3g} | {r['tuned_test']:.4f} | "
                f"{lo:.3g}–{hi:.3g} | {r['middle']:.3g} | {r['middle_test']:.4f} | "
                f"{diff:+.2f} | {r['finder_seconds']:.1f} |",
                flush=True,
            )
    json.dump(rows, sys.stderr)


if __name__ == "__main__":
    main()
