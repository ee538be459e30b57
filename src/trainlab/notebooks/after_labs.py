"""The labs of notebook 11, after the notes: each newer rule beside Adam and
AdamW on a landscape, and a few rules training the notes' network with their
own typical learning rates (the line of rules by year: :mod:`.rule_line`).

* :class:`RivalsLab`: one panel per rule, each with Adam's and AdamW's paths, shared axes;
* :class:`NetworkRulesLab`: the notes' network on digits, the chosen rules side
  by side, one AdamW learning rate times each rule's ``lr_vs_adamw`` (measured
  by the benchmark on its problems, the notes' network on digits among them) or
  not.
"""

from __future__ import annotations

import numpy as np

from trainlab.data import load
from trainlab.landscape import FUNCTIONS, get_function, trace
from trainlab.landscape.base import lr_for
from trainlab.landscape.plots import contour, cross, landmarks
from trainlab.notebooks.labs import Lab, pyplot
from trainlab.notebooks.network_labs import loss_curve
from trainlab.notebooks.rule_line import BASELINE, newer_rules
from trainlab.notebooks.text import say
from trainlab.optim import RULES, create


def landscape_rule(f, rule: str):
    """``rule`` at its default lr on the function ``f`` (its own where ``f`` has none)."""
    lr = lr_for(f, rule)
    return create(rule) if lr is None else create(rule, lr=lr)


