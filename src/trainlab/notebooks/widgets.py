"""The notebooks' interactive figures: change a control, the picture redraws.

Display a lab by leaving it as the last expression of a cell. What every lab
shares (its Image, its redraw) is :class:`trainlab.notebooks.labs.Lab`.

* :class:`LandscapeLab` (here): update rules racing on a 2-D function;
* :class:`~trainlab.notebooks.network_labs.HistogramLab`: the five layers'
  activation histograms for a weight scale;
* :class:`~trainlab.notebooks.network_labs.LossCurveLab`: the training loss for
  a learning rate, and its verdict;
* :class:`~trainlab.notebooks.rate_lab.RateLab`: the rate map of lr × momentum;
* :class:`~trainlab.notebooks.diverge_labs.SharpnessLab` and
  :class:`~trainlab.notebooks.diverge_labs.FinderLab`: the edge of stability and
  the learning-rate finder.
"""

from __future__ import annotations

import numpy as np

from trainlab.landscape import FUNCTIONS, get_function, trace
from trainlab.landscape.base import lr_for
from trainlab.landscape.plots import contour, cross, label, landmarks
from trainlab.landscape.rules import options
from trainlab.notebooks.labs import Lab, pyplot
from trainlab.notebooks.text import say
from trainlab.optim import create

#: the rules of the notes' landscape figure, in its order
NOTES_RULES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")


def momentum_option(rule: str) -> str | None:
    """The option that plays momentum's part in ``rule`` (None if it has none)."""
    opts = options(rule)
    return (
        "momentum"
        if "momentum" in opts and rule != "sgd"
        else ("beta1" if "beta1" in opts else None)
    )


