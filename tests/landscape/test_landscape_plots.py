"""Figures: a diverged path is labelled and crossed; panels and scales as described."""

import numpy as np

from trainlab.landscape import race
from trainlab.landscape.animate import frame_steps
from trainlab.landscape.plots import panels_figure, paths_figure, values_figure
from trainlab.viz import plt


def crosses(ax):
    return [ln for ln in ax.lines if ln.get_marker() == "x"]


def test_diverged_path_is_labelled_and_crossed_inside_the_axes():
    r = race("bowl", ["sgd", "adam"], lrs={"sgd": 10.0}, steps=150)
    sgd = r.traces["sgd"][0]
    assert sgd.diverged
    fig = paths_figure(r.function, r.traces)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "sgd (lr=10) (diverged)" in labels
    assert "adam (lr=0.3)" in labels and "newton" in labels
    (mark,) = crosses(ax)
    x, y = mark.get_xdata()[0], mark.get_ydata()[0]
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    assert x0 <= x <= x1 and y0 <= y <= y1
    # the last finite point is far above the window: the cross sits on the top edge, at its x
    assert sgd.points[sgd.last, 1] > y1 and y == y1 and x == sgd.points[sgd.last, 0]
    fig2 = values_figure(r.function, r.traces)
    assert fig2.axes[0].get_yscale() == "log" and len(crosses(fig2.axes[0])) == 1
    plt().close(fig)
    plt().close(fig2)


def test_one_panel_per_rule_plus_newton():
    r = race("beale", ["sgd", "momentum", "adagrad", "adam"], steps=10)
    fig = panels_figure(r.function, r.traces)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == [
        "sgd (lr=0.01)",
        "momentum (lr=0.005)",
        "adagrad (lr=1)",
        "adam (lr=0.5)",
        "newton",
    ]
    # each panel's path is the rule's own path
    for ax, (t, _) in zip(visible, r.traces.values(), strict=False):
        line = next(ln for ln in ax.lines if len(ln.get_xdata()) == len(t.points))
        np.testing.assert_array_equal(line.get_xydata(), t.points)
    plt().close(fig)


def test_values_on_a_linear_axis_without_a_known_minimum():
    r = race("saddle", ["sgd"], steps=5)
    fig = values_figure(r.function, r.traces)
    assert fig.axes[0].get_yscale() == "linear"
    plt().close(fig)


def test_frames_are_subsampled_with_both_ends():
    idx = frame_steps(300, 120)
    assert len(idx) <= 120 and idx[0] == 0 and idx[-1] == 300 and np.all(np.diff(idx) > 0)
    np.testing.assert_array_equal(frame_steps(5, 120), np.arange(6))
