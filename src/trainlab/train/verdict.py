"""What the doctor's rules share: a :class:`Verdict`, and the saved numbers read as floats.

The rules live in :mod:`trainlab.train.doctor` (divergence, gradients, activations),
:mod:`trainlab.train.doctor_curves` (the shape of the loss) and
:mod:`trainlab.train.doctor_fit` (the train/held-out gap).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: the learning-rate finder, named wherever the doctor calls a rate too high or too low
FINDER = "or let trainlab lrfind find one"


@dataclass(frozen=True)
class Verdict:
    """One finding: its ``name``, the numbers that show it, and what to try."""

    name: str
    evidence: str
    fix: str

    def __str__(self) -> str:
        return f"{self.name}: {self.evidence}\n  fix: {self.fix}"


def number(v) -> float:
    """A JSON value as a float: null → NaN, "inf"/"-inf" → ±inf."""
    if v is None:
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def series(history: dict, key: str) -> np.ndarray:
    """The saved list ``history[key]`` as floats (empty if absent)."""
    return np.array([number(v) for v in history.get(key) or []], dtype=np.float64)


def fmt(x: float) -> str:
    """A number as the doctor prints it: four significant digits."""
    return f"{x:.4g}"
