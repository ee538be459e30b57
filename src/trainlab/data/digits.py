"""scikit-learn's 8x8 handwritten digits, shipped inside the package.

``digits.csv.gz`` holds 1797 rows of 64 pixel values in 0..16 followed by the
label.  No network and no cache are involved.  The fixed split puts 297
samples in the test set: the last 297 positions of
``np.random.default_rng(0).permutation(1797)``, each part kept in file order.
"""

from __future__ import annotations

import gzip
import io
from importlib import resources

import numpy as np

from trainlab.data.split import fixed_split
from trainlab.errors import DataError

N_SAMPLES = 1797
N_TEST = 297
SEED = 0
SIDE = 8
MAX_VALUE = 16
RESOURCE = "trainlab/data/digits.csv.gz"


def read_digits() -> tuple[np.ndarray, np.ndarray]:
    """All 1797 images as ``uint8 (N, 8, 8)`` and their labels as ``uint8 (N,)``."""
    try:
        text = gzip.decompress(
            resources.files("trainlab.data").joinpath("digits.csv.gz").read_bytes()
        )
        table = np.loadtxt(
            io.StringIO(text.decode("ascii")), delimiter=",", dtype=np.int64, ndmin=2
        )
    except (OSError, EOFError, ValueError) as exc:
        raise DataError(
            f"{RESOURCE}: cannot read the packaged digits ({exc}); reinstall trainlab"
        ) from exc
    if (
        table.shape != (N_SAMPLES, SIDE * SIDE + 1)
        or table.min() < 0
        or table[:, :-1].max() > MAX_VALUE
    ):
        raise DataError(f"{RESOURCE}: unexpected content {table.shape}; reinstall trainlab")
    images = table[:, :-1].astype(np.uint8).reshape(-1, SIDE, SIDE)
    return images, table[:, -1].astype(np.uint8)


def load_digits_split() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``((x_train, t_train), (x_test, t_test))`` as raw ``uint8``: 1500 train, 297 test."""
    images, labels = read_digits()
    train, test = fixed_split(N_SAMPLES, N_TEST, SEED)
    return (images[train], labels[train]), (images[test], labels[test])
