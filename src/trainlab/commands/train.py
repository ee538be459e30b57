"""``trainlab train``: train one network and write its run folder."""

from __future__ import annotations

import numpy as np

from trainlab.commands._args import add_data_args, int_list, key_value, positive_int

NAME = "train"
HELP = "train one network; writes config.json, metrics.json and training.png"


def add_arguments(p):
    add_data_args(p)
    p.add_argument("--optimizer", default="sgd", help="update rule name (default sgd)")
    p.add_argument("--lr", type=float, default=None, help="learning rate (default: the rule's)")
    p.add_argument("--opt", type=key_value, action="append", default=[], metavar="KEY=VALUE",
                   help="another option of the update rule, e.g. --opt momentum=0.95")
    p.add_argument("--hidden", type=int_list, default=[100, 100, 100, 100],
                   help="hidden layer sizes, comma-separated (default 100,100,100,100)")
    p.add_argument("--activation", default="relu", help="relu, sigmoid or tanh")
    p.add_argument("--init", default="relu",
                   help="initial weights: a std such as 0.01, xavier, he, glorot_normal, glorot_uniform")
    p.add_argument("--weight-decay", type=float, default=0.0, help="λ of the ½λΣW² penalty")
    p.add_argument("--dropout", type=float, default=0.0, help="dropout ratio (0 = off)")
    p.add_argument("--dropout-mode", default="notes", choices=("notes", "inverted"))
    p.add_argument("--batchnorm", action="store_true", help="batch normalisation in every hidden layer")
    p.add_argument("--epochs", type=positive_int, default=20)
    p.add_argument("--iterations", type=positive_int, default=None,
                   help="train for exactly this many steps instead of --epochs")
    p.add_argument("--batch-size", type=positive_int, default=100)
    p.add_argument("--train-size", type=positive_int, default=None,
                   help="use only the first N training samples")
    p.add_argument("--val-ratio", type=float, default=0.2,
                   help="share of the training data held out for validation (0 = none)")
    p.add_argument("--schedule", default=None, help="learning-rate schedule, e.g. cosine")
    p.add_argument("--warmup", type=int, default=0, help="epochs of linear warm-up")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dtype", default="float32", choices=("float32", "float64"))
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--out", default=None, help="output folder (default runs/train-<time>)")


def build(args):
    """Data, network and trainer from parsed arguments (shared with other commands)."""
    from trainlab.data import load_with_info, train_val_split
    from trainlab.errors import ConfigError
    from trainlab.nn import MultiLayerNet
    from trainlab.optim import create
    from trainlab.train import Trainer

    if not 0.0 <= args.val_ratio < 1.0:
        raise ConfigError(f"--val-ratio must be in [0, 1), got {args.val_ratio}")
    if not 0.0 <= args.dropout < 1.0:
        raise ConfigError(f"--dropout must be in [0, 1), got {args.dropout}")
    init = args.init
    try:
        init = float(init)
    except ValueError:
        pass
    opt_kw = dict(args.opt)
    if args.lr is not None:
        opt_kw["lr"] = args.lr
    optimizer = create(args.optimizer, **opt_kw)

    data, info = load_with_info(args.dataset, data_dir=args.data_dir)
    (x_train, t_train), (x_test, t_test) = data
    if args.train_size:
        x_train, t_train = x_train[:args.train_size], t_train[:args.train_size]
    seeds = np.random.SeedSequence(args.seed).spawn(3)
    x_val = t_val = None
    if args.val_ratio > 0:
        (x_train, t_train), (x_val, t_val) = train_val_split(
            x_train, t_train, args.val_ratio, np.random.default_rng(seeds[0]))
    dtype = np.dtype(args.dtype)
    net = MultiLayerNet(x_train.shape[1], args.hidden, info["n_classes"], activation=args.activation,
                        weight_init_std=init, weight_decay_lambda=args.weight_decay,
                        use_dropout=args.dropout > 0, dropout_ratio=args.dropout or 0.5,
                        dropout_mode=args.dropout_mode, use_batchnorm=args.batchnorm, dtype=dtype,
                        rng=np.random.default_rng(seeds[1]))
    schedule = None
    if args.schedule:
        from trainlab.optim.schedules import make_schedule
        schedule = make_schedule(args.schedule, optimizer.lr, args.epochs, warmup=args.warmup)
    trainer = Trainer(net, x_train.astype(dtype, copy=False), t_train,
                      x_test.astype(dtype, copy=False), t_test,
                      x_val=None if x_val is None else x_val.astype(dtype, copy=False), t_val=t_val,
                      epochs=args.epochs, iterations=args.iterations,
                      mini_batch_size=args.batch_size, optimizer=optimizer, schedule=schedule,
                      rng=np.random.default_rng(seeds[2]), progress=False if args.quiet else None)
    return trainer, info


def summary_of(trainer) -> dict:
    h = trainer.history
    out = {"epochs": trainer.current_epoch, "iterations": trainer.current_iter,
           "seconds": round(trainer.elapsed, 3),
           "iterations_per_second": round(trainer.current_iter / max(trainer.elapsed, 1e-9), 1),
           "final_train_loss": float(np.mean(h["train_loss"][-10:])) if h["train_loss"] else None}
    for key in ("train_acc", "val_acc", "test_acc"):
        if h[key]:
            out[f"final_{key}"] = h[key][-1]
    return out


def run(args) -> int:
    from trainlab.io import write_json
    from trainlab.runs import prepare_out
    from trainlab.train.plots import plot_history

    trainer, info = build(args)
    out = prepare_out(args.out, "train")
    config = {k: v for k, v in vars(args).items() if not k.startswith("_")}
    config.update(kind="train", optimizer_repr=repr(trainer.optimizer), data=info,
                  network=repr(trainer.network))
    write_json(out / "config.json", config)
    trainer.train()
    summary = summary_of(trainer)
    write_json(out / "metrics.json", {"summary": summary, "history": trainer.history})
    plot_history(trainer.history, out / "training.png",
                 title=f"{args.optimizer} on {info['name']}")
    print(f"{info['note']}")
    parts = [f"{k}={v:.4f}" for k, v in summary.items() if k.startswith("final_") and v is not None]
    print(f"trained {summary['iterations']} steps in {summary['seconds']:.1f}s "
          f"({summary['iterations_per_second']:.0f} it/s): " + ", ".join(parts))
    print(out)
    return 0
