"""The child process of ``trainlab check``: import the learner's file, check, write JSON.

Run as ``python -m trainlab.check.child FILE CLASS RULE OPTS_JSON OUT_JSON STAGES``
(empty CLASS or RULE: find it). It writes ``{"result": ...}`` or
``{"usage_error": "one line"}`` to OUT_JSON, and the name of each stage, as it
starts, to the file STAGES, so that a parent that stopped it knows where it
was. What the learner's code prints is dropped: a rule that prints in an
endless loop cannot fill the parent's memory.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

from trainlab.atomic import write_atomic
from trainlab.check.engine import check_class
from trainlab.check.replay import trainlab_frames_removed
from trainlab.check.result import Result
from trainlab.errors import ConfigError


class SeveralRules(Exception):
    def __init__(self, names):
        super().__init__(", ".join(names))
        self.names = names


class LearnerError(Exception):
    """The learner's own code raised while the file was imported."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


_stages = None


def stage(name: str) -> None:
    if _stages is not None:
        _stages.write(name + "\n")
        _stages.flush()


def load_class(path: Path, class_name: str):
    sys.path.insert(0, str(path.parent))
    # under its own name unless that would hide a module trainlab needs (json.py, ...)
    name = (
        path.stem
        if path.stem.isidentifier() and path.stem not in sys.modules
        else f"_trainlab_check_{abs(hash(path.stem))}"
    )
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    stage("importing your file")
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - the learner's code
        raise LearnerError(trainlab_frames_removed(exc)) from None
    classes = {
        n: c
        for n, c in vars(module).items()
        if isinstance(c, type) and c.__module__ == module.__name__
    }
    if class_name:
        cls = getattr(module, class_name, None)
        if not isinstance(cls, type):
            names = ", ".join(classes) or "none"
            raise ConfigError(f"{path.name} has no class {class_name} (its classes: {names})")
        return cls
    rules = [c for c in classes.values() if callable(getattr(c, "update", None))]
    if len(rules) == 1:
        return rules[0]
    if not rules:
        raise ConfigError(f"{path.name} defines no class with an update(params, grads) method")
    raise SeveralRules([c.__name__ for c in rules])


def run(path: str, class_name: str, rule: str, opts: dict) -> dict:
    file = Path(path)
    target = f"{file.name}:{class_name}" if class_name else file.name
    try:
        cls = load_class(file, class_name)
        target = f"{file.name}:{cls.__name__}"
        return {"result": check_class(cls, rule or None, opts, target, stage).to_dict()}
    except ConfigError as exc:
        return {"usage_error": str(exc)}
    except SeveralRules as exc:
        return {"several": exc.names}
    except LearnerError as exc:
        result = Result(
            target, "error", traceback=exc.text, notes=["your file raised while it was imported"]
        )
        return {"result": result.to_dict()}


def write_json(doc: dict, out: str) -> None:
    """Atomically; NaN stays NaN (Python's json reads it back), for a step that gave NaN."""
    text = json.dumps(doc).encode("utf-8")
    write_atomic(out, lambda fh: fh.write(text))


def main(argv: list[str]) -> int:
    global _stages
    path, class_name, rule, opts, out, stages = argv
    _stages = open(stages, "a", encoding="utf-8")  # noqa: SIM115 - open until exit
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - as above
    write_json(run(path, class_name, rule, json.loads(opts)), out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
