"""Jobs for the worker-pool tests (workers import them by module name)."""

from __future__ import annotations

import os
import time

import numpy as np


def draw(spec, arrays, meta):
    """A seeded draw, a product on the shared data, and who computed it."""
    g = np.random.default_rng(spec["seed"])
    x = arrays["x"]
    w = g.standard_normal((x.shape[1], 3)).astype(x.dtype)
    return {
        "i": spec["i"],
        "value": float((x @ w).sum()),
        "pid": os.getpid(),
        "writeable": bool(x.flags.writeable),
        "meta": meta,
    }


def fail_at(spec, arrays, meta):
    """Raise on the job marked ``fail``; the others sleep a little."""
    if spec.get("fail"):
        raise ValueError(f"job {spec['i']} is bad")
    time.sleep(spec.get("sleep", 0.0))
    return spec["i"]


def modules(spec, arrays, meta):
    """Train the notes' net for a few Adam steps; which heavy modules this process holds."""
    import sys

    from trainlab.nn import MultiLayerNet
    from trainlab.optim import Adam

    g = np.random.default_rng(spec["seed"])
    net = MultiLayerNet(784, [100] * 4, 10, rng=g, dtype=np.float32)
    opt = Adam()
    x = g.random((128, 784), dtype=np.float32)
    t = g.integers(0, 10, 128)
    for _ in range(3):
        opt.update(net.params, net.gradient(x, t))
    return sorted(m for m in ("numba", "matplotlib", "scipy", "torch") if m in sys.modules)


def draw_pid(spec, arrays, meta):
    time.sleep(spec.get("sleep", 0.0))
    return os.getpid()


def total(spec, arrays, meta):
    return float(arrays["x"].sum())


def report_threads(folder, code, i):
    """A long-lived worker: write what it sees (its BLAS threads, a seeded product)
    to ``folder/<i>.json``, then exit with ``code[i]``."""
    import json

    from trainlab.kernels.threads import blas_threads

    g = np.random.default_rng(7)
    a, b = g.standard_normal((200, 300)), g.standard_normal((300, 100))
    seen = {
        "pid": os.getpid(),
        "blas": blas_threads(),
        "env": os.environ.get("OPENBLAS_NUM_THREADS"),
        "product": (a @ b).tobytes().hex(),
    }
    with open(os.path.join(folder, f"{i}.json"), "w") as fh:
        json.dump(seen, fh)
    raise SystemExit(code[i])
