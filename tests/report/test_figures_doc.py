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


def test_the_settings_table_names_every_setting_an_experiment_has_for_a_data_set():
    listed: dict[tuple[str, str], set[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith("`"):  # experiment, data sets, settings, …
            for data in cells[1].split(", "):
                key = (cells[0].strip("`"), data.split(" ")[0])
                listed.setdefault(key, set()).update(cells[2].replace("`", "").split(", "))
    for name, experiment in EXPERIMENTS.items():
        for data, changes in experiment.datasets.items():
            assert listed.get((name, data)) == set(changes), (name, data, sorted(changes))
