"""Trials per minute of ``trainlab tune`` with 1 and 2 worker processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

import harness


def _cli(*args, timeout=None, threads=None):
    env = harness.thread_env(threads) if threads else dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(harness.REPO / "src"),
                                                      env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "trainlab.cli", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


def command(trials: int, workers: int, epochs: int, out: str) -> list[str]:
    return ["tune", "--dataset", "fashion-mnist", "--data-dir", str(harness.DATA_DIR),
            "--trials", str(trials), "--epochs", str(epochs), "--workers", str(workers),
            "--quiet", "--out", out]


def run(quick: bool) -> dict:
    trials, epochs, repeats = (6, 10, 1) if quick else (20, 50, 3)
    probe = _cli("tune", "--help")
    if probe.returncode != 0 or "--workers" not in probe.stdout:
        why = (probe.stderr or probe.stdout).strip().splitlines()
        return {"available": False, "why": why[-1] if why else "no tune command"}
    # (label, workers, threads per process: None = trainlab's own choice)
    variants = [("1 worker", 1, None), ("1 worker, 1 BLAS thread", 1, 1), ("2 workers", 2, None)]
    samples = {label: [] for label, _, _ in variants}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(repeats):
            for k, (label, w, th) in enumerate(variants if r % 2 == 0 else variants[::-1]):
                out = f"{tmp}/{r}-{k}"
                t0 = time.perf_counter()
                res = _cli(*command(trials, w, epochs, out), timeout=1800, threads=th)
                took = time.perf_counter() - t0
                if res.returncode != 0:
                    why = (res.stderr or res.stdout).strip().splitlines()
                    return {"available": False,
                            "why": f"exit {res.returncode}: {why[-1] if why else ''}"}
                samples[label].append(trials / took * 60)
    return {"available": True, "trials": trials, "epochs": epochs,
            "command": "trainlab " + " ".join(command(trials, 1, epochs, "OUT")),
            "per_minute": {label: statistics.median(s) for label, s in samples.items()},
            "samples": samples}


def table(res: dict) -> list[str]:
    if not res["available"]:
        return [f"`trainlab tune`: not available ({res['why']})."]
    pm = res["per_minute"]
    return [f"`{res['command']}` (and `--workers 2`), the notes' protocol: 500 training "
            f"samples, {res['epochs']} epochs per trial, {res['trials']} trials; median of "
            "interleaved runs, start-up included. `trainlab tune` gives each worker "
            "cores / workers BLAS threads (2 threads for a single worker here); the middle "
            "row sets 1 thread through the environment.", "",
            "| run | trials per minute |", "|---|---|",
            *[f"| {label} | {v:.1f} |" for label, v in pm.items()], "",
            f"2 workers / 1 worker: {pm['2 workers'] / pm['1 worker']:.2f}×"]
