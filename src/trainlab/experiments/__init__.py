"""The experiments of the notes, one :class:`Experiment` each, run by name.

``trainlab run NAME`` (or :func:`run`) reruns one and writes its run folder:
``config.json`` (``"kind": NAME``), ``metrics.json`` (with a ``"summary"``)
and its figures, which are drawn from the saved metrics alone.
"""

from trainlab.experiments.batch import run
from trainlab.experiments.experiment import Experiment
from trainlab.experiments.folder import replot
from trainlab.experiments.registry import get, make_config, names

__all__ = ["Experiment", "get", "make_config", "names", "replot", "run"]
