"""``load`` and ``load_with_info``: the data sets trainlab trains on.

The return value follows ``load_mnist`` of *Deep Learning from Scratch*:
``((x_train, t_train), (x_test, t_test))`` with

* ``x``: ``float32`` in ``[0, 1]`` when ``normalize`` (pixels divided by their
  maximum, 255 for MNIST-like sets, 16 for digits), else the raw ``uint8``;
  shape ``(N, side*side)`` when ``flatten``, else ``(N, 1, side, side)``;
* ``t``: ``int64`` class numbers, or ``float32`` one-hot rows ``(N, 10)`` when
  ``one_hot_label``.

Data sets: ``digits`` (packaged, no network), ``mnist`` and ``fashion-mnist``
(IDX files, found as described in :mod:`trainlab.data.locations` or downloaded
as described in :mod:`trainlab.data.download`, parsed once and cached as
``.npz``, see :mod:`trainlab.data.parsed_cache`).

MNIST fallback: when MNIST's training files are missing and cannot be
downloaded but its 10,000-image test set is present, the test set is split
80/20 with :func:`trainlab.data.split.fixed_split` (seed 0): 8,000 training
and 2,000 test images.  ``info["fallback"]`` is then True and ``info["note"]``
says so; :func:`load` also emits a :class:`DataFallbackWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.data import digits
from trainlab.data.download import fetch, offline
from trainlab.data.idx import read_images, read_labels
from trainlab.data.labels import one_hot
from trainlab.data.locations import cache_dir, find_file, search_dirs
from trainlab.data.parsed_cache import load_entry, save_entry, source_key
from trainlab.data.split import fixed_split
from trainlab.errors import ConfigError, DataError

#: Canonical data set names; ``fashion_mnist`` is accepted for ``fashion-mnist``.
NAMES = ("digits", "mnist", "fashion-mnist")
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
#: ``((x_train, t_train), (x_test, t_test))``
Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
#: cache entries to write, ``(entry, key, images, labels)``
Pending = list[tuple[Path, str, np.ndarray, np.ndarray]]
_HINT = "put the IDX files in a folder and pass --data-dir DIR (or set TRAINLAB_DATA=DIR)"


class DataFallbackWarning(UserWarning):
    """A data set was replaced by a documented substitute (the MNIST fallback)."""


def canonical_name(name: str) -> str:
    """``'fashion_mnist'`` → ``'fashion-mnist'``; unknown names raise :class:`ConfigError`."""
    key = name.strip().lower().replace("_", "-") if isinstance(name, str) else None
    if key not in NAMES:
        raise ConfigError(
            f"unknown data set {name!r}; valid names: {', '.join(NAMES)} (or fashion_mnist)"
        )
    return key


def load(
    name: str,
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    data_dir: str | Path | None = None,
    *,
    allow_fallback: bool = True,
    download: bool = True,
) -> Split:
    """Return ``((x_train, t_train), (x_test, t_test))``; see :func:`load_with_info`."""
    data, info = load_with_info(
        name,
        normalize,
        flatten,
        one_hot_label,
        data_dir,
        allow_fallback=allow_fallback,
        download=download,
    )
    if info["fallback"]:
        warnings.warn(info["note"], DataFallbackWarning, stacklevel=2)
    return data


def load_with_info(
    name: str,
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    data_dir: str | Path | None = None,
    *,
    allow_fallback: bool = True,
    download: bool = True,
    alloc: Callable[[str, tuple[int, ...]], np.ndarray] | None = None,
    rows: tuple[int | None, int | None] = (None, None),
) -> tuple[Split, dict[str, Any]]:
    """Return ``(data, info)``: the arrays of :func:`load` and where they came from.

    ``info`` holds ``name``, ``title``, ``source`` (file role → path),
    ``n_train``, ``n_test``, ``n_classes``, ``image_shape`` (rows, cols),
    ``scale`` (the raw maximum that ``normalize`` divides by), ``fallback``
    (bool), ``cached`` (read from the ``.npz`` cache) and ``note``, one human
    sentence describing the data actually returned.
    ``download=False`` (or ``TRAINLAB_OFFLINE=1``) never touches the network;
    ``allow_fallback=False`` turns a missing MNIST training set into an error.
    ``alloc(which, shape)`` (``which``: ``"x"`` or ``"x_test"``) may give the
    float32 arrays the normalised images are written into (shared memory, say),
    so that they are never held twice.
    ``rows=(n_train, n_test)`` returns only the first so many images of each
    set (``None``: all of them), for a job that reads no further; ``info``
    still describes the whole data set.
    """
    key = canonical_name(name)
    if key == "digits":
        (x_tr, t_tr), (x_te, t_te) = digits.load_digits_split()
        scale = digits.MAX_VALUE
        info: dict[str, Any] = {
            "source": {"digits": digits.RESOURCE},
            "fallback": False,
            "cached": False,
            "note": (
                f"scikit-learn's 8x8 digits (packaged): fixed {len(x_tr)}/{len(x_te)} split "
                f"of {digits.N_SAMPLES} images (seed {digits.SEED})"
            ),
        }
    else:
        (x_tr, t_tr), (x_te, t_te), info = _load_idx(key, data_dir, allow_fallback, download)
        scale = 255
    info.update(
        name=key,
        title=TITLES[key],
        n_train=len(x_tr),
        n_test=len(x_te),
        n_classes=N_CLASSES,
        image_shape=tuple(int(s) for s in x_tr.shape[1:]),
        scale=scale,
    )
    n_tr, n_te = rows
    data = (
        _finish(
            x_tr[:n_tr],
            t_tr[:n_tr],
            normalize,
            flatten,
            one_hot_label,
            scale,
            _alloc_for(alloc, "x"),
        ),
        _finish(
            x_te[:n_te],
            t_te[:n_te],
            normalize,
            flatten,
            one_hot_label,
            scale,
            _alloc_for(alloc, "x_test"),
        ),
    )
    return data, info


def _alloc_for(
    alloc: Callable[[str, tuple[int, ...]], np.ndarray] | None, which: str
) -> Callable[[tuple[int, ...]], np.ndarray] | None:
    """``alloc`` bound to one array (``"x"`` or ``"x_test"``), or None."""
    if alloc is None:
        return None
    return lambda shape: alloc(which, shape)


def to_float(x: np.ndarray, scale: float, out: np.ndarray | None = None) -> np.ndarray:
    """Raw pixels as float32 in [0, 1]: ``x / scale`` (``info["scale"]``),
    into ``out`` when given (one float32 copy of the data, not two).

    Converted and divided a block of images at a time: the same float32
    division, ten times faster than one mixed-type ``np.divide`` writing into
    fresh memory (0.05 s instead of 0.5 s for Fashion-MNIST's training set)."""
    out = np.empty(np.shape(x), np.float32) if out is None else out
    divisor = np.float32(scale)
    for lo in range(0, len(x), _BLOCK):
        block = out[lo : lo + _BLOCK]
        block[...] = x[lo : lo + _BLOCK]
        block /= divisor
    return out


_BLOCK = 1024  # images converted at a time: a few MB, in cache


def _finish(
    x: np.ndarray,
    t: np.ndarray,
    normalize: bool,
    flatten: bool,
    one_hot_label: bool,
    scale: float,
    alloc: Callable[[tuple[int, ...]], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    n = len(x)
    shape = (n, int(np.prod(x.shape[1:]))) if flatten else (n, 1, *x.shape[1:])
    if normalize:
        x = x.reshape(shape)
        x = to_float(x, scale, None if alloc is None else alloc(x.shape))
    else:
        x = np.array(x, dtype=np.uint8).reshape(shape)
    t = one_hot(t, N_CLASSES) if one_hot_label else t.astype(np.int64)
    return x, t


def _load_idx(
    name: str, data_dir: str | Path | None, allow_fallback: bool, download: bool
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray], dict[str, Any]]:
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
