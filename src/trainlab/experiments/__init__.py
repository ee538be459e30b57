"""The experiments of the notes, one module each, run by name.

``trainlab run NAME`` (or :func:`run`) reruns one and writes its run folder:
``config.json`` (``"kind": NAME``), ``metrics.json`` (with a ``"summary"``)
and its figures, which are drawn from the saved metrics alone.
"""

from trainlab.experiments.registry import get, make_config, names, replot, run

__all__ = ["get", "make_config", "names", "replot", "run"]
