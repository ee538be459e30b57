"""``trainlab train``: train one network and write its run folder.

The folder holds ``config.json``, ``metrics.json`` (summary, histories,
activation statistics, gradient norms, the doctor's verdicts), ``params.npz``
(the final parameters and batch-norm statistics), with ``--data`` also
``scaling.npz`` (the feature and target scaling, for ``trainlab predict``),
and ``training.png``; with
``--checkpoint-every`` (or after Ctrl-C) also a checkpoint, from which
``trainlab train --resume DIR`` goes on exactly as the run would have;
``--resume DIR --epochs N`` trains a finished (checkpointed) run on to N
epochs in all (as if started with ``--epochs N``, unless a schedule or a
curriculum depends on the total).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainlab.commands._args import (
    add_data_args,
    add_file_args,
    add_overwrite,
    int_list,
    key_value,
    non_negative_int,
    positive_int,
)
from trainlab.errors import ConfigError
from trainlab.validate import check_positive

NAME = "train"
HELP = "train one network; writes config.json, metrics.json, params.npz and training.png"
DEFAULT_EPOCHS = 20


def _positive_float(text: str) -> float:
    try:
        return check_positive("the value", text)
    except ConfigError:
        raise argparse.ArgumentTypeError(f"expected a finite number > 0, got {text!r}") from None


def add_arguments(p):
    add_data_args(p)
    add_file_args(p)
    _rule_and_network(p)
    _length_and_data(p)
    _extra_techniques(p.add_argument_group("the notes' extra techniques"))
    _checkpoints_and_output(p)


def _rule_and_network(p):
    p.add_argument(
        "--target-scale",
        default="standard",
        choices=("standard", "none"),
        help="regression targets standardised on the training split (default; metrics are "
        "reported in the target's own units) or left as they are",
    )
    p.add_argument("--optimizer", default="sgd", help="update rule name (default sgd)")
    p.add_argument("--lr", type=float, default=None, help="learning rate (default: the rule's)")
    p.add_argument(
        "--opt",
        type=key_value,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="another option of the update rule, e.g. --opt momentum=0.95",
    )
    p.add_argument(
        "--hidden",
        type=int_list,
        default=[100, 100, 100, 100],
        help="hidden layer sizes, comma-separated (default 100,100,100,100)",
    )
    p.add_argument("--activation", default="relu", help="relu, sigmoid or tanh")
    p.add_argument(
        "--init",
        default="relu",
        help="initial weights: a std such as 0.01, xavier, he, glorot_normal, glorot_uniform",
    )
    p.add_argument("--weight-decay", type=float, default=0.0, help="λ of the ½λΣW² penalty")
    p.add_argument("--dropout", type=float, default=0.0, help="dropout ratio (0 = off)")
    p.add_argument("--dropout-mode", default="notes", choices=("notes", "inverted"))
    p.add_argument(
        "--batchnorm", action="store_true", help="batch normalisation in every hidden layer"
    )


def _length_and_data(p):
    p.add_argument(
        "--epochs",
        type=positive_int,
        default=None,
        help=f"passes over the training data (default {DEFAULT_EPOCHS}); with "
        "--resume, the new total, to train a finished run for longer",
    )
    p.add_argument(
        "--iterations",
        type=positive_int,
        default=None,
        help="train for exactly this many steps instead of --epochs",
    )
    p.add_argument("--batch-size", type=positive_int, default=100)
    p.add_argument(
        "--train-size",
        type=positive_int,
        default=None,
        help="use only the first N training samples",
    )
    p.add_argument(
        "--val-ratio",
        type=float,
        default=0.2,
        help="share of the training data held out for validation (0 = none)",
    )
    p.add_argument("--schedule", default=None, help="learning-rate schedule, e.g. cosine")
    p.add_argument("--warmup", type=non_negative_int, default=0, help="epochs of linear warm-up")
    p.add_argument("--seed", type=non_negative_int, default=0)
    p.add_argument("--dtype", default="float32", choices=("float32", "float64"))


def _extra_techniques(g):
    g.add_argument(
        "--sampling",
        default="shuffle",
        choices=("shuffle", "replacement", "sequential"),
        help="batches per epoch: a fresh permutation (default), drawn with "
        "replacement as in the book, or in data order",
    )
    g.add_argument(
        "--early-stop",
        type=positive_int,
        default=None,
        metavar="PATIENCE",
        help="stop when validation accuracy has not improved for PATIENCE epochs; "
        "keep the best parameters",
    )
    g.add_argument(
        "--curriculum",
        action="store_true",
        help="easy samples first: start on the easiest 30%% (by a softmax "
        "regression's loss) and widen to all by half the epochs",
    )
    g.add_argument(
        "--clip-norm",
        type=_positive_float,
        default=None,
        metavar="C",
        help="scale gradients down to a global L2 norm of at most C",
    )
    g.add_argument(
        "--clip-value",
        type=_positive_float,
        default=None,
        metavar="V",
        help="clamp every gradient element to [-V, V]",
    )
    g.add_argument(
        "--grad-noise",
        type=_positive_float,
        default=None,
        metavar="ETA",
        help="add annealed Gaussian noise N(0, ETA/(1+t)^0.55) to the gradients",
    )
    g.add_argument(
        "--max-grad-norm",
        type=_positive_float,
        default=None,
        metavar="N",
        help="stop as diverged (exit 3) when a step's gradient norm exceeds N",
    )


def _checkpoints_and_output(p):
    p.add_argument(
        "--track",
        choices=("sharpness",),
        default=None,
        help="also record during training: sharpness (the Hessian's top eigenvalue on "
        "the first 1000 training samples at every epoch's end, 20 Hessian-vector "
        "products, about 50 gradients of that size; its cost goes in metrics.json)",
    )
    g = p.add_argument_group("checkpoints")
    g.add_argument(
        "--checkpoint-every",
        type=positive_int,
        default=None,
        metavar="N",
        help="save a checkpoint every N epochs (Ctrl-C always saves one)",
    )
    g.add_argument(
        "--resume",
        default=None,
        metavar="DIR",
        help="continue the run in DIR from its last checkpoint, with its saved "
        "configuration (other options are ignored, except --quiet and --epochs)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--out", default=None, help="output folder (default runs/train-<time>)")
    add_overwrite(p)


def given(args) -> dict:
    """The options given on the command line (those that differ from their defaults)."""
    parser = argparse.ArgumentParser(add_help=False)
    add_arguments(parser)
    start = vars(parser.parse_args([]))
    return {k: v for k, v in vars(args).items() if k in start and v != start[k]}


def run(args) -> int:
    from trainlab.train import session  # the engine, imported on use: keeps --help fast

    if args.resume:
        if args.overwrite:
            raise ConfigError(
                "--overwrite starts a new run and --resume continues one; give only one of them"
            )
        spec = session.resume_spec(Path(args.resume), given(args), args.epochs, args.quiet)
        out = Path(args.resume)
    else:
        spec = session.from_flat(vars(args), DEFAULT_EPOCHS)
        out = Path(args.out) if args.out else session.default_out("train")
    prepared = session.open_prepared(spec)  # a bad file fails here, before the folder is made
    try:
        done = session.train_run(
            spec, out, resume=bool(args.resume), overwrite=args.overwrite, prepared=prepared
        )
    except session.TrainingInterrupted as exc:
        raise session.TrainingInterrupted(
            f"{exc}; resume with: trainlab train --resume {out}"
        ) from None
    if done.fallback:
        print(f"trainlab: {done.fallback}", file=sys.stderr)
    if done.diverged is not None:
        print(session.report(done.verdicts))
        raise done.diverged
    summary = done.summary
    print(f"{done.built.info['note']}")
    parts = [f"{k}={v:.4f}" for k, v in summary.items() if k.startswith("final_") and v is not None]
    print(
        f"trained {summary['iterations']} steps in {summary['seconds']:.1f}s "
        f"({summary['iterations_per_second']:.0f} it/s): " + ", ".join(parts)
    )
    print(session.report(done.verdicts))
    print(out)
    return 0
