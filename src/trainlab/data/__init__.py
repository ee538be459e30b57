"""Data sets and the helpers that feed them to a training loop.

* :func:`load` / :func:`load_with_info`: ``digits``, ``mnist``,
  ``fashion-mnist`` as ``((x_train, t_train), (x_test, t_test))``, like
  *Deep Learning from Scratch*'s ``load_mnist``;
* :func:`train_val_split`, :func:`minibatches`, :func:`epoch_indices`,
  :func:`one_hot`: seeded splitting and batching, NumPy only.

Where files are searched, cached and downloaded from: see the README, section "Data sets".
"""

from trainlab.data.batching import epoch_indices, minibatches
from trainlab.data.datasets import NAMES, DataFallbackWarning, canonical_name, load, load_with_info
from trainlab.data.labels import one_hot
from trainlab.data.locations import cache_dir
from trainlab.data.split import train_val_split

__all__ = [
    "NAMES",
    "DataFallbackWarning",
    "cache_dir",
    "canonical_name",
    "epoch_indices",
    "load",
    "load_with_info",
    "minibatches",
    "one_hot",
    "train_val_split",
]
