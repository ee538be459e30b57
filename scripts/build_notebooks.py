"""Build the notebooks, Korean and English, from one source each.

    python scripts/build_notebooks.py           # write src/trainlab/notebooks/{ko,en}/*.ipynb
    python scripts/build_notebooks.py --check   # exit 1 if a committed notebook is out of date

Sources: ``scripts/notebooks/NN_slug.py``, each defining ``TITLE`` (a ko/en
pair) and ``CELLS`` (see ``scripts/notebooks/_cells.py``). Every notebook gets
the same first cells: its title, the Colab install and the imports. The
notebooks are written without outputs or execution counts.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "notebooks"
OUT = ROOT / "src" / "trainlab" / "notebooks"
LANGS = ("ko", "en")
PAIR = re.compile(r"«([^«»|]*)\|([^«»]*)»")

# trainlab is not on a package index: on Colab the learner uploads the wheel
COLAB = """# «Colab 전용: 올린 trainlab 휠 설치|On Colab only: install your trainlab wheel»
import sys
if "google.colab" in sys.modules:
    import glob
    wheels = sorted(glob.glob("trainlab-*.whl"))
    if not wheels:
        raise FileNotFoundError(
            "«trainlab은 PyPI에 없습니다|trainlab is not on PyPI»: "
            "«저장소에서 휠을 만들고|build its wheel in a clone» (python -m build), "
            "«dist/trainlab-*.whl 을|upload dist/trainlab-*.whl to» "
            "«Colab의 파일 창(/content)에 올린 뒤|Colab's Files pane (/content), then» "
            "«이 셀을 다시 실행하세요|run this cell again»"
        )
    get_ipython().run_line_magic("pip", f"install -q '{wheels[-1]}[learn]'")"""

SETUP = '''%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
import trainlab
from trainlab.notebooks import use_korean_font

use_korean_font()  # «그림 속 한글 글꼴|a font with Hangul for the figures' Korean labels»
LANG = "«ko|en»"'''


def localize(text: str, lang: str) -> str:
    out = PAIR.sub(lambda m: m.group(1 if lang == "ko" else 2), text)
    if "«" in out or "»" in out:
        line = next(x for x in out.splitlines() if "«" in x or "»" in x)
        raise ValueError(f"unbalanced «ko|en» pair in: {line.strip()}")
    return out


def _lines(text: str) -> list[str]:
    lines = text.strip("\n").split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def load_source(path: Path):
    sys.path.insert(0, str(SOURCES))
    try:
        spec = importlib.util.spec_from_file_location(f"notebook_{path.stem}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(SOURCES))
    return mod


def notebook(mod, number: str, lang: str) -> dict:
    from _cells import code, md  # noqa: E402 (SOURCES is on the path while building)

    title_ko, title_en = mod.TITLE
    head = [
        md(f"# {number} · {title_ko}", f"# {number} · {title_en}"),
        code(COLAB, "colab"),
        code(SETUP, "setup"),
    ]
    cells = []
    for i, cell in enumerate(head + list(mod.CELLS)):
        text = cell[lang] if cell["cell_type"] == "markdown" else cell["source"]
        out = {
            "cell_type": cell["cell_type"],
            "id": f"c{i:02d}",
            "metadata": {"tags": cell["tags"]} if cell["tags"] else {},
            "source": _lines(localize(text, lang)),
        }
        if cell["cell_type"] == "code":
            out["execution_count"] = None
            out["outputs"] = []
        cells.append(out)
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def build() -> dict[Path, str]:
    """Every notebook file's path and text."""
    sys.path.insert(0, str(SOURCES))
    try:
        files = {}
        for path in sorted(SOURCES.glob("[0-9][0-9]_*.py")):
            mod = load_source(path)
            number, slug = path.stem.split("_", 1)
            for lang in LANGS:
                nb = notebook(mod, number, lang)
                name = f"{number}-{slug.replace('_', '-')}.ipynb"
                files[OUT / lang / name] = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        return files
    finally:
        sys.path.remove(str(SOURCES))


def stale(files: dict[Path, str]) -> list[Path]:
    """Notebooks whose committed text differs from the build, or that should not exist."""
    out = [p for p, text in files.items() if not p.is_file() or p.read_text("utf-8") != text]
    for lang in LANGS:
        out += [p for p in (OUT / lang).glob("*.ipynb") if p not in files]
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    files = build()
    if "--check" in argv:
        bad = stale(files)
        for p in bad:
            print(f"out of date: {p.relative_to(ROOT)}")
        return 1 if bad else 0
    for lang in LANGS:
        (OUT / lang).mkdir(parents=True, exist_ok=True)
        for p in (OUT / lang).glob("*.ipynb"):
            if p not in files:
                p.unlink()
    for path, text in files.items():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, "utf-8")
        tmp.replace(path)
    print(f"wrote {len(files)} notebooks under {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
