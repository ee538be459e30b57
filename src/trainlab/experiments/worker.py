"""What a worker process does with one job of a batch (see
:mod:`trainlab.experiments.batch`): an experiment's training, or files drawn in
a scratch folder and sent back as bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from trainlab.atomic import write_atomic
from trainlab.experiments.common import Data
from trainlab.experiments.registry import get
from trainlab.viz import file_defaults, plt

#: the data set's arrays, as the workers map them
ARRAYS = ("x", "t", "x_test", "t_test")


def work(job, arrays, meta):
    """One job, in a worker (or here): a training ``("train", name, cfg, spec)``
    → the experiment's ``job``; ``("files", draw, kwargs)`` → the files that
    ``draw(out=scratch, **kwargs)`` wrote, path → bytes (``draw`` is a module-level
    function, sent to the worker by its name as pickle sends functions)."""
    if job[0] == "train":
        _, name, cfg, spec = job
        experiment = get(name)
        data = Data(*(arrays[k] for k in ARRAYS), meta) if experiment.trains else None
        return experiment.job(cfg, data, spec)
    if job[0] == "warm":  # a worker with nothing to train imports the plotting meanwhile
        plt()
        return None
    _, draw, kwargs = job
    # matplotlib's own settings, so that this process draws what a fresh worker draws
    with tempfile.TemporaryDirectory(prefix="trainlab-") as scratch, file_defaults():
        draw(out=scratch, **kwargs)
        return {
            p.relative_to(scratch).as_posix(): p.read_bytes()
            for p in sorted(Path(scratch).rglob("*"))
            if p.is_file()
        }


def write_files(folder, files: dict) -> None:
    """The files of a ``"files"`` job, written atomically into ``folder``."""
    for rel, data in files.items():
        path = Path(folder) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, writer(data))


def writer(data):
    """What :func:`write_atomic` calls to put ``data`` into the file."""
    return lambda fh: fh.write(data)


class Local:
    """The data as they are, for jobs run in this process."""

    def __init__(self, arrays):
        self.arrays = arrays

    def spec(self):
        return {}
