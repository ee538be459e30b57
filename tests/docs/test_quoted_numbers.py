"""Every measured figure the README and ``docs/`` quote is the one ``make bench`` wrote.

A page quotes a figure as its value followed by a marker naming its entry in the
section "Quoted figures" of ``benchmarks/RESULTS.md``:
``1.81×<!-- bench: experiments.demo.speedup -->``. The value must be the entry's,
as RESULTS.md writes it (the same rounding and unit), and RESULTS.md's entries must be
what ``benchmarks/quoted.py`` makes of ``benchmarks/results.json``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
MARKER = re.compile(r"<!-- bench: (\S+) -->")
sys.path.insert(0, str(ROOT / "benchmarks"))
import quoted  # noqa: E402 - the benchmarks are scripts beside the package, not in it
import results_md  # noqa: E402 - the same


def pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def markers() -> list[tuple[str, str, str]]:
    """(page, entry name, the page's text before the marker) for every marker."""
    found = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        for m in MARKER.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            found.append((str(page.relative_to(ROOT)), m.group(1), text[line_start : m.start()]))
    return found


ENTRIES = quoted.parse(RESULTS.read_text(encoding="utf-8"))


def test_the_pages_quote_figures_with_markers():
    assert len(markers()) >= 10


@pytest.mark.parametrize(
    ("page", "name", "before"), markers(), ids=[f"{page}:{name}" for page, name, _ in markers()]
)
def test_a_quoted_figure_is_the_one_in_results_md(page, name, before):
    assert name in ENTRIES, f"{page}: no entry {name!r} in benchmarks/RESULTS.md"
    value = ENTRIES[name]
    quoted_value = re.search(r"\d[\d.,]*\s?\S*$", before)
    assert quoted_value, f"{page}: no figure before the marker {name!r}"
    assert quoted_value.group() == value, (
        f"{page} quotes {quoted_value.group()!r} for {name}; benchmarks/RESULTS.md has {value!r}"
    )


def test_results_md_lists_what_the_writer_makes_of_results_json():
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    assert ENTRIES == quoted.figures(results)


def test_results_md_is_what_make_bench_writes_from_results_json(tmp_path):
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    assert results_md.render(results, tmp_path) == RESULTS.read_text(encoding="utf-8"), (
        "benchmarks/RESULTS.md differs from what benchmarks/run.py writes from results.json: "
        "run python benchmarks/run.py --render"
    )
