"""What one search is: :class:`SearchSpec`, checked when it is made.

The data and the network every trial trains, the update rule, the searched
space, the sampler, pruner and trial budget, the study's name, where it lives
and where its run folder goes. ``trainlab tune`` makes one from its flags;
:func:`trainlab.tune.search_run.run` carries it out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from trainlab.errors import ConfigError
from trainlab.tune.space import check_space, grid_points, parse_space
from trainlab.tune.storage_spec import check_spec

#: the notes' space: the learning rate and the weight decay, both log-uniform
DEFAULT_SPACE = ["lr=1e-6:1e-2:log", "weight_decay=1e-8:1e-4:log"]
#: the most points a grid search may enumerate
MAX_GRID = 1_000_000
#: the notes' training set when no ``--data`` file is given
NOTES_TRAIN_SIZE = 500


@dataclass
class SearchSpec:
    """A search. The fields up to ``resume`` are the study's configuration (what
    :mod:`trainlab.tune.search` reads), in the order ``config.json`` lists them;
    the rest say where and how it runs."""

    data: str | None = None
    target_column: str | None = None
    task: str | None = None
    scale: str = "standard"
    split_seed: int = 0
    test_ratio: float = 0.2
    dataset: str = "digits"
    data_dir: str | None = None
    #: ``None``: the notes' 500 samples, or with ``data`` every row
    train_size: int | None = None
    val_ratio: float = 0.2
    hidden: list[int] = field(default_factory=lambda: [100] * 6)
    batch_size: int = 100
    epochs: int = 50
    optimizer: str = "sgd"
    seed: int = 0
    sampler: str = "random"
    pruner: str = "none"
    grid_points: int | None = None
    space: list[str] = field(default_factory=lambda: list(DEFAULT_SPACE))
    trials: int = 100
    #: ``None``: ``tune-DATASET-OPTIMIZER``
    study_name: str | None = None
    quiet: bool = False
    max_retries: int = 2
    storage_wait: float = 60.0
    #: the command line that resumes the search (shown when the storage stays down)
    resume: str | None = None
    #: journal path or PostgreSQL URL; ``None``: ``OUT/study.journal``
    storage: str | None = None
    #: ``None``: ``runs/tune-DATASET-OPTIMIZER``
    out: str | None = None
    overwrite: bool = False
    workers: int = 1
    #: best trials whose values give the narrowed ranges
    top: int = 5

    def __post_init__(self):
        if not 0.0 < self.val_ratio < 1.0:
            raise ConfigError(f"--val-ratio must be strictly between 0 and 1, got {self.val_ratio}")
        if self.max_retries < 0 or not 0.0 <= self.storage_wait <= 86400.0:
            raise ConfigError(
                "--max-retries must be 0 or more and --storage-wait between 0 and "
                f"86400 seconds, got {self.max_retries} and {self.storage_wait}"
            )
        check_space(parse_space(self.space), self.optimizer)
        self._check_grid()
        if self.storage:
            check_spec(self.storage)
        if self.train_size is None and not self.data:
            self.train_size = NOTES_TRAIN_SIZE
        self.study_name = self.study_name or f"tune-{self.tag}"
        self.out = self.out or f"runs/tune-{self.tag}"

    def _check_grid(self) -> None:
        """A grid (its points multiplied over the parameters) is enumerated up front:
        refuse one too large to hold before anything is created."""
        if self.sampler != "grid":
            return
        space = parse_space(self.space)
        points = grid_points(space, self.trials, self.grid_points)
        if points ** len(space) > MAX_GRID:
            raise ConfigError(
                f"a grid of {points:,} values for each of {len(space)} parameters "
                f"has more than {MAX_GRID:,} points; choose fewer --grid-points "
                "(or --trials)"
            )

    @property
    def tag(self) -> str:
        """``DATASET-OPTIMIZER`` (the data file's name for a ``--data`` file)."""
        name = Path(self.data.split(",")[0]).stem if self.data else self.dataset
        return f"{name}-{self.optimizer}".lower()

    def config(self) -> dict:
        """The study's configuration (:mod:`trainlab.tune.search`), less its storage,
        which is known once the run folder is."""
        fields = asdict(self)
        return {k: fields[k] for k in list(fields)[: list(fields).index("resume") + 1]}