class RivalsLab(Lab):
    """Each newer rule on one function, in its own panel beside Adam and AdamW.

    Controls: the function and the number of steps. Every panel shares the
    axes; every rule runs at its default lr for the function
    (:func:`trainlab.landscape.base.lr_for`). ``traces`` holds the last paths:
    rule -> :class:`trainlab.landscape.Trace`.
    """

    def __init__(self, function: str = "rosenbrock", rules=None, *, lang: str = "en"):
        import ipywidgets as w

        super().__init__(lang)
        self.rules = list(newer_rules() if rules is None else rules)
        names = sorted(k for k in FUNCTIONS if k != "notes")
        self.function_box = w.Dropdown(
            options=names, value=function, description=say("function", lang)
        )
        self.steps_box = w.IntSlider(
            value=get_function(function).steps,
            min=1,
            max=1000,
            description=say("steps", lang),
            continuous_update=False,
        )
        self.function_box.observe(self._function_changed, names="value")
        self.steps_box.observe(self.changed, names="value")
        self.traces: dict = {}
        self._fig = None
        self.widget = w.VBox([w.HBox([self.function_box, self.steps_box]), self.image])
        self.redraw()

    def _function_changed(self, change):
        with self.holding():
            self.steps_box.value = get_function(change["new"]).steps
        self.redraw()

    def compute(self) -> dict:
        f = get_function(self.function_box.value)
        self.function = f
        self.traces = {
            rule: trace(f, landscape_rule(f, rule), f.start, self.steps_box.value)
            for rule in (*BASELINE, *self.rules)
        }
        return self.traces

    def draw(self):
        traces = self.compute()
        f, n = self.function, len(self.rules)
        cols = min(n, 4)
        rows = -(-n // cols)
        fig, axes = pyplot().subplots(
            rows, cols, figsize=(3.1 * cols, 2.6 * rows + 0.6), sharex=True, sharey=True
        )
        axes = np.atleast_1d(axes).ravel()
        fig.subplots_adjust(left=0.05, right=0.99, bottom=0.04, top=1 - 0.7 / (2.6 * rows + 0.6))
        for ax, rule in zip(axes, self.rules, strict=False):
            contour(ax, f, f.window, n=60)
            landmarks(ax, f)
            for name, color, ls in (
                ("adam", "0.6", "-"),
                ("adamw", "0.2", "--"),
                (rule, "C3", "-"),
            ):
                t = traces[name]
                pts = t.points[: t.last + 1]
                ax.plot(pts[:, 0], pts[:, 1], ls, color=color, lw=1.3)
                if t.diverged:
                    cross(ax, *pts[-1], color)
            ax.set(xlabel="", ylabel="")
            ax.set_title(f"{rule} (lr {landscape_rule(f, rule).lr:.3g})", fontsize=9, color="C3")
        for ax in axes[n:]:
            ax.set_visible(False)
        fig.suptitle(f"{say('paths', self.lang)}: {f.spec} ({say('rivals key', self.lang)})")
        if self._fig is not None:
            pyplot().close(self._fig)
        self._fig = fig
        return fig  # fixed margins: a layout pass per redraw would double its time


class NetworkRulesLab(Lab):
    """The notes' network trained on digits by the chosen rules, side by side.

    Controls: the rules; AdamW's learning rate; whether each rule takes it
    times its ``lr_vs_adamw`` (:attr:`SCALES`).
    ``curves`` holds the last run: rule -> (lr, training loss per epoch, the
    start first; ``inf`` once it diverged). Curves are cached.
    """

    #: the factors on AdamW's lr: the rule's typical lr relative to AdamW's, none
    SCALES = {"rule": "lr_vs_adamw", "none": "AdamW's lr"}

    def __init__(
        self,
        rules=("adamw", "lion", "lamb"),
        lr: float = 0.01,
        *,
        lang: str = "en",
        epochs: int = 10,
        train_size: int = 1000,
        hidden=(50, 50, 50),
        seed: int = 0,
    ):
        import ipywidgets as w

        super().__init__(lang)
        (x, t), _ = load("digits")
        self.x, self.t = x[:train_size], t[:train_size]
        self.epochs, self.hidden, self.seed = epochs, tuple(hidden), seed
        self.rules_box = w.SelectMultiple(
            options=list(RULES), value=tuple(rules), rows=8, description=say("rules", lang)
        )
        self.lr_box = w.FloatLogSlider(
            value=lr,
            min=-5,
            max=0,
            step=0.25,
            description=say("AdamW lr", lang),
            readout_format=".3g",
            continuous_update=False,
        )
        self.scale_box = w.Dropdown(
            options=[(say(label, lang), key) for key, label in self.SCALES.items()],
            value="rule",
            description=say("factor", lang),
        )
        for c in (self.rules_box, self.lr_box, self.scale_box):
            c.observe(self.changed, names="value")
        self._cache: dict = {}
        self._fig = None
        self.curves: dict = {}
        controls = w.VBox([self.lr_box, self.scale_box])
        self.widget = w.VBox([w.HBox([self.rules_box, controls]), self.image])
        self.redraw()

    def lr(self, rule: str) -> float:
        """``rule``'s learning rate as the controls set it."""
        scale = RULES[rule].lr_vs_adamw if self.scale_box.value == "rule" else 1.0
        return float(self.lr_box.value) * scale

    def train(self, rule: str, lr: float) -> list:
        """The training loss before training and after every epoch."""
        key = (rule, round(lr, 12))
        if key not in self._cache:
            self._cache[key] = loss_curve(
                self.x, self.t, self.hidden, self.epochs, self.seed, rule, lr
            )
        return self._cache[key]

    def compute(self) -> dict:
        self.curves = {r: (self.lr(r), self.train(r, self.lr(r))) for r in self.rules_box.value}
        return self.curves

    def draw(self):
        curves = self.compute()
        if self._fig is None:
            self._fig, self._ax = pyplot().subplots(figsize=(7.5, 3.8))
        ax = self._ax
        ax.clear()
        top = 2.5
        for i, (rule, (lr, curve)) in enumerate(curves.items()):
            c = np.asarray(curve, dtype=float)
            shown = np.where(np.isfinite(c), np.minimum(c, top), top)
            ax.plot(
                np.arange(len(c)), shown, "o-", ms=3, color=f"C{i}", label=f"{rule} (lr {lr:.3g})"
            )
        ax.set(
            xlabel=say("epoch", self.lang), ylabel=say("training loss", self.lang), ylim=(0, top)
        )
        ax.set_yscale("symlog", linthresh=0.1)
        if curves:
            ax.legend(fontsize=8)
        self._fig.tight_layout()
        return self._fig
