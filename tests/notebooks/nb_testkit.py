"""Shared helpers of the notebook tests: where the notebooks are, and running one."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "src" / "trainlab" / "notebooks"
LANGS = ("ko", "en")


def notebook_paths(lang: str) -> list[Path]:
    return sorted((NOTEBOOKS / lang).glob("[0-9][0-9]-*.ipynb"))


def read(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def source(cell: dict) -> str:
    s = cell["source"]
    return s if isinstance(s, str) else "".join(s)


def builder():
    """The notebook builder, ``scripts/build_notebooks.py``, as a module."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_notebooks
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return build_notebooks


def execute(path: Path, workdir: Path, timeout: int = 300):
    """Run the notebook top to bottom on digits, as a learner would; return it executed.

    The cell tagged ``parameters`` (the data set choice) is set to digits so that
    the run is the same whatever data the machine has.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source = 'DATASET = "digits"'
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    ).execute()
    return nb


def outputs_text(nb) -> str:
    """Every stream and error text the executed notebook printed."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif out.get("output_type") == "error":
                parts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "".join(parts)


def blank_figures(nb) -> list[int]:
    """The code cells that call ``plt.show()`` but have no image among their outputs."""
    return [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        and "plt.show()" in source(cell)
        and not any("image/png" in out.get("data", {}) for out in cell.get("outputs", []))
    ]


DONE = {"ko": "확인", "en": "checked"}


def run_and_check(path: Path, workdir: Path) -> str:
    """Execute a notebook; its check cell must pass and say so; every cell that calls
    ``plt.show()`` must show its figure; no glyph may be missing."""
    nb = execute(path, workdir)
    check = next(c for c in nb.cells if "check" in c.metadata.get("tags", []))
    said = "".join(o.get("text", "") for o in check.outputs if o.get("output_type") == "stream")
    lang = path.parent.name
    assert DONE[lang] in said, f"{path.name}: the check cell printed {said!r}"
    blank = blank_figures(nb)
    assert not blank, f"{path.name}: cells {blank} call plt.show() but show no image"
    text = outputs_text(nb)
    assert "missing from font" not in text and "missing from current font" not in text, (
        f"{path.name}: a label drew empty boxes"
    )
    return text
