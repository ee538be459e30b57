"""The main job on every core: ``trainlab demo`` and ``trainlab run all`` at
``--workers 1`` and at every core, and each experiment against the notes' own
script for it (``notes_experiments.py``), with the peak memory of the whole
process tree.

Every command runs in a child process; a sampler reads ``/proc`` every 50 ms
and sums, over the command and all its descendants, the resident set (RSS:
shared pages counted once per process that maps them) and the proportional
set (PSS: shared pages split between the processes that map them, so the data
shared by the workers count once). CPU seconds are the children's
``getrusage``. Both runs of a pair must write the same files and numbers,
which this checks too (timing fields aside).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import harness

MB = 1e6
#: trials of the search benchmarked against hyperparameter_optimization.py (the book's 100)
TRIALS, QUICK_TRIALS = 100, 20


def trainlab_command(name: str, data: list[str], cores: int, trials: int) -> list[str]:
    """The trainlab command that does what the notes' script for ``name`` does."""
    if name == "landscape":
        return ["landscape"]
    if name == "tune":
        return ["tune", *data, "--trials", trials, "--workers", cores, "--quiet"]
    return ["run", name, *data, "--quiet", "--workers", cores]


def _tree(root: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += kids.get(pid, [])
    return out


def _memory(pids) -> dict:
    """Summed RSS and PSS of ``pids``, the shared-memory part of the PSS (the data
    the workers share), and the largest own PSS (PSS without it) of one of ``pids[1:]``."""
    out = {"rss": 0, "pss": 0, "shmem": 0, "worker": 0}
    for k, pid in enumerate(pids):
        got = {}
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    key, _, value = line.partition(":")
                    if key in ("Rss", "Pss", "Pss_Shmem"):
                        got[key] = int(value.split()[0]) * 1024
        except OSError:
            continue
        out["rss"] += got.get("Rss", 0)
        out["pss"] += got.get("Pss", 0)
        out["shmem"] += got.get("Pss_Shmem", 0)
        if k:
            out["worker"] = max(out["worker"], got.get("Pss", 0) - got.get("Pss_Shmem", 0))
    return out


def measure(cmd: list[str], env: dict) -> dict:
    """Wall and CPU seconds, peak summed RSS and PSS of ``cmd`` and its descendants."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"rss": 0, "pss": 0, "shmem": 0, "worker": 0, "procs": 0}
    done = threading.Event()

    def sample():
        while not done.is_set():
            pids = _tree(proc.pid)
            for key, value in _memory(pids).items():
                peak[key] = max(peak[key], value)
            peak["procs"] = max(peak["procs"], len(pids))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {err.strip()[-500:]}")
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_rss": peak["rss"],
        "peak_pss": peak["pss"],
        "peak_shared": peak["shmem"],
        "peak_worker": peak["worker"],
        "processes": peak["procs"],
        "stdout": out,
    }


def memory_bound(side: dict, workers: int) -> float:
    """The bound 1.5 × (data + N × one worker) + 150 MB: the data as the workers
    share them (shared memory), a worker as all of its own memory (interpreter,
    imports, model and buffers: the largest seen)."""
    return 1.5 * (side["peak_shared"] + workers * side["peak_worker"]) + 150 * MB


def _untimed(obj):
    if isinstance(obj, dict):
        return {
            k: _untimed(v)
            for k, v in obj.items()
            if k not in ("seconds", "time", "pid") and not k.endswith(": seconds")
        }
    if isinstance(obj, list):
        return [_untimed(v) for v in obj]
    return obj


def same_results(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*.json"))
    if files != sorted(p.relative_to(b) for p in b.rglob("*.json")):
        return False
    return all(
        _untimed(json.loads((a / f).read_text())) == _untimed(json.loads((b / f).read_text()))
        for f in files
    )


def blas_kernel() -> str:
    """The BLAS library and the kernel (core type) it runs, as threadpoolctl reports it."""
    from threadpoolctl import threadpool_info

    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    return (
        ", ".join(f"{i['internal_api']} {i.get('version')} {i.get('architecture')}" for i in blas)
        or "unknown"
    )


def _cli(*args) -> list[str]:
    return [sys.executable, "-m", "trainlab.cli", *map(str, args)]


def run(quick: bool) -> dict:
    cores = os.cpu_count() or 1
    env = dict(
        os.environ, PYTHONPATH=str(harness.REPO / "src"), MPLBACKEND="Agg", TRAINLAB_OFFLINE="1"
    )
    notes_env = harness.thread_env(1)  # one BLAS thread, as every trainlab worker has
    notes_env["PYTHONPATH"] = env["PYTHONPATH"]
    data = str(harness.DATA_DIR)
    fashion = ["--dataset", "fashion-mnist", "--data-dir", data]
    res = {
        "cores": cores,
        "quick": quick,
        "blas_kernel": blas_kernel(),
        "pairs": [],
        "notes": [],
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    jobs = {
        "make demo (trainlab demo)": ["demo"],
        "trainlab run all --dataset fashion-mnist" + (" --quick" if quick else ""): [
            "run",
            "all",
            *fashion,
        ]
        + (["--quick"] if quick else []),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for k, (label, args) in enumerate(jobs.items()):
            sides = {}
            order = (1, cores) if k % 2 == 0 else (cores, 1)  # interleaved: A B, B A
            for w in order:
                out = Path(tmp) / f"{k}-w{w}"
                print(f"[bench]   {label} --workers {w}", flush=True)
                sides[w] = measure(_cli(*args, "--out", out, "--quiet", "--workers", w), env)
                sides[w].pop("stdout")
            res["pairs"].append(
                {
                    "label": label,
                    "sides": {str(w): s for w, s in sides.items()},
                    "speedup": sides[1]["wall"] / sides[cores]["wall"],
                    "identical": same_results(Path(tmp) / f"{k}-w1", Path(tmp) / f"{k}-w{cores}"),
                }
            )
        notes_data = ["--dataset", "digits"] if quick else fashion
        trials = QUICK_TRIALS if quick else TRIALS
        import notes_experiments

        for name in notes_experiments.SCRIPTS:
            print(f"[bench]   {name}: trainlab vs the notes' script", flush=True)
            mine = measure(
                _cli(
                    *trainlab_command(name, notes_data, cores, trials),
                    "--out",
                    Path(tmp) / f"n-{name}",
                ),
                env,
            )
            script = [
                sys.executable,
                str(Path(__file__).with_name("notes_experiments.py")),
                name,
                "digits" if quick else data,
                *([str(trials)] if name == "tune" else []),
            ]
            theirs = measure(script, notes_env)
            res["notes"].append(
                {
                    "experiment": name,
                    "script": notes_experiments.SCRIPTS[name][0],
                    "trainlab": {k: v for k, v in mine.items() if k != "stdout"},
                    "notes": {k: v for k, v in theirs.items() if k != "stdout"},
                    "speedup": theirs["wall"] / mine["wall"],
                    "trials": trials if name == "tune" else None,
                }
            )
    return res


def table(res: dict) -> list[str]:
    c = res["cores"]
    lines = [
        f"Whole commands in a child process, `--workers 1` against `--workers {c}` (every "
        f"core), interleaved; BLAS: {res['blas_kernel']}; load average at the start "
        f"{res['load_average']} (a shared machine: the speed-ups are what was left of it). "
        "Memory: peak over the run of the sum over the command's processes (RSS counts "
        "shared pages once per process; PSS splits them).",
        "",
        "| command | workers | wall s | CPU s | peak RSS (sum) | peak PSS (sum) | shared data "
        "| largest worker | bound | processes | speed-up | same results |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in res["pairs"]:
        for w, s in p["sides"].items():
            many = w == str(c)
            lines.append(
                f"| {p['label']} | {w} | {s['wall']:.1f} | {s['cpu']:.1f} | "
                f"{s['peak_rss'] / MB:.0f} MB | {s['peak_pss'] / MB:.0f} MB | "
                + (
                    f"{s['peak_shared'] / MB:.0f} MB | {s['peak_worker'] / MB:.0f} MB | "
                    f"{memory_bound(s, c) / MB:.0f} MB"
                    if many
                    else "| |"
                )
                + f" | {s['processes']} | "
                + (
                    f"{p['speedup']:.2f}× | {'yes' if p['identical'] else 'NO'} |"
                    if many
                    else "| |"
                )
            )
    lines += [
        "",
        "Bound: 1.5 × (shared data + N × the largest worker's own memory, its "
        "interpreter and imports included) + 150 MB; PSS counts the shared data once.",
    ]
    data = "digits" if res["quick"] else "Fashion-MNIST"
    lines += [
        "",
        f"Each experiment (the notes' settings, {data}) against the notes' own script "
        f"for it (`benchmarks/notes_experiments.py`, one BLAS thread, as every trainlab "
        f"worker); trainlab at `--workers {c}`; whole processes, data loading and the "
        "figures included on both sides (the scripts save theirs where the book shows "
        "them).",
        "",
        "| experiment | the notes' script | notes s | trainlab s | × | notes peak RSS | "
        "trainlab peak PSS (sum) |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in res["notes"]:
        lines.append(
            f"| {n['experiment']} | {n['script']}"
            + (f" ({n['trials']} trials)" if n.get("trials") else "")
            + f" | {n['notes']['wall']:.1f} | "
            f"{n['trainlab']['wall']:.1f} | {n['speedup']:.1f}× | "
            f"{n['notes']['peak_rss'] / MB:.0f} MB | "
            f"{n['trainlab']['peak_pss'] / MB:.0f} MB |"
        )
    return lines


if __name__ == "__main__":
    r = run("--quick" in sys.argv)
    print("\n".join(table(r)))
