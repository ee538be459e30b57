"""Ask a rule for every step of a scenario, from exactly the scenario's inputs.

Before each step the parameters are written (in place) to the values trainlab's
rule had there; the rule's own state (its ``h``, ``v``, ``m``, step counter)
is whatever it kept. What the rule does is recorded: the parameters after the
step (read back from the dict it was given), whether it put new arrays into
``params`` instead of updating the old ones, and whether it wrote into
``grads``. The first exception stops the scenario and is kept.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass
class Written:
    """A rule wrote into ``grads``: the first element that changed."""

    key: str
    index: tuple
    was: float
    now: float


@dataclass
class Outputs:
    after: list[dict] = field(default_factory=list)  # key -> array, or None if unreadable
    replaced: list[tuple] = field(default_factory=list)  # keys whose array was replaced
    written: list[list] = field(default_factory=list)  # Written, per step
    error: BaseException | None = None
    error_step: int | None = None  # 0-based step that raised
    skipped: str = ""  # why the scenario was not run
    returned: str = ""  # type update returned, if not None

    @property
    def steps(self) -> int:
        return len(self.after)


def _readable(value, shape):
    try:
        out = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return out if out.shape == shape else None


def _first_change(key, old, new):
    new = _readable(new, old.shape)
    if new is None:
        return Written(key, (), float("nan"), float("nan"))
    same = (old == new) | (np.isnan(old) & np.isnan(new))
    if same.all():
        return None
    index = np.unravel_index(int(np.argmin(same.reshape(-1))), old.shape)
    return Written(key, tuple(int(i) for i in index), float(old[index]), float(new[index]))


def set_lr(rule, lr_attr: str | None, value: float) -> bool:
    """Set the rule's learning rate between steps; False if it has no such attribute."""
    if lr_attr is None or not hasattr(rule, lr_attr):
        return False
    setattr(rule, lr_attr, value)
    return True


def replay(build, scenario, lr_attr: str | None = "lr") -> Outputs:
    """Run ``build(lr=scenario.lr)``'s ``update`` on every step of ``scenario``."""
    out = Outputs()
    first = scenario.steps[0]
    arrays = {k: v.copy() for k, v in first.before.items()}
    for step in scenario.steps:
        for key in step.params_order:
            arrays.setdefault(key, step.before[key].copy())
    same_dict = {k: arrays[k] for k in first.params_order}
    with np.errstate(all="ignore"):
        try:
            rule = build(lr=scenario.lr)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - the learner's code
            out.error, out.error_step = exc, 0
            return out
        for k, step in enumerate(scenario.steps):
            for key in step.params_order:
                arrays[key][...] = step.before[key]
            if scenario.same_dict:
                params = same_dict
                for key in step.params_order:
                    params[key] = arrays[key]
            else:
                params = {key: arrays[key] for key in step.params_order}
            grads = {key: step.grads[key].copy() for key in step.grads_order}
            if step.lr is not None and not set_lr(rule, lr_attr, step.lr):
                out.skipped = f"the rule has no attribute {lr_attr or 'lr'} to change"
                return out
            try:
                returned = rule.update(params, grads)
            except (Exception, SystemExit) as exc:  # noqa: BLE001 - the learner's code
                out.error, out.error_step = exc, k
                return out
            if returned is not None and not out.returned:
                out.returned = type(returned).__name__
            out.after.append(
                {
                    key: _readable(params.get(key), step.before[key].shape)
                    for key in step.params_order
                }
            )
            out.replaced.append(
                tuple(key for key in step.params_order if params.get(key) is not arrays[key])
            )
            changes = [
                _first_change(key, step.grads[key], grads.get(key)) for key in step.grads_order
            ]
            out.written.append([c for c in changes if c is not None])
    return out


def trainlab_frames_removed(exc: BaseException) -> str:
    """The exception's traceback without trainlab's own frames or importlib's."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.startswith("<frozen") and not _is_trainlab(f.filename)
    ]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip("\n")


def _is_trainlab(filename: str) -> bool:
    root = Path(__file__).resolve().parent.parent
    try:
        Path(filename).resolve().relative_to(root)
    except ValueError:
        return False
    return True
