"""Optuna samplers and pruners by name.

* ``random``: the notes' random search. Trial ``k`` draws its values from
  ``numpy.random.default_rng([seed, k, crc32(name)])`` (log parameters as
  ``10 ** uniform(log10 low, log10 high)``), so a trial's values depend on
  the seed and its number only, however many workers run and after a resume.
* ``tpe``: Bayesian optimisation (tree-structured Parzen estimator).
* ``grid``: every combination of ``points`` values per parameter.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
import optuna
from optuna.distributions import FloatDistribution, IntDistribution

from trainlab.errors import ConfigError
from trainlab.tune.space import grid_values

SAMPLERS = ("random", "tpe", "grid")
PRUNERS = ("none", "median", "hyperband")


class SeededRandomSampler(optuna.samplers.RandomSampler):
    """Random search whose draws are a function of ``(seed, trial number, name)``."""

    def __init__(self, seed: int):
        super().__init__(seed=seed)
        self.base_seed = int(seed)

    def sample_independent(self, study, trial, param_name, param_distribution):
        d = param_distribution
        rng = np.random.default_rng([self.base_seed, trial.number, zlib.crc32(param_name.encode())])
        if isinstance(d, FloatDistribution) and d.step is None:
            v = (
                10.0 ** rng.uniform(math.log10(d.low), math.log10(d.high))
                if d.log
                else rng.uniform(d.low, d.high)
            )
            return float(min(max(v, d.low), d.high))
        if isinstance(d, IntDistribution) and d.step == 1:
            if d.log:
                v = int(10.0 ** rng.uniform(math.log10(d.low), math.log10(d.high + 1)))
                return min(max(v, d.low), d.high)
            return int(rng.integers(d.low, d.high + 1))
        return super().sample_independent(study, trial, param_name, param_distribution)


class BudgetGridSampler(optuna.samplers.GridSampler):
    """Optuna's grid sampler; trainlab's trial budget, not ``study.stop()``, ends the search."""

    def after_trial(self, study, trial, state, values):
        pass


def make_sampler(name: str, space: dict, seed: int, *, budget: int = 100, points: int = 2):
    if name == "random":
        return SeededRandomSampler(seed)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, n_startup_trials=max(2, min(10, budget // 4)))
    if name == "grid":
        return BudgetGridSampler(
            {p.name: grid_values(p, points) for p in space.values()}, seed=seed
        )
    raise ConfigError(f"unknown sampler {name!r}; choose one of {', '.join(SAMPLERS)}")


def make_pruner(name: str, epochs: int):
    if name == "none":
        return optuna.pruners.NopPruner()
    if name == "median":
        return optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=0)
    if name == "hyperband":
        return optuna.pruners.HyperbandPruner(
            min_resource=1, max_resource=max(1, epochs), reduction_factor=3
        )
    raise ConfigError(f"unknown pruner {name!r}; choose one of {', '.join(PRUNERS)}")
