"""Benchmark problems: one training run of an update rule at a given lr and seed.

* ``digits``: the notes' net (64→100×4→10, ReLU, He init, batch 100) on the
  packaged 8×8 digits; 20% of the 1,500 training images validate.
* ``fashion-mnist``: the same net (784 inputs) on a subsample for speed: the
  first 10,000 training images (8,000 train / 2,000 validation) and the first
  2,000 test images (``--quick``: 2,000 and 500).
* ``noisy-quadratic``: ``f(x) = ½ Σ h_i x_i²`` in 20 dimensions, curvatures
  ``h`` log-spaced from 0.1 to 10, start ``x ~ N(0, I)``, stochastic gradient
  ``h ⊙ x + σ ε`` with ``σ = 0.3``; an "epoch" is 50 steps. The score is the
  noise-free loss ``f(x)`` (on validation and test alike), to be minimised.

A run returns the validation metric after every epoch (epoch 0 = start), the
cumulative training time at those points (CPU seconds of the process,
``time.process_time``, evaluation excluded), the steps taken, and, when asked,
the final test metric.

Every problem follows one interface (:class:`NetProblem`): a name, a metric,
a target and ``run``; a network problem brings its data and a network builder
and inherits ``run``. :class:`Problem` builds one from parts (what
``--problem package.module:factory`` returns); :func:`file_problem` from a
``--data`` file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

import numpy as np

from trainlab.data import load_with_info, train_val_split
from trainlab.errors import ConfigError, DivergenceError
from trainlab.optim import create, takes_closure
from trainlab.optim.schedulefree import TrainEvalSwitch
from trainlab.tune.interface import NetProblem, Problem, factory_problem, file_problem  # noqa: F401 (public names)


@dataclass(frozen=True)
class Classification(NetProblem):
    """A built-in data set (digits, Fashion-MNIST) as a :class:`NetProblem`."""

    name: str
    dataset_name: str
    target: float  # validation accuracy to reach
    train_size: int | None = None  # first N training images (None: all)
    test_size: int | None = None  # first N test images (None: all)
    hidden: tuple = (100, 100, 100, 100)
    batch_size: int = 100
    val_ratio: float = 0.2
    data_dir: str | None = field(default=None, compare=False)
    metric = "accuracy"

    def dataset(self):
        key = (self.dataset_name, self.train_size, self.test_size, self.val_ratio, self.data_dir)
        if key not in _DATA:
            ((x, t), (xt, tt)), info = load_with_info(self.dataset_name, data_dir=self.data_dir)
            x, t = x[: self.train_size], t[: self.train_size]
            train, val = train_val_split(x, t, self.val_ratio, np.random.default_rng(0))
            _DATA[key] = (
                train,
                val,
                (xt[: self.test_size], tt[: self.test_size]),
                {**info, "n_outputs": info["n_classes"]},
            )
        return _DATA[key]

    data = dataset

    def settings(self) -> dict:
        p = {k: v for k, v in vars(self).items() if k != "data_dir"}
        p["dataset"] = p.pop("dataset_name")
        p["hidden"] = list(p.get("hidden", ()))
        return p


@dataclass(frozen=True)
class NoisyQuadratic:
    name: str = "noisy-quadratic"
    target: float = 0.1  # noise-free loss to reach
    dim: int = 20
    h_min: float = 0.1
    h_max: float = 10.0
    sigma: float = 0.3
    steps_per_epoch: int = 50
    metric = "loss"

    def loss(self, x) -> float:
        h = np.geomspace(self.h_min, self.h_max, self.dim)
        return float(0.5 * np.sum(h * x * x))

    def settings(self) -> dict:
        return dict(vars(self))

    def run(
        self,
        optimizer: str,
        lr: float,
        seed: int,
        epochs: int,
        callbacks=(),
        test: bool = False,
        options: dict | None = None,
    ) -> dict:
        """As :meth:`NetProblem.run`; ``weight_decay`` λ adds ``λ x`` to the gradient."""
        options = dict(options or {})
        wd = float(options.pop("weight_decay", 0.0))
        rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
        h = np.geomspace(self.h_min, self.h_max, self.dim)
        params = {"x": rng.standard_normal(self.dim)}
        opt = create(optimizer, lr=lr, **options)
        val, times, steps, elapsed, it = [self.loss(params["x"])], [0.0], [0], 0.0, 0
        with np.errstate(over="ignore", invalid="ignore"):
            for epoch in range(epochs):
                start = time.process_time()
                for _ in range(self.steps_per_epoch):
                    noise = self.sigma * rng.standard_normal(self.dim)
                    step_loss = partial(_noisy_step, params, h + wd, noise)
                    if takes_closure(opt):  # this step's loss is its own, the noise fixed
                        opt.step(params, step_loss)
                    else:
                        opt.update(params, step_loss()[1])
                    it += 1
                elapsed += time.process_time() - start
                loss = self.loss(scored_point(opt, params))
                if not np.isfinite(loss):
                    raise DivergenceError(f"loss is {loss} after epoch {epoch + 1} (lr {lr:g})")
                val.append(loss)
                times.append(elapsed)
                steps.append(it)
                for cb in callbacks:
                    if hasattr(cb, "on_step"):
                        cb.on_step(None, it, loss)
        out = {"val": val, "time": times, "steps": steps}
        if test:
            out["test"] = val[-1]
        return out


def _noisy_step(params: dict, h: np.ndarray, noise: np.ndarray) -> tuple[float, dict]:
    """The loss ``½ Σ h x² + noise·x`` of one step at the current ``x``, and its
    gradient ``h ⊙ x + noise``: one draw of the noise is one step's minibatch."""
    x = params["x"]
    return float(0.5 * np.sum(h * x * x) + noise @ x), {"x": h * x + noise}


def scored_point(opt, params: dict) -> np.ndarray:
    """The point whose loss is scored: for a schedule-free rule (or group) its average ``x``
    (eval mode, as the Trainer evaluates it), else the current one."""
    if not isinstance(opt, TrainEvalSwitch):
        return params["x"]
    opt.eval(params)
    x = params["x"].copy()
    opt.train(params)
    return x


_DATA: dict = {}

PROBLEMS = {
    "digits": Classification("digits", "digits", target=0.9),
    "fashion-mnist": Classification(
        "fashion-mnist", "fashion-mnist", target=0.8, train_size=10000, test_size=2000
    ),
    "noisy-quadratic": NoisyQuadratic(),
}
QUICK = {"digits": {"train_size": 600}, "fashion-mnist": {"train_size": 2000, "test_size": 500}}


def make_problem(
    name: str, *, quick: bool = False, target: float | None = None, data_dir: str | None = None
):
    if name not in PROBLEMS:
        raise ConfigError(f"unknown problem {name!r}; choose from {', '.join(PROBLEMS)}")
    p: Any = PROBLEMS[name]
    changes: dict[str, Any] = dict(QUICK.get(name, {})) if quick else {}
    if target is not None:
        changes["target"] = float(target)
    if isinstance(p, Classification):
        changes["data_dir"] = data_dir
    return replace(p, **changes)


def reached(problem, value) -> bool:
    if value is None or not np.isfinite(value) or problem.target is None:
        return False
    return value >= problem.target if problem.metric == "accuracy" else value <= problem.target
