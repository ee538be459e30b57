"""The figures of a benchmark and of a search, drawn from their results (and
redrawn from a run folder's ``metrics.json``): no optuna, no training."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from trainlab.io import read_json
from trainlab.tune import plots
from trainlab.tune.space import parse_space


def metric_of(per: dict) -> str:
    return next(iter(per.values()))["metric"]


def ylabel(metric: str) -> str:
    if metric == "accuracy":
        return "validation accuracy"
    return f"validation {'MSE' if metric == 'mse' else 'loss'}"


def draw(res: dict, out: Path) -> None:
    """``sensitivity.png``, ``curves.png`` (when there are curves) and
    ``performance_profile.png``."""
    problems = res["problems"]
    ylabels = {p: ylabel(metric_of(per)) for p, per in problems.items()}
    sens = {
        p: {r: (e["sensitivity"]["lr"], e["sensitivity"]["val"]) for r, e in per.items()}
        for p, per in problems.items()
    }
    curves = {
        p: {r: e["curves"] for r, e in per.items() if e["curves"]} for p, per in problems.items()
    }
    plots.sensitivity(sens, out / "sensitivity.png", ylabels)
    if any(curves.values()):
        plots.curves({p: c for p, c in curves.items() if c}, out / "curves.png", ylabels)
    taus, rho = res["profile"]["tau"], res["profile"]["rho"]
    plots.profile(taus, rho, out / "performance_profile.png", what="CPU time to target")


def replot_benchmark(folder: Path) -> None:
    """The figures of the benchmark run in ``folder``, redrawn from its
    ``metrics.json``; ``curves.png`` only where it kept the curves."""
    metrics = read_json(folder / "metrics.json")
    curves = metrics.get("curves", {})
    problems = {
        p: {r: {**e, "curves": curves.get(p, {}).get(r)} for r, e in per.items()}
        for p, per in metrics["problems"].items()
    }
    draw({"problems": problems, "profile": metrics["profile"]}, folder)


def replot_search(folder: Path) -> None:
    """``best_trials.png`` and ``search_space.png`` of the search in ``folder``,
    redrawn from its ``metrics.json`` (none where it kept no ``"ranked"``)."""
    trials = [SimpleNamespace(**t) for t in read_json(folder / "metrics.json").get("ranked", [])]
    if trials:
        space = parse_space(read_json(folder / "config.json")["space"])
        plots.best_trials(trials, folder / "best_trials.png")
        plots.search_space(trials, space, folder / "search_space.png")
