"""Peak resident memory of a full Fashion-MNIST training, in a child process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import harness

MB = 1e6

# runs the training as its only child, so RUSAGE_CHILDREN is that training alone
_MEASURE = """
import json, resource, subprocess, sys
out = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(out.stderr)
print(json.dumps({"rc": out.returncode, "stdout": out.stdout,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def run(quick: bool) -> dict:
    epochs = 2 if quick else 3
    child = [
        sys.executable,
        str(Path(__file__).with_name("memory_child.py")),
        str(harness.DATA_DIR),
        str(epochs),
    ]
    res = subprocess.run([sys.executable, "-c", _MEASURE, *child], capture_output=True, text=True)
    outer = json.loads(res.stdout)
    if outer["rc"] != 0:
        return {"ok": False, "why": f"training exited {outer['rc']}"}
    info = json.loads(outer["stdout"].strip().splitlines()[-1])
    peak = outer["maxrss_kb"] * 1024  # Linux reports kilobytes
    target = 1.5 * info["float32_bytes"] + 150 * MB
    return {"ok": True, "peak": peak, "target": target, **info}


def table(res: dict) -> list[str]:
    if not res["ok"]:
        return [f"Memory: not measured ({res['why']})."]
    return [
        f"Full Fashion-MNIST training (60,000 + 10,000 images, {res['epochs']} epochs, "
        "batch 128, Adam, evaluation every epoch) in a child process; peak resident "
        "memory from `getrusage(RUSAGE_CHILDREN).ru_maxrss`.",
        "",
        "| float32 data set | peak RSS | target (1.5 × data + 150 MB) | peak / target | "
        "time | test accuracy |",
        "|---|---|---|---|---|---|",
        f"| {res['float32_bytes'] / MB:.0f} MB | {res['peak'] / MB:.0f} MB | "
        f"{res['target'] / MB:.0f} MB | {res['peak'] / res['target']:.2f} | "
        f"{res['seconds']:.1f} s | {res['test_acc']:.3f} |",
    ]
