"""``trainlab tune``: the notes' hyperparameter search on an Optuna study."""

from __future__ import annotations

from trainlab.commands._args import (
    add_data_args,
    add_file_args,
    add_overwrite,
    check_data_args,
    int_list,
    non_negative_int,
    positive_int,
    warn_if_password,
    worker_count,
)

NAME = "tune"
HELP = (
    "search hyperparameters on validation data (random, TPE or grid; Optuna study, "
    "resumable, parallel); writes the Best-k listing, figures and a narrowed --space"
)

DEFAULT_SPACE = ["lr=1e-6:1e-2:log", "weight_decay=1e-8:1e-4:log"]


def add_arguments(p):
    add_data_args(p)
    add_file_args(p)
    p.add_argument("--optimizer", default="sgd", help="update rule of every trial (default sgd)")
    p.add_argument(
        "--space",
        action="append",
        default=None,
        metavar="NAME=LOW:HIGH[:log][:int]",
        help="a searched range, repeatable (default: the notes' "
        "lr=1e-6:1e-2:log and weight_decay=1e-8:1e-4:log); names: lr, "
        "weight_decay, dropout, batch_size, or any option of the rule "
        "(momentum, beta1, ...)",
    )
    p.add_argument(
        "--trials",
        type=positive_int,
        default=100,
        help="trials in the study, over all workers and reruns (default 100)",
    )
    p.add_argument(
        "--sampler",
        default="random",
        choices=("random", "tpe", "grid"),
        help="random (the notes), tpe (Bayesian optimisation) or grid",
    )
    p.add_argument(
        "--grid-points",
        type=positive_int,
        default=None,
        help="values per parameter for --sampler grid (default: fits --trials)",
    )
    p.add_argument(
        "--pruner",
        default="none",
        choices=("none", "median", "hyperband"),
        help="stop hopeless trials early from each epoch's validation accuracy",
    )
    p.add_argument("--epochs", type=positive_int, default=50)
    p.add_argument(
        "--train-size",
        type=positive_int,
        default=None,
        help="use the first N training samples (default 500, as the notes; with --data, every row)",
    )
    p.add_argument(
        "--val-ratio",
        type=float,
        default=0.2,
        help="share of them held out for validation (default 0.2)",
    )
    p.add_argument(
        "--hidden",
        type=int_list,
        default=[100] * 6,
        help="hidden layer sizes (default 100,100,100,100,100,100)",
    )
    p.add_argument("--batch-size", type=positive_int, default=100)
    p.add_argument(
        "--seed",
        type=non_negative_int,
        default=0,
        help="seeds the split, the sampler and each trial",
    )
    p.add_argument(
        "--top",
        type=positive_int,
        default=5,
        help="best trials whose values give the narrowed ranges (default 5)",
    )
    p.add_argument(
        "--workers",
        type=worker_count,
        default=1,
        help="worker processes on this machine (default 1)",
    )
    p.add_argument(
        "--storage",
        default=None,
        help="journal file path or postgresql:// URL (default OUT/study.journal); "
        "leave the password out of the URL: PGPASSWORD or ~/.pgpass supply it",
    )
    p.add_argument(
        "--study-name",
        default=None,
        help="study to create or resume (default tune-DATASET-OPTIMIZER)",
    )
    p.add_argument(
        "--max-retries",
        type=int,
        default=2,
        metavar="N",
        help="times the parameters of a lost trial (its worker died) run again "
        "before they are given up (default 2)",
    )
    p.add_argument(
        "--storage-wait",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long to wait out an unreachable PostgreSQL server, retrying, "
        "before stopping with the command that resumes (default 60)",
    )
    p.add_argument("--quiet", action="store_true", help="print only the results")
    p.add_argument(
        "--out",
        default=None,
        help="output folder (default runs/tune-DATASET-OPTIMIZER; rerun to resume)",
    )
    add_overwrite(p)


#: the most points a grid search may enumerate
MAX_GRID = 1_000_000


def _check_grid(args) -> None:
    """A grid (its points multiplied over the parameters) is enumerated up front: refuse
    one too large to hold before anything is created."""
    from trainlab.errors import ConfigError
    from trainlab.tune.samplers import grid_points
    from trainlab.tune.space import parse_space

    if args.sampler != "grid":
        return
    space = parse_space(args.space or DEFAULT_SPACE)
    points = grid_points(space, args.trials, args.grid_points)
    if points ** len(space) > MAX_GRID:
        raise ConfigError(
            f"a grid of {points:,} values for each of {len(space)} parameters "
            f"has more than {MAX_GRID:,} points; choose fewer --grid-points "
            "(or --trials)"
        )


def resume_command(args) -> str | None:
    """The command line that resumes this search (the password left out)."""
    import shlex

    from trainlab.tune.storage import redacted

    argv = getattr(args, "argv", None)
    if argv is None:
        return None
    return "trainlab " + shlex.join(redacted(a) if "://" in a else a for a in argv)


