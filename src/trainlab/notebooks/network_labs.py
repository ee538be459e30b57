"""The labs that run a network: activation histograms and a loss curve.

Both redraw when a control moves, like :class:`~trainlab.notebooks.widgets.LandscapeLab`.
"""

from __future__ import annotations

import numpy as np
from numpy.random import default_rng

from trainlab.data import load
from trainlab.errors import DivergenceError
from trainlab.experiments.init_histogram import forward
from trainlab.experiments.verdict import verdict
from trainlab.nn import weight_std
from trainlab.notebooks.labs import Lab, pyplot
from trainlab.notebooks.text import say
from trainlab.train import Data
from trainlab.train.build import Extras, Given, Streams, build
from trainlab.train.spec import NetworkSpec, OptimizerSpec, OutputSpec, RunSpec, TrainingSpec


class HistogramLab(Lab):
    """The notes' 5-layer, 100-unit stack fed ``randn(1000, 100)``: one histogram
    per layer for the chosen weight scale and activation.

    The same input and the same standard-normal weight draws are scaled for
    every choice, so only the scale and the activation change the picture.
    ``layers`` holds the last activations (five arrays).
    """

    SCALES = (("std 1", "1"), ("std 0.01", "0.01"), ("Xavier", "xavier"), ("He", "he"))

    def __init__(
        self,
        scale: str = "1",
        activation: str = "sigmoid",
        *,
        lang: str = "en",
        rng=None,
        samples: int = 1000,
        nodes: int = 100,
        layers: int = 5,
    ):
        import ipywidgets as w

        super().__init__(lang)
        rng = np.random.default_rng(0) if rng is None else rng
        self.x = rng.standard_normal((samples, nodes))
        self.standard_normals = [rng.standard_normal((nodes, nodes)) for _ in range(layers)]
        self.scale_box = w.ToggleButtons(
            options=self.SCALES, value=scale, description=say("weights", lang)
        )
        self.activation_box = w.ToggleButtons(
            options=["sigmoid", "tanh", "relu"],
            value=activation,
            description=say("activation", lang),
        )
        for c in (self.scale_box, self.activation_box):
            c.observe(self.changed, names="value")
        self.layers: list = []
        self._fig = None
        self.widget = w.VBox([self.scale_box, self.activation_box, self.image])
        self.redraw()

    def compute(self) -> list:
        spec = self.scale_box.value
        std = weight_std(float(spec) if spec[0].isdigit() else spec, self.x.shape[1])
        self.layers = forward(
            self.x,
            [std] * len(self.standard_normals),
            self.activation_box.value,
            self.standard_normals,
        )
        return self.layers

    def draw(self):
        layers = self.compute()
        act = self.activation_box.value
        lo, hi = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}.get(
            act, (0.0, max(float(z.max()) for z in layers) or 1.0)
        )
        edges = np.linspace(lo, hi, 31)
        counts = [np.histogram(z, bins=edges)[0] for z in layers]
        if self._fig is None:
            self._fig, self._axes = pyplot().subplots(
                1, len(layers), figsize=(11, 2.8), sharey=True
            )
            self._fig.subplots_adjust(left=0.06, right=0.99, bottom=0.1, top=0.8, wspace=0.08)
            self._bars = [
                ax.stairs(c, edges, fill=True, color="C0")
                for ax, c in zip(self._axes, counts, strict=False)
            ]
            for k, ax in enumerate(self._axes):
                ax.set_title(f"{k + 1}{say('-layer', self.lang)}")
        for ax, bars, c in zip(self._axes, self._bars, counts, strict=False):
            bars.set_data(c, edges)  # one artist per layer: redrawn, not rebuilt
            ax.set_xlim(lo, hi)
        self._axes[0].set_ylim(0, 1.05 * max(int(c.max()) for c in counts))
        label = dict((v, k) for k, v in self.SCALES)[self.scale_box.value]
        self._fig.suptitle(f"{say('activations of each layer', self.lang)}: {act}, {label}")
        return self._fig


