"""The Korean report's figures: each experiment's figures redrawn from its saved
metrics into a scratch folder (never into the run folder), with every text
translated through :mod:`trainlab.report.figure_ko` and drawn in a CJK font.

:class:`Translator` turns an English label into Korean phrase by phrase, so
that labels carrying numbers ("Adam (lr 0.001)") translate too, and records
every text it could not translate fully; :meth:`KoreanFigures.texts` is what
:func:`trainlab.viz.save` wraps each figure's writing in (see
:func:`trainlab.viz.saving_with`).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import warnings
import weakref
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from trainlab.experiments.folder import replot
from trainlab.io import read_json, write_json
from trainlab.landscape import lab as landscape
from trainlab.notebooks.fonts import find_korean_family
from trainlab.report.figure_ko import CAPTIONS, KEEP, PHRASES
from trainlab.train import lrfind_run
from trainlab.train.plots import plot_history
from trainlab.train.spec_flat import read_saved
from trainlab.tune import figures as tune_figures
from trainlab.viz import file_defaults, saving_with

#: the one line saying what to install when no CJK font is found
NO_FONT = (
    "no Korean font found; install one (Debian/Ubuntu: apt-get install fonts-noto-cjk) "
    "for Korean figures"
)
HANGUL = re.compile("[\uac00-\ud7a3]")
MATH = re.compile(r"\$[^$]*\$")  # mathtext ($\sigma$) is drawn as written
NUMBER = re.compile(r"[-+]?(?:\d[\d,]*\.?\d*|\.\d+)(?:e[-+]?\d+)?")


def _alternation(words) -> re.Pattern:
    """One pattern matching any of ``words`` as whole words, longest first."""
    ordered = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in ordered) or "(?!)"  # no words: matches nothing
    return re.compile(rf"(?<![A-Za-z])(?:{body})(?![A-Za-z])")


class Translator:
    """English → Korean through a catalogue of phrases (``phrases``); the words
    of ``keep`` (rule names, units, "lr") stay as they are. ``untranslated``
    lists every text that kept an English word outside ``keep``."""

    def __init__(self, phrases: Mapping[str, str] = PHRASES, keep=KEEP) -> None:
        self.phrases = dict(phrases)
        self.pattern = _alternation(self.phrases)
        self.keep = tuple(keep)
        self.kept = _alternation(self.keep)
        self.untranslated: list[str] = []

    def keep_also(self, *words: str) -> None:
        """Keep ``words`` as written too (a data set's own name, say)."""
        self.keep += tuple(w for w in words if w and w not in self.keep)
        self.kept = _alternation(self.keep)

    def __call__(self, text: str) -> str:
        """``text`` in Korean (as it is where it holds no phrase of the catalogue)."""
        korean = self.phrases.get(text)  # a whole label first, even one of kept words
        if korean is None:  # then its phrases ("digits sgd lr": "sgd lr", kept words)
            korean = self.pattern.sub(lambda m: self.phrases[m.group(0)], text)
        self.check(korean, text)
        return korean

    def check(self, drawn: str, text: str | None = None) -> None:
        """Record ``text`` (default: ``drawn``) if ``drawn`` keeps an English word."""
        text = drawn if text is None else text
        if self.english(drawn) and text not in self.untranslated:
            self.untranslated.append(text)

    def english(self, text: str) -> bool:
        """Whether ``text`` holds a word to translate (not a number, a kept word, math)."""
        rest = NUMBER.sub(" ", self.kept.sub(" ", MATH.sub(" ", text)))
        return re.search("[A-Za-z]", rest) is not None


def _texts(fig) -> list:
    """Every text artist of ``fig`` that holds something to draw."""
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def _fixed_tick_labels(fig, translate) -> None:
    """Tick labels a plot set by hand (a formatter redraws them at each draw)."""
    from matplotlib.ticker import FixedFormatter

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if isinstance(formatter, FixedFormatter):
                formatter.seq = [translate(str(s)) for s in formatter.seq]


class KoreanFigures:
    """What the Korean report draws its figures with: a :class:`Translator`,
    the CJK family (None where none is installed), a scratch folder (removed
    with the object), ``warn`` for a run whose figures cannot be redrawn;
    ``drawn`` counts the figures drawn, ``fonts`` holds the families every
    Korean text drawn resolved to."""

    def __init__(
        self, translator: Translator | None = None, family: str | None = None, warn=None
    ) -> None:
        self.translate = translator or Translator()
        self.family = family
        self.warn = warn
        self.drawn = 0
        self.fonts: set[str] = set()
        self.scratch = Path(tempfile.mkdtemp(prefix="trainlab-report-"))
        weakref.finalize(self, shutil.rmtree, self.scratch, True)

    @contextlib.contextmanager
    def texts(self, fig) -> Iterator[None]:
        """Translate ``fig``'s texts, draw it in the CJK family for the block, then
        record what was drawn (texts a formatter wrote at draw time included)."""
        import matplotlib
        from matplotlib import font_manager

        # the CJK family first, DejaVu Sans for the glyphs it lacks (₁, ₂)
        families = [self.family, "DejaVu Sans"] if self.family else None
        for artist in _texts(fig):
            artist.set_text(self.translate(artist.get_text()))
            if families:
                artist.set_fontfamily(families)
        _fixed_tick_labels(fig, self.translate)
        with (
            matplotlib.rc_context({"font.family": families} if families else {}),
            warnings.catch_warnings(),
        ):
            # without a CJK font, Hangul is drawn as boxes: the report said so in one line
            warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
            yield
            self.drawn += 1
            for artist in _texts(fig):
                self.translate.check(artist.get_text())  # what a formatter drew included
                if HANGUL.search(artist.get_text()):
                    path = font_manager.findfont(artist.get_fontproperties())
                    self.fonts.add(font_manager.get_font(path).family_name)

    def figures(self, folder: Path, saved: list[Path]) -> list[Path]:
        """The figures to show for the experiment run in ``folder``: its figures
        redrawn in Korean, then those of ``saved`` that are not redrawn (all of
        ``saved``, with a ``warn`` line, where the run cannot be redrawn). Each
        call replaces the figures of the call before."""
        scratch = self.scratch / "run"
        shutil.rmtree(scratch, ignore_errors=True)
        try:
            drawn = self.redraw(folder, scratch)
        except Exception as exc:  # noqa: BLE001 - the English figures are shown instead
            if self.warn is not None:
                self.warn(f"{folder}: figures left in English: {exc}"[:400])
            return saved
        names = {p.name for p in drawn}
        return drawn + [p for p in saved if p.name not in names]

    def redraw(self, folder: Path, scratch: Path) -> list[Path]:
        """The figures of the run in ``folder``, redrawn in Korean into the empty
        folder ``scratch`` from the files :data:`REDRAWN` names for its kind (an
        experiment's: ``config.json`` and ``metrics.json``); none where the folder
        lacks one of them (a run made before its kind saved them)."""
        kind = read_json(folder / "config.json").get("kind")
        needs, draw = REDRAWN.get(kind, (("config.json", "metrics.json"), replot_experiment))
        if not all((folder / name).is_file() for name in needs):
            return []
        scratch.mkdir(parents=True, exist_ok=True)
        for name in needs:  # read as the report reads them
            write_json(scratch / name, read_json(folder / name))
        with file_defaults(), saving_with(self.texts):  # drawn as its command draws
            draw(scratch, self.translate.keep_also)
        return sorted(p for p in scratch.iterdir() if p.suffix.lower() == ".png")


def replot_experiment(folder: Path, keep: Callable[[str], None]) -> None:
    """The figures of the experiment run in ``folder``, from its metrics."""
    replot(folder)


def replot_landscape(folder: Path, keep: Callable[[str], None]) -> None:
    """The figures of the landscape run in ``folder`` (``keep`` is told the
    function's name, which is drawn as it is)."""
    keep(str(read_json(folder / "paths.json")["function"]))
    landscape.replot(folder)


def replot_lrfind(folder: Path, keep: Callable[[str], None]) -> None:
    """``lrfind.png`` of the run in ``folder`` (``keep`` is told the data's name)."""
    keep(str(read_json(folder / "config.json")["described"]["data"]["name"]))
    lrfind_run.replot(folder)


def replot_benchmark(folder: Path, keep: Callable[[str], None]) -> None:
    """The figures of the benchmark run in ``folder`` (``keep`` is told the
    problems' names, which are drawn as they are)."""
    for problem in read_json(folder / "metrics.json")["problems"]:
        keep(str(problem))
    tune_figures.replot_benchmark(folder)


def replot_tune(folder: Path, keep: Callable[[str], None]) -> None:
    """The figures of the search in ``folder`` (``keep`` is told the searched
    parameters' names, which are drawn as they are)."""
    for spec in read_json(folder / "config.json")["space"]:
        keep(str(spec).partition("=")[0])
    tune_figures.replot_search(folder)


def replot_training(folder: Path, keep: Callable[[str], None]) -> None:
    """``training.png`` of the ``trainlab train`` run in ``folder``, from its metrics
    (``keep`` is told the data's name, which is drawn as it is)."""
    config, history = (
        read_json(folder / "config.json"),
        read_json(folder / "metrics.json")["history"],
    )
    spec = read_saved(config, str(folder / "config.json"))
    info = (config["described"] if "schema" in config else config).get("data") or {}
    score = "R²" if info.get("task") == "regression" else "accuracy"
    title = f"{info.get('name', spec.data.dataset)}: {spec.optimizer.rule}"
    keep(str(info.get("name", spec.data.dataset)))
    plot_history(history, folder / "training.png", title, score=score)


#: kinds other than the experiments: the files their figures are redrawn from, and how
REDRAWN = {
    "train": (("config.json", "metrics.json"), replot_training),
    "landscape": (("config.json", "paths.json"), replot_landscape),
    "lrfind": (("config.json", "lrfind.json"), replot_lrfind),
    "benchmark": (("config.json", "metrics.json"), replot_benchmark),
    "tune": (("config.json", "metrics.json"), replot_tune),
}


def korean_figures(warn) -> KoreanFigures:
    """The Korean report's figure maker; ``warn`` says in one line which font to
    install when no CJK font is found (the figures are then drawn in the default font)."""
    family = find_korean_family()
    if family is None:
        warn(NO_FONT)
    return KoreanFigures(family=family, warn=warn)


def caption(name: str) -> str:
    """A figure's caption in Korean, its file's name in brackets."""
    korean = CAPTIONS.get(name)
    return f"{korean} ({name})" if korean else name
