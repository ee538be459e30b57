"""Check a learner's update rule class against trainlab's, in this process.

``check_class(MyAdaGrad)`` recognises the rule, reads the hyperparameters,
runs every scenario, finds the first departure and its most likely cause.
:mod:`.sandbox` runs the same from a file in a child process.
"""

from __future__ import annotations

from trainlab.check import recognise as rec
from trainlab.check.compare import first_departure
from trainlab.check.diagnose import diagnose
from trainlab.check.replay import replay, trainlab_frames_removed
from trainlab.check.result import Result
from trainlab.check.scenarios import all_scenarios, arrays
from trainlab.errors import ConfigError
from trainlab.optim import RULES, create


def _builder(cls, kwargs, lr_name):
    def build(lr=None):
        kw = dict(kwargs)
        if lr is not None and lr_name:
            kw[lr_name] = lr
        return cls(**kw)

    return build


def _reference(rule, hp):
    return lambda lr=None: create(rule, **({**hp, "lr": lr} if lr is not None else hp))


def _by_behaviour(cls, sig, opts):
    """The rule whose numbers (or a catalogued mistake's) the class reproduces."""
    candidates, raised = [], []
    for rule in RULES:
        if rule not in rec.NAMED or not sig.compatible(rule):
            continue
        try:
            kwargs, hp, lr_name, _ = rec.settings(rule, sig, opts)
            scenario = arrays(_reference(rule, hp)())
            outputs = replay(_builder(cls, kwargs, lr_name), scenario)
        except ConfigError:
            continue
        if first_departure(scenario, outputs) is None:
            return rule, "recognised from its behaviour: trainlab's numbers exactly"
        candidates.append((rule, hp, scenario, outputs))
        if outputs.error is not None and outputs.error_step == 0:
            raised.append(outputs.error)
    if candidates and len(raised) == len(candidates):
        raise _RaisedFirst(raised[0])
    for rule, hp, scenario, outputs in candidates:
        found = diagnose(rule, hp, [scenario], {scenario.name: outputs})
        if found is not None:
            return rule, f"recognised from its behaviour: {rule}, if {found.title}"
    return None, ""


class _RaisedFirst(Exception):
    """The learner's rule raised at its first step, whatever rule it was taken for."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def _lr_attribute(obj, lr_name):
    for name in (lr_name, "lr"):
        if name and isinstance(getattr(obj, name, None), (int, float)):
            return name
    return None


def check_class(
    cls, rule: str | None = None, opts: dict | None = None, target: str | None = None, progress=None
) -> Result:
    """Check ``cls`` (a class with ``update(params, grads)``) against trainlab's rule.

    ``progress(text)``, if given, is told each stage as it starts."""
    progress = progress or (lambda text: None)
    target = str(target or getattr(cls, "__qualname__", repr(cls)))
    opts = dict(opts or {})
    if not isinstance(cls, type):
        raise ConfigError(f"{target} is not a class; give the class itself, not an instance")
    if not callable(getattr(cls, "update", None)):
        raise ConfigError(f"{target} has no update(params, grads) method")
    sig = rec.Signature(cls)
    try:
        rule, how = _which_rule(cls, rule, sig, opts, progress)
    except _RaisedFirst as raised:
        return Result(
            target,
            "error",
            traceback=trainlab_frames_removed(raised.error),
            notes=[
                "your update raised at its first step, before its rule could "
                "be told from its numbers; --rule NAME says which it is"
            ],
        )
    kwargs, hp, lr_name, notes = rec.settings(rule, sig, opts)
    result = Result(target, "pass", rule, how, hp, notes=notes)
    build = _builder(cls, kwargs, lr_name)
    progress("constructing your class")
    try:
        lr_attr = _lr_attribute(build(), lr_name)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - the learner's constructor
        result.verdict, result.traceback = "error", trainlab_frames_removed(exc)
        result.notes.insert(0, "your constructor raised")
        return result
    bowl_lr = rec.bowl_lr(rule) if lr_name else None
    scenarios = all_scenarios(_reference(rule, hp), bowl_lr)
    outputs, first = _run(scenarios, build, lr_attr, result, progress)
    returned = next((o.returned for o in outputs.values() if o.returned), "")
    if returned:
        result.notes.append(
            f"your update returns a {returned}; the book's update(params, "
            "grads) changes params in place and returns nothing, and "
            "trainlab ignores what it returns"
        )
    progress("looking for the cause")
    return _verdict(result, rule, hp, scenarios, outputs, first)


def _which_rule(cls, rule, sig, opts, progress) -> tuple[str, str]:
    """trainlab's name of the rule ``cls`` is, and how it was told."""
    if rule is not None:
        return rec.canonical_rule(rule), "given"
    if (named := rec.rule_from_name(cls.__name__)) is not None:
        return named, f"from the class name {cls.__name__}"
    rec.check_opts(sig, opts)
    progress("recognising the rule from its behaviour")
    found, how = _by_behaviour(cls, sig, opts)  # raises _RaisedFirst
    if found is None:
        raise ConfigError(
            f"cannot tell which rule {cls.__name__} is, from its name or "
            f"its numbers; name it with --rule (one of "
            f"{', '.join(sorted(rec.NAMED))})"
        )
    return found, how


def _run(scenarios, build, lr_attr, result, progress):
    """Replay every scenario; each one's status goes into ``result``. Returns the
    outputs by scenario name and the first departure (not counting the scenarios
    that only explain)."""
    outputs, first = {}, None
    for s in scenarios:
        progress(f"running scenario {s.name!r}")
        out = outputs[s.name] = replay(build, s, lr_attr)
        dep = None if out.skipped else first_departure(s, out)
        status = "skipped" if out.skipped else "pass"
        if dep is not None:
            status = f"{'raised' if dep.kind == 'error' else 'departs'} at step {dep.step}"
            if first is None and not s.explains_only:
                first = dep
                if dep.kind == "error" and out.error is not None:
                    result.traceback = trainlab_frames_removed(out.error)
        result.scenarios.append({"name": s.name, "title": s.title, "status": status})
    return outputs, first


def _verdict(result, rule, hp, scenarios, outputs, first) -> Result:
    lr_change = next(s for s in scenarios if s.explains_only)
    if first is not None:
        result.departure = first
        main = [s for s in scenarios if not s.explains_only]
        result.diagnosis = diagnose(rule, hp, main, outputs, first=first)
        d = result.diagnosis
        if d is not None and d.kind != "bug":
            result.verdict = "pass with a note" if d.kind == "variant" else "another convention"
        else:
            result.verdict = "error" if first.kind == "error" and d is None else "departs"
        return result
    out = outputs[lr_change.name]
    if out.skipped:
        result.notes.append(
            f"not checked: what happens when lr changes between steps ({out.skipped})"
        )
        return result
    dep = first_departure(lr_change, out)
    if dep is not None:
        used = [s for s in scenarios if not outputs[s.name].skipped]
        d = diagnose(rule, hp, used, outputs, kinds=("convention",), first=dep)
        if d is not None:
            result.verdict, result.diagnosis = "another convention", d
            elem = f"{dep.key}[{', '.join(map(str, dep.index))}]" if dep.index else dep.key
            result.notes.insert(
                0,
                f"where the two differ: after lr changed, at step {dep.step} "
                f"of 'lr change', {elem} is {dep.yours:.10g} with yours, "
                f"{dep.trainlab:.10g} with trainlab's {rule}",
            )
        else:
            result.notes.append(
                f"equal to trainlab while lr is constant, but not after lr "
                f"changes (scenario 'lr change', step {dep.step}, "
                f"parameter {dep.key!r})"
            )
    return result
