"""Small shared plotting helpers (matplotlib figures on their own Agg canvas, atomic PNG
writes; the session's backend is left alone)."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import numpy as np

from trainlab.atomic import write_atomic


class _Figures:
    """What trainlab draws with: pyplot's ``subplots``, ``figure``, ``close`` and
    ``get_cmap``, on figures of its own with an Agg canvas. They never touch
    the session's backend nor pyplot's list of open figures, so a notebook's
    own ``plt.show()`` draws on as before, whatever trainlab drew in between."""

    @staticmethod
    def figure(**kw):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(**kw)
        FigureCanvasAgg(fig)
        return fig

    def subplots(self, nrows: int = 1, ncols: int = 1, **kw):
        """``(fig, axes)`` as ``pyplot.subplots`` gives them."""
        fig_kw = {k: kw.pop(k) for k in ("figsize", "dpi", "layout", "facecolor") if k in kw}
        fig = self.figure(**fig_kw)
        return fig, fig.subplots(nrows, ncols, **kw)

    @staticmethod
    def close(fig) -> None:
        """Nothing to do: pyplot never held the figure (kept for pyplot's spelling)."""

    @staticmethod
    def get_cmap(name: str):
        import matplotlib

        return matplotlib.colormaps[name]


def plt() -> _Figures:
    """pyplot's way of making figures, without pyplot: see :class:`_Figures`."""
    return _Figures()


@contextlib.contextmanager
def file_defaults():
    """matplotlib's settings as a fresh process reads them, for the block: a run
    folder's figures then depend on its files alone, not on what this session
    changed (a notebook's Korean font, a style), whichever process draws them."""
    import matplotlib

    with matplotlib.rc_context():
        matplotlib.rc_file_defaults()
        yield


#: what :func:`save` wraps each write in (see :func:`saving_with`)
SavingHook = Callable[[object], AbstractContextManager]
_saving: contextvars.ContextVar[SavingHook | None] = contextvars.ContextVar(
    "trainlab_saving", default=None
)


@contextlib.contextmanager
def saving_with(hook: SavingHook) -> Iterator[None]:
    """For the block, :func:`save` writes each figure inside ``hook(fig)``, a
    context manager that may change the figure's texts and fonts before it is
    drawn (the Korean report's figures: :mod:`trainlab.report.korean_figures`)."""
    token = _saving.set(hook)
    try:
        yield
    finally:
        _saving.reset(token)


def save(fig, path, *, tight: bool = True) -> Path:
    """Save ``fig`` as PNG through a temporary file and a rename, then close it.

    ``tight`` crops the PNG to what is drawn (one more drawing pass); a figure
    laid out by hand, everything inside its canvas, passes ``tight=False``."""
    path = Path(path)
    hook = _saving.get()
    with hook(fig) if hook else contextlib.nullcontext():
        write_atomic(
            path,
            lambda fh: fig.savefig(
                fh,
                format=path.suffix.lstrip(".") or "png",
                dpi=110,
                bbox_inches="tight" if tight else None,
            ),
        )
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


def by_hand(
    fig,
    title: str | None,
    *,
    left: float,
    right: float,
    top: float,
    bottom: float,
    wspace: float = 0.2,
    hspace: float = 0.2,
) -> None:
    """Margins in inches from the canvas's edges, instead of ``tight_layout``:
    the figure is then drawn once, when saved with ``save(..., tight=False)``,
    not three times (tight_layout and the crop each draw it). ``title`` goes
    on the top edge; :func:`caption` with ``inside=True`` on the bottom one."""
    w, h = fig.get_size_inches()
    fig.subplots_adjust(
        left=left / w,
        right=1 - right / w,
        top=1 - top / h,
        bottom=bottom / h,
        wspace=wspace,
        hspace=hspace,
    )
    if title:
        fig.suptitle(title, y=1 - 0.08 / h, va="top")


def caption(fig, text: str, *, top=None, inside: bool = False) -> None:
    """One line under the figure saying what to see; call after ``tight_layout``
    (the line goes below the axes, ``bbox_inches="tight"`` keeps it in the PNG),
    or with ``inside=True`` on the canvas's bottom edge, for a figure laid out by
    hand with room left there."""
    fig.text(
        0.5,
        0.012 if inside else -0.01,
        text,
        ha="center",
        va="bottom" if inside else "top",
        fontsize=9.5,
        style="italic",
        color="#333",
    )
    if top:
        fig.suptitle(top)


def hist_cut(ax, counts, edges, cap: float, total: float, color="C0") -> None:
    """Histogram bars on a fixed y-range ``(0, cap)``, as the book's ``ylim``:
    a bar taller than ``cap`` is cut at the top and labelled with its share of
    all ``total`` values, so no single spike rescales the panel."""
    counts = np.asarray(counts, dtype=np.float64)
    edges = np.asarray(edges, dtype=np.float64)
    # one filled outline, not a rectangle per bin: the same picture, drawn in a third less time
    ax.stairs(np.minimum(counts, cap), edges, fill=True, color=color, lw=0)
    over = counts > cap
    starts = np.flatnonzero(over & ~np.concatenate(([False], over[:-1])))
    for i in starts:  # one label per run of adjacent cut bars
        j = i
        while j + 1 < counts.size and over[j + 1]:
            j += 1
        x = 0.5 * (edges[i] + edges[j + 1])
        left = x < edges[0] + 0.5 * (edges[-1] - edges[0])
        ax.annotate(
            f"{counts[i : j + 1].sum() / total:.0%}",
            (x, cap),
            xytext=(3 if left else -3, -2),
            textcoords="offset points",
            ha="left" if left else "right",
            va="top",
            fontsize=7.5,
            color="#b00",
            fontweight="bold",
        )
        ax.plot([edges[i], edges[j + 1]], [cap, cap], color="#b00", lw=2.5, clip_on=False)
    ax.set_ylim(0, cap)
