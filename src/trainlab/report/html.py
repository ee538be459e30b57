"""One self-contained ``report.html`` from saved run folders, without training.

A run folder is any folder holding ``config.json`` and ``metrics.json`` (and
not marked incomplete by the command that was writing it). The
report gives each one a section: its title and explanation (from
:mod:`trainlab.report.texts`; a title from ``kind`` for kinds it does not
know), its figures embedded as ``data:`` URIs, and its ``summary`` as a
table. Nothing in the page refers to another file or to the network. Only
regular files inside the run folder are embedded (a symbolic link is
skipped), and a malformed run is skipped with one warning line naming the
file, while the rest of the report is built.
"""

from __future__ import annotations

import base64
import html
import math
import sys
from pathlib import Path

from trainlab import schema
from trainlab import walk as walking
from trainlab.atomic import write_atomic
from trainlab.errors import ConfigError
from trainlab.experiments.folder import replot as redraw
from trainlab.experiments.registry import EXPERIMENTS, names
from trainlab.io import open_regular, read_json
from trainlab.report.korean_figures import REDRAWN, KoreanFigures, caption, korean_figures
from trainlab.report.sources import differences, key_numbers, source_line, why_dataset
from trainlab.report.texts import LANGS, UI, text
from trainlab.runs import is_incomplete

