"""Walking a folder tree without surprises.

:func:`walk` is ``os.walk`` made safe for any tree a user points trainlab at:
it keeps its own stack instead of recursing (a tree thousands of folders deep
cannot raise ``RecursionError``), never follows a symbolic link and never
enters a folder twice (a bind mount or a cycle ends there), stops with one
:class:`~trainlab.errors.ConfigError` past ``max_entries`` names (a tree too
wide to be a folder of runs), and collects the folders it could not read in
``unreadable`` instead of failing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from trainlab.errors import ConfigError

#: Most names :func:`walk` looks at before it gives up (10⁶: far more than any
#: folder of runs holds, far fewer than a home folder with its caches).
MAX_ENTRIES = 1_000_000


def walk(
    root,
    *,
    skip_hidden: bool = False,
    max_entries: int | None = MAX_ENTRIES,
    unreadable: list | None = None,
) -> Iterator[tuple[Path, list[str], list[str]]]:
    """``(folder, subfolder names, file names)`` for ``root`` and every folder below
    it, top-down in sorted order. ``skip_hidden``: names starting with ``.`` are
    neither entered nor listed."""
    stack, seen, count = [Path(root)], set(), 0
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder, follow_symlinks=False)
            if (info.st_dev, info.st_ino) in seen:
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            if unreadable is not None:
                unreadable.append(folder)
            continue
        count += len(entries)
        if max_entries is not None and count > max_entries:
            raise ConfigError(
                f"{root} holds more than {max_entries:,} files and folders; "
                "pass the folder that holds the runs"
            )
        dirs: list[str] = []
        files: list[str] = []
        for entry in entries:
            if skip_hidden and entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry.name)
        yield folder, dirs, files
        stack.extend(folder / name for name in reversed(dirs))
