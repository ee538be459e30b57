"""``trainlab demo``: the main job of ``make demo``: every experiment of the notes,
quick settings, on the embedded digits, and the report that shows them all."""

from __future__ import annotations

import time

from trainlab.commands._args import add_overwrite, add_workers_arg, non_negative_int
from trainlab.commands.run import execute, plan
from trainlab.experiments import names
from trainlab.landscape.lab import race, write
from trainlab.report import build
from trainlab.runs import prepare_out

NAME = "demo"
HELP = (
    "run every experiment (quick settings, digits) and the notes' landscape figure, "
    "then build report.html; prints the folder"
)


def add_arguments(p):
    p.add_argument(
        "--out",
        default="runs/demo",
        help="output folder (default runs/demo); a previous demo there is replaced",
    )
    p.add_argument("--seed", type=non_negative_int, default=0)
    add_workers_arg(p)
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_overwrite(p)


def run(args) -> int:
    start = time.perf_counter()
    configs = plan(names(), quick=True, dataset="digits")
    out = prepare_out(args.out, "demo", overwrite=args.overwrite, replaces=("demo",))
    # the notes' optimizer figure on x²/20 + y², with the race animated: drawn by
    # the same workers as the experiments, its figures and its animation apart
    bowl = out / "landscape-bowl"
    extra = [(bowl, landscape, {"part": part}) for part in ("figures", "gif")]
    execute(
        configs,
        out,
        dataset="digits",
        seed=args.seed,
        quick=True,
        progress=False if args.quiet else None,
        report=False,
        workers=args.workers,
        extra=extra,
    )
    print(f"landscape-bowl: the notes' four paths on x²/20 + y² ({bowl})")
    print(f"report: {build(out)}")
    print(f"done in {time.perf_counter() - start:.1f}s")
    print(out)
    return 0


def landscape(out, part: str) -> None:
    """One part (``"figures"`` or ``"gif"``) of the demo's landscape folder, into ``out``."""
    write(race("bowl", ["sgd", "momentum", "adagrad", "adam"]), out, animate=True, parts=(part,))
