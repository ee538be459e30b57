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
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from trainlab.commands._args import (
    add_data_args,
    add_file_args,
    add_overwrite,
    check_saved,
    file_options,
    int_list,
    key_value,
    non_negative_int,
    positive_int,
    refuse_changed_options,
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
    g = p.add_argument_group("the notes' extra techniques")
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


def build(args, out=None):
    """Data, network and trainer from parsed arguments (shared with other commands).

    Options added later (sampling, early stopping, ...) are read with
    defaults, so an older namespace still works. ``out`` is where checkpoints go.
    """
    from trainlab.data import load_with_info, train_val_split
    from trainlab.errors import ConfigError
    from trainlab.nn import MultiLayerNet
    from trainlab.optim import create
    from trainlab.train import Data, TrainConfig, Trainer
    from trainlab.train.doctor import BLOWUP

    def option(name, default=None):  # options newer than some callers' namespaces
        return getattr(args, name, default)

    if not 0.0 <= args.val_ratio < 1.0:
        raise ConfigError(f"--val-ratio must be in [0, 1), got {args.val_ratio}")
    if not 0.0 <= args.dropout < 1.0:
        raise ConfigError(f"--dropout must be in [0, 1), got {args.dropout}")
    if option("early_stop", None) and args.val_ratio == 0:
        raise ConfigError("--early-stop watches the validation accuracy; use --val-ratio > 0")
    init = args.init
    try:
        init = float(init)
    except ValueError:
        pass
    opt_kw = dict(args.opt)
    if args.lr is not None:
        opt_kw["lr"] = args.lr
    optimizer = create(args.optimizer, **opt_kw)

    # streams: split, weights/dropout, batches, gradient noise, curriculum's reference model
    seeds = np.random.SeedSequence(args.seed).spawn(5)
    x_val = t_val = None
    if option("data_file"):
        prepared = file_data(args)
        (x_train, t_train), (x_test, t_test) = prepared.train, prepared.test
        if prepared.val is not None:
            x_val, t_val = prepared.val
        info = prepared.info
    else:
        data, info = load_with_info(args.dataset, data_dir=args.data_dir)
        (x_train, t_train), (x_test, t_test) = data
        if args.train_size:
            x_train, t_train = x_train[: args.train_size], t_train[: args.train_size]
        if args.val_ratio > 0:
            (x_train, t_train), (x_val, t_val) = train_val_split(
                x_train, t_train, args.val_ratio, np.random.default_rng(seeds[0])
            )
    regression = info.get("task") == "regression"
    if regression and option("curriculum", False):
        raise ConfigError(
            "--curriculum ranks samples by a classifier's loss; drop it for a regression task"
        )
    dtype = np.dtype(args.dtype)
    net = MultiLayerNet(
        x_train.shape[1],
        args.hidden,
        info.get("n_outputs") or info["n_classes"],
        loss="mse" if regression else "cross_entropy",
        activation=args.activation,
        weight_init_std=init,
        weight_decay_lambda=args.weight_decay,
        use_dropout=args.dropout > 0,
        dropout_ratio=args.dropout or 0.5,
        dropout_mode=args.dropout_mode,
        use_batchnorm=args.batchnorm,
        dtype=dtype,
        rng=np.random.default_rng(seeds[1]),
    )
    schedule = None
    if args.schedule:
        from trainlab.optim.schedules import make_schedule

        schedule = make_schedule(args.schedule, optimizer.lr, args.epochs, warmup=args.warmup)
    if option("grad_noise", None):
        try:
            from trainlab.optim import GradientNoise
        except ImportError:
            raise ConfigError(
                "--grad-noise needs trainlab.optim.GradientNoise, which this "
                "installation lacks; drop --grad-noise"
            ) from None
        optimizer = GradientNoise(
            optimizer, eta=args.grad_noise, rng=np.random.default_rng(seeds[3])
        )
    curriculum = None
    if option("curriculum", False):
        from trainlab.train.curriculum import Curriculum, difficulty_scores

        scores = difficulty_scores(x_train, t_train, np.random.default_rng(seeds[4]))
        curriculum = Curriculum(scores)
    trainer = Trainer(
        net,
        Data(
            x_train.astype(dtype, copy=False),
            t_train,
            x_test.astype(dtype, copy=False),
            t_test,
            x_val=None if x_val is None else x_val.astype(dtype, copy=False),
            t_val=t_val,
        ),
        optimizer,
        TrainConfig(
            epochs=args.epochs,
            iterations=args.iterations,
            mini_batch_size=args.batch_size,
            schedule=schedule,
            rng=np.random.default_rng(seeds[2]),
            progress=False if args.quiet else None,
            sampling=option("sampling", "shuffle"),
            early_stop=option("early_stop", None),
            curriculum=curriculum,
            clip_norm=option("clip_norm", None),
            clip_value=option("clip_value", None),
            max_grad_norm=option("max_grad_norm", None),
            blowup=BLOWUP,
            monitor=True,
            checkpoint_dir=out,
            checkpoint_every=option("checkpoint_every", None),
            callbacks=_trackers(option("track", None)),
        ),
    )
    return trainer, info


def _trackers(name) -> list:
    from trainlab.train.sharpness import SharpnessTracker

    return [SharpnessTracker()] if name == "sharpness" else []


def file_data(args):
    """The ``--data`` file of ``args``, split and scaled (read once, kept on ``args``)."""
    from trainlab.data.prepared import open_data

    if getattr(args, "_prepared", None) is None:
        args._prepared = open_data(
            args.data_file,
            **file_options(
                args,
                val_ratio=args.val_ratio,
                batch_size=args.batch_size,
                limit=args.train_size,
                dtype=np.dtype(args.dtype),
                target_scale=getattr(args, "target_scale", "none"),
            ),
        )
    return args._prepared


def summary_of(trainer) -> dict:
    h = trainer.history
    out = {
        "epochs": trainer.current_epoch,
        "iterations": trainer.current_iter,
        "seconds": round(trainer.elapsed, 3),
        "iterations_per_second": round(trainer.current_iter / max(trainer.elapsed, 1e-9), 1),
        "final_train_loss": float(np.mean(h["train_loss"][-10:])) if h["train_loss"] else None,
    }
    regression = getattr(trainer.network, "loss_name", None) == "mse"
    for key in ("train_acc", "val_acc", "test_acc"):
        if h[key] and regression:  # the loss slot holds the MSE, the accuracy slot R²
            part = key.split("_")[0]
            loss = h["train_loss_epoch" if part == "train" else f"{part}_loss"][-1]
            out[f"final_{part}_mse"], out[f"final_{part}_r2"] = loss, h[key][-1]
        elif h[key]:
            out[f"final_{key}"] = h[key][-1]
    if trainer.best_epoch is not None:
        out["best_epoch"] = trainer.best_epoch
    return out


def _resumed_args(args):
    """The saved configuration of the run in ``args.resume``, ready for :func:`build`."""
    from trainlab.errors import ConfigError
    from trainlab.io import read_json
    from trainlab.train.checkpoint import has_checkpoint

    folder = Path(args.resume)
    try:
        saved = read_json(folder / "config.json")
    except FileNotFoundError:
        raise ConfigError(
            f"{folder} has no config.json; pass the folder of a trainlab train run to --resume"
        ) from None
    if not isinstance(saved, dict) or saved.get("kind") != "train":
        raise ConfigError(f"{folder} is not a trainlab train run; pass such a folder to --resume")
    defaults = argparse.ArgumentParser(add_help=False)
    add_arguments(defaults)
    check_saved(defaults, saved, folder / "config.json")
    refuse_changed_options(args, defaults, saved)
    if not has_checkpoint(folder):
        raise ConfigError(
            f"{folder} has no checkpoint; it was saved without --checkpoint-every "
            "and never interrupted, so start it again"
        )
    merged = vars(defaults.parse_args([]))
    merged["target_scale"] = "none"  # a run saved before targets were scaled
    merged.update({k: saved[k] for k in merged if k in saved})
    merged.update(out=str(folder), resume=None, quiet=args.quiet, overwrite=False)
    if args.epochs is not None and args.epochs != merged["epochs"]:
        if merged.get("iterations") is not None:
            raise ConfigError(
                f"{folder} was trained for --iterations {merged['iterations']}; "
                "--epochs cannot extend it"
            )
        merged["epochs"] = args.epochs
    merged["opt"] = [tuple(kv) for kv in merged["opt"]]
    return argparse.Namespace(**merged), folder


def _record_epochs(out, trainer):
    """A resumed run given another --epochs: check it and keep it in config.json."""
    from trainlab.errors import ConfigError
    from trainlab.io import read_json, write_json
    from trainlab.train.checkpoint import guarded_write

    config = read_json(out / "config.json")
    if config["epochs"] == trainer.epochs:
        return
    if trainer.epochs < trainer.current_epoch:
        raise ConfigError(
            f"{out} is already at epoch {trainer.current_epoch}; pass --epochs "
            f"of at least {trainer.current_epoch} to train it for longer"
        )
    config["epochs"] = trainer.epochs
    guarded_write(out / "config.json", write_json, config)


@contextmanager
def _ctrl_c_stops(trainer):
    """During training, Ctrl-C asks the trainer to stop after the current step (it
    saves a checkpoint); a second Ctrl-C stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        if trainer.stop_requested:
            raise KeyboardInterrupt
        trainer.request_stop()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run(args) -> int:
    from trainlab.errors import DivergenceError
    from trainlab.io import save_npz, write_json
    from trainlab.runs import default_out, prepare_out
    from trainlab.train.checkpoint import guarded_write
    from trainlab.train.doctor import diagnose, report
    from trainlab.train.plots import plot_history
    from trainlab.train.regression import UNITS_NOTE, in_target_units, scaling_arrays
    from trainlab.train.sharpness import tracked_costs
    from trainlab.train.trainer import TrainingInterrupted

    resume = None
    if args.resume:
        args, resume = _resumed_args(args)
    elif args.epochs is None:
        args.epochs = DEFAULT_EPOCHS
    if getattr(args, "data_file", None):
        file_data(args)  # a bad file fails here, before the folder is made
    out = Path(args.out) if args.out else default_out("train")
    trainer, info = build(args, out=out)  # every option checked before the folder is touched
    prepare_out(out, "train", overwrite=args.overwrite, resume=resume is not None)
    if resume is None:
        config = {k: v for k, v in vars(args).items() if not k.startswith("_") and k != "overwrite"}
        config.update(
            kind="train",
            optimizer_repr=repr(trainer.optimizer),
            data=info,
            network=repr(trainer.network),
        )
        guarded_write(out / "config.json", write_json, config)
        if getattr(args, "data_file", None):
            guarded_write(out / "splits.json", write_json, args._prepared.split_record())
    else:
        fallback = trainer.load_checkpoint(resume).get("fallback")
        if fallback:
            print(f"trainlab: {fallback}", file=sys.stderr)
        _record_epochs(out, trainer)

    def finish(**extra):
        summary = summary_of(trainer)
        prepared = getattr(args, "_prepared", None)
        if prepared is not None and prepared.info["task"] == "regression":
            summary.update(in_target_units(trainer.network, prepared))
            if prepared.target_scaler is not None:
                extra["units"] = UNITS_NOTE
        metrics = {"summary": summary, "history": trainer.history, **extra}
        metrics.update(tracked_costs(trainer))
        seen = metrics
        if getattr(trainer.network, "loss_name", None) == "mse":  # R², not accuracies
            seen = {
                **metrics,
                "history": {k: v for k, v in trainer.history.items() if not k.endswith("_acc")},
            }
        verdicts = diagnose(seen)
        summary["doctor"] = ", ".join(v.name for v in verdicts)
        metrics["doctor"] = [vars(v) for v in verdicts]
        guarded_write(out / "metrics.json", write_json, metrics)
        return summary, verdicts

    try:
        with _ctrl_c_stops(trainer):
            trainer.train()
    except DivergenceError:
        _, verdicts = finish(divergence=trainer.divergence)
        print(report(verdicts))
        raise
    except TrainingInterrupted as exc:
        finish(interrupted=True)
        raise TrainingInterrupted(f"{exc}; resume with: trainlab train --resume {out}") from None
    summary, verdicts = finish()
    net = trainer.network
    if getattr(args, "data_file", None):
        guarded_write(out / "scaling.npz", save_npz, scaling_arrays(args._prepared))
    guarded_write(
        out / "params.npz",
        save_npz,
        {
            **{f"params/{k}": v for k, v in net.params.items()},
            **{f"buffers/{k}": v for k, v in net.buffers().items()},
        },
    )
    title = f"{args.optimizer} on {info['name']}"
    score = "R²" if getattr(net, "loss_name", None) == "mse" else "accuracy"
    guarded_write(
        out / "training.png", lambda path: plot_history(trainer.history, path, title, score=score)
    )
    print(f"{info['note']}")
    parts = [f"{k}={v:.4f}" for k, v in summary.items() if k.startswith("final_") and v is not None]
    print(
        f"trained {summary['iterations']} steps in {summary['seconds']:.1f}s "
        f"({summary['iterations_per_second']:.0f} it/s): " + ", ".join(parts)
    )
    print(report(verdicts))
    print(out)
    return 0
