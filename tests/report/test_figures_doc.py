"""docs/figures.md shows what each experiment says of itself, and nothing by hand."""

from __future__ import annotations

from pathlib import Path

from trainlab.experiments.registry import EXPERIMENTS
from trainlab.report.sources import figures_table
from trainlab.report.texts import LANGS, text

DOC = Path(__file__).resolve().parents[2] / "docs" / "figures.md"


def test_the_table_of_figures_is_the_experiments_own():
    assert figures_table() in DOC.read_text(encoding="utf-8"), (
        "docs/figures.md: paste trainlab.report.sources.figures_table() over its table"
    )


def test_every_experiment_speaks_for_itself_in_every_language():
    for name, experiment in EXPERIMENTS.items():
        assert experiment.name == name
        for lang in LANGS:
            assert set(experiment.texts[lang]) == {"title", "shows", "notes"}, (name, lang)
            assert text(name, lang) == dict(experiment.texts[lang])
        assert experiment.source.notes and experiment.source.notes_ko and experiment.lesson
        assert set(experiment.quick) <= {f for f in experiment.config.__dataclass_fields__}
