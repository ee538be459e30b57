"""Small shared plotting helpers (matplotlib, headless, atomic PNG writes)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def plt():
    """matplotlib.pyplot on the non-interactive Agg backend."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as pyplot

    return pyplot


def save(fig, path) -> Path:
    """Save ``fig`` as PNG through a temporary file and a rename, then close it."""
    from trainlab.atomic import write_atomic

    path = Path(path)
    write_atomic(path, lambda fh: fig.savefig(fh, format=path.suffix.lstrip(".") or "png",
                                         dpi=110, bbox_inches="tight"))
    plt().close(fig)
    return path


def smooth(y, window: int = 0) -> np.ndarray:
    """Moving-median smoothing, as the book's ``smooth_curve`` is used for loss plots.

    ``window=0`` picks about 1/50 of the length (at least 1).
    """
    y = np.asarray(y, dtype=np.float64)
    n = y.size
    if n == 0:
        return y
    w = window or max(1, n // 50)
    if w <= 1:
        return y.copy()
    pad = np.pad(y, (w // 2, w - 1 - w // 2), mode="edge")
    win = np.lib.stride_tricks.sliding_window_view(pad, w)
    return np.median(win, axis=1)


def band(ax, x, runs, label=None, color=None, **kw):
    """Plot the mean of ``runs`` (seeds × points) with a ±1 std band."""
    runs = np.atleast_2d(np.asarray(runs, dtype=np.float64))
    mean = np.nanmean(runs, axis=0)
    (line,) = ax.plot(x, mean, label=label, color=color, **kw)
    if runs.shape[0] > 1:
        std = np.nanstd(runs, axis=0)
        ax.fill_between(x, mean - std, mean + std, color=line.get_color(), alpha=0.2, lw=0)
    return line
