"""Initial weights.

The notes' scales, for a layer whose previous layer has ``n`` nodes (fan-in):

* a number ``s``: a normal distribution with standard deviation ``s``;
* ``'xavier'`` or ``'sigmoid'``: std ``sqrt(1 / n)`` (the notes' Xavier, for
  sigmoid and tanh);
* ``'he'`` or ``'relu'``: std ``sqrt(2 / n)`` (He et al., 2015, for ReLU).

Also PyTorch's Glorot definitions (Glorot & Bengio, 2010), which use both
fan-in and fan-out:

* ``'glorot_normal'``: std ``gain * sqrt(2 / (fan_in + fan_out))``
  (``torch.nn.init.xavier_normal_``);
* ``'glorot_uniform'``: U(-a, a) with ``a = gain * sqrt(6 / (fan_in + fan_out))``
  (``torch.nn.init.xavier_uniform_``).
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np

from trainlab.errors import ConfigError

NAMES = ("xavier", "sigmoid", "he", "relu", "glorot_normal", "glorot_uniform")


def weight_std(spec: Any, fan_in: int, fan_out: int | None = None) -> float:
    """The standard deviation that ``spec`` gives a layer with these fans."""
    if isinstance(spec, Real) and not isinstance(spec, bool):
        if not math.isfinite(spec) or spec < 0:
            raise ConfigError(f"weight_init_std must be a finite number ≥ 0, got {spec}")
        return float(spec)
    key = str(spec).lower()
    if key in ("xavier", "sigmoid"):
        return math.sqrt(1.0 / fan_in)
    if key in ("he", "relu"):
        return math.sqrt(2.0 / fan_in)
    fan_out = fan_in if fan_out is None else fan_out
    if key == "glorot_normal":
        return math.sqrt(2.0 / (fan_in + fan_out))
    if key == "glorot_uniform":
        return math.sqrt(2.0 / (fan_in + fan_out))  # the uniform's std is the same
    raise ConfigError(
        f"unknown weight_init_std {spec!r}; use a number or one of {', '.join(NAMES)}"
    )


def init_weight(
    spec: Any,
    fan_in: int,
    fan_out: int,
    rng: np.random.Generator,
    dtype: Any = np.float64,
    gain: float = 1.0,
) -> np.ndarray:
    """A (fan_in, fan_out) weight matrix drawn as ``spec`` says, from ``rng``."""
    if str(spec).lower() == "glorot_uniform":
        a = gain * math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)
    std = weight_std(spec, fan_in, fan_out)
    if str(spec).lower() == "glorot_normal":
        std *= gain
    return (rng.standard_normal((fan_in, fan_out)) * std).astype(dtype)
