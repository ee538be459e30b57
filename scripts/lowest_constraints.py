"""Print pip constraints that pin every dependency of trainlab to the lowest version
its range in pyproject.toml allows (``name>=X`` becomes ``name==X``).

``make test-lowest`` installs trainlab with them, so each lower bound written in
pyproject.toml is one that is tested; the bounds stay written once, there.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ("plot", "cli", "search", "fast", "all")  # not "learn" nor "test": tools, not trainlab


def lowest(requirements) -> dict[str, str]:
    pins = {}
    for req in requirements:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*", req)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = lowest(project["dependencies"])
    for group in GROUPS:
        pins.update(lowest(project["optional-dependencies"].get(group, ())))
    for name, version in sorted(pins.items()):
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
