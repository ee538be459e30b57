"""Helpers shared by the experiments: data, trainers, seeds, runs that may diverge."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainlab.data import load_with_info
from trainlab.errors import DivergenceError
from trainlab.optim import RULES
from trainlab.train import config
from trainlab.train.build import Extras, Given, Streams, build
from trainlab.train.spec import OutputSpec, RunSpec
from trainlab.train.trainer import Trainer

#: an experiment's trainings show no progress bars of their own
QUIET = OutputSpec(quiet=True)


@dataclass
class Data:
    """A loaded data set: training and test arrays, and ``info`` from ``load_with_info``."""

    x: np.ndarray
    t: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray
    info: dict

    @property
    def n_inputs(self) -> int:
        return int(self.x.shape[1])

    @property
    def n_classes(self) -> int:
        return int(self.info.get("n_classes", int(self.t.max()) + 1))


def load_data(dataset: str, data_dir=None, alloc=None, rows=(None, None)) -> Data:
    """``dataset`` as :class:`Data` (``alloc``, ``rows``: see
    :func:`trainlab.data.load_with_info`)."""
    ((x, t), (xt, tt)), info = load_with_info(dataset, data_dir=data_dir, alloc=alloc, rows=rows)
    return Data(x, t, xt, tt, info)


def head(x, t, n):
    """The first ``n`` samples (all of them when ``n`` is 0 or None)."""
    return (x, t) if not n else (x[:n], t[:n])


def first(n):
    """How many rows ``head(x, t, n)`` reads: ``n``, or ``None`` (all) for 0 or None."""
    return n or None


def seeds(rng: np.random.Generator, k: int) -> list[int]:
    """``k`` integer seeds from ``rng``. Building two generators from the same
    seed gives the variants of a comparison the same initial weights and the
    same batches (common random numbers), so only the compared thing differs."""
    return [int(s) for s in rng.integers(0, 2**63 - 1, size=k)]


def gen(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def trainer(run: RunSpec, data: Data, arrays: config.Data, streams: Streams, **extras) -> Trainer:
    """The trainer of ``run`` on ``arrays`` (a part of ``data``, whose classes are the
    outputs), with the experiment's own random ``streams``; ``extras``: the fields of
    :class:`~trainlab.train.build.Extras` (callbacks, evaluated samples)."""
    given = Given(arrays, data.n_classes)
    return build(run, given=given, streams=streams, extras=Extras(**extras)).trainer


def fit(trainer) -> dict:
    """Train; on divergence keep the history so far and note the step.

    Returns the history with ``diverged_at`` (the failing step, or None).
    """
    try:
        history = trainer.train()
        history["diverged_at"] = None
    except DivergenceError:
        history = trainer.history
        history["diverged_at"] = trainer.current_iter + 1
    return history


def floats(values) -> np.ndarray:
    """A list read back from JSON as floats: null → NaN, "inf" → inf."""
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def stack(curves) -> np.ndarray:
    """Curves of possibly different lengths → (runs, longest) array padded with NaN."""
    curves = [floats(c) for c in curves]
    out = np.full((len(curves), max(len(c) for c in curves)), np.nan)
    for i, c in enumerate(curves):
        out[i, : len(c)] = c
    return out


def tail_mean(values, share: float = 0.1) -> float:
    """Mean of the last ``share`` of a curve (at least one point)."""
    y = floats(values)
    return float(np.mean(y[-max(1, int(len(y) * share)) :]))


def mean(values) -> float:
    """Mean over seeds, ignoring NaN (NaN when every seed is NaN)."""
    y = floats(values)
    return float(np.nanmean(y)) if np.any(np.isfinite(y)) else float("nan")


def rule_label(name: str) -> str:
    """Display name of an update rule: its class's name, as its paper writes it
    (``AdaGrad``, ``RMSprop``, ``AdEMAMix``); a name trainlab lacks, as given."""
    rule = RULES.get(name.lower().replace("_", "").replace("-", ""))
    return name if rule is None else rule.__name__


def arch(data_meta: dict, hidden) -> str:
    """``784→100×4→10`` for a figure title."""
    hidden = list(hidden)
    inner = f"{hidden[0]}×{len(hidden)}" if len(set(hidden)) == 1 else "→".join(map(str, hidden))
    return f"{data_meta['n_inputs']}→{inner}→{data_meta['n_classes']}"


def batch_loss_evaluation(train_probe: int) -> dict:
    """What an experiment whose figure is the loss of each training batch evaluates:
    the curve costs nothing extra; only the final test accuracy uses a whole set."""
    return {
        "each_step": "loss of the training batch (the curve)",
        "each_epoch": f"none recorded (the Trainer's own record: first {train_probe} "
        "training samples)",
        "final": "test accuracy on the whole test set",
    }
