"""What one benchmark is: :class:`BenchmarkSpec`, checked when it is made.

The problems and rules it compares, the lr grid (or a declared space and its
draws), the seeds, the epochs, the targets, where its studies live and where
its run folder goes. ``trainlab benchmark`` makes one from its flags;
:func:`trainlab.tune.benchmark_run.run` carries it out.

Each rule's lr grid is centred on its typical lr by default
(:func:`centring`): a folder begun before that was the default resumes on the
grid it was begun with.
"""

from __future__ import annotations

import math
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from trainlab.errors import ConfigError
from trainlab.io import read_json
from trainlab.optim import create
from trainlab.tune.space import parse_space
from trainlab.tune.storage_spec import check_spec

#: the most learning rates a grid may hold
MAX_GRID = 100
BUILT_IN = ["digits", "fashion-mnist", "noisy-quadratic"]
QUICK: dict[str, Any] = {"lr_grid": "1e-3:1:4", "seeds": 2, "epochs": 4}
FULL: dict[str, Any] = {"lr_grid": "1e-4:1:9", "seeds": 5, "epochs": 20}
PROTOCOL = "lr grid (seed 0, final validation metric) → best lr rerun with seeds 1..N → test metric"
SPACE_PROTOCOL = (
    "the same --trials random draws for every rule over lr's range and the declared "
    "space (seed 0, final validation metric) → best values rerun with seeds 1..N "
    "→ test metric"
)


def lr_grid(text: str) -> list[float]:
    """``"1e-4:1:9"`` → 9 learning rates evenly spaced in log from 1e-4 to 1."""
    parts = str(text).split(":")
    try:
        low, high, n = float(parts[0]), float(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        raise ConfigError(
            f"malformed --lr-grid {text!r}; write LOW:HIGH:POINTS, e.g. 1e-4:1:9"
        ) from None
    if len(parts) != 3 or not (0 < low < high and math.isfinite(high)) or n < 2:
        raise ConfigError(f"--lr-grid {text!r} needs 0 < LOW < HIGH and POINTS ≥ 2, e.g. 1e-4:1:9")
    if n > MAX_GRID:
        raise ConfigError(
            f"--lr-grid {text!r} asks for {n:,} learning rates, more than the "
            f"{MAX_GRID} a benchmark trains (each is a whole training run); "
            "choose fewer POINTS"
        )
    values = [float(v) for v in np.geomspace(low, high, n)]
    values[0], values[-1] = low, high
    return values


def centring(out, overwrite: bool = False) -> bool:
    """Whether a benchmark into ``out`` centres its lr grids when not told: yes,
    unless it resumes a benchmark there whose ``config.json`` says no or, written
    before centring was the default, has no ``centre_lr`` (its own grid, the same
    for every rule)."""
    config: object = {}
    if not overwrite:
        with suppress(OSError, ValueError):
            config = read_json(Path(out) / "config.json")
    if not isinstance(config, dict) or config.get("kind") != "benchmark":
        return True
    return bool(config.get("centre_lr", False))


@dataclass
class BenchmarkSpec:
    """A benchmark plan (the fields up to ``prefix`` are the plan the engine reads,
    in the order ``config.json`` lists them) and where it runs."""

    problems: list[str]
    optimizers: list[str]
    lrs: list[float]
    seeds: int
    epochs: int
    quick: bool = False
    #: validation metric to reach, by problem (given as ``(name, value)`` pairs: the last wins)
    targets: dict[str, float] | list[tuple[str, Any]] = field(default_factory=dict)
    data_dir: str | None = None
    #: problems not built in: ``{name: {"file": {...}}}`` or ``{name: {"factory": "pkg.mod:fn"}}``
    custom: dict[str, dict] = field(default_factory=dict)
    #: declared ranges beyond lr (``NAME=LOW:HIGH[:log]``), the same for every rule
    space: list[str] = field(default_factory=list)
    #: draws per rule with a declared space
    trials: int = 0
    #: read the lr grid as AdamW's and scale it by each rule's ``lr_vs_adamw``;
    #: ``None``: :func:`centring` (yes, unless ``out`` holds a benchmark begun without)
    centre_lr: bool | None = None
    prefix: str = "bench"
    #: journal path or PostgreSQL URL; ``None``: ``OUT/benchmark.journal``
    storage: str | None = None
    out: str = "runs/benchmark"
    overwrite: bool = False
    #: worker processes; ``None``: every core, at most one per training
    workers: int | None = None

    def __post_init__(self):
        for rule in self.optimizers:
            create(rule)  # an unknown rule is refused by name
        if not self.problems or not self.optimizers:
            raise ConfigError("--problems and --optimizers need at least one name each")
        pairs = list(self.targets.items() if isinstance(self.targets, dict) else self.targets)
        for name, value in pairs:
            if name not in self.problems or not isinstance(value, (int, float)):
                raise ConfigError(
                    f"--target {name}={value}: name one of --problems and give a number"
                )
        self.targets = {name: float(value) for name, value in pairs}
        if self.space:
            parse_space(self.space)
        self.trials = self.trials or 2 * len(self.lrs)
        if self.centre_lr is None:
            self.centre_lr = centring(self.out, self.overwrite)
        if self.storage:
            check_spec(self.storage)

    @property
    def protocol(self) -> str:
        return SPACE_PROTOCOL if self.space else PROTOCOL

    def trainings(self) -> int:
        """Trainings of the whole plan: each rule's tuning runs, seed reruns and
        seed runs at its defaults, per problem."""
        per_rule = (self.trials if self.space else len(self.lrs)) + 2 * self.seeds
        return len(self.problems) * len(self.optimizers) * per_rule

    def plan(self) -> dict:
        """The plan the engine reads (:mod:`trainlab.tune.benchmark`), less its storage,
        which is known once the run folder is."""
        fields = asdict(self)
        return {k: fields[k] for k in list(fields)[: list(fields).index("prefix") + 1]}
