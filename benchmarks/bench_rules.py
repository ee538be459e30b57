"""The update rules after the notes against Adam (issue #25, point 6).

Element-wise and per-layer rules: one ``opt.update(params, grads)`` on 1M float32
parameters laid out as in ``bench_optimizer``, numba off (the rules' readable NumPy
code; Adam runs its NumPy kernel), as a multiple of Adam's step. Muon, SOAP and
LBFGS do matrix work whose cost depends on the shapes, not on a count of
parameters: their step on the notes' net is measured in gradients of that net
(``net.gradient`` on one batch).
"""

from __future__ import annotations

import harness
import numpy as np
from bench_optimizer import flat_params
from bench_training import BATCH, SIZES
from sides import load_batches

#: name: (trainlab.optim class, kwargs, bound on the step as a multiple of Adam's)
ELEMENTWISE = {
    "Adamax": ({}, 1.5),
    "Rprop": ({}, 1.5),
    "ASGD": ({}, 1.5),
    "Adafactor": ({}, 1.5),
    "Lion": ({}, 1.5),
    "ADOPT": ({}, 1.5),
    "AdEMAMix": ({}, 1.5),
    "ScheduleFreeSGD": ({}, 1.5),
    "ScheduleFreeAdamW": ({}, 1.5),
    "LAMB": ({}, 2.5),  # a norm of the weights and one of the step, per layer
    "Prodigy": ({}, 2.5),  # two sums over all weights for the step size d
}
#: name: (class, kwargs) of the rules measured in gradients of the notes' net
ON_THE_NET = {
    "Adam": ("Adam", {}),
    "Muon": ("Muon", {}),
    "Muon, ns_dtype='float'": ("Muon", {"ns_dtype": "float"}),
    "SOAP": ("SOAP", {}),
    "LBFGS": ("LBFGS", {"max_iter": 1}),
    "LBFGS, strong Wolfe": ("LBFGS", {"max_iter": 1, "line_search_fn": "strong_wolfe"}),
}
N = 1 << 20


def rule_step(rule: str, n: int = N):
    """``rule``'s ``opt.update`` on ``n`` float32 parameters, numba off. The gradient
    changes sign at every step (two buffers, g and -g), so that no rule runs away on
    a constant slope (Prodigy's step size grows without bound there)."""
    import trainlab.optim as optim
    from trainlab import kernels

    kernels.use_backend("numpy")
    kw = ELEMENTWISE[rule][0] if rule in ELEMENTWISE else {}
    opt = getattr(optim, rule)(**kw)
    _, _, params, grads = flat_params(n, np.random.default_rng(0))
    _, flipped, _, minus = flat_params(n, np.random.default_rng(0))
    np.negative(flipped, out=flipped)
    both, t = (grads, minus), [0]

    def run(k):
        for _ in range(k):
            t[0] += 1
            opt.update(params, both[t[0] % 2])

    return run


def net_step(rule: str | None, data: str):
    """The notes' net (``bench_training.SIZES``) on one batch: ``rule=None`` times
    ``net.gradient``; else the rule's step with that batch's gradient (Muon on the
    weight matrices only; LBFGS calls ``net.gradient`` itself, through its closure)."""
    import trainlab.optim as optim
    from trainlab import kernels
    from trainlab.nn import MultiLayerNet

    kernels.use_backend("numpy")
    x, t, idx = load_batches(data, BATCH)
    xb, tb = x[idx[0]], t[idx[0]]
    net = MultiLayerNet(SIZES[0], SIZES[1:-1], SIZES[-1], rng=np.random.default_rng(0))
    if rule is None:
        return lambda k: [net.gradient(xb, tb) for _ in range(k)]
    cls, kw = ON_THE_NET[rule]
    opt = getattr(optim, cls)(**kw)
    if cls == "LBFGS":

        def closure():
            grads = net.gradient(xb, tb)
            return net.last_loss, grads

        return lambda k: [opt.step(net.params, closure) for _ in range(k)]
    grads = {k: g.copy() for k, g in net.gradient(xb, tb).items()}
    keys = [k for k in net.params if cls != "Muon" or net.params[k].ndim == 2]
    params, grads = {k: net.params[k] for k in keys}, {k: grads[k] for k in keys}
    return lambda k: [opt.update(params, grads) for _ in range(k)]


