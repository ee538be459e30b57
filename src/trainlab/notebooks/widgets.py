"""The notebooks' interactive figures: change a control, the picture redraws.

Each lab holds its controls (ipywidgets) and one :class:`ipywidgets.Image`
that shows the figure as PNG bytes; every change of a control calls
:meth:`redraw`, which recomputes and re-renders in well under a second.
Display a lab by leaving it as the last expression of a cell.

* :class:`LandscapeLab` (here): update rules racing on a 2-D function;
* :class:`~trainlab.notebooks.network_labs.HistogramLab`: the five layers'
  activation histograms for a weight scale;
* :class:`~trainlab.notebooks.network_labs.LossCurveLab`: the training loss for
  a learning rate, and its verdict.
"""

from __future__ import annotations

import io
import time

import numpy as np

from trainlab.notebooks.text import check_lang, say

#: the rules of the notes' landscape figure, in its order
NOTES_RULES = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")


def png(fig, dpi: int = 80) -> bytes:
    """The figure as PNG bytes (the figure stays open for the next redraw)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _pyplot():
    from trainlab.viz import plt

    return plt()


def momentum_option(rule: str) -> str | None:
    """The option that plays momentum's part in ``rule`` (None if it has none)."""
    from trainlab.optim import RULES, options

    opts = options(RULES[rule])
    return (
        "momentum"
        if "momentum" in opts and rule != "sgd"
        else ("beta1" if "beta1" in opts else None)
    )


class _Lab:
    """What the labs share: an Image, a redraw timer and notebook display."""

    def __init__(self, lang: str):
        import ipywidgets as w

        self.lang = check_lang(lang)
        if lang == "ko":
            from trainlab.notebooks.fonts import use_korean_font

            use_korean_font()
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.seconds = 0.0  # how long the last redraw took
        self.redraws = 0
        self._hold = False

    def _changed(self, _change=None):
        if not self._hold:
            self.redraw()

    def draw(self):
        """The lab's figure; each lab draws its own."""
        raise NotImplementedError

    def redraw(self) -> None:
        start = time.perf_counter()
        self.image.value = png(self.draw())
        self.seconds = time.perf_counter() - start
        self.redraws += 1

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


class LandscapeLab(_Lab):
    """Paths of several update rules over one function, and f at every step.

    Controls: the function; per rule a tick box, its lr and (where the rule
    has one) its momentum; the start point; the number of steps.
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
    ):
        import ipywidgets as w

        from trainlab.landscape import FUNCTIONS
        from trainlab.optim import create

        super().__init__(lang)
        names = sorted(k for k in FUNCTIONS if k != "notes")
        self.function_box = w.Dropdown(
            options=names, value=function, description=say("function", lang)
        )
        self.rules = {}
        for rule in rules:
            opt = momentum_option(rule)
            own = getattr(create(rule), opt) if opt else 0.9  # the rule's own default
            row = {
                "on": w.Checkbox(
                    value=True, description=rule, indent=False, layout=w.Layout(width="110px")
                ),
                "lr": w.FloatLogSlider(
                    value=0.1,
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
            self.rules[rule] = row
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
            c.observe(self._changed, names="value")
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
        from trainlab.landscape import get_function

        f = get_function(name)
        self.function = f
        self._hold = True
        try:
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
            table = {**getattr(f, "lrs", {}), **(lrs or {})}
            for rule, r in self.rules.items():
                if rule in table:
                    r["lr"].value = float(table[rule])
        finally:
            self._hold = False
        if self._fig is not None:
            _pyplot().close(self._fig)
        self._fig = None

    def _function_changed(self, change):
        self._set_function(change["new"])
        self.redraw()

    def optimizer(self, rule: str):
        """The update rule as the controls set it."""
        from trainlab.optim import create

        r = self.rules[rule]
        kw = {"lr": r["lr"].value}
        if r["option"] is not None:
            kw[r["option"]] = r["momentum"].value
        return create(rule, **kw)

    def compute(self) -> dict:
        from trainlab.landscape import trace

        start = (self.start_x.value, self.start_y.value)
        self.traces = {
            rule: trace(self.function, self.optimizer(rule), start, self.steps_box.value)
            for rule, r in self.rules.items()
            if r["on"].value
        }
        return self.traces

    def _figure(self):
        from trainlab.landscape.plots import contour, landmarks

        if self._fig is None:
            fig, (ax, axv) = _pyplot().subplots(
                1, 2, figsize=(11, 4.4), gridspec_kw={"width_ratios": [1.25, 1]}
            )
            fig.subplots_adjust(left=0.06, right=0.98, bottom=0.12, top=0.92, wspace=0.18)
            contour(ax, self.function, self.function.window, n=160)
            landmarks(ax, self.function)
            ax.set_title(f"{say('paths', self.lang)}: {self.function.spec}")
            self._fig, self._axes, self._drawn = fig, (ax, axv), []
        return self._fig

    def draw(self):
        from trainlab.landscape.plots import cross, label

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
