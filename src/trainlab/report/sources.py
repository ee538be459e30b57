"""Where each figure comes from, what proves its claim, and how a run's settings
differ from the notes'.

An experiment says this of itself (its
:class:`~trainlab.experiments.experiment.Source`, ``lesson``, ``claim``,
``datasets`` and ``why``); ``SOURCES`` and ``LESSONS`` hold the same for the
figures of the other commands (``trainlab landscape``, ``trainlab tune``).
"""

from __future__ import annotations

import dataclasses

from trainlab.errors import ConfigError
from trainlab.experiments.experiment import Source
from trainlab.experiments.registry import EXPERIMENTS, config_from_json

#: the figures that are not experiments: kind → where they come from
SOURCES: dict[str, Source] = {
    "landscape": Source(
        notes="notes: the weakness of SGD, images 2-2 to 2-5",
        notes_ko="노트: SGD 단점, 그림 2-2 ~ 2-5",
        book="§6.1.2–6.1.7, Fig. 6-3, 6-5, 6-6, 6-7, 6-8",
        script="ch06/optimizer_compare_naive.py",
    ),
    "tune": Source(
        notes="notes: hyperparameter optimisation, image 2-19",
        notes_ko="노트: 하이퍼파라미터 최적화, 그림 2-19",
        book="§6.5.3, Fig. 6-24",
        script="ch06/hyperparameter_optimization.py",
    ),
}
#: what those figures must show
LESSONS = {"landscape": "SGD zigzags on x²/20 + y²", "tune": "judged on validation data"}


def source_of(kind: str) -> Source | None:
    """Where the figure of ``kind`` comes from (None if unknown)."""
    if kind in EXPERIMENTS:
        return EXPERIMENTS[kind].source
    return SOURCES.get(kind)


def lesson_of(kind: str) -> str:
    """What the figure of ``kind`` must show, in a few words."""
    return EXPERIMENTS[kind].lesson if kind in EXPERIMENTS else LESSONS.get(kind, "")


def saved_config(kind: str, config: dict):
    """The experiment's config of a saved run (the notes' where it cannot be read)."""
    try:
        return config_from_json(kind, config)
    except (ConfigError, TypeError, ValueError, ArithmeticError, AttributeError):
        return EXPERIMENTS[kind].config()


def key_numbers(kind: str, summary: dict, config: dict | None = None) -> dict:
    """The rows of ``summary`` that prove ``kind``'s claim (all of them for other
    kinds), as the experiment names them for the run's ``config``."""
    if kind not in EXPERIMENTS:
        return dict(summary)
    claim = set(EXPERIMENTS[kind].claim(saved_config(kind, config or {})))
    picked = {k: v for k, v in summary.items() if k in claim}
    return picked or dict(summary)


def notes_of(kind: str, lang: str = "en") -> str:
    """The notes' section and figure that ``kind`` rebuilds, in ``lang``."""
    source = source_of(kind)
    if source is None:
        return ""
    return source.notes_ko if lang == "ko" else source.notes


def source_line(kind: str, lang: str = "en") -> str:
    """``notes … · book … · script …`` for ``kind`` ('' if unknown)."""
    s = source_of(kind)
    if s is None:
        return ""
    ko = lang == "ko"
    parts = [notes_of(kind, lang), f"{'책' if ko else 'book'} {s.book}"]
    if s.script:
        parts.append(f"{'책의 스크립트' if ko else 'book' + chr(39) + 's script'} {s.script}")
    else:
        parts.append("책에는 스크립트 없음" if ko else "no script in the book")
    return " · ".join(parts)


def differences(kind: str, config: dict) -> list[tuple[str, str, str, str]]:
    """(setting, the notes' value, the value used, why) for each setting of a
    saved run that differs from the experiment's defaults (the notes')."""
    if kind not in EXPERIMENTS:
        return []
    experiment = EXPERIMENTS[kind]
    notes = dataclasses.asdict(experiment.config())
    dataset = config.get("dataset") or ""
    by_data = experiment.datasets.get(dataset, {})
    out = []
    for key, default in notes.items():
        used = config.get(key, default)
        same = list(used) == list(default) if isinstance(default, tuple) else used == default
        if same:
            continue
        if key in experiment.quick and config.get("quick"):
            why = "--quick: shorter, so the demo finishes in seconds"
        elif key in by_data:
            why = (
                f"for {config.get('dataset')} (below)"
                if experiment.why_for(dataset)
                else f"the setting for {config.get('dataset')}"
            )
        else:
            why = "set on the command line (--set)"
        out.append((key, as_text(default), as_text(used), why))
    return out


def why_dataset(kind: str, config: dict, lang: str = "en") -> str:
    """Why ``kind`` uses its own settings on the run's data set ('' if it does not)."""
    if kind not in EXPERIMENTS:
        return ""
    return EXPERIMENTS[kind].why_for(config.get("dataset") or "", lang)


def as_text(value) -> str:
    """A setting as the report's table shows it."""
    if isinstance(value, (list, tuple)):
        return ", ".join(as_text(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def figures_table() -> str:
    """The table of ``docs/figures.md``: each figure, the notes' figure, the book's
    section and script it rebuilds, and what it must show (Markdown)."""
    rows = [
        "| experiment | notes' figure | book | book's script | what the figure must show |",
        "|---|---|---|---|---|",
    ]
    for kind in [*EXPERIMENTS, *SOURCES]:
        s = source_of(kind)
        assert s is not None
        script = ", ".join(f"`{p}`" for p in s.script.split(", ")) if s.script else "—"
        rows.append(f"| `{kind}` | {s.notes} | {s.book} | {script} | {lesson_of(kind)} |")
    return "\n".join(rows)
