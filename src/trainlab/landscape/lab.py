"""Race several update rules across one function and write a run folder.

The folder holds ``config.json`` (``"kind": "landscape"``), ``paths.json``
(per rule: lr, points, values, diverged flag, final and mean value),
``metrics.json`` (a flat ``"summary"``), ``paths.png``, ``panels.png``,
``values.png`` and, when asked, ``paths.gif``.

Learning rates, first match wins: given explicitly; tuned (``tune=True``);
the function's table (:func:`~trainlab.landscape.base.lr_for`); the rule's own default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainlab import io, viz
from trainlab.errors import ConfigError
from trainlab.landscape.animate import animate as write_gif
from trainlab.landscape.animate import check_frames
from trainlab.landscape.base import lr_for
from trainlab.landscape.functions import check_start, get_function
from trainlab.landscape.newton import Newton
from trainlab.landscape.paths import Trace, check_steps, saved_trace, trace
from trainlab.landscape.plots import REFERENCE, panels_figure, paths_figure, values_figure
from trainlab.landscape.rules import rule_key
from trainlab.landscape.tune import grid, tune_lr
from trainlab.optim import create


@dataclass
class Race:
    function: object
    start: tuple
    steps: int
    traces: dict = field(default_factory=dict)  # label -> (Trace, lr)
    source: dict = field(default_factory=dict)  # rule -> where its lr came from
    tuned: dict = field(default_factory=dict)  # rule -> Tuning

    @property
    def rules(self) -> dict:
        return {k: v for k, v in self.traces.items() if k != REFERENCE}

    @property
    def best(self) -> str | None:
        """The rule with the lowest mean value over its path (None if all diverged)."""
        scores = {k: t.mean_value for k, (t, _) in self.rules.items()}
        name = min(scores, key=scores.__getitem__, default=None)
        return name if name is not None and math.isfinite(scores[name]) else None


def race(
    function,
    optimizers,
    *,
    start=None,
    steps=None,
    lrs=None,
    tune=False,
    tune_points=25,
    tune_range=(1e-4, 10.0),
    tune_refine=0,
    newton=True,
    progress=False,
    options=None,
) -> Race:
    """Follow every rule in ``optimizers`` (names in :data:`~trainlab.landscape.rules.RULES`)
    from the same start; ``options`` gives rules other settings than their lr, as
    ``{'lbfgs': {'line_search_fn': 'strong_wolfe'}}``."""
    f = get_function(function)
    steps = check_steps(getattr(f, "steps", None) if steps is None else steps)
    start = check_start(f, start)
    names, given = _rules_and_rates(optimizers, lrs)
    settings = _settings(names, options)
    if tune:
        grid(tune_points, *tune_range)  # check the settings before any work
    out = Race(f, start, steps)
    todo = names
    if progress:
        from tqdm.auto import tqdm

        todo = tqdm(names, desc="tuning", unit="rule", leave=False, disable=None)
    for name in todo:
        kw = settings[name]
        if name in given:
            opt, src = create(name, lr=given[name], **kw), "given"
        elif tune:
            out.tuned[name] = tuning = tune_lr(
                f,
                name,
                start,
                steps,
                points=tune_points,
                low=tune_range[0],
                high=tune_range[1],
                refine=tune_refine,
                options=kw,
            )
            opt, src = create(name, lr=tuning.lr, **kw), "tuned"
        elif lr_for(f, name) is not None:
            opt, src = create(name, lr=lr_for(f, name), **kw), "default"
        else:
            opt, src = create(name, **kw), "rule default"
        out.traces[name] = (trace(f, opt, start, steps), float(opt.lr))
        out.source[name] = src
    if newton and callable(getattr(f, "hessian", None)):
        out.traces[REFERENCE] = (trace(f, Newton(f), start, steps), None)
    return out


def _rules_and_rates(optimizers, lrs) -> tuple[list[str], dict[str, float]]:
    """The rules' ``RULES`` keys, each once, and the learning rates given for them."""
    names = [rule_key(n) for n in optimizers]
    if not names:
        raise ConfigError("no optimizers given; name at least one, e.g. sgd,adam")
    if len(set(names)) != len(names):
        raise ConfigError(f"optimizer listed twice in {', '.join(optimizers)}; name each once")
    given = {rule_key(k): float(v) for k, v in (lrs or {}).items()}
    for k in given:
        if k not in names:
            raise ConfigError(
                f"a learning rate is given for {k}, which is not among the "
                f"optimizers ({', '.join(names)}); add it or drop its lr"
            )
    return names, given