class LandscapeLab(Lab):
    """Paths of several update rules over one function, and f at every step.

    Controls: the function; per rule a tick box, its lr and (where the rule
    has one) its momentum; the start point; the number of steps. ``rules`` are
    names of :data:`trainlab.landscape.rules.RULES` (``lbfgs`` too); ``options``
    gives rules other fixed settings, e.g. ``{'lbfgs': {'line_search_fn': 'strong_wolfe'}}``.
    ``traces`` holds the last race: rule -> :class:`trainlab.landscape.Trace`.
    """

    def __init__(
        self,
        function: str = "bowl",
        rules=NOTES_RULES,
        *,
        lang: str = "en",
        start=None,
        steps=None,
        lrs=None,
        options=None,
    ):
        import ipywidgets as w

        super().__init__(lang)
        self.options = {rule: dict((options or {}).get(rule, {})) for rule in rules}
        names = sorted(k for k in FUNCTIONS if k != "notes")
        self.function_box = w.Dropdown(
            options=names, value=function, description=say("function", lang)
        )
        self.rules = {rule: _rule_row(w, rule, lang) for rule in rules}
        self.start_x = w.FloatSlider(
            description=f"{say('start', lang)} x", step=0.1, continuous_update=False
        )
        self.start_y = w.FloatSlider(
            description=f"{say('start', lang)} y", step=0.1, continuous_update=False
        )
        self.steps_box = w.IntSlider(
            min=1, max=300, description=say("steps", lang), continuous_update=False
        )
        self._fig = None
        self.traces: dict = {}
        self._set_function(function, start=start, steps=steps, lrs=lrs)
        for c in self._controls():
            c.observe(self.changed, names="value")
        self.function_box.observe(self._function_changed, names="value")
        rows = [w.HBox([r["on"], r["lr"], r["momentum"]]) for r in self.rules.values()]
        self.widget = w.VBox(
            [
                w.HBox([self.function_box, self.steps_box]),
                w.HBox([self.start_x, self.start_y]),
                *rows,
                self.image,
            ]
        )
        self.redraw()

    def _controls(self):
        yield from (self.start_x, self.start_y, self.steps_box)
        for r in self.rules.values():
            yield from (r["on"], r["lr"], r["momentum"])

    def _set_function(self, name, start=None, steps=None, lrs=None):
        f = get_function(name)
        self.function = f
        with self.holding():
            (x0, x1), (y0, y1) = f.window
            sx, sy = f.start if start is None else start
            self.start_x.min, self.start_x.max = -1e9, 1e9  # widen first, then narrow
            self.start_y.min, self.start_y.max = -1e9, 1e9
            self.start_x.value, self.start_y.value = float(sx), float(sy)
            self.start_x.min, self.start_x.max = float(x0), float(x1)
            self.start_y.min, self.start_y.max = float(y0), float(y1)
            self.start_x.step = self.start_y.step = (x1 - x0) / 200
            n = int(f.steps if steps is None else steps)
            self.steps_box.max = max(300, 2 * n)
            self.steps_box.value = n
            for rule, r in self.rules.items():
                lr = (lrs or {}).get(rule, lr_for(f, rule))
                if lr is not None:
                    r["lr"].value = float(lr)
        if self._fig is not None:
            pyplot().close(self._fig)
        self._fig = None

    def _function_changed(self, change):
        self._set_function(change["new"])
        self.redraw()

    def optimizer(self, rule: str):
        """The update rule as the controls set it."""
        r = self.rules[rule]
        kw = {**self.options[rule], "lr": r["lr"].value}
        if r["option"] is not None:
            kw[r["option"]] = r["momentum"].value
        return create(rule, **kw)

    def compute(self) -> dict:
        start = (self.start_x.value, self.start_y.value)
        self.traces = {
            rule: trace(self.function, self.optimizer(rule), start, self.steps_box.value)
            for rule, r in self.rules.items()
            if r["on"].value
        }
        return self.traces

    def _figure(self):
        if self._fig is None:
            fig, (ax, axv) = pyplot().subplots(
                1, 2, figsize=(11, 4.4), gridspec_kw={"width_ratios": [1.25, 1]}
            )
            fig.subplots_adjust(left=0.06, right=0.98, bottom=0.12, top=0.92, wspace=0.18)
            contour(ax, self.function, self.function.window, n=160)
            landmarks(ax, self.function)
            ax.set_title(f"{say('paths', self.lang)}: {self.function.spec}")
            self._fig, self._axes, self._drawn = fig, (ax, axv), []
        return self._fig

    def draw(self):
        traces = self.compute()
        fig = self._figure()
        ax, axv = self._axes
        for artist in self._drawn:
            artist.remove()
        self._drawn = []
        axv.clear()
        low = getattr(self.function, "min_value", None)
        for i, (rule, t) in enumerate(traces.items()):
            color = f"C{i}"
            lr = self.rules[rule]["lr"].value
            pts = t.points[: t.last + 1]
            (line,) = ax.plot(
                pts[:, 0], pts[:, 1], "o-", ms=2.5, lw=1.2, color=color, label=label(rule, t, lr)
            )
            self._drawn.append(line)
            if t.diverged:
                cross(ax, *pts[-1], color)
                self._drawn.append(ax.lines[-1])
            v = t.values[: t.last + 1] - (low or 0.0)
            axv.plot(
                np.arange(len(v)),
                np.where(v > 0, v, np.nan) if low is not None else v,
                color=color,
                lw=1.4,
            )
        if traces:
            self._drawn.append(ax.legend(fontsize=8, loc="upper right"))
        if low is not None:
            axv.set_yscale("log")
        axv.set(
            xlabel=say("step", self.lang),
            ylabel="f - min" if low is not None else "f",
            title=say("value per step", self.lang),
        )
        return fig  # fixed margins: a layout pass per redraw would double its time


def _rule_row(w, rule: str, lang: str) -> dict:
    """A rule's controls: its tick box, its lr and (where it has one) its momentum."""
    opt, rule_default = momentum_option(rule), create(rule)
    own = getattr(rule_default, opt) if opt else 0.9  # the rule's own default
    return {
        "on": w.Checkbox(
            value=True, description=rule, indent=False, layout=w.Layout(width="110px")
        ),
        "lr": w.FloatLogSlider(
            value=min(max(rule_default.lr, 1e-4), 10.0),  # until a function's table sets it
            min=-4,
            max=1,
            step=0.05,
            description=say("lr", lang),
            readout_format=".3g",
            continuous_update=False,
        ),
        "momentum": w.FloatSlider(
            value=own,
            min=0.0,
            max=0.999,
            step=0.001,
            description="β1" if opt == "beta1" else say("momentum", lang),
            readout_format=".3g",
            disabled=opt is None,
            continuous_update=False,
        ),
        "option": opt,
    }
