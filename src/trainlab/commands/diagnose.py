"""``trainlab diagnose RUN_DIR``: the training doctor's verdict on a saved run."""

from __future__ import annotations

NAME = "diagnose"
HELP = ("read a run's metrics.json; say what went wrong (learning rate, overfitting, ...) "
        "and what to try")


def add_arguments(p):
    p.add_argument("run_dir", metavar="RUN_DIR", help="folder of a trainlab train run")


def run(args) -> int:
    from pathlib import Path

    from trainlab.errors import ConfigError
    from trainlab.io import read_json
    from trainlab.train.doctor import diagnose, report

    path = Path(args.run_dir) / "metrics.json"
    try:
        metrics = read_json(path)
    except FileNotFoundError:
        raise ConfigError(f"{path} not found; pass the folder of a trainlab train run") from None
    except IsADirectoryError:
        raise ConfigError(f"{path} is a folder; pass the folder of a trainlab train run") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid JSON ({exc}); train the run again") from None
    history = metrics.get("history") if isinstance(metrics, dict) else None
    if not isinstance(history, dict) or "train_loss" not in history:
        raise ConfigError(f"{path} holds no training history; diagnose reads runs of "
                          "trainlab train")
    try:
        print(report(diagnose(metrics)))
    except (TypeError, KeyError, AttributeError, IndexError) as exc:
        raise ConfigError(f"{path} has an unexpected layout ({type(exc).__name__}: {exc}); "
                          "train the run again") from None
    return 0
