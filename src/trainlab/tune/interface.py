"""trainlab's problem interface: what a benchmark (or ``--problem``) trains on.

:class:`NetProblem` is the interface of a network problem (data, a network
builder, the metric, a target, and the shared ``run``); :class:`Problem`
builds one from parts, :func:`file_problem` from a ``--data`` file and
:func:`factory_problem` from ``package.module:factory``. The built-in problems
are in :mod:`trainlab.tune.problems`; see docs/own-data.md.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field

import numpy as np

from trainlab.data.prepared import open_data
from trainlab.errors import ConfigError
from trainlab.nn import mean_squared_error
from trainlab.train import build as builder
from trainlab.train.config import Data
from trainlab.train.spec import NetworkSpec, OptimizerSpec, OutputSpec, RunSpec, TrainingSpec


class _CpuClock:
    """Trainer callback: CPU seconds of this process spent in training steps
    (``time.process_time``, so parallel workers do not slow each other's clocks;
    evaluations excluded) and the step count, at the end of every epoch."""

    def __init__(self):
        self.mark = self.last = time.process_time()
        self.total, self.times, self.steps = 0.0, [0.0], [0]

    def on_step(self, trainer, it, loss):
        self.last = time.process_time()

    def on_epoch_end(self, trainer, epoch, record):
        self.total += max(0.0, self.last - self.mark)
        self.times.append(self.total)
        self.steps.append(int(trainer.current_iter))
        self.mark = self.last = time.process_time()


class _ValMSE:
    """Trainer callback: the validation MSE (without the weight-decay term) per epoch."""

    def __init__(self, net, x, t):
        self.score = lambda: mean_squared_error(net.predict(x), t)
        self.values = [self.score()]

    def on_epoch_end(self, trainer, epoch, record):
        self.values.append(self.score())


class NetProblem:
    """trainlab's problem interface, for a network trained on data.

    A problem has a ``name``, a ``metric`` (``"accuracy"``, maximised, or
    ``"mse"``/``"loss"``, minimised), a ``target`` on the validation metric
    (``None``: the benchmark chooses one, see :func:`trainlab.tune.protocol.auto_target`),
    a ``batch_size``, and two methods:

    * ``dataset()`` → ``((x, t), (x_val, t_val), (x_test, t_test), info)`` with
      ``info["n_outputs"]`` (classes, or regression outputs);
    * ``network(n_inputs, n_outputs, rng, weight_decay)`` → a fresh network
      (a :class:`~trainlab.nn.MultiLayerNet` of ``hidden`` by default).

    :meth:`run` (one training at a given rule, lr, seed, further options) comes
    with it. Anything else with ``name``, ``metric``, ``target`` and such a
    ``run`` (the noisy quadratic) is a problem too.
    """

    hidden: tuple = (100, 100, 100, 100)
    batch_size: int = 100
    name: str  # each problem sets these, and dataset()
    metric: str
    target: float | None

    def dataset(self) -> tuple:
        raise NotImplementedError

    @property
    def task(self) -> str:
        return "classification" if self.metric == "accuracy" else "regression"

    def network(self, n_inputs, n_outputs, rng, weight_decay=0.0):
        shape = NetworkSpec(hidden=tuple(self.hidden), weight_decay=weight_decay)
        return builder.network(shape, n_inputs, n_outputs, self.task, rng)

    def settings(self) -> dict:
        """JSON settings that identify the problem (a study refuses others)."""
        return {
            "name": self.name,
            "metric": self.metric,
            "target": self.target,
            "hidden": list(self.hidden),
            "batch_size": self.batch_size,
        }

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
        """Train once; ``options``: ``weight_decay`` (the network's ½λΣW²) and
        options of the rule. Returns the validation metric after every epoch
        (``val``, epoch 0 = start), CPU seconds and steps at those points
        (``time``, ``steps``) and, with ``test``, the final test metric.
        The network is the problem's (:meth:`network`); the rest is built from a
        :class:`~trainlab.train.spec.RunSpec`."""
        options = dict(options or {})
        wd = float(options.pop("weight_decay", 0.0))
        (x, t), (xv, tv), (xt, tt), info = self.dataset()
        init, batches = np.random.SeedSequence([seed, 1]).spawn(2)
        net = self.network(x.shape[1], info["n_outputs"], np.random.default_rng(init), wd)
        clock = _CpuClock()
        scored = _ValMSE(net, xv, tv) if self.metric != "accuracy" else None
        run = RunSpec(
            network=NetworkSpec(hidden=tuple(self.hidden), weight_decay=wd),
            optimizer=OptimizerSpec(optimizer, lr=lr, options=options),
            training=TrainingSpec(epochs, batch_size=self.batch_size),
            output=OutputSpec(quiet=True),
        )
        # the clock last: its epoch mark follows every evaluation
        watch = (*callbacks, *([scored] if scored else []), clock)
        trainer = builder.build(
            run,
            given=builder.Given(Data(x, t, x_val=xv, t_val=tv), info["n_outputs"], self.task, net),
            streams=builder.Streams(batches=np.random.default_rng(batches)),
            extras=builder.Extras(callbacks=watch),
        ).trainer
        trainer.evaluate()  # epoch 0, outside the clock
        clock.mark = clock.last = time.process_time()
        h = trainer.train()
        val = [float(v) for v in h["val_acc"]] if scored is None else scored.values
        out = {"val": val, "time": clock.times, "steps": clock.steps}
        if test:
            out["test"] = (
                float(net.evaluate(xt, tt)[1])
                if self.metric == "accuracy"
                else mean_squared_error(net.predict(xt), tt)
            )
        return out


@dataclass(frozen=True, eq=False)
class Problem(NetProblem):
    """A problem from parts: ``data()`` → ``((x, t), (x_val, t_val), (x_test, t_test))``
    (class labels as integers for ``metric="accuracy"``, real targets for
    ``"mse"``), optionally ``build(n_inputs, n_outputs, rng, weight_decay)``.
    What ``--problem package.module:factory`` returns; see docs/own-data.md."""

    name: str
    data: object  # () -> (train, val, test) pairs
    metric: str = "accuracy"
    target: float | None = None
    build: object = None
    hidden: tuple = (100, 100)
    batch_size: int = 100
    describe: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.metric not in ("accuracy", "mse", "loss"):
            raise ConfigError(
                f"problem {self.name!r}: metric must be accuracy, mse or loss, got {self.metric!r}"
            )

    def dataset(self):
        cached = self.__dict__.get("_cache")
        if cached is None:
            parts = self.data()
            train, val, test = parts[:3]
            info = dict(parts[3]) if len(parts) > 3 else {}
            t = np.asarray(train[1])
            if "n_outputs" not in info:
                info["n_outputs"] = (
                    int(max(np.max(train[1]), np.max(val[1]), np.max(test[1]))) + 1
                    if self.metric == "accuracy"
                    else (1 if t.ndim == 1 else int(t.shape[1]))
                )
            cached = (*(tuple(np.asarray(a) for a in p) for p in (train, val, test)), info)
            object.__setattr__(self, "_cache", cached)
        return cached

    def network(self, n_inputs, n_outputs, rng, weight_decay=0.0):
        if self.build is None:
            return super().network(n_inputs, n_outputs, rng, weight_decay)
        return self.build(n_inputs, n_outputs, rng, weight_decay)

    def settings(self) -> dict:
        return {**super().settings(), **self.describe}


def file_problem(spec: dict) -> Problem:
    """The problem of a ``--data`` file: ``spec`` holds ``data`` (the path) and
    the keywords of :func:`trainlab.data.prepared.open_data` (``target`` is the
    CSV column), plus ``hidden``, ``batch_size`` and ``name``. Its target on the
    validation metric is ``None`` (chosen by the benchmark)."""
    opts = {k: v for k, v in spec.items() if k not in ("data", "hidden", "batch_size", "name")}

    def data():
        p = open_data(spec["data"], batch_size=spec.get("batch_size", 100), **opts)
        return p.train, p.val, p.test, {**p.info, "split": p.split_record()}

    info = data()[3]
    return Problem(
        name=spec.get("name") or info["name"],
        data=data,
        metric="accuracy" if info["task"] == "classification" else "mse",
        target=None,
        hidden=tuple(spec.get("hidden", (100, 100))),
        batch_size=spec.get("batch_size", 100),
        describe={"data": spec["data"], **opts, "rows": info["rows"], "task": info["task"]},
    )


def factory_problem(spec: str):
    """``package.module:factory`` → ``factory()``, checked to be a problem."""
    module, sep, attr = str(spec).partition(":")
    if not sep or not module or not attr:
        raise ConfigError(f"--problem {spec!r}: write package.module:factory")
    try:
        fn = getattr(importlib.import_module(module), attr)
    except ImportError as exc:
        raise ConfigError(
            f"--problem {spec!r}: cannot import {module} ({exc}); put it on PYTHONPATH"
        ) from None
    except AttributeError:
        raise ConfigError(f"--problem {spec!r}: {module} has no {attr}") from None
    if not callable(fn):
        raise ConfigError(
            f"--problem {spec!r}: {module}.{attr} is a {type(fn).__name__}, not "
            "a function; name a factory that returns a problem"
        )
    try:
        problem = fn()
    except Exception as exc:  # the user's code: say where it failed, in one line
        raise ConfigError(
            f"--problem {spec!r}: {attr}() raised {type(exc).__name__}: "
            f"{str(exc)[:200]}; fix the factory"
        ) from None
    missing = [a for a in ("name", "metric", "target", "run") if not hasattr(problem, a)]
    if missing:
        raise ConfigError(
            f"--problem {spec!r}: {attr}() returned {type(problem).__name__}, "
            f"which lacks {', '.join(missing)}; return a trainlab.tune.problems."
            "Problem"
        )
    return problem
