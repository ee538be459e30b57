"""What a Hessian-vector product costs, in gradients (``python benchmarks/bench_hessian.py``).

The notes' network (784-100-100-100-100-100-10, ReLU, float32) on mini-batches
of Fashion-MNIST's size (random inputs: the cost does not depend on the
values). Gradient and Hessian-vector product are timed in turns, A B then B A,
the median of each reported with their ratio; then the cost of one sharpness
measurement (``top_eigenvalues``, 20 products) on 1000 samples.
Run it with ``OPENBLAS_NUM_THREADS=1`` and ``2`` to see both thread counts.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

import numpy as np

from trainlab.nn import MultiLayerNet
from trainlab.nn.spectrum import top_eigenvalues


def timed(fn, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat


def measure(batch: int, rounds: int = 7, repeat: int = 20) -> dict:
    rng = np.random.default_rng(0)
    net = MultiLayerNet(784, [100] * 5, 10, rng=rng, use_batchnorm=False)
    x = rng.random((batch, 784), dtype=np.float32)
    t = rng.integers(0, 10, batch)
    v = rng.standard_normal(net.flat_params.size).astype(np.float32)
    grad = lambda: net.gradient(x, t)  # noqa: E731
    hvp = lambda: net.hessian_vector_product(x, t, v)  # noqa: E731
    grad(), hvp()  # warm up
    g, h = [], []
    for r in range(rounds):
        pair = (grad, hvp) if r % 2 == 0 else (hvp, grad)
        times = [timed(f, repeat) for f in pair]
        g.append(times[0] if r % 2 == 0 else times[1])
        h.append(times[1] if r % 2 == 0 else times[0])
    gm, hm = statistics.median(g), statistics.median(h)
    return {"batch": batch, "gradient_ms": 1e3 * gm, "hvp_ms": 1e3 * hm, "ratio": hm / gm}


def sharpness_cost() -> dict:
    rng = np.random.default_rng(0)
    net = MultiLayerNet(784, [100] * 5, 10, rng=rng)
    x = rng.random((1000, 784), dtype=np.float32)
    t = rng.integers(0, 10, 1000)
    start = time.perf_counter()
    top_eigenvalues(net, x, t, iterations=20)
    return {"samples": 1000, "products": 20, "seconds": time.perf_counter() - start}


def main() -> None:
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    rows = [measure(b) for b in (100, 1000)]
    out = {"threads": threads, "hvp": rows, "sharpness": sharpness_cost()}
    print(f"OPENBLAS_NUM_THREADS={threads}")
    print("| batch | gradient (ms) | H·v (ms) | H·v / gradient |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['batch']} | {r['gradient_ms']:.2f} | {r['hvp_ms']:.2f} | {r['ratio']:.2f} |")
    s = out["sharpness"]
    print(
        f"top eigenvalue, {s['products']} products on {s['samples']} samples: {s['seconds']:.2f} s"
    )
    json.dump(out, sys.stderr)


if __name__ == "__main__":
    main()
