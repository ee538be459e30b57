"""Where trainlab looks for data files, and where it caches them.

Search order for a data set ``name`` (first hit wins, file by file):

1. the ``data_dir`` argument (the command line's ``--data-dir``);
2. the ``TRAINLAB_DATA`` environment variable (one folder, or several joined
   by ``os.pathsep``);
3. the per-user cache: ``$TRAINLAB_CACHE``, else ``$XDG_CACHE_HOME/trainlab``,
   else ``~/.cache/trainlab``;
4. system folders from :data:`SYSTEM_DIRS` (Debian's Fashion-MNIST package).

Inside each root both ``root/<name>/`` and ``root/`` itself are searched, and a
file may be gzip-compressed (``.gz``) or raw.
"""

from __future__ import annotations

import os
from pathlib import Path

from trainlab.errors import DataError

#: Where Debian's ``dataset-fashion-mnist`` package installs the four files.
DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")
#: Folders searched after the user's, per data set.
SYSTEM_DIRS: dict[str, tuple[Path, ...]] = {"fashion-mnist": (DEBIAN_FASHION_MNIST,)}


def _env_path(variable: str) -> Path | None:
    value = os.environ.get(variable, "").strip()
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    """The per-user cache root (not created here)."""
    explicit = _env_path("TRAINLAB_CACHE")
    if explicit is not None:
        return explicit
    xdg = _env_path("XDG_CACHE_HOME")
    base = xdg if xdg is not None else Path.home() / ".cache"
    return base / "trainlab"


def search_roots(name: str, data_dir: str | Path | None = None) -> list[Path]:
    """Roots to search for ``name``, in order, duplicates removed."""
    roots: list[Path] = []
    if data_dir is not None:
        roots.append(Path(data_dir).expanduser())
    for part in os.environ.get("TRAINLAB_DATA", "").split(os.pathsep):
        if part.strip():
            roots.append(Path(part.strip()).expanduser())
    roots.append(cache_dir())
    roots.extend(SYSTEM_DIRS.get(name, ()))
    unique: list[Path] = []
    for root in roots:
        if root not in unique:
            unique.append(root)
    return unique


def search_dirs(name: str, data_dir: str | Path | None = None) -> list[Path]:
    """Folders to search for ``name``'s files: ``root/<name>`` then ``root`` for each root."""
    folders: list[Path] = []
    for root in search_roots(name, data_dir):
        for folder in (root / name, root):
            if folder not in folders:
                folders.append(folder)
    return folders


def find_file(stem: str, folders: list[Path]) -> Path | None:
    """First ``stem.gz`` or ``stem`` found in ``folders``, or ``None``. A folder, FIFO
    or device under that name is an error naming it, not a file to skip."""
    for folder in folders:
        for candidate in (folder / f"{stem}.gz", folder / stem):
            if candidate.is_file():
                return candidate
            if os.path.lexists(candidate):
                raise DataError(
                    f"{candidate} is not a regular file (a folder, FIFO, device "
                    "or broken link); remove it or put the IDX file there"
                )
    return None
