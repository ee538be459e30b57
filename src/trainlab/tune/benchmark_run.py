"""A :class:`~trainlab.tune.benchmark_spec.BenchmarkSpec` carried out into its run folder.

:func:`run` checks the problems (a bad file or factory fails before anything
is written), runs the studies (:mod:`trainlab.tune.benchmark`), and writes
``config.json``, ``splits.json`` for a ``--data`` file, the figures and
``metrics.json``: the summary, each problem's rules with their ranking and the
recommended one, the performance profiles. It returns what to print; the page
(:mod:`trainlab.report.benchmark_page`) is made from the same metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainlab.io import write_json
from trainlab.kernels.threads import one_blas_thread
from trainlab.optim import create
from trainlab.optim.recipe import call_text, recipe
from trainlab.runs import prepare_out
from trainlab.train.parallel import choose_workers
from trainlab.tune import benchmark
from trainlab.tune.benchmark_spec import BenchmarkSpec
from trainlab.tune.figures import draw, metric_of
from trainlab.tune.plan import problems_of
from trainlab.tune.protocol import recommend
from trainlab.tune.storage_spec import redacted

#: the result's keys that ``metrics.json`` keeps, after its summary and problems
KEPT = (
    "time_to_target",
    "steps_to_target",
    "profile",
    "profile_steps",
    "targets",
    "space",
    "budget_per_rule",
    "ranking",
    "overall",
    "recommended",
    "warnings",
)


@dataclass
class Finished:
    """A finished benchmark: its folder, its metrics, the lines that summarise it,
    its warnings, and the plan its page describes."""

    out: Path
    metrics: dict
    lines: list[str]
    warnings: list[str]
    plan: dict


def run(spec: BenchmarkSpec) -> Finished:
    """Run (or resume) the benchmark ``spec`` and write its run folder."""
    plan = spec.plan()
    made = problems_of(plan)  # a bad file or factory fails here, nothing written
    infos = {name: made[name].dataset()[3] for name, c in spec.custom.items() if "file" in c}
    out = prepare_out(spec.out, "benchmark", overwrite=spec.overwrite, resume=True)
    plan["storage"] = spec.storage or str(out / "benchmark.journal")
    with one_blas_thread():  # the trainings done here use one BLAS thread, as a worker's do
        res = benchmark.run(plan, workers=choose_workers(spec.workers, spec.trainings()))
    write_json(out / "config.json", run_config(spec, plan, infos))
    for info in infos.values():  # one --data file: its split, for other tools
        write_json(out / "splits.json", info["split"])
    summary: dict[str, Any] = {}
    res["recommended"] = {}
    lines = [line for pname in res["problems"] for line in summarise(res, pname, summary)]
    draw(res, out)
    lines += summarise_profile(res, summary)
    summary["warnings"] = len(res["warnings"])
    metrics = metrics_of(res, summary)
    write_json(out / "metrics.json", metrics)
    return Finished(out, metrics, lines, res["warnings"], {**plan, "protocol_text": spec.protocol})


def run_config(spec: BenchmarkSpec, plan: dict, infos: dict) -> dict:
    """``config.json``: the plan (its storage without a password), the protocol, and
    what each ``--data`` file held."""
    return {
        **plan,
        "kind": "benchmark",
        "storage": redacted(plan["storage"]),
        "protocol": spec.protocol,
        "data_info": {n: {k: v for k, v in i.items() if k != "split"} for n, i in infos.items()},
    }


def shown(v) -> str:
    """A time or a step count to target as printed: ``not reached`` for a miss."""
    return "not reached" if v is None or v != v or v == float("inf") else f"{v:.3g}"


def summarise(res: dict, pname: str, summary: dict) -> list[str]:
    """The lines of problem ``pname``; its entries of ``summary`` and its
    recommended rule (``res["recommended"]``) are filled in on the way."""
    per = res["problems"][pname]
    short = {"accuracy": "acc", "mse": "mse"}.get(metric_of(per), "loss")
    t = res["targets"][pname]
    lines = [f"{pname}: target {t['value']:.4g} ({t['how']})"]
    for rule, e in per.items():
        mean_std = f"{e['test_mean']:.4g} ± {e['test_std']:.2g} ({len(e['test'])} seeds)"
        summary[f"{pname} {rule} test {short}"] = mean_std
        summary[f"{pname} {rule} lr"] = e["best_lr"]
        if "defaults" in e:
            d = e["defaults"]
            summary[f"{pname} {rule} test {short} at defaults"] = (
                f"{d['test_mean']:.4g} ± {d['test_std']:.2g} ({len(d['test'])} seeds)"
            )
        summary[f"{pname} {rule} s to target"] = shown(e["median_seconds_to_target"])
        summary[f"{pname} {rule} steps to target"] = shown(e["median_steps_to_target"])
        lines.append(
            f"{pname:16s} {rule:9s} lr {shown(e['best_lr']):>8s}  test {short} "
            f"{mean_std:28s} target {e['target']:.4g}: {e['reached']}/"
            f"{len(e['test'])} seeds, median {shown(e['median_epochs_to_target'])} "
            f"epochs, {shown(e['median_steps_to_target'])} steps, "
            f"{shown(e['median_seconds_to_target'])} CPU s"
        )
    rec = recommend(per, res["ranking"][pname])
    rec["options"] = per[rec["rule"]]["options"]
    rec["call"] = library_call(rec["rule"], rec["options"])
    res["recommended"][pname] = rec
    summary[f"{pname} recommended"] = f"{rec['rule']} {rec['options']}"
    lines += [f"  rank {r['rank']} {r['rule']:9s} {r['verdict']}" for r in res["ranking"][pname]]
    lines.append(f"  recommended: {rec['rule']} {rec['options']} ({rec['why']})")
    if rec["call"]:
        lines.append(f"  as a library call: {rec['call']}")
    return lines


def library_call(rule: str, options: dict) -> str | None:
    """The ``torch.optim`` or reference call that takes the steps of ``rule`` with
    ``options`` (``weight_decay`` aside: the network's penalty, not the rule's)."""
    found = recipe(create(rule, **{k: v for k, v in options.items() if k != "weight_decay"}))
    return call_text(*found) if found else None


def summarise_profile(res: dict, summary: dict) -> list[str]:
    """The performance profile's lines; its entries of ``summary`` filled in on the way."""
    taus, rho, area = res["profile"]["tau"], res["profile"]["rho"], res["profile"]["area"]
    lines = [
        "performance profile (share of problems within τ of the best CPU time to target, "
        "τ in [1, 4]; area = ∫ρ dτ / 3):"
    ]
    for rule, values in rho.items():
        tau2 = next((v for t, v in zip(taus, values, strict=False) if t >= 2.0), values[-1])
        summary[f"profile {rule} ρ(1)"] = values[0]
        summary[f"profile {rule} ρ(2)"] = tau2
        summary[f"profile {rule} area"] = area[rule]
        lines.append(
            f"  {rule:9s} ρ(1) = {values[0]:.2f}, ρ(4) = {values[-1]:.2f}, area {area[rule]:.3f}"
        )
    return lines


def metrics_of(res: dict, summary: dict) -> dict:
    """``metrics.json``: the summary, each problem's entries without their curves,
    the rest of the result, and the curves apart (``"curves"``: problem → rule →
    seeds × epochs, for the rules that have them)."""
    problems = {
        p: {r: {k: v for k, v in e.items() if k != "curves"} for r, e in per.items()}
        for p, per in res["problems"].items()
    }
    curves = {
        p: {r: e["curves"] for r, e in per.items() if e["curves"]}
        for p, per in res["problems"].items()
    }
    kept = {k: res[k] for k in KEPT}
    return {"summary": summary, "problems": problems, **kept, "curves": curves}