def run(args) -> int:
    from trainlab.io import write_json
    from trainlab.runs import prepare_out
    from trainlab.tune import plots
    from trainlab.tune.search import conclude, search
    from trainlab.tune.storage import redacted

    if not 0.0 < args.val_ratio < 1.0:
        from trainlab.errors import ConfigError

        raise ConfigError(f"--val-ratio must be strictly between 0 and 1, got {args.val_ratio}")
    if args.max_retries < 0 or not 0.0 <= args.storage_wait <= 86400.0:
        from trainlab.errors import ConfigError

        raise ConfigError(
            "--max-retries must be 0 or more and --storage-wait between 0 and "
            f"86400 seconds, got {args.max_retries} and {args.storage_wait}"
        )
    from pathlib import Path

    from trainlab.tune.objective import Setup, load_split

    if args.train_size is None and not args.data_file:
        args.train_size = 500
    name = Path(args.data_file.split(",")[0]).stem if args.data_file else args.dataset
    tag = f"{name}-{args.optimizer}".lower()
    cfg = {
        "data": args.data_file,
        "target_column": args.target_column,
        "task": args.task,
        "scale": args.scale,
        "split_seed": args.split_seed,
        "test_ratio": args.test_ratio,
        "dataset": args.dataset,
        "data_dir": args.data_dir,
        "train_size": args.train_size,
        "val_ratio": args.val_ratio,
        "hidden": args.hidden,
        "batch_size": args.batch_size,
        "epochs": args.epochs,
        "optimizer": args.optimizer,
        "seed": args.seed,
        "sampler": args.sampler,
        "pruner": args.pruner,
        "grid_points": args.grid_points,
        "space": args.space or DEFAULT_SPACE,
        "trials": args.trials,
        "study_name": args.study_name or f"tune-{tag}",
        "quiet": args.quiet,
        "max_retries": args.max_retries,
        "storage_wait": args.storage_wait,
        "resume": resume_command(args),
    }
    from trainlab.tune.space import check_space, parse_space

    check_space(parse_space(cfg["space"]), args.optimizer)
    _check_grid(args)
    check_data_args(args)
    warn_if_password(args.storage)
    from trainlab.tune.storage import check_spec

    if args.storage:
        check_spec(args.storage)
    from trainlab.nn.net import check_size

    check_size([784, *args.hidden, 10], 4)  # before any data: the largest built-in inputs
    info = load_split(Setup.of(cfg))[3]  # a bad data file fails here, nothing written
    regression = info.get("task") == "regression"
    out = prepare_out(args.out or f"runs/tune-{tag}", "tune", overwrite=args.overwrite, resume=True)
    cfg["storage"] = args.storage or str(out / "study.journal")
    study = search(cfg, workers=args.workers)
    res = conclude(cfg, study, top=args.top)
    write_json(
        out / "config.json",
        {
            **cfg,
            "kind": "tune",
            "workers": args.workers,
            "top": args.top,
            "storage": redacted(cfg["storage"]),
            "objective": "final epoch's validation R² (regression: "
            "1 − MSE/variance, the MSE's order)"
            if regression
            else "final epoch's validation accuracy",
            **(
                {"data_info": {k: v for k, v in info.items() if k != "split"}}
                if args.data_file
                else {}
            ),
        },
    )
    if args.data_file:
        write_json(out / "splits.json", info["split"])
    lines = res["listing"]
    if regression:
        lines = [ln.replace("(val acc:", "(val R²:") for ln in lines]
    (out / "best_trials.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:21]))
    if res["ranked"]:
        plots.best_trials(res["ranked"], out / "best_trials.png")
        plots.search_space(res["ranked"], parse_space(cfg["space"]), out / "search_space.png")
    c, best = res["counts"], res["best"]
    next_space = " ".join(f"--space {p.spec()}" for p in res["suggested"].values())
    summary = {
        "trials complete": c["complete"],
        "trials pruned": c["pruned"],
        "trials failed": c["failed"],
        "trials lost (rerun)": c["lost"],
    }
    if best and regression:
        summary.update(
            {
                "best val R²": best["val_acc"],
                "best trial": best["trial"],
                **{f"best {k}": v for k, v in best["params"].items()},
                "test MSE of best (retrained once, after the search)": best["test_loss"],
                "test R² of best": best["test_acc"],
            }
        )
    elif best:
        summary.update(
            {
                "best val acc": best["val_acc"],
                "best trial": best["trial"],
                **{f"best {k}": v for k, v in best["params"].items()},
                "test acc of best (retrained once, after the search)": best["test_acc"],
            }
        )
    if next_space:
        summary["suggested next space"] = next_space
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
    write_json(
        out / "metrics.json",
        {
            "summary": summary,
            "best": best,
            "counts": c,
            "suggested": {k: [p.low, p.high] for k, p in res["suggested"].items()},
            "listing": lines[1:],
            "trials": trials,
        },
    )
    print(
        f"trials: {c['complete']} complete, {c['pruned']} pruned, {c['failed']} failed"
        + (f", {c['lost']} lost and rerun" if c["lost"] else "")
    )
    if c["given up"]:
        print(
            f"given up after {args.max_retries} retries (their workers died each time): "
            f"trials {', '.join(map(str, c['given up']))}"
        )
    if best and regression:
        print(
            f"test MSE of Best-1 (retrained once, after the search, on {best['n_test']} "
            f"test samples): {best['test_loss']:.4g} (R² {best['test_acc']:.4f})"
        )
    elif best:
        print(
            f"test acc of Best-1 (retrained once, after the search, on {best['n_test']} "
            f"test samples): {best['test_acc']:.4f}"
        )
    if next_space:
        print(f"next round: {next_space}")
    print(out)
    return 0
