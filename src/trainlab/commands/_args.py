"""Argument parsing shared by the sub-commands: lists, key=value pairs, common options."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

from trainlab.data.datasets import canonical_name
from trainlab.errors import ConfigError
from trainlab.validate import MAX_COUNT
from trainlab.validate import parse_scalar as scalar


def int_list(text: str) -> list[int]:
    """``"100,100,50"`` → ``[100, 100, 50]``; ``""`` → ``[]``."""
    try:
        sizes = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers, got {text!r}"
        ) from None
    if any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be ≥ 1, got {text!r}")
    return sizes


def key_value(text: str) -> tuple[str, object]:
    """``"lr=0.01"`` → ``("lr", 0.01)``."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    return key.strip(), scalar(value)


def _int_at_least(minimum: int, what: str, maximum: int | None = None):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(
                f"expected at most {maximum:,} (the largest accepted), got {text!r}"
            )
        return value

    return parse


#: counts (epochs, iterations, trials, seeds, sizes) stop at MAX_COUNT: more cannot finish
positive_int = _int_at_least(1, "a positive integer", MAX_COUNT)
non_negative_int = _int_at_least(0, "an integer ≥ 0")

#: the most worker processes one command starts on one machine
MAX_WORKERS = 256


def worker_count(text: str) -> int:
    """``--workers``: a positive integer, at most :data:`MAX_WORKERS`."""
    value = positive_int(text)
    if value > MAX_WORKERS:
        raise argparse.ArgumentTypeError(
            f"expected at most {MAX_WORKERS} worker processes on one machine, got {text!r}"
        )
    return value


def add_data_args(p: argparse.ArgumentParser, default: str = "digits") -> None:
    p.add_argument(
        "--dataset", default=default, help="digits (embedded, default), mnist or fashion-mnist"
    )
    p.add_argument(
        "--data-dir",
        default=None,
        help="folder holding the IDX files (else $TRAINLAB_DATA, then the cache)",
    )


def add_file_args(p: argparse.ArgumentParser, test_ratio: bool = True, target: bool = True) -> None:
    """``--data FILE`` and its companions (see docs/own-data.md). ``target=False``
    leaves ``--target`` to the command (benchmark's ``--target`` also takes
    PROBLEM=VALUE); ``--target-column`` always names the column."""
    g = p.add_argument_group("your own data (instead of --dataset)")
    g.add_argument(
        "--data",
        dest="data_file",
        default=None,
        metavar="FILE",
        help="a .npz (x, y[, x_test, y_test]), .csv or .tsv (header row) file, or "
        "IDX files as IMAGES,LABELS[,TEST_IMAGES,TEST_LABELS]",
    )
    flags = ("--target", "--target-column") if target else ("--target-column",)
    g.add_argument(
        *flags,
        dest="target_column",
        default=None,
        metavar="COLUMN",
        help="the CSV/TSV column to predict (default the last)",
    )
    g.add_argument(
        "--task",
        default=None,
        choices=("classification", "regression"),
        help="default: inferred (text or few whole-number targets: classification)",
    )
    g.add_argument(
        "--scale",
        default="standard",
        choices=("standard", "minmax", "none"),
        help="feature scaling, fitted on the training split only (default standard)",
    )
    if test_ratio:
        g.add_argument(
            "--test-ratio",
            type=float,
            default=0.2,
            help="share of the rows held out for testing when the file has no x_test (default 0.2)",
        )
    g.add_argument(
        "--split-seed",
        type=int,
        default=0,
        help="seed of the validation/test split (default 0; written to splits.json)",
    )


def file_options(args, **kw) -> dict:
    """Keywords for :func:`trainlab.data.prepared.open_data` from parsed arguments."""
    return {
        "target": args.target_column,
        "task": args.task,
        "scale": args.scale,
        "test_ratio": getattr(args, "test_ratio", 0.2),
        "seed": args.split_seed,
        **kw,
    }


def add_workers_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--workers",
        type=worker_count,
        default=None,
        metavar="N",
        help="processes for the independent trainings (default: every core, at most "
        "one per training); the results are the same for any N",
    )


def add_overwrite(p: argparse.ArgumentParser) -> None:
    """``--overwrite``: the one way to write over a folder that already holds a run."""
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the run already in the output folder (it is removed first); "
        "without it such a folder is refused",
    )


def check_data_args(args) -> None:
    """``--dataset`` is a known name and ``--data-dir``, when given, an existing folder:
    checked before a command creates anything."""
    if getattr(args, "dataset", None) is not None:
        canonical_name(args.dataset)
    data_dir = getattr(args, "data_dir", None)
    if data_dir is not None and not Path(data_dir).expanduser().is_dir():
        raise ConfigError(
            f"data folder {data_dir} does not exist; pass an existing folder to --data-dir"
        )


def warn_if_password(storage) -> None:
    """A password written in a ``--storage`` URL is visible to every user in ``ps``:
    say so, once, and how to pass it instead (libpq reads both by itself)."""
    if not storage or "://" not in str(storage):
        return
    try:
        parts = urlsplit(str(storage))
        parts.port  # noqa: B018 - a malformed URL is the storage's own one-line error
        password = parts.password
    except ValueError:
        return
    if password:
        print(
            "trainlab: warning: the --storage URL holds a password, which other users can "
            "read in 'ps'; leave it out and set PGPASSWORD or a ~/.pgpass line instead",
            file=sys.stderr,
        )
