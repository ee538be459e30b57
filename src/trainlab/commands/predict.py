"""``trainlab predict RUN --data FILE``: a trained run's network applied to new rows.

The rows' columns are matched by name with those the run was trained on; they are
scaled as at training time (the run's ``scaling.npz``), and the predictions are
written as CSV, one line per input row, in the target's own units: the class
value and each class's probability, or the predicted target(s).
"""

from __future__ import annotations

from pathlib import Path

from trainlab.atomic import write_atomic
from trainlab.commands._args import add_overwrite
from trainlab.errors import ConfigError
from trainlab.train.saved import load_run, prediction_table

NAME = "predict"
HELP = "apply a trained run's network to new rows; writes the predictions as CSV"


def add_arguments(p):
    p.add_argument("run", metavar="RUN", help="the folder of a trainlab train --data run")
    p.add_argument(
        "--data",
        dest="data_file",
        required=True,
        metavar="FILE",
        help="a .csv/.tsv with the run's feature columns (any order; the target column "
        "may be there) or a .npz with an array x",
    )
    p.add_argument(
        "--out", default=None, help="the CSV to write (default FILE's name + .predictions.csv)"
    )
    add_overwrite(p)


def run(args) -> int:
    trained = load_run(args.run)
    x, y = trained.read(args.data_file)
    source = Path(args.data_file)
    out = Path(args.out) if args.out else source.with_name(source.stem + ".predictions.csv")
    if out.exists() and not args.overwrite:
        raise ConfigError(f"{out} exists; pass --overwrite to replace it, or choose another --out")
    text, score = prediction_table(trained, x, y)
    write_atomic(out, lambda fh: fh.write(text.encode("utf-8")))
    print(f"{len(x)} predictions of {args.run} written to {out}{score}")
    return 0
