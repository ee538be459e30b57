"""A :class:`~trainlab.tune.search_spec.SearchSpec` carried out into its run folder.

:func:`run` checks the network's size and the data (a bad file fails before
anything is written), runs the study to its budget and concludes it
(:mod:`trainlab.tune.search`), and writes ``config.json``, ``splits.json``
for a ``--data`` file, the notes' Best-k listing (``best_trials.txt``), the
figures and ``metrics.json``. It returns what to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainlab.io import write_json
from trainlab.nn.net import check_size
from trainlab.runs import prepare_out
from trainlab.tune import plots
from trainlab.tune.objective import Setup, load_split
from trainlab.tune.search import conclude, search
from trainlab.tune.search_spec import SearchSpec
from trainlab.tune.space import parse_space
from trainlab.tune.storage_spec import redacted

#: the listing's lines printed (its header and the 20 best trials)
SHOWN = 21


@dataclass
class Finished:
    """A finished search: its folder, the head of its Best-k listing and the lines
    that close it (counts, the best trial's test metric, the next round's space)."""

    out: Path
    listing: list[str]
    closing: list[str]


def run(spec: SearchSpec) -> Finished:
    """Run (or resume) the search ``spec`` and write its run folder."""
    cfg = spec.config()
    check_size([784, *spec.hidden, 10], 4)  # before any data: the largest built-in inputs
    info = load_split(Setup.of(cfg))[3]  # a bad data file fails here, nothing written
    regression = info.get("task") == "regression"
    out = prepare_out(str(spec.out), "tune", overwrite=spec.overwrite, resume=True)
    cfg["storage"] = spec.storage or str(out / "study.journal")
    study = search(cfg, workers=spec.workers)
    res = conclude(cfg, study, top=spec.top)
    write_json(out / "config.json", run_config(spec, cfg, info, regression))
    if spec.data:
        write_json(out / "splits.json", info["split"])
    lines = res["listing"]
    if regression:
        lines = [ln.replace("(val acc:", "(val R²:") for ln in lines]
    (out / "best_trials.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if res["ranked"]:
        plots.best_trials(res["ranked"], out / "best_trials.png")
        plots.search_space(res["ranked"], parse_space(cfg["space"]), out / "search_space.png")
    write_json(out / "metrics.json", metrics_of(res, study, lines, regression))
    return Finished(out, lines[:SHOWN], closing(res, spec.max_retries, regression))


def run_config(spec: SearchSpec, cfg: dict, info: dict, regression: bool) -> dict:
    """``config.json``: the study's configuration (its storage without a password),
    the workers, the objective, and what a ``--data`` file held."""
    return {
        **cfg,
        "kind": "tune",
        "workers": spec.workers,
        "top": spec.top,
        "storage": redacted(cfg["storage"]),
        "objective": "final epoch's validation R² (regression: 1 − MSE/variance, the MSE's order)"
        if regression
        else "final epoch's validation accuracy",
        **({"data_info": {k: v for k, v in info.items() if k != "split"}} if spec.data else {}),
    }


def next_space(res: dict) -> str:
    """The narrowed ranges as the next round's ``--space`` flags (empty without them)."""
    return " ".join(f"--space {p.spec()}" for p in res["suggested"].values())


def summary_of(res: dict, regression: bool) -> dict:
    """``metrics.json``'s summary: the trial counts, the best trial and its test metric."""
    c, best = res["counts"], res["best"]
    summary: dict[str, Any] = {
        "trials complete": c["complete"],
        "trials pruned": c["pruned"],
        "trials failed": c["failed"],
        "trials lost (rerun)": c["lost"],
    }
    if best:
        score = "R²" if regression else "acc"
        summary[f"best val {score}"] = best["val_acc"]
        summary["best trial"] = best["trial"]
        summary.update({f"best {k}": v for k, v in best["params"].items()})
        if regression:
            summary["test MSE of best (retrained once, after the search)"] = best["test_loss"]
            summary["test R² of best"] = best["test_acc"]
        else:
            summary["test acc of best (retrained once, after the search)"] = best["test_acc"]
    if next_space(res):
        summary["suggested next space"] = next_space(res)
    return summary


def metrics_of(res: dict, study, lines: list[str], regression: bool) -> dict:
    """``metrics.json``: the summary, the best trial, the counts, the narrowed ranges,
    the listing and every trial."""
    trials = [
        {
            "number": t.number,
            "state": t.state.name,
            "params": t.params,
            "value": t.value,
            "fail_reason": t.user_attrs.get("fail_reason"),
            "seconds": t.user_attrs.get("seconds"),
        }
        for t in study.get_trials(deepcopy=False)
    ]
    return {
        "summary": summary_of(res, regression),
        "best": res["best"],
        "counts": res["counts"],
        "suggested": {k: [p.low, p.high] for k, p in res["suggested"].items()},
        "listing": lines[1:],
        "trials": trials,
        "ranked": [drawn_of(t) for t in res["ranked"]],
    }


def drawn_of(trial) -> dict:
    """What the figures draw of a completed trial: its parameters, its value and
    its accuracy curves (``metrics.json``'s ``"ranked"``, best first)."""
    curves = {k: trial.user_attrs[k] for k in ("val_acc", "train_acc")}
    return {"params": trial.params, "value": trial.value, "user_attrs": curves}


def closing(res: dict, max_retries: int, regression: bool) -> list[str]:
    """The lines printed after the listing."""
    c, best = res["counts"], res["best"]
    lines = [
        f"trials: {c['complete']} complete, {c['pruned']} pruned, {c['failed']} failed"
        + (f", {c['lost']} lost and rerun" if c["lost"] else "")
    ]
    if c["given up"]:
        lines.append(
            f"given up after {max_retries} retries (their workers died each time): "
            f"trials {', '.join(map(str, c['given up']))}"
        )
    if best and regression:
        lines.append(
            f"test MSE of Best-1 (retrained once, after the search, on {best['n_test']} "
            f"test samples): {best['test_loss']:.4g} (R² {best['test_acc']:.4f})"
        )
    elif best:
        lines.append(
            f"test acc of Best-1 (retrained once, after the search, on {best['n_test']} "
            f"test samples): {best['test_acc']:.4f}"
        )
    if next_space(res):
        lines.append(f"next round: {next_space(res)}")
    return lines
