"""``trainlab lrfind``: the learning-rate range test for any rule and any data.

Takes the options of ``trainlab train`` (data, network, rule and its options,
batch size, seed) and sweeps the learning rate; writes ``config.json``,
``lrfind.json`` and ``lrfind.png``, and prints the suggested interval.
"""

from __future__ import annotations

from pathlib import Path

from trainlab.commands import train
from trainlab.commands.train import build, file_data
from trainlab.errors import ConfigError
from trainlab.io import write_json
from trainlab.runs import default_out, prepare_out
from trainlab.train.checkpoint import guarded_write
from trainlab.train.lrfind import lrfind
from trainlab.train.lrfind_plot import plot_lrfind

NAME = "lrfind"
HELP = "learning-rate range test: sweep the lr over a few hundred steps, suggest an interval"


def add_arguments(p):
    train.add_arguments(p)
    g = p.add_argument_group("the sweep")
    g.add_argument("--low", type=float, default=1e-5, help="first learning rate (default 1e-5)")
    g.add_argument("--high", type=float, default=10.0, help="last learning rate (default 10)")
    g.add_argument("--steps", type=int, default=200, help="mini-batches per sweep (default 200)")
    g.add_argument("--seeds", type=int, default=3, help="sweeps, each on other batches (default 3)")


def run(args) -> int:
    for flag, given in (("--resume", args.resume), ("--checkpoint-every", args.checkpoint_every)):
        if given:
            raise ConfigError(
                f"lrfind sweeps from fresh weights and saves no checkpoints; drop {flag} "
                "(it is an option of trainlab train)"
            )
    args.epochs = args.epochs or 1
    if getattr(args, "data_file", None):
        file_data(args)
    out = Path(args.out) if args.out else default_out("lrfind")
    trainer, info = build(args)
    opt, net = trainer.optimizer, trainer.network
    kw = {"low": args.low, "high": args.high, "steps": args.steps, "seeds": args.seeds}
    found = lrfind(
        net,
        trainer.data.x_train,
        trainer.data.t_train,
        opt,
        batch_size=args.batch_size,
        seed=args.seed,
        **kw,
    )
    prepare_out(out, "lrfind", overwrite=args.overwrite)
    config = {k: v for k, v in vars(args).items() if not k.startswith("_") and k != "overwrite"}
    config.update(kind="lrfind", optimizer_repr=repr(opt), data=info, network=repr(net))
    guarded_write(out / "config.json", write_json, config)
    guarded_write(out / "lrfind.json", write_json, found.to_json())
    title = f"{args.optimizer} on {info['name']}"
    guarded_write(out / "lrfind.png", lambda path: plot_lrfind(found, path, title))
    lo, hi = found.interval
    print(
        f"suggested lr: {lo:.3g} to {hi:.3g} (middle {found.middle:.3g}; the {args.seeds} "
        f"seeds' middles lie within {found.spread:.2f} decades); "
        f"e.g. trainlab train --optimizer {args.optimizer} --lr {found.middle:.3g}"
    )
    print(out)
    return 0
