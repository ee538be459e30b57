"""The most likely cause of a departure: the catalogue entry that reproduces it.

Nothing here reads the learner's source. Each cause in :mod:`.catalogue` is
built as a rule, run on the same scenarios from the same inputs, and compared
with what the learner's rule did there; the first cause whose numbers (and
replaced arrays, writes into ``grads``, exceptions) are the learner's at every
step of every scenario is the diagnosis.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from trainlab.check.catalogue import causes
from trainlab.check.compare import same_behaviour
from trainlab.check.replay import replay


@dataclass
class Diagnosis:
    id: str
    title: str
    kind: str  # 'bug', 'variant', 'convention'
    why: str
    fix: str
    evidence: str  # what was run and what it showed

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Diagnosis:
        return cls(**d)


def _usable(scenario, outputs) -> bool:
    return not outputs.skipped


def diagnose(
    rule: str,
    hp: dict,
    scenarios,
    learner: dict,
    kinds=("bug", "variant", "convention"),
    first=None,
) -> Diagnosis | None:
    """The first cause that reproduces ``learner`` (scenario name -> Outputs) everywhere.

    The scenarios run in the order given, the order the learner's rule ran them
    in (a rule that shares state between its objects carries it from one to the
    next). ``first`` is the departure (a :class:`.compare.Departure`), if any:
    the evidence quotes the cause's own number there."""
    used = [s for s in scenarios if _usable(s, learner[s.name])]
    for cause in causes(rule, hp):
        if cause.kind not in kinds:
            continue
        theirs: dict = {}
        if all(_reproduces(cause, s, learner[s.name], theirs) for s in used):
            total = sum(learner[s.name].steps for s in used)
            names = ", ".join(s.name for s in used)
            raised = [
                f"step {learner[s.name].error_step + 1} of {s.name}"
                for s in used
                if learner[s.name].error is not None
            ]
            evidence = (
                f"trainlab built {rule} with this change and ran it from the same "
                f"inputs: it gives your numbers at all {total} steps ({names})"
                + _quote(first, theirs)
                + (f", and raises where yours raises ({', '.join(raised)})" if raised else "")
            )
            return Diagnosis(cause.id, cause.title, cause.kind, cause.why, cause.fix, evidence)
    return None


def _quote(departure, outputs) -> str:
    """'; at bowl step 2, x it gives -4.0, as yours does' for a value departure."""
    if departure is None or departure.kind != "value" or departure.scenario not in outputs:
        return ""
    after = outputs[departure.scenario].after[departure.step - 1][departure.key]
    where = (
        f"{departure.key}[{', '.join(map(str, departure.index))}]"
        if departure.index
        else departure.key
    )
    return (
        f"; at {departure.scenario} step {departure.step}, {where} it gives "
        f"{float(after[departure.index]):.10g}, as yours does"
    )


def _reproduces(cause, scenario, outputs, keep: dict) -> bool:
    try:
        theirs = replay(cause.build, scenario)
    except Exception:  # noqa: BLE001 - a cause that cannot run here explains nothing
        return False
    keep[scenario.name] = theirs
    return same_behaviour(scenario, theirs, outputs)
