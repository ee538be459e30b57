"""What every lab shares: an Image that shows its figure, a redraw timer and notebook display.

A lab subclasses :class:`Lab`, builds its controls (ipywidgets) and its
``widget``, lets a moved control call :meth:`Lab.changed` and implements
:meth:`Lab.draw`. ipywidgets, IPython and matplotlib are imported when a lab is
made, so that ``import trainlab.notebooks`` needs none of them.
"""

from __future__ import annotations

import contextlib
import io
import time

from trainlab.notebooks.fonts import use_korean_font
from trainlab.notebooks.text import check_lang
from trainlab.viz import plt


def png(fig, dpi: int = 80) -> bytes:
    """The figure as PNG bytes (the figure stays open for the next redraw)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def pyplot():
    """matplotlib's pyplot, on the non-interactive backend trainlab draws with."""
    return plt()


class Lab:
    """A figure that redraws when a control changes (see the module's docstring)."""

    def __init__(self, lang: str):
        import ipywidgets as w

        self.lang = check_lang(lang)
        if lang == "ko":
            use_korean_font()
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%"))
        self.seconds = 0.0  # how long the last redraw took
        self.redraws = 0
        self._hold = False

    def changed(self, _change=None) -> None:
        """A control's observer: redraw, unless the lab is setting its controls itself."""
        if not self._hold:
            self.redraw()

    @contextlib.contextmanager
    def holding(self):
        """Set several controls inside the block with no redraw per change."""
        self._hold = True
        try:
            yield
        finally:
            self._hold = False

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
