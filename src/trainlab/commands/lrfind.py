"""``trainlab lrfind``: the learning-rate range test for any rule and any data.

Takes the options of ``trainlab train`` (data, network, rule and its options,
batch size, seed) and sweeps the learning rate; writes ``config.json``,
``lrfind.json`` and ``lrfind.png``, and prints the suggested interval.
"""

from __future__ import annotations

from pathlib import Path

from trainlab.commands import train
from trainlab.errors import ConfigError

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
    from trainlab.train import lrfind_run  # the engine, imported on use: keeps --help fast

    for flag, given in (("--resume", args.resume), ("--checkpoint-every", args.checkpoint_every)):
        if given:
            raise ConfigError(
                f"lrfind sweeps from fresh weights and saves no checkpoints; drop {flag} "
                "(it is an option of trainlab train)"
            )
    spec = lrfind_run.from_flat(vars(args), epochs=1)
    sweep = {"low": args.low, "high": args.high, "steps": args.steps, "seeds": args.seeds}
    out = Path(args.out) if args.out else None
    found, out = lrfind_run.sweep(spec, sweep, out, overwrite=args.overwrite)
    lo, hi = found.interval
    rule = spec.optimizer.rule
    print(
        f"suggested lr: {lo:.3g} to {hi:.3g} (middle {found.middle:.3g}; the {args.seeds} "
        f"seeds' middles lie within {found.spread:.2f} decades); "
        f"e.g. trainlab train --optimizer {rule} --lr {found.middle:.3g}"
    )
    print(out)
    return 0
