"""Run folders: where a command writes ``config.json``, ``metrics.json`` and figures.

A folder is never mixed: :func:`prepare_out` refuses a folder that already
holds a run (unless ``overwrite``, which removes the old run first, or the
command resumes a run of its own kind), locks it with ``fcntl.flock`` on
``.trainlab.lock`` so that a second writer is refused, removes the hidden
``.*.tmp``/``.*.part`` files an earlier killed command left, and writes the
completion marker ``.trainlab-run.json`` with ``"complete": false``.
:func:`finish` (called by the command line when the command returns) marks
the run complete and releases the lock; after a failure it leaves the marker
incomplete, and removes the folder altogether when it made it and nothing but
its own files is inside. ``report`` skips a folder whose marker says
incomplete.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from pathlib import Path

from trainlab.errors import ConfigError
from trainlab.io import write_json
from trainlab.walk import walk

LOCK = ".trainlab.lock"
MARKER = ".trainlab-run.json"
_OURS = {LOCK, MARKER}
_open: list[dict] = []  # folders prepared by the running command, in order


def default_out(kind: str) -> Path:
    """``runs/<kind>-<YYYYmmdd-HHMMSS>``, the folder of a command given no ``--out``."""
    return Path("runs") / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}"


def marker(folder) -> dict | None:
    """The folder's completion marker, or ``None`` when it has none (or it is unreadable)."""
    try:
        with open(Path(folder) / MARKER, encoding="utf-8") as fh:
            value = json.load(fh)
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def is_incomplete(folder) -> bool:
    """True when a command started writing ``folder`` and did not finish."""
    m = marker(folder)
    return m is not None and m.get("complete") is False


def kind_of(folder) -> str | None:
    """The kind of run in ``folder`` (from its marker, else its config.json)."""
    folder = Path(folder)
    m = marker(folder)
    if m and isinstance(m.get("kind"), str):
        return m["kind"]
    try:
        with open(folder / "config.json", encoding="utf-8") as fh:
            cfg = json.load(fh)
        return str(cfg["kind"]) if isinstance(cfg, dict) and "kind" in cfg else None
    except (OSError, ValueError):
        return None


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name not in _OURS)


def _looks_like_trainlab(folder: Path, entries: list[Path]) -> bool:
    if (folder / MARKER).exists() or (folder / "config.json").is_file():
        return True
    names = {p.name for p in entries}
    return "report.html" in names or any(
        (p / "config.json").is_file() for p in entries if p.is_dir() and not p.is_symlink()
    )


def remove_stale_temporaries(folder) -> int:
    """Delete the hidden ``.*.tmp``/``.*.part`` files of writes that were killed."""
    n = 0
    for dirpath, _, filenames in walk(folder, max_entries=None):
        for name in filenames:
            if name.startswith(".") and name.endswith((".tmp", ".part")):
                try:
                    os.unlink(dirpath / name)
                    n += 1
                except OSError:
                    pass
    return n


def _lock(path: Path):
    import fcntl

    fd = os.open(path / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            raise ConfigError(
                f"another trainlab command is writing {path} (it holds "
                f"{path / LOCK}); wait for it to finish or choose another "
                "--out"
            ) from None
        raise
    return fd


def _write_marker(path: Path, kind: str, complete: bool) -> None:
    write_json(
        path / MARKER,
        {
            "kind": kind,
            "complete": complete,
            "pid": os.getpid(),
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
    )


def prepare_out(
    out, kind: str, *, overwrite: bool = False, resume: bool = False, replaces: tuple[str, ...] = ()
) -> Path:
    """Create (if needed), lock and return the output folder, or fail with one clear line.

    ``None`` gives ``runs/<kind>-<YYYYmmdd-HHMMSS>``. A folder already holding
    files is refused unless ``overwrite`` (the old run is removed first),
    ``resume`` and the run there is of this ``kind`` or of no known kind (it is
    continued: a search's journal, say), or the
    run there is of a kind in ``replaces`` (it is replaced). Call it only once
    the options are checked: it is the first thing that touches the disk.
    """
    path = Path(out) if out else default_out(kind)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"output path {path} is a file; pass a folder to --out")
    created = not path.exists()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot create output folder {path}: {exc.strerror}; choose another --out"
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"output folder {path} is not writable; choose another --out")
    entry = {"path": path, "kind": kind, "created": created, "fd": None}
    try:
        entry["fd"] = _lock(path)
        remove_stale_temporaries(path)
        entry["before"] = _snapshot(path)
        entries = _entries(path)
        if entries:
            there = kind_of(path)
            continue_it = resume and there in (kind, None)  # e.g. a journal, no config yet
            if not continue_it and not overwrite and there not in replaces:
                what = f"a {there} run" if there else "files"
                raise ConfigError(
                    f"{path} already holds {what} ({entries[0].name}, ...); "
                    "pass --overwrite to replace it, or choose another --out"
                )
            if not continue_it:
                if not _looks_like_trainlab(path, entries):
                    raise ConfigError(
                        f"{path} holds files trainlab did not write "
                        f"({entries[0].name}, ...); choose an empty or new "
                        "folder for --out"
                    )
                for p in entries:
                    if p.is_dir() and not p.is_symlink():
                        shutil.rmtree(p)
                    else:
                        p.unlink()
        _write_marker(path, kind, complete=False)
        entry["marked"] = True
    except BaseException:
        _release(entry, ok=False)
        raise
    _open.append(entry)
    return path


def _snapshot(path: Path):
    """The folder's files (and its marker's bytes), to tell later whether a failed
    command changed anything."""
    files = {}
    for dirpath, _, filenames in walk(path, max_entries=None):
        for name in filenames:
            if name not in _OURS:
                try:
                    st = os.stat(dirpath / name, follow_symlinks=False)
                except OSError:
                    continue
                files[str(dirpath / name)] = (st.st_mtime_ns, st.st_size)
    try:
        old = (path / MARKER).read_bytes()
    except OSError:
        old = None
    return files, old


def _only_ours(path: Path) -> bool:
    try:
        return not _entries(path)
    except OSError:
        return False


def _release(entry: dict, ok: bool) -> None:
    path, fd = entry["path"], entry["fd"]
    try:
        if ok:
            _write_marker(path, entry["kind"], complete=True)
        elif "marked" in entry and _snapshot(path)[0] == entry["before"][0]:
            old = entry["before"][1]  # the command failed before writing anything: as it was
            if old is None:
                os.unlink(path / MARKER)
            else:  # written by write_json, so rewriting the parsed value gives the same bytes
                write_json(path / MARKER, json.loads(old))
            if entry["created"] and _only_ours(path):
                _remove_ours(path)
        elif entry["created"] and _only_ours(path):
            _remove_ours(path)
    finally:
        if fd is not None:
            os.close(fd)  # releases the flock


def _remove_ours(path: Path) -> None:
    for name in _OURS:
        try:
            os.unlink(path / name)
        except OSError:
            pass
    try:
        path.rmdir()
    except OSError:
        pass


def finish(ok: bool = True) -> None:
    """Close every folder the command prepared: complete on success, else incomplete
    (and a folder this command created with nothing of the run in it is removed)."""
    while _open:
        entry = _open.pop()
        try:
            _release(entry, ok)
        except OSError:
            if ok:
                raise
