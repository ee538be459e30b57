"""Shared pieces of the benchmarks: interleaved timing, BLAS threads, the machine."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.append(str(Path(__file__).resolve().parents[1] / "src"))
from trainlab.kernels import backend as kernel_backend  # noqa: E402 (after sys.path names the tree)
from trainlab.kernels import blas_threads  # noqa: E402 (after sys.path names the tree)
from trainlab.kernels.dispatch import NUMBA_MIN  # noqa: E402 (after sys.path names the tree)

REPO = Path(__file__).resolve().parents[1]
DATA_DIR = REPO.parent / "shared" / "data"


# -- timing -------------------------------------------------------------------------
def thread_env(threads: int) -> dict:
    """Environment that gives every library in a process ``threads`` threads."""
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        env[var] = str(threads)
    return env


class Side:
    """A benchmark side running in its own process (see worker.py)."""

    def __init__(self, module: str, factory: str, threads: int, src=None, **kwargs):
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("worker.py"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=thread_env(threads),
        )
        reply = self.ask({"module": module, "factory": factory, "kwargs": kwargs, "src": src})
        if "error" in reply:
            self.close()
            raise RuntimeError(reply["error"])

    def ask(self, cmd: dict) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"benchmark side {cmd} failed (see its stderr above)")
        return json.loads(line)

    def close(self):
        try:
            self.proc.stdin.write("\n")
            self.proc.stdin.close()
        except OSError:
            pass
        self.proc.wait()


def interleave(
    cases: dict,
    threads: int,
    repeats: int = 7,
    target_s: float = 0.2,
    gap_s: float = 0.1,
    warmup_steps: int = 0,
) -> dict:
    """Median seconds per step of each case, measured in turns.

    ``cases`` maps a name to ``(module, factory, kwargs)``; ``module.factory(**kwargs)``
    returns ``fn(n)``, which does ``n`` steps (a ``"src"`` in kwargs runs the case
    with the trainlab found there). Every case runs in its own
    process with ``threads`` threads in every library. Each first does
    ``warmup_steps`` steps (a training side: to reach the state of a long
    training), then is calibrated so that one sample takes about ``target_s``; then samples are
    taken round-robin, A B C, C B A, ..., so that slow drifts of a shared
    machine hit every case alike, with a pause of ``gap_s`` between samples
    for the previous side's idle threads to stop spinning.
    Returns ``{name: {"median": s, "samples": [...], "n": n}}``; a case whose
    process fails to start is reported as ``{"error": message}``.
    """
    sides, counts, out = {}, {}, {}
    try:
        for name, (module, factory, kwargs) in cases.items():
            try:
                sides[name] = Side(module, factory, threads, **kwargs)
                if warmup_steps:
                    sides[name].ask({"n": warmup_steps})
                counts[name] = sides[name].ask({"calibrate": target_s})["n"]
            except (RuntimeError, ValueError) as exc:
                out[name] = {"error": str(exc)}
                sides.pop(name, None)
        samples = {name: [] for name in sides}
        order = list(sides)
        for r in range(repeats):
            for name in order if r % 2 == 0 else order[::-1]:
                time.sleep(gap_s)
                took = sides[name].ask({"n": counts[name]})["seconds"]
                samples[name].append(took / counts[name])
        for name, s in samples.items():
            out[name] = {"median": statistics.median(s), "samples": s, "n": counts[name]}
    finally:
        for side in sides.values():
            side.close()
    return out


# -- the machine -------------------------------------------------------------------
def blas_kernel() -> str:
    """The BLAS's own name for the kernels it runs (threadpoolctl's ``architecture``,
    e.g. Haswell or Zen: what ``OPENBLAS_CORETYPE`` chose), with the settings that steer it."""
    try:
        import threadpoolctl
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    info = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
    arch = ", ".join(f"{i.get('internal_api')} {i.get('architecture', '?')}" for i in info)
    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    return f"{arch or 'none found'}; " + (
        ", ".join(f"{k}={v}" for k, v in env.items())
        or "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset"
    )


def machine() -> dict:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas_threads": blas_threads(),
        "kernels": (
            f"{kernel_backend(NUMBA_MIN)} from {NUMBA_MIN:,} elements, "
            f"{kernel_backend(NUMBA_MIN - 1)} below"
        ),
        "os": platform.platform(),
    }
    info["blas_kernel"] = blas_kernel()
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["blas"] = f"{blas.get('name')} {blas.get('version')}"
        info["blas_config"] = blas.get("openblas configuration", "")
    except Exception:  # older NumPy: no dict form
        info["blas"] = "unknown"
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        info["torch"] = "not installed"
    try:
        import numba

        info["numba"] = numba.__version__
    except ImportError:
        info["numba"] = "not installed"
    try:
        info["load_average"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        pass
    return info


def fmt(x: float, digits: int = 3) -> str:
    if x is None or x != x:
        return "n/a"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"
