"""trainlab's benchmarks: ``make bench`` (``python benchmarks/run.py``).

Sections (``--only`` takes a comma-separated subset):

* ``training``  one training step of the notes' net: trainlab vs PyTorch eager vs
  the notes' own code vs the matrix products alone;
* ``optimizer`` one update of 1M / 10M parameters: trainlab.optim, the fused
  kernels, torch.optim, and the memory-bandwidth bound;
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
import quoted

SECTIONS = (
    "training",
    "optimizer",
    "scaling",
    "search",
    "memory",
    "profile",
    "experiments",
    "widgets",
)


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
        "scaling and profile use the first",
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


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def earlier(results: dict, section: str) -> str:
    """'' for a section this run measured, else where and when it was measured."""
    prev = results.get("carried", {}).get(section)
    return f" (earlier run, {prev['date']})" if prev else ""


def targets(results: dict) -> list[str]:
    """Every target, judged on trainlab as a user runs it."""
    out = []
    for r in results.get("training", {}).get("rows", []):
        th, when = r["threads"], earlier(results, "training")
        out += [
            f"- Training step, {th} thread(s): ≥ 2× PyTorch eager: {verdict(r['vs_torch'] >= 2)} "
            f"({r['vs_torch']:.2f}×; NumPy kernels {r['numpy_vs_torch']:.2f}×"
            + (
                f"; the hand-fused floor {r['floor_vs_torch']:.2f}×"
                if r.get("floor_vs_torch")
                else ""
            )
            + f"){when}",
            f"- Training step, {th} thread(s): ≥ 3× the notes' code: {verdict(r['vs_notes'] >= 3)} "
            f"({r['vs_notes']:.2f}×; NumPy kernels {r['numpy_vs_notes']:.2f}×){when}",
            f"- Training step, {th} thread(s): ≥ 75% of the GEMM bound: "
            f"{verdict(r['gemm_fraction'] >= 0.75)} ({100 * r['gemm_fraction']:.0f}%; NumPy "
            f"kernels {100 * r['numpy_gemm_fraction']:.0f}%; against only the products the step "
            f"needs {100 * r['gemm_needed_fraction']:.0f}%){when}",
        ]
    for block in results.get("optimizer", []):
        for row in block["rows"]:
            s, tb, bound = row["seconds"], row["torch_best"], row["bound"]
            tl, tn = s["trainlab.optim"], s.get("trainlab.optim, NumPy kernels")
            numpy = f"; NumPy kernels {100 * bound / tn:.0f}%, {tb / tn:.2f}× torch" if tn else ""
            out.append(
                f"- Optimizer {row['rule']}, {row['n']:,} params, {block['threads']} thread(s), "
                "≥ 50% of the bandwidth bound and no slower than the fastest torch.optim: "
                f"trainlab.optim {verdict(bound / tl >= 0.5 and tl <= tb)} "
                f"({100 * bound / tl:.0f}%, {tb / tl:.2f}× torch{numpy})"
                f"{earlier(results, 'optimizer')}"
            )
    search = results.get("search")
    if search and search.get("available") and "search_per_minute" in search:
        import bench_search

        r = bench_search.ratios(search)
        out.append(
            f"- Search, 2 workers ≥ 1.7× the trials per minute of 1 worker: "
            f"{verdict(r['whole'] >= 1.7)} ({r['whole']:.2f}× for the whole command, "
            f"{r['search']:.2f}× in the search itself){earlier(results, 'search')}"
        )
    mem = results.get("memory")
    if mem and mem.get("ok"):
        out.append(
            f"- Peak memory ≤ 1.5 × float32 data + 150 MB: {verdict(mem['peak'] <= mem['target'])} "
            f"({mem['peak'] / 1e6:.0f} MB of {mem['target'] / 1e6:.0f} MB)"
            f"{earlier(results, 'memory')}"
        )
    exp = results.get("experiments")
    if exp:
        when = earlier(results, "experiments")
        for p in exp["pairs"]:
            out.append(
                f"- {p['label']}: every core ({exp['cores']}) ≥ 1.7× one worker: "
                f"{verdict(p['speedup'] >= 1.7)} ({p['speedup']:.2f}×, same results: "
                f"{'yes' if p['identical'] else 'no'}){when}"
            )
            side = p["sides"][str(exp["cores"])]
            if "peak_shared" in side:
                import bench_experiments

                bound = bench_experiments.memory_bound(side, exp["cores"])
                out.append(
                    f"- {p['label']}, {exp['cores']} workers: peak PSS (sum) ≤ 1.5 × "
                    f"(data + N × one worker) + 150 MB: "
                    f"{verdict(side['peak_pss'] <= bound)} ({side['peak_pss'] / 1e6:.0f} "
                    f"MB of {bound / 1e6:.0f} MB){when}"
                )
        for n in exp["notes"]:
            out.append(
                f"- {n['experiment']}: ≥ 5× the notes' {n['script']}: "
                f"{verdict(n['speedup'] >= 5)} ({n['speedup']:.1f}×){when}"
            )
    if "widgets" in results:
        import bench_widgets

        met, slowest = bench_widgets.target(results["widgets"])
        out.append(
            f"- Notebook widgets: every move redraws within "
            f"{results['widgets']['target_s']:g} s: {verdict(met)} (slowest: {slowest})"
            f"{earlier(results, 'widgets')}"
        )
    return out


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


def render(results: dict, out_dir: Path) -> str:
    """RESULTS.md from ``results`` (what results.json holds) alone; draws scaling.png."""
    import bench_memory
    import bench_optimizer
    import bench_profile
    import bench_scaling
    import bench_search
    import bench_training

    m = results["machine"]
    redone = [s for s in SECTIONS if s in results and s not in results.get("carried", {})]
    lines = [
        "# trainlab benchmarks",
        "",
        f"Produced by `{results['command']}` in {results['elapsed_s']:.0f} s, "
        f"{results['date']} (sections: {', '.join(redone)}).",
        "",
    ]
    for section, prev in results.get("carried", {}).items():
        lines.append(
            f"- Section {section!r} is from an earlier run, not repeated here: "
            f"`{prev['command']}`, {prev['date']}."
        )
    for d in results.get("dropped", []):
        lines.append(
            f"- Not repeated and left out: {d['section']} at "
            f"{', '.join(map(str, d['threads']))} thread(s), last measured by "
            f"`{d['command']}`, {d['date']}, with the code of that time "
            "(see this file's history)."
        )
    lines += [
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; load average at the start: "
        f"{m.get('load_average', 'n/a')} (other work on the machine makes timings noisy; "
        "every comparison is interleaved and its ratio comes from one run)",
        f"- Python {m['python']}, NumPy {m['numpy']}, BLAS {m['blas']} "
        f"({m.get('blas_config', '')}), default BLAS threads {m['blas_threads']}; "
        f"kernel in use: {m.get('blas_kernel', 'not recorded')}",
        f"- PyTorch {m['torch']} (CPU); numba {m['numba']}; trainlab kernels: {m['kernels']}",
        f"- Threads compared: {', '.join(map(str, results['threads']))} (each side gets the "
        "same count: OpenBLAS, OpenMP/PyTorch and numba alike)",
        "",
    ]
    tl = targets(results)
    if tl:
        lines += ["## Targets", "", *tl, ""]
    if "optimizer" in results:
        lines += [
            "The optimizer targets judge `trainlab.optim` as a user calls it, with its "
            "NaN/inf check of the gradients: one more read of them (4 of the 28 bytes "
            "per parameter that Adam's update moves, 4 of 20 for Momentum and RMSprop), "
            'which torch.optim does not do. The "by hand" rows of the optimizer '
            "tables show the update with and without that check.",
            "",
        ]

    def heading(title: str, section: str) -> list[str]:
        prev = results.get("carried", {}).get(section)
        if not prev:
            return [f"## {title}", ""]
        return [
            f"## {title} (earlier run, {prev['date']})",
            "",
            f"*Measured by `{prev['command']}` on {prev['date']}, with the code of that "
            "time; not repeated by the run above.*",
            "",
        ]

    if "training" in results:
        lines += [
            *heading("Training step", "training"),
            *bench_training.table(results["training"]),
            "",
        ]
    for block in results.get("optimizer", []):
        lines += [
            *heading(f"Optimizer step ({block['threads']} thread(s))", "optimizer"),
            *bench_optimizer.table(block),
            "",
        ]
    if "scaling" in results:
        lines += [*heading("Scaling", "scaling"), *bench_scaling.table(results["scaling"]), ""]
        if bench_scaling.figure(results["scaling"], out_dir / "scaling.png"):
            lines += ["![ms per step against batch and width, log-log](scaling.png)", ""]
    if "search" in results:
        lines += [*heading("Search", "search"), *bench_search.table(results["search"]), ""]
    if "memory" in results:
        lines += [*heading("Memory", "memory"), *bench_memory.table(results["memory"]), ""]
    if "experiments" in results:
        import bench_experiments

        lines += [
            *heading("The main job on every core", "experiments"),
            *bench_experiments.table(results["experiments"]),
            "",
        ]
    if "widgets" in results:
        import bench_widgets

        lines += [
            *heading("Notebook widgets", "widgets"),
            *bench_widgets.table(results["widgets"]),
            "",
        ]
    if "profile" in results:
        label = (results.get("carried", {}).get("profile") or results)["before_label"]
        lines += [
            *heading("Where the time goes", "profile"),
            "### Now",
            "",
            *bench_profile.table(results["profile"]["now"]),
            "",
        ]
        if results["profile"]["before"]:
            lines += [
                f"### Before ({label})",
                "",
                *bench_profile.table(results["profile"]["before"]),
                "",
            ]
    lines += quoted.section(results)
    return "\n".join(lines) + "\n"


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
        if {"training", "scaling", "profile"} & set(args.only):
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