def run(quick: bool, threads: int, data: str) -> dict:
    """Every element-wise rule beside Adam, interleaved; then the matrix rules beside
    a gradient of the notes' net."""
    repeats, target = (5, 0.15) if quick else (9, 0.25)
    cases = {r: ("bench_rules", "rule_step", {"rule": r}) for r in ["Adam", *ELEMENTWISE]}
    res = harness.interleave(cases, threads, repeats=repeats, target_s=target)
    adam = res["Adam"]["median"]
    rows = [
        {
            "rule": r,
            "seconds": res[r].get("median"),
            "vs_adam": res[r]["median"] / adam if "median" in res[r] else None,
            "bound": bound,
            "error": res[r].get("error"),
        }
        for r, (_, bound) in ELEMENTWISE.items()
    ]
    cases = {"gradient": ("bench_rules", "net_step", {"rule": None, "data": data})}
    cases |= {r: ("bench_rules", "net_step", {"rule": r, "data": data}) for r in ON_THE_NET}
    res = harness.interleave(cases, threads, repeats=repeats, target_s=target)
    gradient = res.pop("gradient")["median"]
    net_rows = [
        {
            "rule": r,
            "seconds": v.get("median"),
            "gradients": v["median"] / gradient if "median" in v else None,
            "error": v.get("error"),
        }
        for r, v in res.items()
    ]
    return {
        "threads": threads,
        "n": N,
        "adam_seconds": adam,
        "rows": rows,
        "gradient_seconds": gradient,
        "net_rows": net_rows,
        "blas_kernel": harness.blas_kernel(),
    }


def met(row: dict) -> bool:
    return row["vs_adam"] is not None and row["vs_adam"] <= row["bound"]


def table(res: dict) -> list[str]:
    out = [
        f"Threads {res['threads']}; BLAS kernel: {res['blas_kernel']}. "
        f"`opt.update(params, grads)` on {res['n']:,} float32 parameters laid out as "
        "in the optimizer section, numba off: each rule's readable NumPy step, and "
        "Adam's NumPy kernel "
        f"({res['adam_seconds'] * 1e3:.2f} ms per step). The gradient alternates "
        "between g and -g. Each rule in its own process, interleaved; medians.",
        "",
        "| rule | ms/step | × Adam | bound | |",
        "|---|---|---|---|---|",
    ]
    for r in res["rows"]:
        if r["error"]:
            out.append(f"| {r['rule']} | failed: {r['error'][:60]} | | | |")
            continue
        out.append(
            f"| {r['rule']} | {r['seconds'] * 1e3:.2f} | {r['vs_adam']:.2f}× | "
            f"{r['bound']:g}× | {'met' if met(r) else '**not met**'} |"
        )
    sizes = "→".join(map(str, SIZES))
    out += [
        "",
        f"On the notes' net ({sizes}, float32): one step of each rule with a fixed "
        f"gradient, in gradients of the net (`net.gradient` on a batch of {BATCH}: "
        f"{res['gradient_seconds'] * 1e3:.2f} ms). Muon updates the weight matrices "
        "only; SOAP recomputes its eigenbases every 10 steps (the default), averaged in; "
        "LBFGS's step (`max_iter=1`) includes its own calls of `net.gradient`.",
        "",
        "| rule | ms/step | × a gradient |",
        "|---|---|---|",
    ]
    for r in res["net_rows"]:
        if r["error"]:
            out.append(f"| {r['rule']} | failed: {r['error'][:60]} | |")
        else:
            out.append(f"| {r['rule']} | {r['seconds'] * 1e3:.2f} | {r['gradients']:.2f}× |")
    return out
