"""trainlab's benchmarks: ``make bench`` (``python benchmarks/run.py``).

Sections (``--only`` takes a comma-separated subset):

* ``training``  one training step of the notes' net: trainlab vs PyTorch eager vs
  the notes' own code vs the matrix products alone;
* ``optimizer`` one update of 1M / 10M parameters: trainlab.optim, the fused
  kernels, torch.optim, and the memory-bandwidth bound;
* ``rules``     the update rules after the notes against Adam's step, and Muon,
  SOAP and LBFGS in gradients of the notes' net;
* ``scaling``   time per step as the batch and the width double;
* ``search``    trials per minute of ``trainlab tune`` with 1 and 2 workers;
* ``memory``    peak resident memory of a full Fashion-MNIST training;
* ``profile``   where the time of one step goes;
* ``experiments`` ``trainlab demo`` and ``run all`` at 1 worker and at every core,
  and each experiment against the notes' own script for it, with peak memory;
* ``widgets``   how long the notebooks' widgets take to redraw when a control moves.

Every side of a comparison runs in its own process, all with the same number
of threads, and their samples are taken in turns (A B C, C B A, ...); the
tables show medians and the ratios come from the same run. Results go to
``benchmarks/RESULTS.md`` and ``benchmarks/results.json`` (or ``--out``); the
sections a run leaves out are carried over from the results.json already there,
each marked with the command and date of the run that measured it.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
import time
from pathlib import Path

import harness
from results_md import SECTIONS, render, targets


def parse(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="fewer repeats and sizes (minutes)")
    p.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections: {', '.join(SECTIONS)}",
    )
    p.add_argument(
        "--threads",
        default="1,2",
        help="thread counts to compare, for every library alike (default 1,2); "
        "scaling, rules and profile use the first",
    )
    p.add_argument(
        "--out", default=str(Path(__file__).parent), help="folder for RESULTS.md and results.json"
    )
    p.add_argument(
        "--render",
        action="store_true",
        help="measure nothing: rewrite RESULTS.md from the results.json in --out",
    )
    p.add_argument(
        "--before-src",
        default=None,
        help="src folder of an older trainlab: adds it to the training and "
        "optimizer tables and the profile, interleaved, to show before and after",
    )
    p.add_argument(
        "--before-label",
        default=None,
        help="what --before-src is, for the report (default: its path)",
    )
    args = p.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    bad = [s for s in args.only if s not in SECTIONS]
    if bad:
        p.error(f"unknown section(s) {', '.join(bad)}; choose from {', '.join(SECTIONS)}")
    args.threads = [int(s) for s in args.threads.split(",")]
    return args


def carry_over(results: dict, out_dir: Path, only: list[str]) -> None:
    """Keep the sections this run leaves out from the results.json in ``out_dir``,
    and note the thread counts of rerun sections that are no longer shown."""
    try:
        prev = json.loads((out_dir / "results.json").read_text())
    except (OSError, ValueError):
        return
    threads_of = {
        "training": lambda sec: {r["threads"] for r in sec["rows"]},
        "optimizer": lambda sec: {b["threads"] for b in sec},
    }
    dropped = list(prev.get("dropped", []))
    for section in SECTIONS:
        if section not in prev:
            continue
        origin = prev.get("carried", {}).get(section) or {
            "command": prev.get("command", "unknown"),
            "date": prev.get("date", "unknown"),
            "before_label": prev.get("before_label"),
        }
        if section not in only:
            results[section] = prev[section]
            results.setdefault("carried", {})[section] = origin
        elif section in threads_of:
            gone = sorted(threads_of[section](prev[section]) - set(results["threads"]))
            if gone:  # e.g. a 1-thread rerun: the earlier 2-thread tables are dropped
                dropped.append(
                    {
                        "section": section,
                        "threads": gone,
                        "command": origin["command"],
                        "date": origin["date"],
                    }
                )
    shown = {
        sec: set(results["threads"]) if sec in only else threads_of[sec](results[sec])
        for sec in threads_of
        if sec in only or sec in results
    }
    results["dropped"] = [
        d for d in dropped if not set(d["threads"]) & shown.get(d["section"], set())
    ]


def write(out_dir: Path, results: dict, started: float) -> None:
    results["elapsed_s"] = round(time.time() - started)
    (out_dir / "RESULTS.md").write_text(render(results, out_dir))
    (out_dir / "results.json").write_text(json.dumps(results, indent=1, default=str) + "\n")


def render_stored(out_dir: Path) -> None:
    """``--render``: rewrite RESULTS.md from the results.json in ``out_dir``, measuring nothing."""
    results = json.loads((out_dir / "results.json").read_text())
    (out_dir / "RESULTS.md").write_text(render(results, out_dir))
    print(f"[bench] wrote {out_dir / 'RESULTS.md'} from {out_dir / 'results.json'}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    started = time.time()
    out_dir = Path(args.out)
    if args.render:
        render_stored(out_dir)
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {
        "command": "python benchmarks/run.py " + " ".join(map(shlex.quote, argv)),
        "date": time.strftime("%Y-%m-%d %H:%M", time.localtime(started)),
        "machine": harness.machine(),
        "threads": args.threads,
        "before_label": args.before_label or args.before_src,
    }
    carry_over(results, out_dir, args.only)
    first = args.threads[0]
    with tempfile.TemporaryDirectory() as tmp:
        data = None
        if {"training", "scaling", "profile", "rules"} & set(args.only):
            import bench_training

            data = bench_training.save_data(tmp)
        for section in args.only:
            print(f"[bench] {section} …", flush=True)
            if section == "training":
                import bench_training

                results[section] = bench_training.run(
                    args.quick, args.threads, data, args.before_src
                )
                results[section]["before_label"] = results["before_label"]
            elif section == "optimizer":
                import bench_optimizer

                results[section] = [
                    bench_optimizer.run(args.quick, n, args.before_src) for n in args.threads
                ]
            elif section == "rules":
                import bench_rules

                results[section] = bench_rules.run(args.quick, first, data)
            elif section == "scaling":
                import bench_scaling

                results[section] = bench_scaling.run(args.quick, first, data)
            elif section == "search":
                import bench_search

                results[section] = bench_search.run(args.quick)
            elif section == "memory":
                import bench_memory

                results[section] = bench_memory.run(args.quick)
            elif section == "experiments":
                import bench_experiments

                results[section] = bench_experiments.run(args.quick)
            elif section == "widgets":
                import bench_widgets

                results[section] = bench_widgets.run(args.quick)
            elif section == "profile":
                import bench_profile

                results[section] = bench_profile.run(first, data, args.before_src)
            write(out_dir, results, started)  # keep what is done if a later section fails
    for line in targets(results):
        print(line.replace("**", ""))
    print(f"[bench] wrote {out_dir / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
