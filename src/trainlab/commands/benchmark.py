"""``trainlab benchmark``: a fair comparison of update rules over several problems."""

from __future__ import annotations

from typing import Any

from trainlab.commands._args import (
    add_file_args,
    add_overwrite,
    check_data_args,
    file_options,
    int_list,
    key_value,
    positive_int,
    warn_if_password,
    worker_count,
)

NAME = "benchmark"
HELP = (
    "compare update rules fairly: same lr grid for each, best lr rerun over seeds, "
    "test metric mean ± std, time to target, lr sensitivity and a performance profile"
)

PROTOCOL = "lr grid (seed 0, final validation metric) → best lr rerun with seeds 1..N → test metric"
SPACE_PROTOCOL = (
    "the same --trials random draws for every rule over lr's range and the declared "
    "space (seed 0, final validation metric) → best values rerun with seeds 1..N "
    "→ test metric"
)
QUICK: dict[str, Any] = {"lr_grid": "1e-3:1:4", "seeds": 2, "epochs": 4}
FULL: dict[str, Any] = {"lr_grid": "1e-4:1:9", "seeds": 5, "epochs": 20}


def _names(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def add_arguments(p):
    p.add_argument(
        "--problems",
        type=_names,
        default=None,
        help="comma-separated: digits, fashion-mnist, noisy-quadratic (default all, "
        "or none when --data or --problem is given)",
    )
    p.add_argument(
        "--problem",
        dest="factories",
        action="append",
        default=[],
        metavar="PACKAGE.MODULE:FACTORY",
        help="a problem from code: FACTORY() returns a trainlab.tune.problems."
        "Problem (repeatable; see docs/own-data.md)",
    )
    add_file_args(p, target=False)
    p.add_argument(
        "--hidden",
        type=int_list,
        default=[100, 100],
        help="hidden layer sizes of the --data problem's network (default 100,100)",
    )
    p.add_argument(
        "--batch-size",
        type=positive_int,
        default=100,
        help="mini-batch size of the --data problem (default 100)",
    )
    p.add_argument(
        "--space",
        action="append",
        default=None,
        metavar="NAME=LOW:HIGH[:log]",
        help="searched beyond lr, the same for every rule (repeatable), e.g. "
        "weight_decay=1e-6:1e-2:log, momentum=0.5:0.99 (the rule's momentum "
        "or beta1); then lr is drawn from the --lr-grid range, --trials draws "
        "per rule",
    )
    p.add_argument(
        "--trials",
        type=positive_int,
        default=None,
        help="draws per rule with --space (default: the grid's points × 2)",
    )
    p.add_argument(
        "--optimizers",
        type=_names,
        default=["sgd", "momentum", "adagrad", "adam"],
        help="comma-separated update rules (default sgd,momentum,adagrad,adam)",
    )
    p.add_argument(
        "--seeds",
        type=positive_int,
        default=None,
        help="reruns of each best lr (default 5; --quick 2)",
    )
    p.add_argument(
        "--lr-grid",
        default=None,
        metavar="LOW:HIGH:POINTS",
        help="log-spaced learning rates tried for every rule (default 1e-4:1:9; --quick 1e-3:1:4)",
    )
    p.add_argument(
        "--epochs",
        type=positive_int,
        default=None,
        help="epochs of every run (default 20; --quick 4)",
    )
    p.add_argument(
        "--target",
        type=_target,
        action="append",
        default=[],
        metavar="PROBLEM=VALUE|COLUMN",
        help="validation accuracy (loss for noisy-quadratic, MSE for regression) to "
        "reach; defaults digits=0.9, fashion-mnist=0.8, noisy-quadratic=0.1, "
        "automatic for --data and --problem; without '=', the --data CSV "
        "column to predict",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="small grid, 2 seeds, 4 epochs, smaller data subsamples",
    )
    p.add_argument("--data-dir", default=None, help="folder holding the Fashion-MNIST IDX files")
    p.add_argument(
        "--workers",
        type=worker_count,
        default=None,
        metavar="N",
        help="worker processes on this machine (default: every core, at most one per "
        "training of the plan)",
    )
    p.add_argument(
        "--storage",
        default=None,
        help="journal file path or postgresql:// URL (default OUT/benchmark.journal); "
        "leave the password out of the URL: PGPASSWORD or ~/.pgpass supply it",
    )
    p.add_argument("--study-prefix", default="bench", help="prefix of the study names")
    p.add_argument("--quiet", action="store_true", help="print only the folder")
    p.add_argument(
        "--out", default=None, help="output folder (default runs/benchmark; rerun to resume)"
    )
    add_overwrite(p)


def _target(text: str):
    return key_value(text) if "=" in text else ("column", text)


def _fmt(v) -> str:
    return "not reached" if v is None or v != v or v == float("inf") else f"{v:.3g}"


def run(args) -> int:
    import sys
    from pathlib import Path

    from trainlab.errors import ConfigError
    from trainlab.io import write_json
    from trainlab.optim import create
    from trainlab.runs import prepare_out
    from trainlab.tune import benchmark, plots
    from trainlab.tune.plan import problems_of
    from trainlab.tune.space import parse_space
    from trainlab.tune.storage import redacted

    base = QUICK if args.quick else FULL
    for rule in args.optimizers:
        create(rule)
    columns = [v for k, v in args.target if k == "column"]
    args.target = [(k, v) for k, v in args.target if k != "column"]
    if columns:
        args.target_column = columns[-1]
    custom = {}
    if args.data_file:
        spec = {
            "data": args.data_file,
            **file_options(args, val_ratio=0.2),
            "hidden": args.hidden,
            "batch_size": args.batch_size,
        }
        spec["name"] = Path(args.data_file.split(",")[0]).stem
        custom[spec["name"]] = {"file": spec}
    for f in args.factories:
        from trainlab.tune.problems import factory_problem

        custom[factory_problem(f).name] = {"factory": f}
    if args.problems is None:
        args.problems = [] if custom else ["digits", "fashion-mnist", "noisy-quadratic"]
    args.problems = [*args.problems, *(c for c in custom if c not in args.problems)]
    if not args.problems or not args.optimizers:
        raise ConfigError("--problems and --optimizers need at least one name each")
    targets = {}
    for name, value in args.target:
        if name not in args.problems or not isinstance(value, (int, float)):
            raise ConfigError(f"--target {name}={value}: name one of --problems and give a number")
        targets[name] = float(value)
    lrs = benchmark.lr_grid(args.lr_grid or base["lr_grid"])
    if args.space:
        parse_space(args.space)
    check_data_args(args)
    warn_if_password(args.storage)
    from trainlab.tune.storage import check_spec

    if args.storage:
        check_spec(args.storage)
    plan = {
        "problems": args.problems,
        "optimizers": args.optimizers,
        "lrs": lrs,
        "seeds": args.seeds or base["seeds"],
        "epochs": args.epochs or base["epochs"],
        "quick": args.quick,
        "targets": targets,
        "data_dir": args.data_dir,
        "custom": custom,
        "space": args.space or [],
        "trials": args.trials or 2 * len(lrs),
        "prefix": args.study_prefix,
    }
    made = problems_of(plan)  # a bad file or factory fails here, nothing written
    infos = {name: made[name].dataset()[3] for name, c in custom.items() if "file" in c}
    out = prepare_out(
        args.out or "runs/benchmark", "benchmark", overwrite=args.overwrite, resume=True
    )
    plan["storage"] = args.storage or str(out / "benchmark.journal")
    from trainlab.kernels.threads import one_blas_thread
    from trainlab.train.parallel import choose_workers

    per_rule = (plan["trials"] if plan["space"] else len(lrs)) + plan["seeds"]
    runs = len(plan["problems"]) * len(plan["optimizers"]) * per_rule
    with one_blas_thread():  # the trainings done here use one BLAS thread, as a worker's do
        res = benchmark.run(plan, workers=choose_workers(args.workers, runs))

    from trainlab.report.benchmark_page import write_page
    from trainlab.tune.protocol import recommend

    write_json(
        out / "config.json",
        {
            **plan,
            "kind": "benchmark",
            "storage": redacted(plan["storage"]),
            "protocol": PROTOCOL if not plan["space"] else SPACE_PROTOCOL,
            "data_info": {
                n: {k: v for k, v in i.items() if k != "split"} for n, i in infos.items()
            },
        },
    )
    for info in infos.values():  # one --data file: its split, for other tools
        write_json(out / "splits.json", info["split"])
    summary: dict[str, Any] = {}
    ylabels, sens, curves = {}, {}, {}
    lines = []
    res["recommended"] = {}
    for pname, per in res["problems"].items():
        metric = next(iter(per.values()))["metric"]
        ylabels[pname] = (
            "validation accuracy"
            if metric == "accuracy"
            else f"validation {'MSE' if metric == 'mse' else 'loss'}"
        )
        sens[pname] = {r: (e["sensitivity"]["lr"], e["sensitivity"]["val"]) for r, e in per.items()}
        curves[pname] = {r: e["curves"] for r, e in per.items() if e["curves"]}
        short = {"accuracy": "acc", "mse": "mse"}.get(metric, "loss")
        t = res["targets"][pname]
        lines.append(f"{pname}: target {t['value']:.4g} ({t['how']})")
        for rule, e in per.items():
            mean_std = f"{e['test_mean']:.4g} ± {e['test_std']:.2g} ({len(e['test'])} seeds)"
            summary[f"{pname} {rule} test {short}"] = mean_std
            summary[f"{pname} {rule} lr"] = e["best_lr"]
            summary[f"{pname} {rule} s to target"] = _fmt(e["median_seconds_to_target"])
            summary[f"{pname} {rule} steps to target"] = _fmt(e["median_steps_to_target"])
            lines.append(
                f"{pname:16s} {rule:9s} lr {_fmt(e['best_lr']):>8s}  test {short} "
                f"{mean_std:28s} target {e['target']:.4g}: {e['reached']}/"
                f"{len(e['test'])} seeds, median {_fmt(e['median_epochs_to_target'])} "
                f"epochs, {_fmt(e['median_steps_to_target'])} steps, "
                f"{_fmt(e['median_seconds_to_target'])} CPU s"
            )
        rec = recommend(per, res["ranking"][pname])
        rec["options"] = per[rec["rule"]]["options"]
        res["recommended"][pname] = rec
        summary[f"{pname} recommended"] = f"{rec['rule']} {rec['options']}"
        lines += [
            f"  rank {r['rank']} {r['rule']:9s} {r['verdict']}" for r in res["ranking"][pname]
        ]
        lines.append(f"  recommended: {rec['rule']} {rec['options']} ({rec['why']})")
    plots.sensitivity(sens, out / "sensitivity.png", ylabels)
    if any(curves.values()):
        plots.curves({p: c for p, c in curves.items() if c}, out / "curves.png", ylabels)
    taus, rho = res["profile"]["tau"], res["profile"]["rho"]
    plots.profile(taus, rho, out / "performance_profile.png", what="CPU time to target")
    for rule, values in rho.items():
        tau2 = next((v for t, v in zip(taus, values, strict=False) if t >= 2.0), values[-1])
        summary[f"profile {rule} ρ(1)"] = values[0]
        summary[f"profile {rule} ρ(2)"] = tau2
        summary[f"profile {rule} area"] = res["profile"]["area"][rule]
    summary["warnings"] = len(res["warnings"])
    clean = {
        p: {r: {k: v for k, v in e.items() if k != "curves"} for r, e in per.items()}
        for p, per in res["problems"].items()
    }
    metrics = {
        "summary": summary,
        "problems": clean,
        "time_to_target": res["time_to_target"],
        "steps_to_target": res["steps_to_target"],
        "profile": res["profile"],
        "profile_steps": res["profile_steps"],
        "targets": res["targets"],
        "space": res["space"],
        "budget_per_rule": res["budget_per_rule"],
        "ranking": res["ranking"],
        "overall": res["overall"],
        "recommended": res["recommended"],
        "warnings": res["warnings"],
    }
    write_json(out / "metrics.json", metrics)
    page = write_page(
        out, {**plan, "protocol_text": PROTOCOL if not plan["space"] else SPACE_PROTOCOL}, metrics
    )
    for w in res["warnings"]:
        print(f"warning: {w}", file=sys.stderr)
    if not args.quiet:
        print("\n".join(lines))
        print(
            "performance profile (share of problems within τ of the best CPU time to target, "
            "τ in [1, 4]; area = ∫ρ dτ / 3):"
        )
        for rule, values in rho.items():
            print(
                f"  {rule:9s} ρ(1) = {values[0]:.2f}, ρ(4) = {values[-1]:.2f}, "
                f"area {res['profile']['area'][rule]:.3f}"
            )
        print(f"page: {page}")
    print(out)
    return 0