class LossCurveLab(Lab):
    """Train the notes' network on digits for a chosen learning rate and show the
    loss after every epoch with the lecture's verdict on the curve.

    ``curve`` is the last loss curve (the start first), ``kind`` its verdict
    (see :func:`trainlab.experiments.verdict.classify`). Curves are cached, so
    going back to a learning rate redraws at once.
    """

    def __init__(
        self,
        lr: float = 0.1,
        optimizer: str = "sgd",
        *,
        lang: str = "en",
        data=None,
        epochs: int = 10,
        train_size: int = 1000,
        hidden=(50, 50, 50),
        seed: int = 0,
    ):
        import ipywidgets as w

        super().__init__(lang)
        if data is None:
            (x, t), _ = load("digits")
        else:
            x, t = data
        self.x, self.t = x[:train_size], t[:train_size]
        self.epochs, self.hidden, self.seed = epochs, tuple(hidden), seed
        self.lr_box = w.FloatLogSlider(
            value=lr,
            min=-4,
            max=1,
            step=0.25,
            description=say("lr", lang),
            readout_format=".3g",
            continuous_update=False,
        )
        self.rule_box = w.Dropdown(
            options=["sgd", "momentum", "adam"], value=optimizer, description=say("rule", lang)
        )
        self.verdict_box = w.HTML()
        for c in (self.lr_box, self.rule_box):
            c.observe(self.changed, names="value")
        self._cache: dict = {}
        self._fig = None
        self.widget = w.VBox([w.HBox([self.rule_box, self.lr_box]), self.verdict_box, self.image])
        self.redraw()

    def train(self, rule: str, lr: float) -> list:
        """The loss on the training set before training and after every epoch."""
        key = (rule, round(float(lr), 12))
        if key not in self._cache:
            curve = loss_curve(self.x, self.t, self.hidden, self.epochs, self.seed, rule, lr)
            self._cache[key] = curve
        return self._cache[key]

    def compute(self):
        self.curve = self.train(self.rule_box.value, self.lr_box.value)
        self.kind, self.advice = verdict(self.curve)
        return self.curve

    def draw(self):
        curve = np.array(self.compute(), dtype=float)
        if self._fig is None:
            self._fig, self._ax = pyplot().subplots(figsize=(7, 3.6))
        ax = self._ax
        ax.clear()
        top = 1.5 * curve[0]
        shown = np.where(np.isfinite(curve), np.minimum(curve, top), top)
        ax.plot(np.arange(len(curve)), shown, "o-", color="C3")
        ax.set(
            xlabel=say("epoch", self.lang), ylabel=say("training loss", self.lang), ylim=(0, top)
        )
        kind = say(self.kind, self.lang)
        text = kind if self.advice == self.kind else f"{kind}: {say(self.advice, self.lang)}"
        ax.set_title(
            f"{self.rule_box.value}, {say('lr', self.lang)} {self.lr_box.value:.3g} → {text}"
        )
        self.verdict_box.value = f"<b>{say('verdict', self.lang)}</b>: {text}"
        self._fig.tight_layout()
        return self._fig


def loss_curve(x, t, hidden, epochs: int, seed: int, rule: str, lr: float) -> list:
    """The training loss of the notes' network (``hidden``) on ``x, t`` before
    training and after every epoch, with ``rule`` at ``lr``; ``inf`` ends a
    curve that diverged."""
    run = RunSpec(
        network=NetworkSpec(hidden=tuple(hidden)),
        optimizer=OptimizerSpec(rule, lr=float(lr)),
        training=TrainingSpec(epochs, batch_size=100),
        output=OutputSpec(quiet=True),
    )
    given = Given(Data(x, t), int(t.max()) + 1)
    streams = Streams(weights=default_rng(seed), batches=default_rng(seed + 1))
    tr = build(run, given=given, streams=streams, extras=Extras()).trainer
    try:
        return list(tr.train()["train_loss_epoch"])
    except DivergenceError:
        return list(tr.history["train_loss_epoch"]) + [float("inf")]
