"""An animated GIF of every rule moving across the surface together."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from trainlab.errors import ConfigError
from trainlab.landscape.plots import REFERENCE, contour, hue, label, landmarks, window
from trainlab.validate import check_count
from trainlab.viz import plt

#: the most frames an animation is drawn with
MAX_FRAMES = 1000


def check_frames(frames) -> int:
    frames = check_count("frames", frames, minimum=2)
    if frames > MAX_FRAMES:
        raise ConfigError(
            f"frames={frames:,} is more than the {MAX_FRAMES:,} a GIF is drawn "
            "with (each frame is a figure); choose fewer --frames"
        )
    return frames


def frame_steps(steps: int, frames: int) -> np.ndarray:
    """At most ``frames`` step indices from 0 to ``steps``, evenly spread, both ends kept."""
    frames = check_frames(frames)
    return np.unique(np.round(np.linspace(0, steps, min(frames, steps + 1))).astype(int))


def animate(function, traces, path, *, frames: int = 120, fps: int = 12, title: str = "") -> Path:
    """Write a GIF of ``traces`` (label -> (Trace, lr)) to ``path``; returns the path.

    Steps are subsampled to at most ``frames`` frames. Each rule shows its
    trail and a dot at its current point; a diverged rule stops at a cross.
    """
    from matplotlib.animation import FuncAnimation, PillowWriter

    path = Path(path)
    steps = max(len(t.points) for t, _ in traces.values()) - 1
    idx = frame_steps(steps, frames)
    fig, ax = plt().subplots(figsize=(6, 4.8))
    (x0, x1), (y0, y1) = win = window(function, traces)
    contour(ax, function, win, n=160)
    landmarks(ax, function)
    artists = []
    for i, (name, (t, lr)) in enumerate(traces.items()):
        c = "black" if name == REFERENCE else hue(i, len(traces))
        ls = "--" if name == REFERENCE else "-"
        (trail,) = ax.plot([], [], ls, color=c, lw=1.2, label=label(name, t, lr))
        (head,) = ax.plot([], [], "o", color=c, ms=6)
        (cross,) = ax.plot([], [], "x", color=c, ms=11, mew=2.5, clip_on=False)
        artists.append((t, trail, head, cross))
    ax.legend(fontsize=7, loc="upper right")

    def draw(k):
        step = int(idx[k])
        for t, trail, head, cross in artists:
            end = min(step, t.last)
            pts = t.points[: end + 1]
            trail.set_data(pts[:, 0], pts[:, 1])
            head.set_data(pts[-1:, 0], pts[-1:, 1])
            if t.diverged and step >= t.last:  # the cross stays on the window's edge
                cross.set_data([min(max(pts[-1, 0], x0), x1)], [min(max(pts[-1, 1], y0), y1)])
            else:
                cross.set_data([], [])
        ax.set_title(f"{title}  step {step}".strip())
        return [a for _, *arts in artists for a in arts]

    anim = FuncAnimation(fig, draw, frames=len(idx), blit=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix or '.gif'}")
    try:
        anim.save(tmp, writer=PillowWriter(fps=fps), dpi=80)
        os.replace(tmp, path)
    finally:
        plt().close(fig)
        if tmp.exists():
            tmp.unlink()
    return path
