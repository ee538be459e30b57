"""Time per training step as the batch and the width double (64 … 1024)."""

from __future__ import annotations

import harness
import sides

DEPTH = 4  # hidden layers, as the notes' net


def points(quick: bool):
    values = [64, 256, 1024] if quick else [64, 128, 256, 512, 1024]
    return [("batch", b, 100) for b in values] + [("width", w, 128) for w in values]


def run(quick: bool, threads: int, data: str) -> dict:
    rows = []
    for axis, value, other in points(quick):
        batch, width = (value, other) if axis == "batch" else (other, value)
        sizes = (784, *[width] * DEPTH, 10)
        kw = {"sizes": sizes, "batch": batch}
        cases = {
            "trainlab": ("sides", "trainlab_step", {**kw, "data": data}),
            "torch": ("sides", "torch_step", {**kw, "data": data}),
            "gemm": ("sides", "gemm_step", kw),
        }
        res = harness.interleave(
            cases, threads, repeats=3 if quick else 7, target_s=0.1 if quick else 0.2
        )
        med = {k: v["median"] for k, v in res.items()}
        rows.append(
            {
                "axis": axis,
                "batch": batch,
                "width": width,
                "seconds": med,
                "gflop": sides.gemm_flops(sizes, batch) / 1e9,
            }
        )
    return {"rows": rows, "threads": threads}


def table(res: dict) -> list[str]:
    out = [
        f"784 → {DEPTH} hidden layers of the given width → 10, Adam; ms per step "
        f"(threads {res['threads']}). The GEMM column is the step's matrix products alone.",
        "",
        "| doubling | batch | width | GFLOP/step | trainlab ms | PyTorch ms | GEMMs ms | "
        "% of GEMM bound | × PyTorch |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in res["rows"]:
        s = r["seconds"]
        out.append(
            f"| {r['axis']} | {r['batch']} | {r['width']} | {r['gflop']:.3f} | "
            f"{s['trainlab'] * 1e3:.3f} | {s['torch'] * 1e3:.3f} | {s['gemm'] * 1e3:.3f} | "
            f"{100 * s['gemm'] / s['trainlab']:.0f}% | {s['torch'] / s['trainlab']:.2f} |"
        )
    return out


def figure(res: dict, path) -> bool:
    """ms per step against batch and against width, log-log; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sides_shown = (
        ("trainlab", "trainlab", "C0", "o"),
        ("torch", "PyTorch eager", "C1", "s"),
        ("gemm", "matrix products alone (3 per layer)", "0.4", "^"),
    )
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
    for ax, axis in zip(axes, ("batch", "width"), strict=False):
        rows = [r for r in res["rows"] if r["axis"] == axis]
        xs = [r[axis] for r in rows]
        for key, label, color, marker in sides_shown:
            ax.plot(
                xs, [r["seconds"][key] * 1e3 for r in rows], marker=marker, color=color, label=label
            )
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(xs, [str(x) for x in xs])
        fixed = f"width {rows[0]['width']}" if axis == "batch" else f"batch {rows[0]['batch']}"
        ax.set_xlabel(f"{axis} ({fixed})")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel(f"ms per step ({res['threads']} thread(s))")
    axes[0].legend(fontsize=8)
    fig.suptitle(
        f"Cost of a training step as the batch and the width double "
        f"(784 → {DEPTH} × width → 10, Adam)",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