def _settings(names: list[str], options) -> dict[str, dict]:
    """Each rule's options other than lr (checked here, before any work)."""
    given = {rule_key(k): dict(v) for k, v in (options or {}).items()}
    for k, kw in given.items():
        if k not in names:
            raise ConfigError(
                f"options are given for {k}, which is not among the "
                f"optimizers ({', '.join(names)}); add it or drop its options"
            )
        if "lr" in kw:
            raise ConfigError(f"give {k}'s learning rate as its lr, not among its options")
        create(k, **kw)
    return {name: given.get(name, {}) for name in names}


def _record(t: Trace, lr) -> dict:
    return {
        "lr": lr,
        "points": t.points,
        "values": t.values,
        "diverged": t.diverged,
        "diverged_at": t.diverged_at,
        "final_value": t.final_value,
        "mean_value": t.mean_value,
    }


def write(
    r: Race, out, *, config: dict | None = None, animate=False, frames=120, parts=("figures", "gif")
) -> Path:
    """Write the run folder for ``r`` into ``out``; returns ``out``. ``parts``:
    which of the JSON files with the figures (``"figures"``) and the animation
    (``"gif"``, when ``animate``) to write, so that two processes can share the work."""
    if animate:
        check_frames(frames)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    spec = getattr(r.function, "spec", type(r.function).__name__)
    if animate and "gif" in parts:
        write_gif(r.function, r.traces, out / "paths.gif", frames=frames, title=spec)
    if "figures" not in parts:
        return out
    io.write_json(
        out / "config.json",
        {
            "kind": "landscape",
            "function": spec,
            "start": list(r.start),
            "steps": r.steps,
            "optimizers": list(r.rules),
            "animate": bool(animate),
            "frames": frames,
            "newton": REFERENCE in r.traces,
            **(config or {}),
        },
    )
    io.write_json(out / "paths.json", _paths(r, spec))
    io.write_json(out / "metrics.json", {"summary": _summary(r, spec)})

    draw(r.function, r.traces, r.start, r.steps, out)
    return out


def draw(function, traces: dict, start, steps: int, out: Path) -> None:
    """``paths.png``, ``panels.png`` and ``values.png`` of ``traces`` into ``out``."""
    spec = getattr(function, "spec", type(function).__name__)
    title = f"{spec} from ({start[0]:g}, {start[1]:g}), {steps} steps"
    viz.save(paths_figure(function, traces, title), out / "paths.png")
    viz.save(panels_figure(function, traces, title), out / "panels.png")
    viz.save(values_figure(function, traces, title), out / "values.png")


def replot(folder: Path) -> None:
    """The figures of the landscape run in ``folder``, redrawn from its ``paths.json``."""
    doc = io.read_json(folder / "paths.json")
    records = dict(doc["optimizers"])
    if REFERENCE in doc:
        records[REFERENCE] = doc[REFERENCE]
    traces = {name: (saved_trace(rec), rec["lr"]) for name, rec in records.items()}
    draw(get_function(doc["function"]), traces, doc["start"], doc["steps"], folder)


def _paths(r: Race, spec: str) -> dict[str, Any]:
    """``paths.json``: every rule's path and lr, Newton's reference, the tuning."""
    doc: dict[str, Any] = {
        "function": spec,
        "start": list(r.start),
        "steps": r.steps,
        "objective": "mean of f over the path, start included; inf if it diverged",
        "optimizers": {},
        "tuning": {},
    }
    for name, (t, lr) in r.rules.items():
        doc["optimizers"][name] = {**_record(t, lr), "lr_source": r.source[name]}
    if REFERENCE in r.traces:
        doc[REFERENCE] = _record(*r.traces[REFERENCE])
    for name, tu in r.tuned.items():
        doc["tuning"][name] = {
            "lr": tu.lr,
            "score": tu.score,
            "evaluations": tu.evaluations,
            "lrs": tu.lrs,
            "scores": tu.scores,
        }
    return doc


def _summary(r: Race, spec: str) -> dict[str, Any]:
    """``metrics.json``'s flat summary: the best rule, each rule's lr and mean f."""
    summary = {
        "function": spec,
        "steps": r.steps,
        "best": r.best or "none",
        "diverged": ", ".join(k for k, (t, _) in r.rules.items() if t.diverged) or "none",
    }
    for name, (t, lr) in r.rules.items():
        summary[f"{name} lr"] = lr
        summary[f"{name} mean f"] = "diverged" if t.diverged else t.mean_value
    if REFERENCE in r.traces:
        t = r.traces[REFERENCE][0]
        summary["newton final f"] = "diverged" if t.diverged else t.final_value
    return summary
