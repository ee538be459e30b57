"""Load a learner-style fixture from ``tests/check/fixtures`` as a class."""

import importlib.util
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_class(name: str, class_name: str | None = None):
    path = FIXTURES / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"check_fixture_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = [
        c for c in vars(module).values() if isinstance(c, type) and c.__module__ == module.__name__
    ]
    if class_name:
        return getattr(module, class_name)
    assert len(classes) == 1, classes
    return classes[0]
