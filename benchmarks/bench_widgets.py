"""How long the notebooks' widgets take to redraw when a control moves (the
notebooks promise the picture within a second): each lab in a child process
with one BLAS thread, a new value at every move, so that every redraw
recomputes (the loss-curve lab trains anew for each learning rate)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

import harness

TARGET_S = 1.0
#: lab, control, the values it is moved through (each redraw gets a new one)
MOVES = (
    ("landscape", "SGD's lr slider", [0.3, 0.5, 0.7, 0.9, 0.2, 0.4, 0.6, 0.8]),
    ("histograms", "the weight scale", ["0.01", "xavier", "he", "1"] * 2),
    ("loss curve", "the lr slider (trains 10 epochs)", [0.01, 0.03, 0.3, 1.0, 3.0]),
)


def _control(lab, name):
    if name == "landscape":
        return lab.rules["sgd"]["lr"]
    return lab.scale_box if name == "histograms" else lab.lr_box


def _child(name: str, values: list) -> dict:
    from trainlab.notebooks import HistogramLab, LandscapeLab, LossCurveLab

    lab = {
        "landscape": lambda: LandscapeLab("bowl", lang="ko"),
        "histograms": lambda: HistogramLab("1", "sigmoid", lang="ko"),
        "loss curve": lambda: LossCurveLab(lr=0.1, lang="ko"),
    }[name]()
    seconds = []
    for v in values:
        before = lab.redraws
        _control(lab, name).value = v
        assert lab.redraws == before + 1, "moving the control did not redraw"
        seconds.append(lab.seconds)
    return {"seconds": seconds}


def run(quick: bool) -> dict:
    rows = []
    for name, control, values in MOVES:
        values = values[:3] if quick else values
        res = subprocess.run(
            [sys.executable, __file__, name, json.dumps(values)],
            capture_output=True,
            text=True,
            env=harness.thread_env(1),
        )
        if res.returncode != 0:
            rows.append(
                {
                    "lab": name,
                    "control": control,
                    "ok": False,
                    "why": (res.stderr.strip().splitlines() or ["no output"])[-1],
                }
            )
            continue
        s = json.loads(res.stdout)["seconds"]
        rows.append(
            {
                "lab": name,
                "control": control,
                "ok": True,
                "moves": len(s),
                "median": statistics.median(s),
                "slowest": max(s),
            }
        )
    return {"target_s": TARGET_S, "rows": rows}


def table(res: dict) -> list[str]:
    out = [
        "Seconds from a control's new value to the new PNG in the widget (recompute and "
        "render), Korean labels, one BLAS thread.",
        "",
        "| lab | control moved | moves | median s | slowest s |",
        "|---|---|---|---|---|",
    ]
    for r in res["rows"]:
        if r["ok"]:
            out.append(
                f"| {r['lab']} | {r['control']} | {r['moves']} | {r['median']:.2f} | "
                f"{r['slowest']:.2f} |"
            )
        else:
            out.append(f"| {r['lab']} | {r['control']} | failed: {r['why']} | | |")
    return out


def target(res: dict) -> tuple[bool, str]:
    """Whether every move redrew within the target, and each lab's slowest move."""
    ok = [r for r in res["rows"] if r["ok"]]
    met = len(ok) == len(res["rows"]) and all(r["slowest"] < res["target_s"] for r in ok)
    return met, ", ".join(f"{r['lab']} {r['slowest']:.2f} s" for r in ok)


if __name__ == "__main__":
    print(json.dumps(_child(sys.argv[1], json.loads(sys.argv[2]))))
