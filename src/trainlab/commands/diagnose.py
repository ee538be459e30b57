"""``trainlab diagnose RUN_DIR``: the training doctor's verdict on a saved run."""

from __future__ import annotations

from pathlib import Path

from trainlab import schema
from trainlab.errors import ConfigError
from trainlab.io import read_json
from trainlab.train.doctor import diagnose, report

NAME = "diagnose"
HELP = (
    "read a run's metrics.json; say what went wrong (learning rate, overfitting, ...) "
    "and what to try"
)


def add_arguments(p):
    p.add_argument("run_dir", metavar="RUN_DIR", help="folder of a trainlab train run")


def run(args) -> int:
    path = Path(args.run_dir) / "metrics.json"
    fix = "train the run again"
    try:
        metrics = read_json(path)
    except FileNotFoundError:
        raise ConfigError(f"{path} not found; pass the folder of a trainlab train run") from None
    except NotADirectoryError:
        raise ConfigError(
            f"{args.run_dir} is not a folder; pass the folder of a trainlab train run"
        ) from None
    except ValueError as exc:
        if "is a folder" in str(exc):
            raise ConfigError(
                f"{path} is a folder; pass the folder of a trainlab train run"
            ) from None
        raise
    history = metrics.get("history") if isinstance(metrics, dict) else None
    if not isinstance(history, dict) or "train_loss" not in history:
        raise ConfigError(
            f"{path} holds no training history; diagnose reads runs of trainlab train"
        )
    schema.history(history, path, "history", fix)  # numbers where the doctor reads numbers
    try:
        print(report(diagnose(metrics)))
    except (TypeError, KeyError, AttributeError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"{path} has an unexpected layout ({type(exc).__name__}: {exc}); {fix}"
        ) from None
    return 0
