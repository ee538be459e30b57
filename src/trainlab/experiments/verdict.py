"""Read a loss curve the way the lecture's closing figure does.

The rules live in :mod:`trainlab.train.curve` (the training doctor reads
``trainlab train`` runs with the same ones); this module names them for the
experiments: :func:`classify` gives ``diverging``, ``spiking``, ``plateau``,
``slow`` or ``healthy``, and :data:`ADVICE` the lecture's advice for each.
"""

from __future__ import annotations

from trainlab.train.curve import ADVICE, classify, early_share

__all__ = ["ADVICE", "classify", "early_share", "verdict"]


def verdict(losses, **kw) -> tuple[str, str]:
    """``(kind, advice)`` for a loss curve, e.g. ``("slow", "raise the lr")``."""
    kind = classify(losses, **kw)
    return kind, ADVICE[kind]
