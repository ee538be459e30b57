"""A live loss plot for training cells: a Trainer callback that redraws as it trains.

    >>> config = TrainConfig(progress=True, callbacks=[LiveLoss()])  # doctest: +SKIP
    >>> Trainer(net, Data(x, t), "adam", config).train()              # doctest: +SKIP

``progress=True`` shows tqdm's notebook bar (``tqdm.auto``); :class:`LiveLoss`
shows the training loss of every step, redrawn at most every ``every`` seconds
and once more when training ends, so a long run is watched as it happens.
Drawing never takes more than a fifth of the time: after a redraw that took
``d`` seconds, the next waits at least ``4 d``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from trainlab.notebooks.fonts import use_korean_font
from trainlab.notebooks.labs import png
from trainlab.notebooks.text import check_lang, say
from trainlab.viz import plt, smooth


class LiveLoss:
    """Trainer callback: an Image widget with the loss so far (one curve per label)."""

    def __init__(
        self, label: str = "", *, lang: str = "en", every: float = 1.0, display: bool = True
    ):
        import ipywidgets as w

        self.lang = check_lang(lang)
        if lang == "ko":
            use_korean_font()
        self.label, self.every = label, float(every)
        self.curves: dict[str, list] = {}
        self.image = w.Image(format="png")
        self.redraws = 0
        self._shown = not display
        self._next = 0.0  # when the next redraw may happen
        self._fig: Any = None

    def next(self, label: str) -> LiveLoss:
        """The same plot for the next training run, drawn as another curve."""
        self.label = label
        return self

    def on_step(self, trainer, it, loss) -> None:
        if not self._shown:
            from IPython.display import display

            display(self.image)
            self._shown = True
        self.curves.setdefault(self.label, []).append(float(loss))
        if time.perf_counter() >= self._next:
            self.redraw()

    def on_train_end(self, trainer) -> None:
        self.redraw()

    def redraw(self) -> None:
        start = time.perf_counter()
        if self._fig is None:
            self._fig, self._ax = plt().subplots(figsize=(7, 3.4))
            self._fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, top=0.95)
        ax = self._ax
        ax.clear()
        for name, values in self.curves.items():
            y = np.asarray(values)
            ax.plot(
                np.arange(1, len(y) + 1),
                smooth(np.where(np.isfinite(y), y, np.nan)),
                label=name or None,
            )
        ax.set(xlabel=say("iteration", self.lang), ylabel=say("loss", self.lang))
        if any(self.curves):
            ax.legend(fontsize=8)
        self.image.value = png(self._fig)
        self.redraws += 1
        end = time.perf_counter()
        self._next = end + max(self.every, 4 * (end - start))
