"""The labs of the notebook "why it diverges": sharpness against 2/lr while the
notes' network trains, and the learning-rate finder.

Both redraw when a control moves, like :class:`~trainlab.notebooks.widgets.LandscapeLab`;
the quadratic's map is :class:`~trainlab.notebooks.rate_lab.RateLab`.
"""

from __future__ import annotations

import numpy as np
from numpy.random import default_rng

from trainlab.data import load
from trainlab.experiments.common import fit
from trainlab.notebooks.labs import Lab, pyplot
from trainlab.notebooks.text import say
from trainlab.train import Data
from trainlab.train.build import Extras, Given, Streams, build
from trainlab.train.lrfind import lrfind
from trainlab.train.lrfind_plot import lrfind_figure
from trainlab.train.sharpness import SharpnessTracker, sharpness_verdict
from trainlab.train.spec import NetworkSpec, OptimizerSpec, OutputSpec, RunSpec, TrainingSpec


def _digits(data, train_size):
    if data is None:
        (x, t), _ = load("digits")
    else:
        x, t = data
    return x[:train_size], t[:train_size]


class SharpnessLab(Lab):
    """Full-batch gradient descent on the notes' network (digits), the loss and the
    sharpness every ``every`` steps beside 2/lr; ``history`` holds the last run's
    Trainer history and ``verdict`` :func:`~trainlab.train.sharpness.sharpness_verdict`."""

    def __init__(
        self,
        lr: float = 0.1,
        *,
        lang: str = "en",
        data=None,
        train_size: int = 500,
        hidden=(100, 100, 100, 100),
        steps: int = 100,
        every: int = 10,
        seed: int = 0,
    ):
        import ipywidgets as w

        super().__init__(lang)
        self.x, self.t = _digits(data, train_size)
        self.hidden, self.steps, self.every, self.seed = tuple(hidden), steps, every, seed
        self.lr_box = w.FloatLogSlider(
            value=lr,
            min=-3,
            max=1,
            step=0.1,
            description=say("lr", lang),
            readout_format=".3g",
            continuous_update=False,
        )
        self.lr_box.observe(self.changed, names="value")
        self._fig = None
        self.history: dict = {}
        self.verdict: str | None = None
        self.widget = w.VBox([self.lr_box, self.image])
        self.redraw()

    def compute(self) -> dict:
        lr = float(self.lr_box.value)
        run = RunSpec(
            network=NetworkSpec(hidden=self.hidden),
            optimizer=OptimizerSpec("sgd", lr=lr),
            training=TrainingSpec(iterations=self.steps, batch_size=len(self.x)),
            output=OutputSpec(quiet=True),
        )
        tracker = SharpnessTracker(samples=len(self.x), iterations=12, every=self.every)
        built = build(
            run,
            given=Given(Data(self.x, self.t), int(self.t.max()) + 1),
            streams=Streams(weights=default_rng(self.seed), batches=default_rng(self.seed + 1)),
            extras=Extras(callbacks=[tracker]),
        )
        self.history = fit(built.trainer)
        found = [v for v in self.history.get("sharpness", []) if v is not None]
        diverged = self.history["diverged_at"] is not None
        self.verdict = sharpness_verdict(found + [np.inf] * diverged, lr)
        return self.history

    def draw(self):
        h = self.compute()
        lr = self.lr_box.value
        if self._fig is None:
            self._fig, self._axes = pyplot().subplots(1, 2, figsize=(11, 3.8))
        a1, a2 = self._axes
        a1.clear(), a2.clear()
        loss = np.asarray(h["train_loss"], dtype=float)
        a1.plot(np.arange(1, len(loss) + 1), loss, color="C0")
        a1.set(
            xlabel=say("iteration", self.lang),
            ylabel=say("training loss", self.lang),
            yscale="log",
            xlim=(0, self.steps),
        )
        its = h.get("sharpness_iteration", [])
        vals = [np.nan if v is None else v for v in h.get("sharpness", [])]
        a2.plot(its, vals, "o-", color="C3", label=say("sharpness", self.lang))
        a2.axhline(2 / lr, color="k", ls="--", label="2/lr")
        a2.set(xlabel=say("iteration", self.lang), yscale="log", xlim=(0, self.steps))
        a2.legend(fontsize=8, loc="upper right")
        said = say("below 2/lr", self.lang) if self.verdict is None else self.verdict
        a2.set_title(said if len(said) < 60 else said[:57] + "…", fontsize=9)
        a1.set_title(f"{say('full batch', self.lang)}, {say('lr', self.lang)} {lr:.3g}")
        self._fig.tight_layout()
        return self._fig


class FinderLab(Lab):
    """:func:`trainlab.lrfind` on digits for a chosen rule; ``found`` is the last result."""

    def __init__(
        self,
        rule: str = "sgd",
        *,
        lang: str = "en",
        data=None,
        train_size: int = 1000,
        hidden=(100, 100, 100, 100),
        steps: int = 150,
        seeds: int = 3,
        seed: int = 0,
    ):
        import ipywidgets as w

        super().__init__(lang)
        self.x, self.t = _digits(data, train_size)
        built = build(  # the network lrfind starts from
            RunSpec(network=NetworkSpec(hidden=tuple(hidden)), output=OutputSpec(quiet=True)),
            given=Given(Data(self.x, self.t), int(self.t.max()) + 1),
            streams=Streams(weights=default_rng(seed)),
            extras=Extras(),
        )
        self.net = built.trainer.network
        self.steps, self.seeds = steps, seeds
        self.rule_box = w.Dropdown(
            options=["sgd", "momentum", "nesterov", "adam", "rmsprop"],
            value=rule,
            description=say("rule", lang),
        )
        self.rule_box.observe(self.changed, names="value")
        self._fig, self.found = None, None
        self.widget = w.VBox([self.rule_box, self.image])
        self.redraw()

    def draw(self):
        rule = self.rule_box.value
        self.found = lrfind(self.net, self.x, self.t, rule, steps=self.steps, seeds=self.seeds)
        if self._fig is None:
            self._fig = pyplot().figure(figsize=(7.5, 4.5))
        return lrfind_figure(self.found, f"{rule}, digits", fig=self._fig)
