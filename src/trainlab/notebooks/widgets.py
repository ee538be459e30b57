"""The notebooks' interactive figures: change a control, the picture redraws.

Each lab holds its controls (ipywidgets) and one :class:`ipywidgets.Image`
that shows the figure as PNG bytes; every change of a control calls
:meth:`redraw`, which recomputes and re-renders in well under a second.
Display a lab by leaving it as the last expression of a cell.

* :class:`LandscapeLab`: update rules racing on a 2-D function;
* :class:`HistogramLab`: the five layers' activation histograms for a weight scale;
* :class:`LossCurveLab`: the training loss for a learning rate, and its verdict.
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
    return "momentum" if "momentum" in opts and rule != "sgd" else (
        "beta1" if "beta1" in opts else None)


class _Lab:
    """What the labs share: an Image, a redraw timer and notebook display."""

    def __init__(self, lang: str):
        import ipywidgets as w

        self.lang = check_lang(lang)
        if lang == "ko":
            from trainlab.notebooks.fonts import use_korean_font
            use_korean_font()
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.seconds = 0.0     # how long the last redraw took
        self.redraws = 0
        self._hold = False

    def _changed(self, _change=None):
        if not self._hold:
            self.redraw()

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

    def __init__(self, function: str = "bowl", rules=NOTES_RULES, *, lang: str = "en",
                 start=None, steps=None, lrs=None):
        import ipywidgets as w

        from trainlab.landscape import FUNCTIONS
        from trainlab.optim import create

        super().__init__(lang)
        names = sorted(k for k in FUNCTIONS if k != "notes")
        self.function_box = w.Dropdown(options=names, value=function,
                                       description=say("function", lang))
        self.rules = {}
        for rule in rules:
            opt = momentum_option(rule)
            own = getattr(create(rule), opt) if opt else 0.9   # the rule's own default
            row = {"on": w.Checkbox(value=True, description=rule, indent=False,
                                    layout=w.Layout(width="110px")),
                   "lr": w.FloatLogSlider(value=0.1, min=-4, max=1, step=0.05,
                                          description=say("lr", lang), readout_format=".3g",
                                          continuous_update=False),
                   "momentum": w.FloatSlider(value=own, min=0.0, max=0.999, step=0.001,
                                             description="β1" if opt == "beta1" else
                                             say("momentum", lang), readout_format=".3g",
                                             disabled=opt is None, continuous_update=False),
                   "option": opt}
            self.rules[rule] = row
        self.start_x = w.FloatSlider(description=f"{say('start', lang)} x", step=0.1,
                                     continuous_update=False)
        self.start_y = w.FloatSlider(description=f"{say('start', lang)} y", step=0.1,
                                     continuous_update=False)
        self.steps_box = w.IntSlider(min=1, max=300, description=say("steps", lang),
                                     continuous_update=False)
        self._fig = None
        self.traces = {}
        self._set_function(function, start=start, steps=steps, lrs=lrs)
        for c in self._controls():
            c.observe(self._changed, names="value")
        self.function_box.observe(self._function_changed, names="value")
        rows = [w.HBox([r["on"], r["lr"], r["momentum"]]) for r in self.rules.values()]
        self.widget = w.VBox([w.HBox([self.function_box, self.steps_box]),
                              w.HBox([self.start_x, self.start_y]), *rows, self.image])
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
        self.traces = {rule: trace(self.function, self.optimizer(rule), start,
                                   self.steps_box.value)
                       for rule, r in self.rules.items() if r["on"].value}
        return self.traces

    def _figure(self):
        from trainlab.landscape.plots import contour, landmarks

        if self._fig is None:
            fig, (ax, axv) = _pyplot().subplots(1, 2, figsize=(11, 4.4),
                                                gridspec_kw={"width_ratios": [1.25, 1]})
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
            pts = t.points[:t.last + 1]
            (line,) = ax.plot(pts[:, 0], pts[:, 1], "o-", ms=2.5, lw=1.2, color=color,
                              label=label(rule, t, lr))
            self._drawn.append(line)
            if t.diverged:
                cross(ax, *pts[-1], color)
                self._drawn.append(ax.lines[-1])
            v = t.values[:t.last + 1] - (low or 0.0)
            axv.plot(np.arange(len(v)), np.where(v > 0, v, np.nan) if low is not None else v,
                     color=color, lw=1.4)
        if traces:
            self._drawn.append(ax.legend(fontsize=8, loc="upper right"))
        if low is not None:
            axv.set_yscale("log")
        axv.set(xlabel=say("step", self.lang), ylabel="f - min" if low is not None else "f",
                title=say("value per step", self.lang))
        return fig  # fixed margins: a layout pass per redraw would double its time


class HistogramLab(_Lab):
    """The notes' 5-layer, 100-unit stack fed ``randn(1000, 100)``: one histogram
    per layer for the chosen weight scale and activation.

    The same input and the same standard-normal weight draws are scaled for
    every choice, so only the scale and the activation change the picture.
    ``layers`` holds the last activations (five arrays).
    """

    SCALES = (("std 1", "1"), ("std 0.01", "0.01"), ("Xavier", "xavier"), ("He", "he"))

    def __init__(self, scale: str = "1", activation: str = "sigmoid", *, lang: str = "en",
                 rng=None, samples: int = 1000, nodes: int = 100, layers: int = 5):
        import ipywidgets as w

        super().__init__(lang)
        rng = np.random.default_rng(0) if rng is None else rng
        self.x = rng.standard_normal((samples, nodes))
        self.standard_normals = [rng.standard_normal((nodes, nodes)) for _ in range(layers)]
        self.scale_box = w.ToggleButtons(options=self.SCALES, value=scale,
                                         description=say("weights", lang))
        self.activation_box = w.ToggleButtons(options=["sigmoid", "tanh", "relu"],
                                              value=activation,
                                              description=say("activation", lang))
        for c in (self.scale_box, self.activation_box):
            c.observe(self._changed, names="value")
        self.layers = []
        self._fig = None
        self.widget = w.VBox([self.scale_box, self.activation_box, self.image])
        self.redraw()

    def compute(self) -> list:
        from trainlab.experiments.init_histogram import forward
        from trainlab.nn import weight_std

        spec = self.scale_box.value
        std = weight_std(float(spec) if spec[0].isdigit() else spec, self.x.shape[1])
        self.layers = forward(self.x, [std] * len(self.standard_normals),
                              self.activation_box.value, self.standard_normals)
        return self.layers

    def draw(self):
        layers = self.compute()
        act = self.activation_box.value
        lo, hi = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}.get(
            act, (0.0, max(float(z.max()) for z in layers) or 1.0))
        edges = np.linspace(lo, hi, 31)
        counts = [np.histogram(z, bins=edges)[0] for z in layers]
        if self._fig is None:
            self._fig, self._axes = _pyplot().subplots(1, len(layers), figsize=(11, 2.8),
                                                       sharey=True)
            self._fig.subplots_adjust(left=0.06, right=0.99, bottom=0.1, top=0.8, wspace=0.08)
            self._bars = [ax.stairs(c, edges, fill=True, color="C0")
                          for ax, c in zip(self._axes, counts)]
            for k, ax in enumerate(self._axes):
                ax.set_title(f"{k + 1}{say('-layer', self.lang)}")
        for ax, bars, c in zip(self._axes, self._bars, counts):
            bars.set_data(c, edges)   # one artist per layer: redrawn, not rebuilt
            ax.set_xlim(lo, hi)
        self._axes[0].set_ylim(0, 1.05 * max(int(c.max()) for c in counts))
        label = dict((v, k) for k, v in self.SCALES)[self.scale_box.value]
        self._fig.suptitle(f"{say('activations of each layer', self.lang)}: {act}, {label}")
        return self._fig


class LossCurveLab(_Lab):
    """Train the notes' network on digits for a chosen learning rate and show the
    loss after every epoch with the lecture's verdict on the curve.

    ``curve`` is the last loss curve (the start first), ``kind`` its verdict
    (see :func:`trainlab.experiments.verdict.classify`). Curves are cached, so
    going back to a learning rate redraws at once.
    """

    def __init__(self, lr: float = 0.1, optimizer: str = "sgd", *, lang: str = "en",
                 data=None, epochs: int = 10, train_size: int = 1000, hidden=(50, 50, 50),
                 seed: int = 0):
        import ipywidgets as w

        super().__init__(lang)
        if data is None:
            from trainlab.data import load
            (x, t), _ = load("digits")
        else:
            x, t = data
        self.x, self.t = x[:train_size], t[:train_size]
        self.epochs, self.hidden, self.seed = epochs, tuple(hidden), seed
        self.lr_box = w.FloatLogSlider(value=lr, min=-4, max=1, step=0.25,
                                       description=say("lr", lang), readout_format=".3g",
                                       continuous_update=False)
        self.rule_box = w.Dropdown(options=["sgd", "momentum", "adam"], value=optimizer,
                                   description=say("rule", lang))
        self.verdict_box = w.HTML()
        for c in (self.lr_box, self.rule_box):
            c.observe(self._changed, names="value")
        self._cache = {}
        self._fig = None
        self.widget = w.VBox([w.HBox([self.rule_box, self.lr_box]), self.verdict_box,
                              self.image])
        self.redraw()

    def train(self, rule: str, lr: float) -> list:
        """The loss on the training set before training and after every epoch."""
        from trainlab.errors import DivergenceError
        from trainlab.nn import MultiLayerNet
        from trainlab.optim import create
        from trainlab.train import Data, TrainConfig, Trainer

        key = (rule, round(float(lr), 12))
        if key not in self._cache:
            net = MultiLayerNet(self.x.shape[1], list(self.hidden), int(self.t.max()) + 1,
                                rng=np.random.default_rng(self.seed))
            config = TrainConfig(epochs=self.epochs, mini_batch_size=100,
                                 rng=np.random.default_rng(self.seed + 1), progress=False)
            tr = Trainer(net, Data(self.x, self.t), create(rule, lr=float(lr)), config)
            try:
                curve = list(tr.train()["train_loss_epoch"])
            except DivergenceError:
                curve = list(tr.history["train_loss_epoch"]) + [float("inf")]
            self._cache[key] = curve
        return self._cache[key]

    def compute(self):
        from trainlab.experiments.verdict import verdict

        self.curve = self.train(self.rule_box.value, self.lr_box.value)
        self.kind, self.advice = verdict(self.curve)
        return self.curve

    def draw(self):
        curve = np.array(self.compute(), dtype=float)
        if self._fig is None:
            self._fig, self._ax = _pyplot().subplots(figsize=(7, 3.6))
        ax = self._ax
        ax.clear()
        top = 1.5 * curve[0]
        shown = np.where(np.isfinite(curve), np.minimum(curve, top), top)
        ax.plot(np.arange(len(curve)), shown, "o-", color="C3")
        ax.set(xlabel=say("epoch", self.lang), ylabel=say("training loss", self.lang),
               ylim=(0, top))
        kind = say(self.kind, self.lang)
        text = kind if self.advice == self.kind else f"{kind}: {say(self.advice, self.lang)}"
        ax.set_title(f"{self.rule_box.value}, {say('lr', self.lang)} "
                     f"{self.lr_box.value:.3g} → {text}")
        self.verdict_box.value = f"<b>{say('verdict', self.lang)}</b>: {text}"
        self._fig.tight_layout()
        return self._fig
