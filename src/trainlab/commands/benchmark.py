"""``trainlab benchmark``: a fair comparison of update rules over several problems."""

from __future__ import annotations

from trainlab.commands._args import key_value, positive_int

NAME = "benchmark"
HELP = ("compare update rules fairly: same lr grid for each, best lr rerun over seeds, "
        "test metric mean ± std, time to target, lr sensitivity and a performance profile")

QUICK = {"lr_grid": "1e-3:1:4", "seeds": 2, "epochs": 4}
FULL = {"lr_grid": "1e-4:1:9", "seeds": 5, "epochs": 20}


def _names(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def add_arguments(p):
    p.add_argument("--problems", type=_names, default=["digits", "fashion-mnist", "noisy-quadratic"],
                   help="comma-separated: digits, fashion-mnist, noisy-quadratic (default all)")
    p.add_argument("--optimizers", type=_names, default=["sgd", "momentum", "adagrad", "adam"],
                   help="comma-separated update rules (default sgd,momentum,adagrad,adam)")
    p.add_argument("--seeds", type=positive_int, default=None,
                   help="reruns of each best lr (default 5; --quick 2)")
    p.add_argument("--lr-grid", default=None, metavar="LOW:HIGH:POINTS",
                   help="log-spaced learning rates tried for every rule (default 1e-4:1:9; "
                        "--quick 1e-3:1:4)")
    p.add_argument("--epochs", type=positive_int, default=None,
                   help="epochs of every run (default 20; --quick 4)")
    p.add_argument("--target", type=key_value, action="append", default=[], metavar="PROBLEM=VALUE",
                   help="validation accuracy (loss for noisy-quadratic) to reach; defaults "
                        "digits=0.9, fashion-mnist=0.8, noisy-quadratic=0.1")
    p.add_argument("--quick", action="store_true",
                   help="small grid, 2 seeds, 4 epochs, smaller data subsamples")
    p.add_argument("--data-dir", default=None, help="folder holding the Fashion-MNIST IDX files")
    p.add_argument("--workers", type=positive_int, default=1,
                   help="worker processes on this machine (default 1)")
    p.add_argument("--storage", default=None,
                   help="journal file path or postgresql:// URL (default OUT/benchmark.journal)")
    p.add_argument("--study-prefix", default="bench", help="prefix of the study names")
    p.add_argument("--quiet", action="store_true", help="print only the folder")
    p.add_argument("--out", default=None, help="output folder (default runs/benchmark; rerun to resume)")


def _fmt(v) -> str:
    return "not reached" if v is None or v != v or v == float("inf") else f"{v:.3g}"


def run(args) -> int:
    from trainlab.errors import ConfigError
    from trainlab.io import write_json
    from trainlab.optim import create
    from trainlab.runs import prepare_out
    from trainlab.tune import benchmark, plots
    from trainlab.tune.storage import redacted

    base = QUICK if args.quick else FULL
    for rule in args.optimizers:
        create(rule)
    if not args.problems or not args.optimizers:
        raise ConfigError("--problems and --optimizers need at least one name each")
    targets = {}
    for name, value in args.target:
        if name not in args.problems or not isinstance(value, (int, float)):
            raise ConfigError(f"--target {name}={value}: name one of --problems and give a number")
        targets[name] = float(value)
    lrs = benchmark.lr_grid(args.lr_grid or base["lr_grid"])
    out = prepare_out(args.out or "runs/benchmark", "benchmark")
    plan = {"problems": args.problems, "optimizers": args.optimizers, "lrs": lrs,
            "seeds": args.seeds or base["seeds"], "epochs": args.epochs or base["epochs"],
            "quick": args.quick, "targets": targets, "data_dir": args.data_dir,
            "storage": args.storage or str(out / "benchmark.journal"), "prefix": args.study_prefix}
    res = benchmark.run(plan, workers=args.workers)

    write_json(out / "config.json", {**plan, "kind": "benchmark", "workers": args.workers,
                                     "storage": redacted(plan["storage"]),
                                     "protocol": "lr grid (seed 0, final validation metric) → "
                                                 "best lr rerun with seeds 1..N → test metric"})
    summary, ylabels, sens, curves = {}, {}, {}, {}
    lines = []
    for pname, per in res["problems"].items():
        metric = next(iter(per.values()))["metric"]
        ylabels[pname] = "validation accuracy" if metric == "accuracy" else "validation loss"
        sens[pname] = {r: (e["sensitivity"]["lr"], e["sensitivity"]["val"]) for r, e in per.items()}
        curves[pname] = {r: e["curves"] for r, e in per.items() if e["curves"]}
        short = "acc" if metric == "accuracy" else "loss"
        for rule, e in per.items():
            mean_std = f"{e['test_mean']:.4g} ± {e['test_std']:.2g} ({len(e['test'])} seeds)"
            summary[f"{pname} {rule} test {short}"] = mean_std
            summary[f"{pname} {rule} lr"] = e["best_lr"]
            summary[f"{pname} {rule} s to target"] = _fmt(e["median_seconds_to_target"])
            lines.append(f"{pname:16s} {rule:9s} lr {_fmt(e['best_lr']):>8s}  test {short} "
                         f"{mean_std:28s} target {e['target']:g}: {e['reached']}/{len(e['test'])} "
                         f"seeds, median {_fmt(e['median_epochs_to_target'])} epochs, "
                         f"{_fmt(e['median_seconds_to_target'])} s")
    plots.sensitivity(sens, out / "sensitivity.png", ylabels)
    if any(curves.values()):
        plots.curves({p: c for p, c in curves.items() if c}, out / "curves.png", ylabels)
    taus, rho = res["profile"]["tau"], res["profile"]["rho"]
    plots.profile(taus, rho, out / "performance_profile.png")
    for rule, values in rho.items():
        tau2 = next((v for t, v in zip(taus, values) if t >= 2.0), values[-1])
        summary[f"profile {rule} ρ(1)"] = values[0]
        summary[f"profile {rule} ρ(2)"] = tau2
    clean = {p: {r: {k: v for k, v in e.items() if k != "curves"} for r, e in per.items()}
             for p, per in res["problems"].items()}
    write_json(out / "metrics.json", {"summary": summary, "problems": clean,
                                      "time_to_target": res["time_to_target"],
                                      "profile": res["profile"]})
    if not args.quiet:
        print("\n".join(lines))
        print("performance profile (share of problems within τ of the best time to target):")
        for rule, values in rho.items():
            print(f"  {rule:9s} ρ(1) = {values[0]:.2f}, ρ(max τ) = {values[-1]:.2f}")
    print(out)
    return 0
