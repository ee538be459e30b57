"""Training step of the notes' net on Fashion-MNIST: trainlab vs PyTorch vs the
notes' code vs the matrix products alone."""

from __future__ import annotations

import harness
import sides

SIZES = (784, 100, 100, 100, 100, 10)
BATCH = 128
#: steps every side trains before it is timed: by then the states are those of a
#: long training (after about 1,000 steps an eighth of Adam's m is subnormal here)
WARMUP_STEPS = 3000


def save_data(folder) -> str:
    """Fashion-MNIST's training set as x.npy / t.npy in ``folder``, for the sides."""
    import numpy as np

    from trainlab.data import load

    (x, t), _ = load("fashion-mnist", data_dir=harness.DATA_DIR)
    np.save(f"{folder}/x.npy", x)
    np.save(f"{folder}/t.npy", t)
    return str(folder)


def _has_numba() -> bool:
    try:
        import numba  # noqa: F401 (only whether it loads)
    except ImportError:
        return False
    return True


def run(quick: bool, threads: list[int], data: str, before_src: str | None = None) -> dict:
    rows = []
    kw = {"sizes": SIZES, "batch": BATCH}
    for n in threads:
        cases = {
            "trainlab": ("sides", "trainlab_step", {**kw, "data": data}),
            "trainlab_numpy": ("sides", "trainlab_step", {**kw, "data": data, "backend": "numpy"}),
            "torch": ("sides", "torch_step", {**kw, "data": data}),
            "notes": ("sides", "notes_step", {**kw, "data": data}),
            "gemm": ("sides", "gemm_step", kw),
            "gemm_needed": ("sides", "gemm_step", {**kw, "first_dx": False}),
        }
        if _has_numba():
            cases["floor"] = ("fused_floor", "step", {**kw, "data": data})
        if before_src:
            cases["trainlab_before"] = (
                "sides",
                "trainlab_step",
                {**kw, "data": data, "src": before_src},
            )
        res = harness.interleave(
            cases,
            n,
            repeats=5 if quick else 11,
            target_s=0.15 if quick else 0.3,
            warmup_steps=WARMUP_STEPS,
        )
        med = {k: v["median"] for k, v in res.items()}
        rows.append(
            {
                "threads": n,
                "seconds": med,
                "spread": {k: max(v["samples"]) / min(v["samples"]) for k, v in res.items()},
                "its": {k: 1.0 / v for k, v in med.items()},
                "vs_torch": med["torch"] / med["trainlab"],
                "vs_notes": med["notes"] / med["trainlab"],
                "gemm_fraction": med["gemm"] / med["trainlab"],
                "gemm_needed_fraction": med["gemm_needed"] / med["trainlab"],
                "numpy_vs_torch": med["torch"] / med["trainlab_numpy"],
                "numpy_vs_notes": med["notes"] / med["trainlab_numpy"],
                "numpy_gemm_fraction": med["gemm"] / med["trainlab_numpy"],
                "gflops": sides.gemm_flops(SIZES, BATCH) / med["gemm"] / 1e9,
                "vs_before": med["trainlab_before"] / med["trainlab"] if before_src else None,
                "floor_fraction": med["floor"] / med["trainlab"] if "floor" in med else None,
                "floor_vs_torch": med["torch"] / med["floor"] if "floor" in med else None,
            }
        )
    return {
        "sizes": SIZES,
        "batch": BATCH,
        "rows": rows,
        "before_src": before_src,
        "warmup_steps": WARMUP_STEPS,
    }


def table(res: dict) -> list[str]:
    f = harness.fmt
    out = [
        f"Net {'→'.join(map(str, res['sizes']))}, ReLU, He init, batch {res['batch']}, "
        "Adam, Fashion-MNIST batches (float32 data). Iterations per second "
        "(median of interleaved samples) after every side has trained "
        f"{res.get('warmup_steps', 0):,} steps, as in a long training (by then an "
        "eighth of Adam's m is subnormal: see `trainlab.kernels.numba_impl`); ratios "
        "from the same run.",
        "",
        "| threads | trainlab | trainlab, NumPy kernels | PyTorch eager | "
        "notes' code | GEMMs alone (3/layer) | GEMMs needed | × PyTorch | × notes | "
        "% of GEMM bound | % of needed GEMMs | sgemm GFLOP/s | hand-fused floor | "
        "floor × PyTorch | trainlab % of floor |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    before = []
    for r in res["rows"]:
        i = r["its"]
        if r.get("vs_before"):
            before.append(
                f"- {r['threads']} thread(s): trainlab before this work "
                f"{f(i['trainlab_before'])} it/s, now {f(i['trainlab'])} it/s: "
                f"{r['vs_before']:.2f}×"
            )
        out.append(
            f"| {r['threads']} | {f(i['trainlab'])} | {f(i['trainlab_numpy'])} | "
            f"{f(i['torch'])} | "
            f"{f(i['notes'])} | {f(i['gemm'])} | {f(i['gemm_needed'])} | {r['vs_torch']:.2f} | "
            f"{r['vs_notes']:.2f} | {100 * r['gemm_fraction']:.0f}% | "
            f"{100 * r['gemm_needed_fraction']:.0f}% | {r['gflops']:.0f} | "
            + (
                f"{f(i['floor'])} | {r['floor_vs_torch']:.2f} | {100 * r['floor_fraction']:.0f}% |"
                if r.get("floor_fraction")
                else "n/a | | |"
            )
        )
    out += ["", "Noise: slowest / fastest sample of each side:", ""]
    for r in res["rows"]:
        out.append(
            f"- {r['threads']} thread(s): "
            + ", ".join(f"{k} {v:.2f}" for k, v in r["spread"].items())
        )
    if before:
        out += [
            "",
            "Before/after, interleaved in the same run (before: "
            f"{res.get('before_label') or res['before_src']}):",
            "",
            *before,
        ]
    out += [
        "",
        "trainlab: `net.gradient` + `trainlab.optim.Adam().update`, as a training "
        "loop calls them; `Adam.update` checks the gradient buffer for NaN/inf and runs "
        "the fused Adam kernel on the whole flat buffer, with the automatic backend "
        "(NumPy at first; numba once the NumPy kernels have taken half a second, which "
        "the warm-up passes) or forced to the NumPy kernels. "
        "GEMMs alone: forward, dW and dx of every layer at the step's shapes, float32 "
        "(the bound the targets use); GEMMs needed: the 14 products training does "
        "(no dx for the first layer). Hand-fused floor (`benchmarks/fused_floor.py`, not "
        "trainlab): the same step written for this one net and batch shape, every "
        "elementwise operation fused into a compiled loop and no per-layer Python beyond "
        "the matrix products; about the fastest a NumPy program on this BLAS can train "
        "this net, and so the most the PyTorch ratio can be here.",
    ]
    return out
