"""The figures the README and ``docs/`` quote, each under a stable name.

``RESULTS.md`` lists them in its section "Quoted figures", one ``- `name`: value``
line each, written from ``results.json`` with the rounding the tables use. A page
quotes a figure as the value followed by a marker naming it,
``1.81×<!-- bench: experiments.demo.speedup -->``, and
``tests/docs/test_quoted_numbers.py`` fails when a quoted value is not the listed one.
"""

from __future__ import annotations

import re

MB = 1e6
HEADING = "## Quoted figures"
#: the experiments section's command labels → short names
COMMANDS = {
    "make demo (trainlab demo)": "demo",
    "trainlab run all --dataset fashion-mnist": "run_all",
}
#: the optimizer tables' rows → short names
IMPLEMENTATIONS = {
    "trainlab.optim": "trainlab",
    "kernel (numba) by hand": "kernel",
    "kernel (numba) + finite check by hand": "kernel_checked",
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def training(section: dict) -> dict[str, str]:
    out = {}
    rows = {r["threads"]: r for r in section["rows"]}
    for threads, r in rows.items():
        key = f"training.{threads}thread"
        out[f"{key}.vs_torch"] = f"{r['vs_torch']:.2f}×"
        out[f"{key}.vs_notes"] = f"{r['vs_notes']:.2f}×"
        out[f"{key}.gemm_fraction"] = f"{100 * r['gemm_fraction']:.0f}%"
        if r.get("floor_fraction"):
            out[f"{key}.floor_fraction"] = f"{100 * r['floor_fraction']:.0f}%"
            floor_gemm = r["its"]["floor"] / r["its"]["gemm"]
            out[f"{key}.floor_gemm_fraction"] = f"{100 * floor_gemm:.0f}%"
    if 1 in rows and 2 in rows:
        gemm = rows[2]["its"]["gemm"] / rows[1]["its"]["gemm"]
        out["training.gemm_2threads_vs_1"] = f"{gemm:.2f}×"
    return out


def optimizer(blocks: list) -> dict[str, str]:
    """Each implementation's speed against the fastest torch.optim."""
    out = {}
    for block in blocks:
        for row in block["rows"]:
            n = f"{row['n'] / 1e6:.0f}M"
            for name, short in IMPLEMENTATIONS.items():
                if name in row["seconds"]:
                    ratio = row["torch_best"] / row["seconds"][name]
                    key = f"optimizer.{block['threads']}thread.{row['rule']}.{n}.{short}"
                    out[key] = f"{ratio:.2f}×"
    return out


def rules(section: dict) -> dict[str, str]:
    """Each new rule's step against Adam's, and the matrix rules' in gradients."""
    out = {
        f"rules.{slug(r['rule'])}.vs_adam": f"{r['vs_adam']:.2f}×"
        for r in section["rows"]
        if r["vs_adam"]
    }
    for r in section["net_rows"]:
        if r["gradients"]:
            out[f"rules.net.{slug(r['rule'])}.gradients"] = f"{r['gradients']:.2f}×"
    return out


def experiments(section: dict) -> dict[str, str]:
    out = {}
    for p in section["pairs"]:
        key = f"experiments.{COMMANDS.get(p['label'], slug(p['label']))}"
        out[f"{key}.speedup"] = f"{p['speedup']:.2f}×"
        for workers, side in p["sides"].items():
            out[f"{key}.{workers}workers.wall"] = f"{side['wall']:.1f} s"
            out[f"{key}.{workers}workers.peak_pss"] = f"{side['peak_pss'] / MB:.0f} MB"
    for n in section["notes"]:
        key = f"experiments.notes.{n['experiment']}"
        out[f"{key}.speedup"] = f"{n['speedup']:.1f}×"
        out[f"{key}.notes_wall"] = f"{n['notes']['wall']:.1f} s"
        out[f"{key}.trainlab_wall"] = f"{n['trainlab']['wall']:.1f} s"
    return out


def search(section: dict) -> dict[str, str]:
    if not section.get("available") or "search_per_minute" not in section:
        return {}
    out = {}
    for clock, key in (("whole", "per_minute"), ("search", "search_per_minute")):
        for label, value in section[key].items():
            out[f"search.{slug(label)}.{clock}_per_minute"] = f"{value:.1f}"
        ratio = section[key]["2 workers"] / section[key]["1 worker"]
        out[f"search.{clock}.2workers_vs_1"] = f"{ratio:.2f}×"
    return out


def memory(section: dict) -> dict[str, str]:
    if not section.get("ok"):
        return {}
    return {
        "memory.data": f"{section['float32_bytes'] / MB:.0f} MB",
        "memory.peak": f"{section['peak'] / MB:.0f} MB",
        "memory.target": f"{section['target'] / MB:.0f} MB",
    }


def widgets(section: dict) -> dict[str, str]:
    return {
        f"widgets.{slug(r['lab'])}.slowest": f"{r['slowest']:.2f} s"
        for r in section["rows"]
        if r["ok"]
    }


SECTIONS = {
    "training": training,
    "optimizer": optimizer,
    "rules": rules,
    "experiments": experiments,
    "search": search,
    "memory": memory,
    "widgets": widgets,
}


def figures(results: dict) -> dict[str, str]:
    """Every quotable figure of ``results``, name → value as a page writes it."""
    out: dict[str, str] = {}
    for section, entries in SECTIONS.items():
        if section in results:
            out.update(entries(results[section]))
    return out


def section(results: dict) -> list[str]:
    """The lines of RESULTS.md's section "Quoted figures"."""
    return [
        HEADING,
        "",
        "The figures the README and `docs/` quote, by the name their marker gives "
        "(`<!-- bench: NAME -->`), from the tables above.",
        "",
        *[f"- `{name}`: {value}" for name, value in figures(results).items()],
    ]


def parse(text: str) -> dict[str, str]:
    """The section "Quoted figures" of a RESULTS.md, name → value."""
    _, _, rest = text.partition(HEADING + "\n")
    body = rest.split("\n## ", 1)[0]
    return dict(re.findall(r"^- `([^`]+)`: (.+)$", body, flags=re.M))
