"""What an experiment of the notes is: one :class:`Experiment` value that says
everything about itself.

Each experiment module defines its ``Config`` (a dataclass whose defaults are
the notes' settings), its functions, and one ``EXPERIMENT`` that registers
them explicitly; :mod:`trainlab.experiments.registry` lists those values by
name. The runner, the report, ``trainlab run --help`` and ``docs/figures.md``
read what an experiment says of itself here, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where an experiment comes from: the notes' section and figure (in English
    and Korean; the study notes on chapter 6 of *Deep Learning from Scratch*
    number their images ``2-N``, the lecture's figures are named by their
    slide), the book's section and figure, and the book's script of the same
    experiment (``ch06/…`` in oreilly-japan/deep-learning-from-scratch), or
    None where the book has none."""

    notes: str
    notes_ko: str
    book: str
    script: str | None = None


def no_reads(cfg) -> tuple:
    """A training that reads every row of both sets."""
    return (None, None)


@dataclass(frozen=True)
class Experiment:
    """One experiment of the notes.

    * ``name``: how ``trainlab run`` calls it; ``title``: its run's title
      (into ``config.json``).
    * ``config``: the dataclass whose defaults are the notes' settings;
      ``quick``: the fields ``--quick`` changes; ``datasets``: data set → the
      fields that differ from the notes' on it, where the notes' settings do not
      show the lesson, each with its reason in ``why`` (and ``why_ko``).
    * ``trains``: whether it needs a data set; ``own_input``: what it feeds its
      trainings instead (without one).
    * ``units(cfg)``: its own consistency checks (raises on a bad config); the
      number of things one seed does.
    * ``jobs(cfg, rng)``: one seed's independent trainings as plain job specs
      (seeds drawn from ``rng`` in the parent, so a job depends on its spec alone);
      ``job(cfg, data, spec)``: one of them, returning plain lists and numbers;
      ``gather(cfg, specs, results)``: one seed's results from its jobs' results.
    * ``summarize(runs, cfg)``: key numbers over the seeds' results;
      ``claim(cfg)``: the names of the summary's rows that prove the figure's
      claim (the report shows them first).
    * ``plot(metrics, cfg, out)``: figures from the saved metrics alone;
      ``parts(cfg)``: names of figures that ``plot(..., part=name)`` draws on
      their own, so that workers can draw them side by side (``[None]``: all at once).
    * ``evaluation(cfg)``: what is evaluated when, and on how many samples (into
      ``config.json``); ``reads(cfg)``: how many rows of the
      training and test sets its trainings read, from the front (None: all).
    * ``texts[lang]``: ``title``, ``shows`` (what is drawn) and ``notes`` (the
      notes' conclusion) in ``en`` and ``ko``, for the report; ``source``: see
      :class:`Source`; ``lesson``: what the figure must show, in a few words.
    """

    name: str
    title: str
    config: type
    units: Callable[[Any], int]
    jobs: Callable[..., list]
    job: Callable[..., Any]
    gather: Callable[..., dict]
    summarize: Callable[..., dict]
    claim: Callable[[Any], list[str]]
    plot: Callable[..., list]
    evaluation: Callable[[Any], dict]
    texts: Mapping[str, Mapping[str, str]]
    source: Source
    lesson: str
    trains: bool = True
    own_input: str | None = None
    quick: Mapping[str, Any] = field(default_factory=dict)
    datasets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    why: Mapping[str, str] = field(default_factory=dict)
    why_ko: Mapping[str, str] = field(default_factory=dict)
    reads: Callable[[Any], tuple] = no_reads
    parts: Callable[[Any], list] | None = None

    def figure_parts(self, cfg) -> list:
        """The figures that can be drawn apart (``[None]``: all at once)."""
        return [None] if self.parts is None else list(self.parts(cfg))

    def draw(self, metrics: dict, cfg, out, part=None) -> list:
        """The figures of ``part`` (None: all) from the saved metrics."""
        if part is None:
            return self.plot(metrics, cfg, out)
        return self.plot(metrics, cfg, out, part=part)

    def why_for(self, dataset: str, lang: str = "en") -> str:
        """Why it uses its own settings on ``dataset`` ('' if it does not)."""
        if lang == "ko" and dataset in self.why_ko:
            return self.why_ko[dataset]
        return self.why.get(dataset, "")