FIGURES = {".png": "image/png", ".gif": "image/gif"}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Malgun Gothic",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{border-bottom:2px solid #444}h2{margin-top:2.2em;border-bottom:1px solid #bbb}
h3{font-size:1em;margin-bottom:.2em}.meta{color:#555;font-size:.9em}
figure{margin:1em 0}img{max-width:100%;height:auto;border:1px solid #ddd}
figcaption{color:#666;font-size:.85em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}td.num{text-align:right}
caption{text-align:left;font-weight:bold;padding:.3em 0}
"""


def find_runs(root, warn=None) -> list[Path]:
    """Run folders under ``root`` (``root`` itself included): experiments in the
    notes' order first, then other kinds, each group by path. Hidden folders and
    symbolic links are not entered (see :func:`trainlab.walk.walk`); folders that
    cannot be read are skipped, with one ``warn`` line."""
    root = Path(root)
    if not root.is_dir():
        raise ConfigError(f"{root} is not a folder; pass the folder that holds the runs")
    order = names()
    found: list = []
    unreadable: list[str] = []
    tree = walking.walk(
        root, skip_hidden=True, max_entries=walking.MAX_ENTRIES, unreadable=unreadable
    )
    for folder, _, files in tree:
        if "config.json" in files and "metrics.json" in files:
            found.append(folder)
    if unreadable == [root]:
        raise ConfigError(f"cannot read {root}; check its permissions")
    if unreadable and warn is not None:
        more = f" and {len(unreadable) - 1} more" if len(unreadable) > 1 else ""
        warn(f"skipped folders that cannot be read: {unreadable[0]}{more}")
    kinds = {f: _kind(f) for f in found}
    return sorted(
        found, key=lambda f: (order.index(kinds[f]) if kinds[f] in order else len(order), str(f))
    )


def _kind(folder: Path) -> str:
    try:
        return str(read_json(folder / "config.json").get("kind") or folder.name)
    except (ValueError, OSError, AttributeError):
        return folder.name


def _figures(folder: Path, replot: bool, korean: KoreanFigures | None = None) -> list[Path]:
    def plain():  # regular files of the folder itself: no symbolic link out of it
        return sorted(
            p
            for p in folder.iterdir()
            if p.suffix.lower() in FIGURES and not p.is_symlink() and p.is_file()
        )

    figs = plain()
    if korean is not None and (_kind(folder) in EXPERIMENTS or _kind(folder) in REDRAWN):
        return korean.figures(folder, figs)  # redrawn apart: the run folder is left alone
    if _kind(folder) in EXPERIMENTS and (replot or not figs):
        redraw(folder)  # figures come from the saved metrics; nothing is trained
        figs = plain()
    return figs


MAX_FIGURE_BYTES = 64 << 20


def _figure_bytes(fig: Path) -> bytes:
    with open_regular(fig, limit=MAX_FIGURE_BYTES, follow=False) as fh:
        return fh.read()


def _load(folder: Path) -> tuple[dict, dict]:
    """A run's config.json and metrics.json, each checked to be a JSON object."""
    docs = []
    for name in ("config.json", "metrics.json"):
        path = folder / name
        doc = schema.document(read_json(path), path, "rerun it or remove the folder")
        docs.append(doc)
    summary = docs[1].get("summary")
    if summary is not None and not isinstance(summary, dict):
        raise ConfigError(
            f"{folder / 'metrics.json'}: 'summary' should be an object, got "
            f"{type(summary).__name__}; rerun it or remove the folder"
        )
    return docs[0], docs[1]


def _fmt(value) -> tuple[str, bool]:
    """(text, is_number) for a summary cell."""
    if isinstance(value, bool) or value is None:
        return ("–" if value is None else str(value)), False
    if isinstance(value, int):
        return f"{value:,}", True
    if isinstance(value, float):
        if math.isnan(value):
            return "nan", True
        return (f"{value:.4g}" if abs(value) < 1e5 else f"{value:.3e}"), True
    return str(value), False


def _setting(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_setting(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_setting(v)}" for k, v in value.items())
    return _fmt(value)[0] if isinstance(value, float) else str(value)


def _rows(summary: dict, korean: KoreanFigures | None = None) -> str:
    esc = html.escape
    translate = korean.translate if korean else str
    rows = []
    for key, value in summary.items():
        cell, num = _fmt(translate(value) if isinstance(value, str) else value)
        cls = ' class="num"' if num else ""
        rows.append(f"<tr><th>{esc(translate(str(key)))}</th><td{cls}>{esc(cell)}</td></tr>")
    return "".join(rows)


def _provenance(kind: str, config: dict, ui: dict, lang: str) -> list[str]:
    """The notes' figure and the book's script it rebuilds; the settings that differ."""
    esc = html.escape
    out = []
    line = source_line(kind, lang)
    if line:
        out.append(f'<p class="meta">{esc(ui["source"])}: {esc(line)}</p>')
    diff = differences(kind, config)
    if diff:
        rows = "".join(
            f"<tr><th>{esc(k)}</th><td>{esc(a)}</td><td>{esc(b)}</td><td>{esc(w)}</td></tr>"
            for k, a, b, w in diff
        )
        out.append(
            f"<table><caption>{esc(ui['differ'])}</caption><tr><th></th>"
            f"<th>{esc(ui['default'])}</th><th>{esc(ui['used'])}</th>"
            f"<th>{esc(ui['why'])}</th></tr>{rows}</table>"
        )
        why = why_dataset(kind, config, lang)
        if why and any(w.endswith("(below)") for *_, w in diff):
            out.append(f"<p>{esc(why)}</p>")
    return out


def _embedded(figs: list[Path], ui: dict, korean: KoreanFigures | None) -> list[str]:
    """Each figure as a ``data:`` URI, captioned (in Korean for the Korean report)."""
    esc = html.escape
    parts = [
        f'<figure><img src="data:{FIGURES[fig.suffix.lower()]};base64,'
        f'{base64.b64encode(_figure_bytes(fig)).decode("ascii")}" alt="{esc(fig.name)}">'
        f"<figcaption>{esc(caption(fig.name) if korean else fig.name)}</figcaption></figure>"
        for fig in figs
    ]
    return parts or [f"<p>{esc(ui['no_figures'])}</p>"]


def _section(i: int, folder: Path, root: Path, lang: str, replot: bool, korean) -> tuple[str, str]:
    esc = html.escape
    ui = UI[lang]
    config, metrics = _load(folder)
    kind = str(config.get("kind") or folder.name)
    t = text(kind, lang)
    rel = folder.relative_to(root).as_posix() if folder != root else "."
    anchor = f"run-{i}"
    meta = [f"{esc(ui['folder'])}: <code>{esc(rel)}</code>"]
    note = config.get("data_note") or (metrics.get("data") or {}).get("note")
    if note:
        meta.append(f"{esc(ui['data'])}: {esc(str(note))}")
    if config.get("seeds"):
        meta.append(f"{esc(ui['seeds'])}: {int(config['seeds'])}")
    if config.get("quick"):
        meta.append(esc(ui["quick"]))
    parts = [
        f'<section id="{anchor}">',
        f"<h2>{esc(t['title'])}</h2>",
        f'<p class="meta">{" · ".join(meta)}</p>',
    ]
    if t["shows"]:
        parts += [f"<h3>{esc(ui['shows'])}</h3>", f"<p>{esc(t['shows'])}</p>"]
    if t["notes"]:
        parts += [f"<h3>{esc(ui['notes'])}</h3>", f"<p>{esc(t['notes'])}</p>"]
    parts += _provenance(kind, config, ui, lang)
    parts += _embedded(_figures(folder, replot, korean), ui, korean)
    summary = metrics.get("summary") or {}
    if isinstance(summary, dict) and summary:
        key = key_numbers(kind, summary, config)
        parts.append(f"<table><caption>{esc(ui['numbers'])}</caption>{_rows(key, korean)}</table>")
        if len(key) < len(summary):
            parts.append(
                f"<details><summary>{esc(ui['all_numbers'])}</summary>"
                f"<table>{_rows(summary, korean)}</table></details>"
            )
    settings = {k: v for k, v in config.items() if k not in ("kind", "title", "data_note")}
    if settings:
        rows = "".join(
            f"<tr><th>{esc(str(k))}</th><td>{esc(_setting(v))}</td></tr>"
            for k, v in settings.items()
        )
        parts.append(
            f"<details><summary>{esc(ui['settings'])}</summary><table>{rows}</table></details>"
        )
    parts.append("</section>")
    toc = (
        f'<li><a href="#{anchor}">{esc(t["title"])}</a> <span class="meta">({esc(rel)})</span></li>'
    )
    return "\n".join(parts), toc


def _warn(line: str) -> None:
    line = "".join(c if c.isprintable() else " " for c in line)
    print(f"trainlab: warning: {line}", file=sys.stderr)


def build(root, out=None, lang: str = "en", replot: bool = False, warn=_warn) -> Path:
    """Write the report of every run folder under ``root``; return its path
    (``root/report.html`` unless ``out`` is given). ``replot`` redraws the
    figures of known experiments from their saved metrics first (figures that
    are missing are always redrawn). A run that cannot be shown is skipped with
    one ``warn`` line naming its file."""
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    root = Path(root)
    runs = find_runs(root, warn)
    ui = UI[lang]
    korean = korean_figures(warn) if lang == "ko" else None
    sections, toc = [], []

    shown: list = []
    for folder in runs:
        if is_incomplete(folder):
            warn(
                f"skipped {folder}: the command writing it did not finish; rerun it with "
                "--overwrite (or resume it)"
            )
            continue
        try:
            s, entry = _section(len(shown) + 1, folder, root, lang, replot, korean)
        except Exception as exc:  # noqa: BLE001 - any damage to one run spares the others
            text = str(exc) if str(folder) in str(exc) else f"{folder}: {exc}"
            warn(f"skipped a malformed run: {text}"[:400])
            continue
        sections.append(s)
        toc.append(entry)
        shown.append(folder)
    runs = shown
    esc = html.escape
    body = [
        f"<h1>{esc(ui['report'])}</h1>",
        f"<p>{esc(ui['intro'].format(n=len(runs), root=str(root)))}</p>",
    ]
    if runs:
        body.append(f"<nav><h2>{esc(ui['contents'])}</h2><ol>{''.join(toc)}</ol></nav>")
    else:
        body.append(f"<p>{esc(ui['none'])}</p>")
    page = (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(ui['report'])}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body + sections)
        + "\n</body>\n</html>\n"
    )
    path = Path(out) if out else root / "report.html"
    write_atomic(path, lambda fh: fh.write(page.encode("utf-8")))
    return path
