"""MNIST and Fashion-MNIST from their IDX files: found, downloaded, parsed once and cached.

Where files are searched: :mod:`trainlab.data.locations`; downloads:
:mod:`trainlab.data.download`; the ``.npz`` cache: :mod:`trainlab.data.parsed_cache`.
When MNIST's training files are missing but its test set is present, the test
set is split 80/20 (:func:`trainlab.data.split.fixed_split`, seed 0).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from trainlab.data.download import fetch, offline
from trainlab.data.idx import read_images, read_labels
from trainlab.data.locations import cache_dir, find_file, search_dirs
from trainlab.data.parsed_cache import load_entry, save_entry, source_key
from trainlab.data.split import fixed_split
from trainlab.errors import DataError

N_CLASSES = 10
TITLES = {"digits": "digits", "mnist": "MNIST", "fashion-mnist": "Fashion-MNIST"}
#: IDX file names (without ``.gz``) of each part.
STEMS = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
#: Data sets that may fall back to a split of their test set.
FALLBACK_NAMES = ("mnist",)
FALLBACK_TEST_FRACTION = 0.2
FALLBACK_SEED = 0
#: cache entries to write, ``(entry, key, images, labels)``
Pending = list[tuple[Path, str, np.ndarray, np.ndarray]]
_HINT = "put the IDX files in a folder and pass --data-dir DIR (or set TRAINLAB_DATA=DIR)"


def load_idx_set(
    name: str, data_dir: str | Path | None, allow_fallback: bool, download: bool
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], dict[str, Any]]:
    """The raw images and labels of ``name`` (``mnist`` or ``fashion-mnist``), and
    ``info`` on where they came from (see :func:`trainlab.data.load_with_info`)."""
    if data_dir is not None and not Path(data_dir).expanduser().is_dir():
        raise DataError(
            f"data folder {data_dir} does not exist; pass an existing folder to --data-dir"
        )
    folders = search_dirs(name, data_dir)
    may_fetch = download and not offline()
    problems: list[str] = []
    found = {part: _obtain(name, part, folders, may_fetch, problems) for part in STEMS}
    title = TITLES[name]
    can_fall_back = allow_fallback and name in FALLBACK_NAMES
    if found["test"] is None or (found["train"] is None and not can_fall_back):
        raise DataError(f"{title}: {'; '.join(problems)}")
    pending: Pending = []  # cache entries, written only once every file has passed its checks
    x_te, t_te, cached_te = _parse_part(name, "test", *found["test"], pending)
    if found["train"] is not None:
        x_tr, t_tr, cached_tr = _parse_part(name, "train", *found["train"], pending)
        if x_tr.shape[1:] != x_te.shape[1:]:
            raise DataError(
                f"{found['train'][0]} holds {x_tr.shape[1:]} images but {found['test'][0]} holds "
                f"{x_te.shape[1:]}; supply files of one data set"
            )
        roles = ("train-images", "train-labels", "test-images", "test-labels")
        info = {
            "source": {
                role: str(p) for role, p in zip(roles, found["train"] + found["test"], strict=False)
            },
            "fallback": False,
            "cached": cached_tr and cached_te,
            "note": (
                f"{title}: {len(x_tr):,} training and {len(x_te):,} test images "
                f"from {found['train'][0].parent}"
            ),
        }
        _save_all(pending)
        return (x_tr, t_tr), (x_te, t_te), info
    n = len(x_te)
    if n < 2:
        raise DataError(f"{found['test'][0]}: {n} image is too few to split; {_HINT}")
    train, test = fixed_split(n, max(1, round(n * FALLBACK_TEST_FRACTION)), FALLBACK_SEED)
    info = {
        "source": {"test-images": str(found["test"][0]), "test-labels": str(found["test"][1])},
        "fallback": True,
        "cached": cached_te,
        "reason": "; ".join(problems),
        "note": (
            f"{title} training files not found; using a fixed {len(train)}/{len(test)} split "
            f"of the {n:,}-image test set (seed {FALLBACK_SEED})"
        ),
    }
    _save_all(pending)
    return (x_te[train], t_te[train]), (x_te[test], t_te[test]), info


def _obtain(
    name: str, part: str, folders: list[Path], may_fetch: bool, problems: list[str]
) -> tuple[Path, Path] | None:
    """Paths ``(images, labels)`` of one part, found or downloaded, or ``None``."""
    paths = []
    for stem in STEMS[part]:
        path = find_file(stem, folders)
        if path is None:
            searched = ", ".join(str(f) for f in folders)
            if not may_fetch:
                problems.append(
                    f"{stem}[.gz] not found in {searched} and downloading is off; {_HINT}"
                )
                return None
            try:
                path = fetch(name, f"{stem}.gz", cache_dir() / name)
            except DataError as exc:
                problems.append(f"{stem}[.gz] not found in {searched}; {exc}")
                return None
        paths.append(path)
    images, labels = paths  # STEMS[part]: the images' file, then the labels'
    return images, labels


def _parse_part(
    name: str, part: str, images_path: Path, labels_path: Path, pending: Pending
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Parse one images/labels pair, through the ``.npz`` cache; queue a new entry in
    ``pending``."""
    key = source_key(images_path, labels_path)
    entry = cache_dir() / name / f"{part}.npz"
    hit = load_entry(entry, key)
    if hit is not None:
        return hit[0], hit[1], True
    images, labels = read_images(images_path), read_labels(labels_path)
    if len(images) != len(labels):
        raise DataError(
            f"{images_path} holds {len(images)} images but {labels_path} holds "
            f"{len(labels)} labels; "
            "supply a matching pair of files"
        )
    if labels.max() >= N_CLASSES:
        raise DataError(
            f"{labels_path}: label {labels.max()} is outside 0..{N_CLASSES - 1}; "
            "supply the right file"
        )
    pending.append((entry, key, images, labels))
    return images, labels, False


def _save_all(pending: Pending) -> None:
    for entry, key, images, labels in pending:
        save_entry(entry, key, images, labels)
