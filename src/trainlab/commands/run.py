"""``trainlab run``: rerun an experiment of the notes, or all of them, into run folders."""

from __future__ import annotations

import argparse

from trainlab.commands._args import (
    add_data_args,
    add_overwrite,
    add_workers_arg,
    check_data_args,
    key_value,
    non_negative_int,
    positive_int,
)
from trainlab.experiments import get, make_config, names
from trainlab.experiments.batch import run_many
from trainlab.experiments.registry import sources_help, split_overrides
from trainlab.report import build
from trainlab.runs import prepare_out

NAME = "run"
HELP = "rerun an experiment of the notes (or all) and draw its figures; prints the folder"


def add_arguments(p):
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = sources_help()
    p.add_argument("experiment", metavar="EXPERIMENT", help=f"{', '.join(names())}, or all")
    add_data_args(p)
    p.add_argument(
        "--seeds",
        type=positive_int,
        default=1,
        help="repeat with N seeds; figures show the mean and a ±1 std band",
    )
    p.add_argument("--seed", type=non_negative_int, default=0, help="base seed (default 0)")
    p.add_argument("--quick", action="store_true", help="shrunken settings that finish fast")
    p.add_argument(
        "--out",
        default=None,
        metavar="DIR",
        help="run folder (default runs/<experiment>-<time>); with all, one subfolder "
        "per experiment and report.html",
    )
    p.add_argument(
        "--set",
        dest="overrides",
        type=key_value,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change a setting, e.g. --set optimizers=sgd,adam,nesterov; with all, "
        "EXPERIMENT.KEY=VALUE sets one experiment's",
    )
    add_workers_arg(p)
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_overwrite(p)


def _line(name, metrics, limit=6) -> str:
    items = list(metrics["summary"].items())
    shown = ", ".join(
        f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in items[:limit]
    )
    more = f", … ({len(items) - limit} more)" if len(items) > limit else ""
    return f"{name}: {shown}{more} ({metrics['seconds']:.1f}s)"


def plan(chosen, quick=False, overrides=(), dataset=None) -> dict:
    """The config of each experiment in ``chosen`` (with its settings for
    ``dataset``), all checked before anything runs."""
    if len(chosen) > 1:
        per = split_overrides(overrides, chosen)
    else:
        prefix = chosen[0] + "."
        per = {chosen[0]: {k.removeprefix(prefix): v for k, v in overrides}}
    return {n: make_config(n, quick, per[n], dataset=dataset) for n in chosen}


def execute(
    configs: dict,
    out,
    *,
    dataset="digits",
    data_dir=None,
    seeds=1,
    seed=0,
    quick=False,
    progress=None,
    report=True,
    echo=print,
    workers=None,
    extra=(),
):
    """Run the planned experiments into ``out`` (one subfolder each when several,
    then ``report.html``), their trainings and figures on ``workers`` processes
    (``None``: every core), with the ``extra`` jobs of
    :func:`trainlab.experiments.batch.run_many`."""
    several = len(configs) > 1
    outs = {n: out / n if several else out for n in configs}
    run_many(
        configs,
        outs,
        dataset=dataset,
        data_dir=data_dir,
        seeds=seeds,
        seed=seed,
        quick=quick,
        progress=progress,
        workers=workers,
        echo=echo,
        on_done=lambda n, m: echo(_line(n, m)),
        extra=extra,
    )
    if several and report:
        echo(f"report: {build(out)}")


def run(args) -> int:
    every = args.experiment == "all"
    if not every:
        get(args.experiment)  # unknown name: one line listing the valid ones
    configs = plan(
        names() if every else [args.experiment], args.quick, args.overrides, dataset=args.dataset
    )
    check_data_args(args)
    out = prepare_out(
        args.out, "experiments" if every else args.experiment, overwrite=args.overwrite
    )
    execute(
        configs,
        out,
        dataset=args.dataset,
        data_dir=args.data_dir,
        seeds=args.seeds,
        seed=args.seed,
        quick=args.quick,
        progress=False if args.quiet else None,
        workers=args.workers,
    )
    print(out)
    return 0
