"""Trials per minute of ``trainlab tune`` with 1 and 2 workers.

Two clocks per run: the whole command (start-up, data, the final retraining
and figures included), and the search itself, from the first trial's start to
the last trial's end as the study's journal records them.
"""

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
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(harness.REPO / "src"), env.get("PYTHONPATH")])
    )
    return subprocess.run(
        [sys.executable, "-m", "trainlab.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def command(trials: int, workers: int, epochs: int, out: str) -> list[str]:
    return [
        "tune",
        "--dataset",
        "fashion-mnist",
        "--data-dir",
        str(harness.DATA_DIR),
        "--trials",
        str(trials),
        "--epochs",
        str(epochs),
        "--workers",
        str(workers),
        "--quiet",
        "--out",
        out,
    ]


def search_seconds(out: str) -> float:
    """First trial's start to last trial's end, from the study in ``out``."""
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = JournalStorage(JournalFileBackend(f"{out}/study.journal"))
    name = optuna.get_all_study_summaries(storage)[0].study_name
    trials = optuna.load_study(study_name=name, storage=storage).get_trials(deepcopy=False)
    start = min(t.datetime_start for t in trials)
    return (max(t.datetime_complete for t in trials) - start).total_seconds()


def run(quick: bool) -> dict:
    trials, epochs, repeats = (10, 10, 1) if quick else (100, 50, 3)
    probe = _cli("tune", "--help")
    if probe.returncode != 0 or "--workers" not in probe.stdout:
        why = (probe.stderr or probe.stdout).strip().splitlines()
        return {"available": False, "why": why[-1] if why else "no tune command"}
    # (label, workers, threads per process: None = trainlab's own choice)
    variants = [("1 worker", 1, None), ("1 worker, 1 BLAS thread", 1, 1), ("2 workers", 2, None)]
    whole = {label: [] for label, _, _ in variants}
    search = {label: [] for label, _, _ in variants}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(repeats):
            for k, (label, w, th) in enumerate(variants if r % 2 == 0 else variants[::-1]):
                out = f"{tmp}/{r}-{k}"
                t0 = time.perf_counter()
                res = _cli(*command(trials, w, epochs, out), timeout=1800, threads=th)
                took = time.perf_counter() - t0
                if res.returncode != 0:
                    why = (res.stderr or res.stdout).strip().splitlines()
                    return {
                        "available": False,
                        "why": f"exit {res.returncode}: {why[-1] if why else ''}",
                    }
                whole[label].append(trials / took * 60)
                search[label].append(trials / search_seconds(out) * 60)
    return {
        "available": True,
        "trials": trials,
        "epochs": epochs,
        "command": "trainlab " + " ".join(command(trials, 1, epochs, "OUT")),
        "per_minute": {label: statistics.median(s) for label, s in whole.items()},
        "search_per_minute": {label: statistics.median(s) for label, s in search.items()},
        "samples": whole,
        "search_samples": search,
    }


def ratios(res: dict) -> dict:
    """2 workers over 1 worker, whole command and search alone."""
    return {
        clock: res[key]["2 workers"] / res[key]["1 worker"]
        for clock, key in (("whole", "per_minute"), ("search", "search_per_minute"))
    }


def table(res: dict) -> list[str]:
    if not res["available"]:
        return [f"`trainlab tune`: not available ({res['why']})."]
    pm, sm, r = res["per_minute"], res["search_per_minute"], ratios(res)
    single = sm["1 worker, 1 BLAS thread"]
    return [
        f"`{res['command']}` (and `--workers 2`), the notes' protocol: 500 training "
        f"samples, {res['epochs']} epochs per trial, {res['trials']} trials; medians of "
        "interleaved runs. `trainlab tune` gives each worker cores / workers BLAS threads "
        "(both cores to a single worker); the middle row sets 1 thread through the "
        "environment. Whole command: start-up, data, the final retraining and the figures "
        "included. Search: the first trial's start to the last trial's end, from the "
        "study's journal.",
        "",
        "| run | trials per minute, whole command | trials per minute, search |",
        "|---|---|---|",
        *[f"| {label} | {pm[label]:.1f} | {sm[label]:.1f} |" for label in pm],
        "",
        f"2 workers / 1 worker: {r['whole']:.2f}× (whole command), {r['search']:.2f}× "
        f"(search). Against one single-threaded worker, 2 workers reach "
        f"{sm['2 workers'] / single:.2f}× in the search; the second BLAS thread alone "
        f"already gives one worker {sm['1 worker'] / single:.2f}×, which caps what a "
        f"second worker can add at 2 / {sm['1 worker'] / single:.2f} = "
        f"{2 * single / sm['1 worker']:.2f}×.",
    ]
