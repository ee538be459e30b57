"""The shipped notebooks, and copying them into a learner's folder without
ever overwriting the learner's own edits.

A folder filled by :func:`copy_notebooks` keeps a small record,
``.trainlab-notebooks.json``: the SHA-256 of every notebook as it was copied.
A notebook whose text still has that hash is untouched and is replaced by a
newer shipped version; one whose text differs was edited (or run and saved)
by the learner and is kept as it is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from trainlab.atomic import atomic_write
from trainlab.errors import ConfigError

LANGS = ("ko", "en")
RECORD = ".trainlab-notebooks.json"


def shipped_dir(lang: str) -> Path:
    """The folder of the installed notebooks in ``lang``."""
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return Path(__file__).resolve().parent / lang


def notebook_names(lang: str = "en") -> list[str]:
    """File names of the shipped notebooks, in order (``01-...ipynb`` first)."""
    return sorted(p.name for p in shipped_dir(lang).glob("[0-9][0-9]-*.ipynb"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class CopyReport:
    """What :func:`copy_notebooks` did, file name by file name."""

    copied: list = field(default_factory=list)  # new in the folder
    updated: list = field(default_factory=list)  # untouched copy replaced by a newer one
    current: list = field(default_factory=list)  # already the shipped version
    kept: list = field(default_factory=list)  # edited by the learner: left alone


def _read_record(folder: Path) -> dict:
    try:
        data = json.loads((folder / RECORD).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_atomic(path: Path, data: bytes) -> None:
    with atomic_write(path) as fh:
        fh.write(data)


def copy_notebooks(folder, lang: str = "en") -> CopyReport:
    """Copy the ``lang`` notebooks into ``folder`` (made if missing)."""
    src = shipped_dir(lang)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder} is a file, not a folder; pass a folder for the notebooks")
    folder.mkdir(parents=True, exist_ok=True)
    record = _read_record(folder)
    report = CopyReport()
    for name in notebook_names(lang):
        new = (src / name).read_bytes()
        target = folder / name
        if not target.exists():
            _write_atomic(target, new)
            report.copied.append(name)
        else:
            old = target.read_bytes()
            if old == new:
                report.current.append(name)
            elif record.get(name) == _sha(old):
                _write_atomic(target, new)
                report.updated.append(name)
            else:
                report.kept.append(name)
                continue
        record[name] = _sha(new)
    _write_atomic(
        folder / RECORD, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8")
    )
    return report
