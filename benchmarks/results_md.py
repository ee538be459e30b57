"""``RESULTS.md`` from what ``results.json`` holds: the machine, the targets, every
section's table and the figures the docs quote. Nothing here measures."""

from __future__ import annotations

from pathlib import Path

import bench_experiments
import bench_memory
import bench_optimizer
import bench_profile
import bench_rules
import bench_scaling
import bench_search
import bench_training
import bench_widgets
import quoted

#: the sections, in the order a full run measures them
SECTIONS = (
    "training",
    "optimizer",
    "rules",
    "scaling",
    "search",
    "memory",
    "profile",
    "experiments",
    "widgets",
)


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def earlier(results: dict, section: str) -> str:
    """'' for a section this run measured, else where and when it was measured."""
    prev = results.get("carried", {}).get(section)
    return f" (earlier run, {prev['date']})" if prev else ""


def training_targets(results: dict) -> list[str]:
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
    return out


def optimizer_targets(results: dict) -> list[str]:
    out = []
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
    return out


def rules_targets(results: dict) -> list[str]:
    if "rules" not in results:
        return []
    sec, when = results["rules"], earlier(results, "rules")
    return [
        f"- {r['rule']}'s step (NumPy, {sec['n']:,} params) within {r['bound']:g}× Adam's: "
        f"{verdict(bench_rules.met(r))} "
        + (f"({r['vs_adam']:.2f}×){when}" if r["vs_adam"] else f"(failed){when}")
        for r in sec["rows"]
    ]


def search_and_memory_targets(results: dict) -> list[str]:
    out = []
    search = results.get("search")
    if search and search.get("available") and "search_per_minute" in search:
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
    return out


def experiments_targets(results: dict) -> list[str]:
    exp = results.get("experiments")
    if not exp:
        return []
    out, when = [], earlier(results, "experiments")
    for p in exp["pairs"]:
        out.append(
            f"- {p['label']}: every core ({exp['cores']}) ≥ 1.7× one worker: "
            f"{verdict(p['speedup'] >= 1.7)} ({p['speedup']:.2f}×, same results: "
            f"{'yes' if p['identical'] else 'no'}){when}"
        )
        side = p["sides"][str(exp["cores"])]
        if "peak_shared" in side:
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
    return out


def widgets_targets(results: dict) -> list[str]:
    if "widgets" not in results:
        return []
    met, slowest = bench_widgets.target(results["widgets"])
    return [
        f"- Notebook widgets: every move redraws within "
        f"{results['widgets']['target_s']:g} s: {verdict(met)} (slowest: {slowest})"
        f"{earlier(results, 'widgets')}"
    ]


def targets(results: dict) -> list[str]:
    """Every target, judged on trainlab as a user runs it."""
    return [
        *training_targets(results),
        *optimizer_targets(results),
        *rules_targets(results),
        *search_and_memory_targets(results),
        *experiments_targets(results),
        *widgets_targets(results),
    ]


def preamble(results: dict) -> list[str]:
    """The title, which run produced the file, and where each carried section is from."""
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
    return lines


def machine(results: dict) -> list[str]:
    m = results["machine"]
    return [
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


def heading(results: dict, title: str, section: str) -> list[str]:
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


def profile(results: dict) -> list[str]:
    label = (results.get("carried", {}).get("profile") or results)["before_label"]
    lines = [
        *heading(results, "Where the time goes", "profile"),
        "### Now",
        "",
        *bench_profile.table(results["profile"]["now"]),
        "",
    ]
    if results["profile"]["before"]:
        before = bench_profile.table(results["profile"]["before"])
        lines += [f"### Before ({label})", "", *before, ""]
    return lines


def tables(results: dict, out_dir: Path) -> list[str]:
    """Every section's table, in the file's order; draws scaling.png into ``out_dir``."""
    lines = []
    if "training" in results:
        table = bench_training.table(results["training"])
        lines += [*heading(results, "Training step", "training"), *table, ""]
    for block in results.get("optimizer", []):
        title = f"Optimizer step ({block['threads']} thread(s))"
        lines += [*heading(results, title, "optimizer"), *bench_optimizer.table(block), ""]
    if "rules" in results:
        table = bench_rules.table(results["rules"])
        lines += [*heading(results, "The rules after the notes", "rules"), *table, ""]
    if "scaling" in results:
        table = bench_scaling.table(results["scaling"])
        lines += [*heading(results, "Scaling", "scaling"), *table, ""]
        if bench_scaling.figure(results["scaling"], out_dir / "scaling.png"):
            lines += ["![ms per step against batch and width, log-log](scaling.png)", ""]
    if "search" in results:
        table = bench_search.table(results["search"])
        lines += [*heading(results, "Search", "search"), *table, ""]
    if "memory" in results:
        table = bench_memory.table(results["memory"])
        lines += [*heading(results, "Memory", "memory"), *table, ""]
    if "experiments" in results:
        table = bench_experiments.table(results["experiments"])
        lines += [*heading(results, "The main job on every core", "experiments"), *table, ""]
    if "widgets" in results:
        table = bench_widgets.table(results["widgets"])
        lines += [*heading(results, "Notebook widgets", "widgets"), *table, ""]
    if "profile" in results:
        lines += profile(results)
    return lines


OPTIMIZER_NOTE = (
    "The optimizer targets judge `trainlab.optim` as a user calls it, with its "
    "NaN/inf check of the gradients: one more read of them (4 of the 28 bytes "
    "per parameter that Adam's update moves, 4 of 20 for Momentum and RMSprop), "
    'which torch.optim does not do. The "by hand" rows of the optimizer '
    "tables show the update with and without that check."
)


def render(results: dict, out_dir: Path) -> str:
    """RESULTS.md from ``results`` (what results.json holds) alone."""
    lines = [*preamble(results), *machine(results)]
    listed = targets(results)
    if listed:
        lines += ["## Targets", "", *listed, ""]
    if "optimizer" in results:
        lines += [OPTIMIZER_NOTE, ""]
    lines += [*tables(results, out_dir), *quoted.section(results)]
    return "\n".join(lines) + "\n"
