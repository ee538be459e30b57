"""One optimizer step on 1M and 10M float32 parameters: trainlab.optim's rules,
the fused kernels, torch.optim, and the memory-bandwidth bound."""

from __future__ import annotations

import math

import harness
import numpy as np

RULES = {
    # name: (trainlab.optim class, kwargs, torch.optim class, kwargs, bytes moved per
    #        parameter: p, g and the state read, p and the state written, 4 bytes each)
    "adam": ("Adam", {}, "Adam", {"lr": 1e-3, "eps": 1e-7}, 7 * 4),
    "momentum": ("Momentum", {}, "SGD", {"lr": 0.01, "momentum": 0.9}, 5 * 4),
    "rmsprop": ("RMSprop", {}, "RMSprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-7}, 5 * 4),
}


def _layout(n: int) -> list[tuple[int, ...]]:
    """Shapes that tile n parameters like a net's: a few matrices and vectors."""
    shapes, left = [], n
    for frac in (0.5, 0.3):
        rows = int(n * frac) // 1000
        shapes += [(rows, 1000), (1000,)]
        left -= rows * 1000 + 1000
    shapes.append((left,))
    return shapes


def flat_params(n: int, rng):
    shapes = _layout(n)
    p = rng.standard_normal(n, dtype=np.float32) * 0.05
    g = rng.standard_normal(n, dtype=np.float32) * 1e-3
    params, grads, off = {}, {}, 0
    for k, shape in enumerate(shapes):
        size = math.prod(shape)
        params[f"w{k}"] = p[off : off + size].reshape(shape)
        grads[f"w{k}"] = g[off : off + size].reshape(shape)
        off += size
    return p, g, params, grads


def opt_trainlab(rule, n, backend="auto"):
    """``trainlab.optim``'s rule, as a user calls it (``opt.update(params, grads)`` on
    dicts of views), with the kernels' automatic backend or forced to NumPy."""
    import trainlab.optim as optim
    from trainlab import kernels

    kernels.use_backend(backend)
    cls, kw = RULES[rule][:2]
    _, _, params, grads = flat_params(n, np.random.default_rng(0))
    opt = getattr(optim, cls)(**kw)

    def run(k):
        for _ in range(k):
            opt.update(params, grads)

    return run


def opt_kernel(rule, n, backend, check_finite=False):
    """The fused kernel called by hand on the flat buffers (and the finite check
    that trainlab.optim does first): what trainlab.optim adds on top of it is the rest."""
    from trainlab import kernels

    kernels.use_backend(backend)
    p, g, _, _ = flat_params(n, np.random.default_rng(0))
    s1, s2 = np.zeros_like(p), np.zeros_like(p)
    t = [0]

    def run(k):
        for _ in range(k):
            if check_finite and not kernels.all_finite(g):
                raise FloatingPointError("non-finite gradient")
            t[0] += 1
            if rule == "adam":
                lr_t = 1e-3 * math.sqrt(1.0 - 0.999 ** t[0]) / (1.0 - 0.9 ** t[0])
                kernels.adam_notes(p, g, s1, s2, lr_t, 0.9, 0.999, 1e-7)
            elif rule == "momentum":
                kernels.momentum_notes(p, g, s1, 0.01, 0.9)
            else:
                kernels.rmsprop_notes(p, g, s1, 0.01, 0.99, 1e-7)

    return run


def opt_torch(rule, n, variant):
    """``torch.optim``'s rule on the same shapes (one tensor per parameter)."""
    import torch

    cls, kw = RULES[rule][2:4]
    _, _, params, grads = flat_params(n, np.random.default_rng(0))
    tensors = []
    for k in params:
        t = torch.from_numpy(params[k].copy()).requires_grad_(True)
        t.grad = torch.from_numpy(grads[k].copy())
        tensors.append(t)
    opt = getattr(torch.optim, cls)(tensors, **kw, **variant)
    opt.step()  # fails here if this PyTorch lacks the variant

    def run(k):
        for _ in range(k):
            opt.step()

    return run


COPY_ELEMENTS = 1 << 25  # 128 MiB of float32, far beyond the caches


def copy(n=COPY_ELEMENTS):
    """``np.copyto`` of a large array: the machine's memory bandwidth."""
    src = np.ones(n, np.float32)
    dst = np.empty_like(src)

    def run(k):
        for _ in range(k):
            np.copyto(dst, src)

    return run


def run(quick: bool, threads: int, before_src: str | None = None) -> dict:
    """Every implementation of each rule, interleaved; ``before_src`` (the src folder
    of an older trainlab) adds its ``opt.update`` as one more side."""
    try:
        import numba  # noqa: F401 (only whether it loads)

        backends = ["numba", "numpy"]
    except ImportError:
        backends = ["numpy"]
    sizes = [1 << 20, 10_000_000] if not quick else [1 << 20]
    rows = []
    for n in sizes:
        for rule in RULES:
            cases = {
                "copy": ("bench_optimizer", "copy", {}),
                "trainlab.optim": ("bench_optimizer", "opt_trainlab", {"rule": rule, "n": n}),
            }
            if before_src:
                cases["trainlab.optim before"] = (
                    "bench_optimizer",
                    "opt_trainlab",
                    {"rule": rule, "n": n, "src": before_src},
                )
            if backends[0] != "numpy":
                cases["trainlab.optim, NumPy kernels"] = (
                    "bench_optimizer",
                    "opt_trainlab",
                    {"rule": rule, "n": n, "backend": "numpy"},
                )
            b = backends[0]
            cases[f"kernel ({b}) by hand"] = (
                "bench_optimizer",
                "opt_kernel",
                {"rule": rule, "n": n, "backend": b},
            )
            cases[f"kernel ({b}) + finite check by hand"] = (
                "bench_optimizer",
                "opt_kernel",
                {"rule": rule, "n": n, "backend": b, "check_finite": True},
            )
            for name, variant in (
                ("foreach=False", {"foreach": False}),
                ("foreach=True", {"foreach": True}),
                ("fused=True", {"fused": True}),
            ):
                cases[f"torch {name}"] = (
                    "bench_optimizer",
                    "opt_torch",
                    {"rule": rule, "n": n, "variant": variant},
                )
            res = harness.interleave(
                cases, threads, repeats=5 if quick else 7, target_s=0.15 if quick else 0.25
            )
            med = {k: v["median"] for k, v in res.items() if "median" in v}
            unsupported = [f"{k}: {v['error']}" for k, v in res.items() if "error" in v]
            bw = 2 * COPY_ELEMENTS * 4 / med.pop("copy")  # a copy reads and writes each byte
            bound = RULES[rule][4] * n / bw
            torch_best = min((v for k, v in med.items() if k.startswith("torch")), default=None)
            before = med.get("trainlab.optim before")
            rows.append(
                {
                    "rule": rule,
                    "n": n,
                    "seconds": med,
                    "bandwidth": bw,
                    "bound": bound,
                    "unsupported": unsupported,
                    "torch_best": torch_best,
                    "vs_before": before / med["trainlab.optim"] if before else None,
                }
            )
    return {"rows": rows, "threads": threads, "before_src": before_src}


def table(res: dict) -> list[str]:
    f = harness.fmt
    out = [
        f"Threads {res['threads']} (numba, PyTorch). One contiguous float32 buffer with "
        "views, as the net's; PyTorch gets one tensor per view. Bound = bytes the rule must "
        "move (Adam 7 × 4 per parameter: reads p, g, m, v, writes p, m, v; Momentum and "
        "RMSprop 5 × 4) / copy bandwidth (`np.copyto` of 128 MiB, counted read + write). "
        "With 1M parameters the arrays (20-28 MB) fit in this CPU's L3 cache, so a single "
        "pass can beat the DRAM bound there; 10M parameters is the memory-bound case. "
        "trainlab.optim: `opt.update(params, grads)` as a user calls it, which checks the "
        "gradients for NaN/inf (one pass over the flat gradient buffer) and then runs the "
        "rule's fused kernel on the whole buffer (numba here, or forced to the NumPy "
        'kernels); torch.optim does no such check. The "by hand" rows call the kernel '
        "(and the check) directly on the flat buffers, without trainlab.optim around them.",
        "",
    ]
    for row in res["rows"]:
        n = row["n"]
        out.append(
            f"**{row['rule']}**, {n:,} parameters: copy bandwidth "
            f"{row['bandwidth'] / 1e9:.1f} GB/s, bound {row['bound'] * 1e3:.2f} ms "
            f"({n / row['bound'] / 1e6:,.0f} M params/s)"
        )
        out.append("")
        out.append("| implementation | ms/step | M params/s | % of bound | × fastest torch.optim |")
        out.append("|---|---|---|---|---|")
        for name, s in row["seconds"].items():
            vs = row["torch_best"] / s if row["torch_best"] else float("nan")
            out.append(
                f"| {name} | {s * 1e3:.3f} | {f(n / s / 1e6)} | "
                f"{100 * row['bound'] / s:.0f}% | {vs:.2f} |"
            )
        for u in row["unsupported"]:
            name, _, why = u.partition(": ")
            out.append(f"| {name} | not available ({why[:60]}) | | | |")
        if row.get("vs_before"):
            out += [
                "",
                f"Before/after, interleaved: trainlab.optim now is {row['vs_before']:.2f}× "
                "the speed of before.",
            ]
        out.append("")
    return out
