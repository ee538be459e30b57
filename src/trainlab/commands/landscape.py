"""``trainlab landscape``: update rules racing across a two-dimensional function."""

from __future__ import annotations

import argparse
import math

from trainlab.commands._args import add_overwrite, key_value
from trainlab.errors import ConfigError
from trainlab.landscape import FUNCTIONS, get_function, race, write
from trainlab.landscape.animate import check_frames
from trainlab.optim import RULES
from trainlab.runs import prepare_out

NAME = "landscape"
HELP = "draw the paths of update rules across a 2-D function (the notes' optimizer figure)"

NOTES_RULES = "sgd,momentum,adagrad,adam"


def add_arguments(parser) -> None:
    _add_race_options(parser)
    _add_tune_options(parser)
    parser.add_argument(
        "--newton",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="add Newton's method as a second-order reference (default: on)",
    )
    parser.add_argument("--animate", action="store_true", help="also write paths.gif")
    parser.add_argument(
        "--frames", type=int, default=120, help="most frames in the GIF (default: %(default)s)"
    )
    parser.add_argument(
        "--out", default=None, metavar="DIR", help="run folder (default: runs/landscape-<function>)"
    )
    add_overwrite(parser)


def _add_race_options(parser) -> None:
    """Which function, which rules, from where, for how long, at which rates."""
    parser.add_argument(
        "--function",
        default="bowl",
        metavar="NAME[:K=V,...]",
        help=f"one of {', '.join(FUNCTIONS)}; parameters after a colon, "
        "e.g. quadratic:kappa=100,angle=45 (default: bowl, the notes')",
    )
    parser.add_argument(
        "--optimizers",
        default=NOTES_RULES,
        metavar="LIST",
        help="comma-separated rule names (lbfgs too), or 'all': the rules that update "
        "from a gradient, lbfgs (which steps with a closure) not among them "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=None,
        help="updates per rule (default: the function's, 30 for the bowl)",
    )
    parser.add_argument(
        "--start",
        default=None,
        metavar="X,Y",
        help="start point (default: the function's, (-7, 2) for the bowl)",
    )
    parser.add_argument(
        "--lr",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="learning rate of one rule (repeat, or comma-separate)",
    )
    parser.add_argument(
        "--opt",
        type=key_value,
        action="append",
        default=[],
        metavar="NAME.KEY=VALUE",
        help="another option of one rule (repeat), e.g. --opt lbfgs.line_search_fn=strong_wolfe",
    )


def _add_tune_options(parser) -> None:
    """How ``--tune`` searches each rule's learning rate."""
    parser.add_argument(
        "--tune",
        action="store_true",
        help="tune each rule's lr: same log grid for all, objective = mean f over the path",
    )
    parser.add_argument(
        "--tune-points",
        type=int,
        default=25,
        metavar="N",
        help="grid points for --tune (default: %(default)s)",
    )
    parser.add_argument(
        "--tune-range",
        default="1e-4,10",
        metavar="LOW,HIGH",
        help="lr range for --tune (default: %(default)s)",
    )
    parser.add_argument(
        "--tune-refine",
        type=int,
        default=0,
        metavar="N",
        help="golden-section steps after the grid, same for all (default: 0)",
    )


def parse_pair(text: str, option: str) -> tuple[float, float]:
    parts = [p.strip() for p in str(text).split(",")]
    try:
        a, b = (float(p) for p in parts)
    except ValueError:
        raise ConfigError(
            f"{option} must be two numbers as A,B (e.g. -7,2), got {text!r}"
        ) from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise ConfigError(f"{option} must be two finite numbers, got {text!r}")
    return a, b


def parse_lrs(items: list[str]) -> dict[str, float]:
    lrs = {}
    for item in (s.strip() for text in items for s in text.split(",")):
        if not item:
            continue
        name, eq, value = item.partition("=")
        try:
            lr = float(value)
        except ValueError:
            lr = math.nan
        if not eq or not name.strip() or not (math.isfinite(lr) and lr > 0):
            raise ConfigError(
                f"--lr takes NAME=VALUE with a number > 0 (e.g. sgd=0.95), got {item!r}"
            )
        lrs[name.strip()] = lr
    return lrs


def parse_options(items: list[tuple[str, object]]) -> dict[str, dict[str, object]]:
    """``[("lbfgs.max_iter", 1)]`` -> ``{"lbfgs": {"max_iter": 1}}``."""
    options: dict[str, dict[str, object]] = {}
    for key, value in items:
        name, dot, option = key.partition(".")
        if not dot or not name.strip() or not option.strip():
            raise ConfigError(
                f"--opt takes NAME.KEY=VALUE (e.g. lbfgs.line_search_fn=strong_wolfe), got {key!r}"
            )
        options.setdefault(name.strip(), {})[option.strip()] = value
    return options


def run(args) -> int:
    if args.animate:
        check_frames(args.frames)
    f = get_function(args.function)
    names = [s.strip() for s in args.optimizers.split(",") if s.strip()]
    if [n.lower() for n in names] == ["all"]:
        names = list(RULES)
    start = None if args.start is None else parse_pair(args.start, "--start")
    low, high = parse_pair(args.tune_range, "--tune-range")
    if not 0 < low < high:
        raise ConfigError(f"--tune-range must satisfy 0 < LOW < HIGH, got {args.tune_range!r}")
    r = race(
        f,
        names,
        start=start,
        steps=args.steps,
        lrs=parse_lrs(args.lr),
        tune=args.tune,
        tune_points=args.tune_points,
        tune_range=(low, high),
        tune_refine=args.tune_refine,
        newton=args.newton,
        progress=args.tune,
        options=parse_options(args.opt),
    )
    out = prepare_out(args.out or f"runs/landscape-{f.name}", "landscape", overwrite=args.overwrite)
    config = {
        "lrs": {k: lr for k, (_, lr) in r.rules.items()},
        "lr_source": r.source,
        "tune": {"points": args.tune_points, "range": [low, high], "refine": args.tune_refine}
        if args.tune
        else None,
    }
    if args.opt:
        config["options"] = parse_options(args.opt)
    write(r, out, config=config, animate=args.animate, frames=args.frames)

    print(f"{f.spec} from ({r.start[0]:g}, {r.start[1]:g}), {r.steps} steps")
    for name, (t, lr) in r.traces.items():
        lr_text = "" if lr is None else f"lr={lr:<10.4g} ({r.source[name]})"
        state = (
            f"diverged at step {t.diverged_at}"
            if t.diverged
            else f"final f={t.final_value:.6g}  mean f={t.mean_value:.6g}"
        )
        print(f"  {name:<10} {lr_text:<26} {state}")
    if r.tuned:
        runs = "/".join(map(str, sorted({tu.evaluations for tu in r.tuned.values()})))
        print(
            f"  tuned lr: {runs} runs per rule ({args.tune_points}-point log grid over "
            f"[{low:g}, {high:g}] + {args.tune_refine} golden-section steps), "
            "objective: mean f over the path"
        )
    if any(t.diverged for t, _ in r.traces.values()):
        print("  diverged: " + ", ".join(k for k, (t, _) in r.traces.items() if t.diverged))
    print(out)
    return 0
