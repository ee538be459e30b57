"""Where the step's time goes: phases, layers and a cProfile of the whole step."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import harness


def _one(threads: int, data: str, src: str) -> dict:
    res = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("profile_child.py")), src, data],
        capture_output=True,
        text=True,
        env=harness.thread_env(threads),
    )
    if res.returncode != 0:
        return {"ok": False, "why": res.stderr.strip().splitlines()[-1:]}
    out = json.loads(res.stdout)
    out["cprofile"] = [
        ln.replace(src.rstrip("/") + "/", "").replace(str(harness.REPO) + "/", "")
        for ln in out["cprofile"]
    ]
    return {"ok": True, "threads": threads, "src": src, **out}


def run(threads: int, data: str, before_src: str | None = None) -> dict:
    """Profile this checkout (and ``before_src``, alternately, when given)."""
    now = [str(harness.REPO / "src")]
    srcs = now + ([before_src] if before_src else [])
    runs = {s: [] for s in srcs}
    for r in range(3 if before_src else 1):
        for s in srcs if r % 2 == 0 else srcs[::-1]:
            runs[s].append(_one(threads, data, s))

    def middle(results):  # the run whose whole step is the median one
        ok = [r for r in results if r["ok"]]
        if not ok:
            return results[0]
        return sorted(ok, key=lambda r: r["phases_us"]["whole step"])[len(ok) // 2]

    return {"now": middle(runs[now[0]]), "before": middle(runs[before_src]) if before_src else None}


def table(res: dict) -> list[str]:
    if not res["ok"]:
        return [f"Profile failed: {res['why']}"]
    ph = res["phases_us"]
    step = ph["whole step"]
    out = [
        f"Threads {res['threads']}; µs per step, medians of 15 interleaved samples "
        "(each phase timed on its own, so they need not add up exactly).",
        "",
        "| phase | µs | % of step |",
        "|---|---|---|",
    ]
    for name, us in ph.items():
        out.append(f"| {name} | {us:.0f} | {100 * us / step:.0f}% |")
    fb, gemm = (
        ph["forward + backward (net.gradient)"],
        ph["matrix products alone (the 14 the step needs)"],
    )
    out += [
        "",
        f"Forward + backward beyond the matrix products (elementwise work, "
        f"allocation, Python): {fb - gemm:.0f} µs ({100 * (fb - gemm) / step:.0f}% of the step).",
        "",
        "Per layer (µs per step, matrix products included):",
        "",
        "| layer call | µs |",
        "|---|---|",
    ]
    out += [f"| {k} | {v:.1f} |" for k, v in res["layers_us"].items()]
    out += [
        "",
        "cProfile of 300 steps (top functions by own time):",
        "",
        "```",
        *res["cprofile"],
        "```",
    ]
    return out
