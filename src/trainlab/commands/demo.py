"""``trainlab demo``: the main job of ``make demo`` on the embedded digits."""

from __future__ import annotations

NAME = "demo"
HELP = "compare SGD, Momentum, AdaGrad and Adam on digits (the notes' network); prints the folder"

NOTES_OPTIMIZERS = {"SGD": {"name": "sgd"}, "Momentum": {"name": "momentum"},
                    "AdaGrad": {"name": "adagrad"}, "Adam": {"name": "adam"}}


def add_arguments(p):
    p.add_argument("--out", default="runs/demo", help="output folder (default runs/demo)")
    p.add_argument("--iterations", type=int, default=2000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--quiet", action="store_true")


def run(args) -> int:
    import time

    import numpy as np

    from trainlab.data import load_with_info
    from trainlab.io import write_json
    from trainlab.runs import prepare_out
    from trainlab.train.compare import compare_optimizers
    from trainlab.train.plots import plot_loss_curves

    start = time.perf_counter()
    out = prepare_out(args.out, "demo")
    ((x, t), (xt, tt)), info = load_with_info("digits")
    res = compare_optimizers(x, t, xt, tt, NOTES_OPTIMIZERS, iterations=args.iterations,
                             batch_size=128, seed=args.seed, progress=False if args.quiet else None)
    write_json(out / "config.json", {"kind": "optimizer-compare", "dataset": "digits",
                                     "hidden": [100] * 4, "batch_size": 128,
                                     "iterations": args.iterations, "seed": args.seed,
                                     "optimizers": NOTES_OPTIMIZERS})
    summary = {}
    for name, r in res.items():
        summary[f"{name} final loss"] = float(np.mean(r["train_loss"][-100:]))
        summary[f"{name} test acc"] = r["test_acc"]
    write_json(out / "metrics.json", {"summary": summary, "runs": res})
    plot_loss_curves({k: r["train_loss"] for k, r in res.items()}, out / "optimizer_compare.png",
                     title="digits, 64→100×4→10, batch 128", log=True)
    for name, r in res.items():
        print(f"{name:9s} loss {summary[f'{name} final loss']:.4f}  test acc {r['test_acc']:.4f}"
              f"  ({args.iterations / r['seconds']:.0f} it/s)")
    print(f"done in {time.perf_counter() - start:.1f}s")
    print(out)
    return 0
