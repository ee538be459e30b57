"""Benchmark sides: factories that return ``fn(n)``, which does n steps.

Each factory runs in its own process (see worker.py). Training sides draw the
same mini-batches (index arrays into the same data, memory-mapped from
``data``/x.npy and t.npy) and gather them inside the timed loop, as a training
loop does.
"""

from __future__ import annotations

import math
from itertools import cycle
from pathlib import Path

import notes_reference
import numpy as np


def load_batches(data: str, batch: int, count: int = 64, seed: int = 0):
    """x, t and ``count`` index arrays drawn as the book draws them (``choice(n, batch)``)."""
    x = np.load(Path(data) / "x.npy", mmap_mode="r")
    t = np.load(Path(data) / "t.npy")
    x = np.array(x)  # into memory, as a training run has it
    idx = np.random.default_rng(seed).integers(0, len(x), (count, batch))
    return x, t, list(idx)


# -- training step ------------------------------------------------------------------
def trainlab_step(sizes, data, batch, backend: str = "auto"):
    """``net.gradient`` + ``trainlab.optim.Adam().update``, as a training loop calls
    them; ``backend='numpy'`` forces the NumPy kernels (the automatic choice is numba
    when it is installed)."""
    from trainlab.nn import MultiLayerNet
    from trainlab.optim import Adam

    if backend != "auto":  # (an older trainlab, run with --before-src, has no kernels)
        from trainlab import kernels

        kernels.use_backend(backend)
    x, t, idx = load_batches(data, batch)
    net = MultiLayerNet(sizes[0], sizes[1:-1], sizes[-1], rng=np.random.default_rng(0))
    opt = Adam()
    it = cycle(idx)

    def run(n):
        for _ in range(n):
            i = next(it)
            opt.update(net.params, net.gradient(x[i], t[i]))

    return run


def notes_step(sizes, data, batch):
    """The book's MultiLayerNet (float64) and Adam, dict of arrays."""
    x, t, idx = load_batches(data, batch)
    net = notes_reference.MultiLayerNet(
        sizes[0], list(sizes[1:-1]), sizes[-1], rng=np.random.default_rng(0)
    )
    opt = notes_reference.Adam()
    it = cycle(idx)

    def run(n):
        for _ in range(n):
            i = next(it)
            opt.update(net.params, net.gradient(x[i], t[i]))

    return run


def torch_step(sizes, data, batch, **adam_kw):
    """PyTorch eager: Linear/ReLU stack, cross_entropy, torch.optim.Adam."""
    import torch

    torch.set_num_threads(int(__import__("os").environ.get("OMP_NUM_THREADS", "1")))
    x, t, idx = load_batches(data, batch)
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:], strict=False):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    with torch.no_grad():
        g = np.random.default_rng(0)
        for lin in model[::2]:
            fan_in = lin.weight.shape[1]
            lin.weight.copy_(
                torch.from_numpy(
                    (g.standard_normal(lin.weight.shape) * math.sqrt(2.0 / fan_in)).astype(
                        np.float32
                    )
                )
            )
            lin.bias.zero_()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, **adam_kw)
    xt, tt = torch.from_numpy(x), torch.from_numpy(t)
    it = cycle([torch.from_numpy(i) for i in idx])
    loss_fn = torch.nn.functional.cross_entropy

    def run(n):
        for _ in range(n):
            i = next(it)
            opt.zero_grad()
            loss = loss_fn(model(xt[i]), tt[i])
            loss.backward()
            opt.step()

    return run


def gemm_step(sizes, batch, first_dx: bool = True, data=None):
    """The step's matrix products alone, float32, into preallocated outputs:
    forward ``x @ W``, ``dW = x.T @ dout`` and ``dx = dout @ W.T`` per layer
    (``first_dx=False`` leaves out the first layer's dx, which training skips)."""
    g = np.random.default_rng(0)
    f32 = np.float32
    work = []
    for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=False)):
        x, w = g.standard_normal((batch, a), dtype=f32), g.standard_normal((a, b), dtype=f32)
        d = g.standard_normal((batch, b), dtype=f32)
        out, dw = np.empty((batch, b), f32), np.empty((a, b), f32)
        dx = np.empty((batch, a), f32) if (k > 0 or first_dx) else None
        work.append((x, w, d, out, dw, dx))

    def run(n):
        for _ in range(n):
            for x, w, d, out, dw, dx in work:
                np.matmul(x, w, out=out)
                np.matmul(x.T, d, out=dw)
                if dx is not None:
                    np.matmul(d, w.T, out=dx)

    return run


def gemm_flops(sizes, batch: int, first_dx: bool = True) -> float:
    per_layer = [2.0 * batch * a * b for a, b in zip(sizes[:-1], sizes[1:], strict=False)]
    return 3 * sum(per_layer) - (0 if first_dx else per_layer[0])
