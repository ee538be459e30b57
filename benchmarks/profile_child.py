"""Where the time of one training step goes (run by bench_profile.py).

Usage: profile_child.py SRC DATA_FOLDER — SRC is the ``src`` folder of the
trainlab to profile (this checkout, or an older one to compare with).
Prints one JSON object.
"""

import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from collections import defaultdict
from itertools import cycle
from pathlib import Path

sys.path.insert(0, sys.argv[1])
sys.path.insert(1, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402 (after sys.path names the tree)
import sides  # noqa: E402 (after sys.path names the tree)

from trainlab.nn import MultiLayerNet  # noqa: E402 (after sys.path names the tree)
from trainlab.optim import Adam  # noqa: E402 (after sys.path names the tree)

SIZES, BATCH = (784, 100, 100, 100, 100, 10), 128


def main():
    x, t, idx = sides.load_batches(sys.argv[2], BATCH)
    net = MultiLayerNet(784, [100] * 4, 10, rng=np.random.default_rng(0))
    opt = Adam()
    it = cycle(idx)
    xb, tb = x[idx[0]], t[idx[0]]
    grads = net.gradient(xb, tb)
    gemm = sides.gemm_step(SIZES, BATCH, first_dx=False)

    def step(n):
        for _ in range(n):
            i = next(it)
            opt.update(net.params, net.gradient(x[i], t[i]))

    def repeat(fn):
        def run(n):
            for _ in range(n):
                fn()

        return run

    def gather():
        i = next(it)
        return x[i], t[i]

    phases = {
        "batch gather (x[idx], t[idx])": repeat(gather),
        "forward (net.loss, train mode)": repeat(lambda: net.loss(xb, tb, train_flg=True)),
        "forward + backward (net.gradient)": repeat(lambda: net.gradient(xb, tb)),
        "optimizer (Adam.update)": repeat(lambda: opt.update(net.params, grads)),
        "matrix products alone (the 14 the step needs)": gemm,
        "whole step": step,
    }
    for fn in phases.values():
        fn(50)
    samples = defaultdict(list)
    for r in range(15):
        for name, fn in phases.items() if r % 2 == 0 else reversed(phases.items()):
            t0 = time.perf_counter()
            fn(100)
            samples[name].append((time.perf_counter() - t0) / 100)
    us = {k: statistics.median(v) * 1e6 for k, v in samples.items()}

    # per layer: wrap every forward/backward with a timer
    acc = defaultdict(float)

    def wrap(obj, method, label):
        f = getattr(obj, method)

        def timed(*a, **k):
            t0 = time.perf_counter()
            out = f(*a, **k)
            acc[label] += time.perf_counter() - t0
            return out

        setattr(obj, method, timed)

    for layer in [*net.layers, net.last_layer]:
        kind = type(layer).__name__
        if kind == "Affine":
            kind += f" {layer.W.shape[0]}x{layer.W.shape[1]}"
        wrap(layer, "forward", f"{kind} forward")
        wrap(layer, "backward", f"{kind} backward")
    n = 300
    for _ in range(n):
        net.gradient(xb, tb)
    layers = {k: v / n * 1e6 for k, v in sorted(acc.items(), key=lambda kv: -kv[1])}

    prof = cProfile.Profile()
    prof.enable()
    step(300)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(12)
    lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls"))
    print(json.dumps({"phases_us": us, "layers_us": layers, "cprofile": lines[start:]}))


if __name__ == "__main__":
    main()
