"""The optimizer landscape lab: update rules racing across two-dimensional functions.

    >>> from trainlab.landscape import path
    >>> from trainlab.optim import create
    >>> path('bowl', create('sgd', lr=0.95), start=(-7, 2), steps=30).shape
    (31, 2)

See the README, section "The optimizer landscape lab", and ``trainlab landscape --help``.
"""

from trainlab.landscape.functions import FUNCTIONS, Function, check_start, get_function
from trainlab.landscape.lab import Race, race, write
from trainlab.landscape.newton import Newton
from trainlab.landscape.paths import Trace, path, trace
from trainlab.landscape.tune import Tuning, grid, objective, tune_lr

__all__ = [
    "FUNCTIONS",
    "Function",
    "get_function",
    "check_start",
    "path",
    "trace",
    "Trace",
    "Newton",
    "objective",
    "grid",
    "tune_lr",
    "Tuning",
    "race",
    "write",
    "Race",
]
