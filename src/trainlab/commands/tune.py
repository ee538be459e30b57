"""``trainlab tune``: the notes' hyperparameter search on an Optuna study."""

from __future__ import annotations

import shlex

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
from trainlab.tune.search_spec import SearchSpec
from trainlab.tune.storage_spec import redacted

NAME = "tune"
HELP = (
    "search hyperparameters on validation data (random, TPE or grid; Optuna study, "
    "resumable, parallel); writes the Best-k listing, figures and a narrowed --space"
)


def add_arguments(p):
    add_data_args(p)
    add_file_args(p)
    _add_search_args(p)
    _add_training_args(p)
    _add_study_args(p)


def _add_search_args(p):
    """The rule, the searched space, the sampler, the pruner and the budget."""
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


def _add_training_args(p):
    """What every trial trains: the epochs, the data's size and split, the network."""
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


def _add_study_args(p):
    """The conclusion, the workers, the study's storage and name, the output."""
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


def resume_command(args) -> str | None:
    """The command line that resumes this search (the password left out)."""
    argv = getattr(args, "argv", None)
    if argv is None:
        return None
    return "trainlab " + shlex.join(redacted(a) if "://" in a else a for a in argv)


def spec_of(args) -> SearchSpec:
    """The search the flags ask for."""
    check_data_args(args)
    warn_if_password(args.storage)
    return SearchSpec(
        data=args.data_file,
        target_column=args.target_column,
        task=args.task,
        scale=args.scale,
        split_seed=args.split_seed,
        test_ratio=args.test_ratio,
        dataset=args.dataset,
        data_dir=args.data_dir,
        train_size=args.train_size,
        val_ratio=args.val_ratio,
        hidden=args.hidden,
        batch_size=args.batch_size,
        epochs=args.epochs,
        optimizer=args.optimizer,
        seed=args.seed,
        sampler=args.sampler,
        pruner=args.pruner,
        grid_points=args.grid_points,
        **({"space": args.space} if args.space else {}),
        trials=args.trials,
        study_name=args.study_name,
        quiet=args.quiet,
        max_retries=args.max_retries,
        storage_wait=args.storage_wait,
        resume=resume_command(args),
        storage=args.storage,
        out=args.out,
        overwrite=args.overwrite,
        workers=args.workers,
        top=args.top,
    )


def run(args) -> int:
    from trainlab.tune import search_run  # engine imported on use: keeps --help fast

    done = search_run.run(spec_of(args))
    print("\n".join(done.listing))
    print("\n".join(done.closing))
    print(done.out)
    return 0
