"""Figures of paths over contour lines, as in the notes.

``traces`` is a dict label -> (:class:`Trace`, lr or None). Every function here
returns a matplotlib figure; save it with :func:`trainlab.viz.save`.
A diverged path is labelled "(diverged)" and ends in a cross at its last
finite point (pulled onto the edge of the axes when it lies outside them).
"""

from __future__ import annotations

import math

import numpy as np

from trainlab.viz import plt

REFERENCE = "newton"  # drawn black and dashed


def window(function, traces) -> tuple:
    """The function's plotting window, or the box around the paths if it has none."""
    w = getattr(function, "window", None)
    if w is not None:
        return w
    pts = np.concatenate([t.points for t, _ in traces.values()])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = np.maximum(0.1 * (hi - lo), 1e-3)
    return ((lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]))


def hue(i: int, n: int):
    """Ten distinct colours, or twenty when there are more than ten paths."""
    return f"C{i}" if n <= 10 else plt().get_cmap("tab20")(i % 20)


def log_scaled(function) -> bool:
    return (
        bool(getattr(function, "log_scale", False))
        and getattr(function, "min_value", None) is not None
    )


def contour(ax, function, win, n: int = 240) -> None:
    """Contour lines of f over ``win``; of f - min on a log scale if the function asks."""
    from matplotlib.colors import LogNorm

    (x0, x1), (y0, y1) = win
    xx, yy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    with np.errstate(all="ignore"):
        z = np.asarray(function.value(xx, yy), dtype=np.float64)
    z = np.where(np.isfinite(z), z, np.nan)
    if log_scaled(function):
        z = z - function.min_value
        top = np.nanmax(z)
        lo = max(np.nanmin(np.where(z > 0, z, np.nan)), top * 1e-9)
        levels = np.geomspace(lo, top, 24)
        ax.contour(
            xx,
            yy,
            np.clip(z, lo, None),
            levels=levels,
            norm=LogNorm(lo, top),
            cmap="viridis",
            linewidths=0.6,
        )
    else:
        levels = np.linspace(np.nanmin(z), np.nanquantile(z, 0.9), 16)
        ax.contour(xx, yy, z, levels=levels, cmap="viridis", linewidths=0.6)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x")
    ax.set_ylabel("y")


def landmarks(ax, function) -> None:
    """The minima as '+', saddle points as diamonds."""
    for x, y in getattr(function, "minima", ()):
        ax.plot(x, y, "+", color="black", ms=12, mew=2, zorder=5)
    for x, y in getattr(function, "saddles", ()):
        ax.plot(x, y, "d", mfc="none", color="black", ms=8, zorder=5)


def label(name: str, t, lr) -> str:
    text = name if lr is None else f"{name} (lr={lr:.3g})"
    return text + " (diverged)" if t.diverged else text


def cross(ax, x, y, color) -> None:
    """The divergence mark at (x, y), kept inside the axes so that it is seen."""
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    ax.plot(
        min(max(x, x0), x1),
        min(max(y, y0), y1),
        "x",
        color=color,
        ms=11,
        mew=2.5,
        zorder=6,
        clip_on=False,
    )


def draw_path(ax, name, t, lr, color=None):
    """One path as dots and lines; a cross where it diverged. Returns the line."""
    pts = t.points[: t.last + 1]
    style = dict(color="black", ls="--") if name == REFERENCE else dict(color=color, ls="-")
    (line,) = ax.plot(
        pts[:, 0], pts[:, 1], marker="o", ms=2.5, lw=1.2, label=label(name, t, lr), **style
    )
    if t.diverged:
        cross(ax, *pts[-1], line.get_color())
    return line


def paths_figure(function, traces, title: str = ""):
    """All paths in one figure over the contour lines."""
    fig, ax = plt().subplots(figsize=(7.5, 6))
    win = window(function, traces)
    contour(ax, function, win)
    for i, (name, (t, lr)) in enumerate(traces.items()):
        draw_path(ax, name, t, lr, color=hue(i, len(traces)))
    landmarks(ax, function)
    ax.legend(fontsize=8, loc="best")
    ax.set_title(title)
    return fig


def panels_figure(function, traces, title: str = ""):
    """One panel per rule, as the book's 2×2 grid: contours, the path in red, the minimum."""
    n = len(traces)
    cols = max(1, math.ceil(math.sqrt(n)))
    rows = math.ceil(n / cols)
    fig, axes = plt().subplots(rows, cols, figsize=(4.2 * cols, 3.6 * rows), squeeze=False)
    win = window(function, traces)
    for ax, (name, (t, lr)) in zip(axes.flat, traces.items(), strict=False):
        contour(ax, function, win, n=160)
        draw_path(ax, name, t, lr, color="red")
        landmarks(ax, function)
        ax.set_title(label(name, t, lr), fontsize=10)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def values_figure(function, traces, title: str = ""):
    """f against the step; f - min on a log axis when the minimum value is known.

    On the log axis, values over 1000 times the start's are not drawn, so a
    diverging path leaves through the top instead of squashing the others.
    """
    fig, ax = plt().subplots(figsize=(7.5, 4.5))
    log = getattr(function, "min_value", None) is not None
    if log:
        top = 1e3 * max(max(t.values[0] - function.min_value for t, _ in traces.values()), 1e-300)
    marks = []
    for i, (name, (t, lr)) in enumerate(traces.items()):
        v = t.values[: t.last + 1]
        if log:
            v = v - function.min_value
            # an exact hit of the minimum has no log; far above the start is off the axes
            v = np.where((v > 0) & (v <= top), v, np.nan)
        style = (
            dict(color="black", ls="--") if name == REFERENCE else dict(color=hue(i, len(traces)))
        )
        (line,) = ax.plot(np.arange(len(v)), v, lw=1.4, label=label(name, t, lr), **style)
        if t.diverged:
            marks.append(
                (
                    len(v) - 1,
                    t.values[t.last] - (function.min_value if log else 0.0),
                    line.get_color(),
                )
            )
    if log:
        ax.set_yscale("log")
    for x, y, color in marks:
        cross(ax, x, y, color)
    ax.set_xlabel("step")
    ax.set_ylabel("f - min" if log else "f")
    ax.legend(fontsize=8)
    ax.set_title(title)
    return fig
