"""The quadratic's rate lab: eigen-directions, predicted and measured contraction,
and a clickable learning rate × momentum map of the rate.

The map is a grid of buttons, each coloured by the rate that its (lr, momentum)
pair gives (:func:`trainlab.theory.rate`; red: it diverges). A click on a cell
sets the two sliders to that pair and draws its path.
"""

from __future__ import annotations

import numpy as np

from trainlab import theory
from trainlab.errors import ConfigError
from trainlab.landscape import get_function
from trainlab.landscape.plots import contour
from trainlab.landscape.rates import contraction, eigen
from trainlab.notebooks.labs import Lab, pyplot
from trainlab.notebooks.text import say

DIVERGES = "#d62728"


def cell_colour(rate: float) -> str:
    """Viridis from rate 0 (purple) to 1 (yellow); red from 1 on (diverges)."""
    if not rate < 1:
        return DIVERGES
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    return to_hex(colormaps["viridis"](rate))


class RateLab(Lab):
    """A rule (gradient descent, Momentum or Nesterov) on a quadratic.

    ``contraction`` holds the last :class:`~trainlab.landscape.rates.Contraction`;
    ``cells[i][j]`` is the map's button for ``momenta[i]`` and ``lrs[j]``.
    """

    def __init__(
        self,
        function: str = "bowl",
        rule: str = "momentum",
        *,
        lang: str = "en",
        lr=None,
        momentum=None,
        steps: int = 150,
        columns: int = 16,
        rows: int = 10,
    ):
        import ipywidgets as w

        super().__init__(lang)
        self.eigenvalues = eigen(function)[0]
        if rule not in theory.RULES:
            raise ConfigError(
                f"no exact rate for {rule!r}; choose one of {', '.join(theory.RULES)}"
            )
        self.function, self.rule = function, rule
        best = theory.optimal(self.eigenvalues, rule)
        top = theory.max_lr(self.eigenvalues, "momentum", 0.95)
        self.lrs = np.geomspace(top / 300, top, columns)
        self.momenta = np.linspace(0.0, 0.95, rows) if rule != "sgd" else np.zeros(1)
        self.lr = w.FloatLogSlider(
            value=best.lr if lr is None else lr,
            min=float(np.log10(self.lrs[0])),
            max=float(np.log10(self.lrs[-1])),
            step=0.01,
            description=say("lr", lang),
            readout_format=".3g",
            continuous_update=False,
        )
        self.momentum = w.FloatSlider(
            value=best.momentum if momentum is None else momentum,
            min=0.0,
            max=0.99,
            step=0.01,
            description=say("momentum", lang),
            disabled=rule == "sgd",
            continuous_update=False,
        )
        self.steps = w.IntSlider(
            value=steps, min=10, max=1000, description=say("steps", lang), continuous_update=False
        )
        for c in (self.lr, self.momentum, self.steps):
            c.observe(self.changed, names="value")
        self.cells = [[self._cell(w, lr_, m) for lr_ in self.lrs] for m in self.momenta]
        grid = w.VBox([w.HBox(row) for row in reversed(self.cells)])
        caption = w.HTML(say("rate map caption", lang))
        self._fig, self.contraction = None, None
        controls = w.VBox([self.lr, self.momentum, self.steps, caption, grid])
        self.widget = w.VBox([controls, self.image])
        self.redraw()

    def _cell(self, w, lr: float, momentum: float):
        r = theory.rate(self.eigenvalues, self.rule, lr, momentum)
        button = w.Button(
            tooltip=f"lr {lr:.3g}, momentum {momentum:.2f}: rate {r:.3f}",
            layout=w.Layout(width="26px", height="20px", padding="0", margin="0"),
        )
        button.style.button_color = cell_colour(r)
        button.on_click(lambda _b: self.choose(lr, momentum))
        return button

    def choose(self, lr: float, momentum: float) -> None:
        """Set both sliders (one redraw), as a click on the map does."""
        with self.holding():
            self.lr.value = float(lr)
            self.momentum.value = float(momentum)
        self.redraw()

    def compute(self):
        m = self.momentum.value if self.rule != "sgd" else 0.0
        self.contraction = contraction(
            self.function, self.rule, self.lr.value, m, steps=self.steps.value
        )
        return self.contraction

    def draw(self):
        c = self.compute()
        plt = pyplot()
        if self._fig is not None:
            plt.close(self._fig)
        fig, (ax, axr) = plt.subplots(1, 2, figsize=(11, 4.2), width_ratios=(1.4, 1))
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.14, top=0.9, wspace=0.22)
        f = get_function(self.function)
        win = np.array(f.window)
        contour(ax, f, win, n=120)
        span = 0.45 * (win[:, 1] - win[:, 0]).min()
        for i, lam in enumerate(c.eigenvalues):
            d = c.directions[:, i] * span
            ax.annotate(
                "",
                c.minimum + d,
                c.minimum - d,
                arrowprops={"arrowstyle": "<->", "color": f"C{i + 1}", "lw": 1.5},
            )
            ax.text(*(c.minimum + d), f" λ={lam:.3g}", color=f"C{i + 1}", fontsize=9)
        pts = c.trace.points[: c.trace.last + 1]
        ax.plot(pts[:, 0], pts[:, 1], "o-", ms=2, lw=1, color="k")
        ax.set(xlim=win[0], ylim=win[1], title=say("eigen-directions and path", self.lang))
        x = np.arange(len(c.eigenvalues))
        axr.bar(x - 0.2, c.predicted, 0.4, label=say("predicted", self.lang), color="0.6")
        axr.bar(x + 0.2, np.nan_to_num(c.measured), 0.4, label=say("measured", self.lang))
        axr.axhline(1.0, color=DIVERGES, lw=1, ls="--")
        axr.set_xticks(x, [f"λ={lam:.3g}" for lam in c.eigenvalues])
        axr.set(ylim=(0, max(1.2, float(np.nanmax(c.predicted)) * 1.05)))
        axr.set(ylabel=say("contraction per step", self.lang), title=self._title(c))
        axr.legend(fontsize=8, loc="lower right")
        self._fig = fig
        return fig

    def _title(self, c) -> str:
        worst = float(np.max(c.predicted))
        m = self.momentum.value if self.rule != "sgd" else 0.0
        head = f"{self.rule}, lr {self.lr.value:.3g}, {say('momentum', self.lang)} {m:.2f}"
        if worst >= 1:
            return f"{head}: {say('diverged', self.lang)}"
        return f"{head}: {worst:.3f}"
