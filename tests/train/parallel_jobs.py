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
    return {"i": spec["i"], "value": float((x @ w).sum()), "pid": os.getpid(),
            "writeable": bool(x.flags.writeable), "meta": meta}


def fail_at(spec, arrays, meta):
    """Raise on the job marked ``fail``; the others sleep a little."""
    if spec.get("fail"):
        raise ValueError(f"job {spec['i']} is bad")
    time.sleep(spec.get("sleep", 0.0))
    return spec["i"]
