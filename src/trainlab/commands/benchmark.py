"""``trainlab benchmark``: a fair comparison of update rules over several problems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
from trainlab.report.benchmark_page import write_page
from trainlab.tune.benchmark_spec import BUILT_IN, FULL, QUICK, BenchmarkSpec, lr_grid
from trainlab.tune.problems import factory_problem

NAME = "benchmark"
HELP = (
    "compare update rules fairly: each rule's lr grid centred on its typical lr, "
    "best lr rerun over seeds, "
    "test metric mean ± std, time to target, lr sensitivity and a performance profile"
)


def _names(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def add_arguments(p):
    _add_problem_args(p)
    _add_protocol_args(p)
    _add_run_args(p)


def _add_problem_args(p):
    """Which problems: built in, a ``--data`` file, ``--problem`` factories."""
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


CENTRE_LR = {
    "action": argparse.BooleanOptionalAction,
    "default": None,  # centred, unless resuming a benchmark begun without (BenchmarkSpec)
    "help": "read --lr-grid as AdamW's and scale it for each rule by its typical lr / "
    "AdamW's (default; --no-centre-lr: the same grid for every rule; a folder begun "
    "without centring resumes on its own grid)",
}


def _add_protocol_args(p):
    """What every rule gets: the space or lr grid, the seeds, the epochs, the targets."""
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
    p.add_argument("--centre-lr", **CENTRE_LR)
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
        help="log-spaced learning rates, AdamW's; each rule's centred on its typical lr "
        "(see --centre-lr) (default 1e-4:1:9; --quick 1e-3:1:4)",
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


def _add_run_args(p):
    """Where it runs: data folder, workers, storage, output."""
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


def _custom(args) -> dict:
    """The problems of a ``--data`` file and of ``--problem`` factories, by name."""
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
        custom[factory_problem(f).name] = {"factory": f}
    return custom


def spec_of(args) -> BenchmarkSpec:
    """The benchmark the flags ask for."""
    base = QUICK if args.quick else FULL
    columns = [v for k, v in args.target if k == "column"]
    if columns:
        args.target_column = columns[-1]
    custom = _custom(args)
    problems = args.problems if args.problems is not None else [] if custom else BUILT_IN
    check_data_args(args)
    warn_if_password(args.storage)
    return BenchmarkSpec(
        problems=[*problems, *(c for c in custom if c not in problems)],
        optimizers=args.optimizers,
        lrs=lr_grid(args.lr_grid or base["lr_grid"]),
        seeds=args.seeds or base["seeds"],
        epochs=args.epochs or base["epochs"],
        quick=args.quick,
        targets=[(k, v) for k, v in args.target if k != "column"],
        data_dir=args.data_dir,
        custom=custom,
        space=args.space or [],
        trials=args.trials or 0,
        centre_lr=args.centre_lr,
        prefix=args.study_prefix,
        storage=args.storage,
        out=args.out or "runs/benchmark",
        overwrite=args.overwrite,
        workers=args.workers,
    )


def run(args) -> int:
    from trainlab.tune import benchmark_run  # engine imported on use: keeps --help fast

    done = benchmark_run.run(spec_of(args))
    page = write_page(done.out, done.plan, done.metrics)
    for w in done.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if not args.quiet:
        print("\n".join(done.lines))
        print(f"page: {page}")
    print(done.out)
    return 0
