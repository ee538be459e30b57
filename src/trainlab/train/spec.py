"""A training run as one typed value: ``RunSpec`` = data, network, optimizer, training, output.

:func:`trainlab.train.build.build` turns a :class:`RunSpec` into data, network,
optimizer and trainer. Each part checks itself once, in its constructor, in one
line. ``to_json`` and ``from_json`` round-trip exactly; the JSON carries
:data:`SCHEMA` and is a run folder's ``config.json`` (with ``"kind"`` and a
``"described"`` part, what was built, for people; it is not read back).

>>> spec = RunSpec(optimizer=OptimizerSpec("adam", lr=0.001), network=NetworkSpec(hidden=(50,)))
>>> RunSpec.from_json(spec.to_json()) == spec
True
>>> TrainingSpec(epochs=0)
Traceback (most recent call last):
...
trainlab.errors.ConfigError: epochs must be an integer ≥ 1, got 0
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from trainlab.errors import ConfigError, DataError
from trainlab.optim import Optimizer, create
from trainlab.train import spec_checks as check

#: the version of the JSON written by :meth:`RunSpec.to_json`; run folders of
#: trainlab 0.x before it (a flat list of the command's options) are read by
#: :func:`trainlab.train.spec_flat.from_flat`
SCHEMA = 2

SCALES = ("standard", "minmax", "none")
TARGET_SCALES = ("standard", "none")
TASKS = (None, "classification", "regression")
DROPOUT_MODES = ("notes", "inverted")
DTYPES = ("float32", "float64")
SAMPLINGS = ("shuffle", "replacement", "sequential")
TRACKS = (None, "sharpness")
#: the gradient transformations a spec may name, in the order a step applies them
TRANSFORMS = {
    "stop_above_norm": "max_norm",
    "clip_by_norm": "max_norm",
    "clip_by_value": "max_value",
    "gradient_noise": "eta",
}


@dataclass(frozen=True)
class DataSpec:
    """Where the samples come from: a named data set, or a file of your own (``file``)
    with its target column, task, feature scaling and split; the first
    ``train_size`` training samples, ``val_ratio`` of them held out for validation."""

    dataset: str = "digits"
    data_dir: str | None = None
    file: str | None = None
    target: str | None = None
    task: str | None = None
    scale: str = "standard"
    target_scale: str = "standard"
    test_ratio: float = 0.2
    split_seed: int = 0
    train_size: int | None = None
    val_ratio: float = 0.2

    def __post_init__(self) -> None:
        check.text("dataset", self.dataset, optional=False)
        for name in ("data_dir", "file", "target"):
            check.text(name, getattr(self, name))
        check.one_of("task", self.task, TASKS)
        check.one_of("scale", self.scale, SCALES)
        check.one_of("target_scale", self.target_scale, TARGET_SCALES)
        check.share("test_ratio", self.test_ratio, "--test-ratio")
        check.count("split_seed", self.split_seed, 0)
        check.count("train_size", self.train_size, optional=True)
        check.share("val_ratio", self.val_ratio, "--val-ratio")


@dataclass(frozen=True)
class NetworkSpec:
    """The notes' ``MultiLayerNet``: hidden sizes, activation, initial weights (a std
    such as ``0.01`` or a name such as ``"he"``), ½λΣW² decay, dropout, batch norm."""

    hidden: tuple[int, ...] = (100, 100, 100, 100)
    activation: str = "relu"
    init: str | float = "relu"
    weight_decay: float = 0.0
    dropout: float = 0.0
    dropout_mode: str = "notes"
    batchnorm: bool = False
    dtype: str = "float32"

    def __post_init__(self) -> None:
        hidden = self.hidden
        if not isinstance(hidden, (tuple, list)) or not all(
            check.is_int(h) and h >= 1 for h in hidden
        ):
            raise ConfigError(f"hidden must be a list of positive integers, got {hidden!r}")
        object.__setattr__(self, "hidden", tuple(hidden))
        check.text("activation", self.activation, optional=False)
        if not (check.is_number(self.init) or isinstance(self.init, str)):  # values: the network's
            raise ConfigError(f"init must be a std or a name, got {self.init!r}")
        if not check.is_number(self.weight_decay) or not self.weight_decay >= 0:
            raise ConfigError(f"weight_decay must be a number ≥ 0, got {self.weight_decay!r}")
        check.share("dropout", self.dropout, "--dropout")
        check.one_of("dropout_mode", self.dropout_mode, DROPOUT_MODES)
        if not isinstance(self.batchnorm, bool):
            raise ConfigError(f"batchnorm must be true or false, got {self.batchnorm!r}")
        check.one_of("dtype", self.dtype, DTYPES)


@dataclass(frozen=True)
class TransformSpec:
    """One gradient transformation of the chain before the rule's step, by name
    (:data:`TRANSFORMS`) with its one value."""

    name: str
    value: float

    def __post_init__(self) -> None:
        check.one_of("transform", self.name, tuple(TRANSFORMS))
        check.positive(f"{self.name}'s {TRANSFORMS[self.name]}", self.value, optional=False)


@dataclass(frozen=True)
class PartitionSpec:
    """Another rule for the parameters whose names match ``params`` (``"W*"``, say)."""

    params: str
    rule: str
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check.text("partition params", self.params, optional=False)
        check.text("partition rule", self.rule, optional=False)


@dataclass(frozen=True)
class OptimizerSpec:
    """The update rule by name, its learning rate (``None``: the rule's default) and
    other options, the learning-rate schedule, the chain of gradient
    transformations applied before it, and per-parameter partitions."""

    rule: str = "sgd"
    lr: float | None = None
    options: dict[str, Any] = field(default_factory=dict)
    schedule: str | None = None
    warmup: int = 0
    transforms: tuple[TransformSpec, ...] = ()
    partitions: tuple[PartitionSpec, ...] = ()

    def __post_init__(self) -> None:
        check.text("rule", self.rule, optional=False)
        if self.lr is not None and not check.is_number(self.lr):
            raise ConfigError(f"lr must be a number, got {self.lr!r}")
        if not isinstance(self.options, dict) or not all(
            isinstance(k, str) and k and check.scalar(v) for k, v in self.options.items()
        ):
            raise ConfigError(f"options must map names to numbers or words, got {self.options!r}")
        check.text("schedule", self.schedule)
        check.count("warmup", self.warmup, 0)
        order = [list(TRANSFORMS).index(t.name) for t in self.transforms]
        if order != sorted(set(order)):
            raise ConfigError(
                "transforms must be given once each, in the order "
                + ", ".join(TRANSFORMS)
                + f"; got {', '.join(t.name for t in self.transforms)}"
            )
        self.create()  # the rule checks its name and every value, in its own words

    def create(self) -> Optimizer:
        """The rule itself (without the transformations): ``create(rule, lr=..., **options)``."""
        return create(self.rule, **{**self.options, **({} if self.lr is None else {"lr": self.lr})})

    def transform(self, name: str) -> float | None:
        """The value of the transformation ``name`` in the chain, or None."""
        return next((t.value for t in self.transforms if t.name == name), None)


@dataclass(frozen=True)
class TrainingSpec:
    """How long and in what order: epochs (or exact iterations), batch size, the seed
    of every random stream, batch sampling, early stopping, curriculum, and what
    else to record (``track``)."""

    epochs: int = 20
    iterations: int | None = None
    batch_size: int = 100
    seed: int = 0
    sampling: str = "shuffle"
    early_stop: int | None = None
    curriculum: bool = False
    track: str | None = None

    def __post_init__(self) -> None:
        check.count("epochs", self.epochs)
        check.count("iterations", self.iterations, optional=True)
        check.count("batch_size", self.batch_size)
        check.count("seed", self.seed, 0)
        check.one_of("sampling", self.sampling, SAMPLINGS)
        check.count("early_stop", self.early_stop, optional=True)
        if not isinstance(self.curriculum, bool):
            raise ConfigError(f"curriculum must be true or false, got {self.curriculum!r}")
        check.one_of("track", self.track, TRACKS)


@dataclass(frozen=True)
class OutputSpec:
    """Where the run folder goes, whether to show progress, how often to checkpoint."""

    out: str | None = None
    quiet: bool = False
    checkpoint_every: int | None = None

    def __post_init__(self) -> None:
        check.text("out", self.out)
        if not isinstance(self.quiet, bool):
            raise ConfigError(f"quiet must be true or false, got {self.quiet!r}")
        check.count("checkpoint_every", self.checkpoint_every, optional=True)


PARTS = {
    "data": DataSpec,
    "network": NetworkSpec,
    "optimizer": OptimizerSpec,
    "training": TrainingSpec,
    "output": OutputSpec,
}


@dataclass(frozen=True)
class RunSpec:
    """One training: its five parts. Checks that need two parts live here."""

    data: DataSpec = field(default_factory=DataSpec)
    network: NetworkSpec = field(default_factory=NetworkSpec)
    optimizer: OptimizerSpec = field(default_factory=OptimizerSpec)
    training: TrainingSpec = field(default_factory=TrainingSpec)
    output: OutputSpec = field(default_factory=OutputSpec)

    def __post_init__(self) -> None:
        if self.training.early_stop and self.data.val_ratio == 0:
            raise ConfigError("--early-stop watches the validation accuracy; use --val-ratio > 0")

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data: ``{"schema": SCHEMA, "data": {...}, ...}``."""
        return {"schema": SCHEMA, **{name: _plain(asdict(getattr(self, name))) for name in PARTS}}

    @classmethod
    def from_json(cls, doc: Any, where: str = "the run's configuration") -> RunSpec:
        """The spec saved by :meth:`to_json`; anything else is one :class:`DataError`
        naming ``where``, the part and what is wrong."""
        fix = "the file is damaged: restore it or start a new run"
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
            raise DataError(f"{where} is not a trainlab run configuration (schema {SCHEMA}); {fix}")
        parts = {}
        for name, kind in PARTS.items():
            part = doc.get(name)
            if not isinstance(part, dict):
                raise DataError(f"{where}: {name!r} is missing or not an object; {fix}")
            try:
                parts[name] = _part(kind, part)
            except (ConfigError, TypeError) as exc:
                raise DataError(f"{where}: {name}: {exc}; {fix}") from None
        try:
            return cls(**parts)
        except ConfigError as exc:
            raise DataError(f"{where}: {exc}; {fix}") from None


def _part(kind: type, doc: dict) -> Any:
    known = {f.name for f in fields(kind)}
    unknown, missing = sorted(set(doc) - known), sorted(known - set(doc))
    if unknown or missing:
        raise ConfigError(
            f"{'unknown' if unknown else 'missing'} setting {(unknown or missing)[0]!r}"
        )
    values = dict(doc)
    if kind is OptimizerSpec:
        values["transforms"] = tuple(
            TransformSpec(**check.json_object("transform", t))
            for t in check.json_list("transforms", values)
        )
        values["partitions"] = tuple(
            PartitionSpec(**check.json_object("partition", p))
            for p in check.json_list("partitions", values)
        )
    if kind is NetworkSpec and isinstance(values.get("hidden"), list):
        values["hidden"] = tuple(values["hidden"])
    return kind(**values)


def _plain(v: Any) -> Any:
    """Tuples as lists, all the way down (what JSON holds)."""
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v
