"""An experiment's run folder: ``config.json``, ``metrics.json`` and the figures
drawn from those two files alone, so that :func:`replot` redraws them without
training anything."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from trainlab.experiments.registry import config_from_json, get
from trainlab.io import read_json, write_json


def data_meta(data, own=None) -> dict:
    """What data a run used (``own``: an experiment's words for its own input)."""
    if data is None:
        return {
            "name": None,
            "title": own or "randn input",
            "note": f"no data set: {own or 'standard-normal input'}",
            "fallback": False,
            "n_inputs": None,
            "n_classes": None,
        }
    info = data.info
    return {
        "name": info.get("name"),
        "title": info.get("title", info.get("name")),
        "note": info.get("note", ""),
        "fallback": bool(info.get("fallback", False)),
        "n_train": int(info.get("n_train", len(data.x))),
        "n_test": int(info.get("n_test", len(data.x_test))),
        "n_inputs": data.n_inputs,
        "n_classes": data.n_classes,
    }


def documents(
    name: str, cfg, metrics: dict, *, meta: dict, data_dir, seeds: int, seed: int, quick: bool
) -> dict:
    """``{"config.json": ..., "metrics.json": ...}`` of a finished run (plain data)."""
    experiment = get(name)
    config = {
        "kind": name,
        "title": experiment.title,
        "dataset": meta["name"],
        "data_dir": data_dir,
        "data_note": meta["note"],
        "seeds": int(seeds),
        "seed": int(seed),
        "quick": bool(quick),
        **dataclasses.asdict(cfg),
        "evaluation": experiment.evaluation(cfg),
    }
    return {"config.json": config, "metrics.json": metrics}


def reads(configs: dict) -> tuple:
    """``(n_train, n_test)``: how many rows of each set the trainings of
    ``configs`` (name → config) read, from the front (``None``: all)."""
    need = [get(n).reads(cfg) for n, cfg in configs.items() if get(n).trains]
    columns = list(zip(*need, strict=False)) or [(), ()]  # the training rows, the test rows
    return tuple(None if None in col else max(col, default=0) for col in columns)


def parts(name: str, cfg) -> list:
    """The figures of ``name`` that can be drawn apart (``[None]``: all at once)."""
    return get(name).figure_parts(cfg)


def figures(docs: dict, part=None, *, out) -> None:
    """Write ``docs`` (from :func:`documents`) into the empty folder ``out`` and
    draw the figures of ``part`` there from those files, as :func:`replot` does."""
    for file, doc in docs.items():
        write_json(Path(out) / file, doc)
    replot(out, part)
    for file in docs:
        (Path(out) / file).unlink()


def replot(folder, part=None) -> list[Path]:
    """Redraw the figures of a saved experiment run from its JSON files alone
    (``part``: only those of one of :func:`parts`)."""
    folder = Path(folder)
    config = read_json(folder / "config.json")
    cfg = config_from_json(config["kind"], config)
    metrics = read_json(folder / "metrics.json")
    return get(config["kind"]).draw(metrics, cfg, folder, part)
