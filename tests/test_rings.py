"""The library does not depend on its command line: nothing outside ``commands``,
``cli`` and ``__main__`` (``python -m trainlab``) imports from them (checked by
reading every import in ``src``)."""

from __future__ import annotations

import ast
from pathlib import Path

import trainlab

SRC = Path(trainlab.__file__).parent
OUTER = ("trainlab.commands", "trainlab.cli")


def imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` for every import in the file, however deep in a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_only_the_command_line_imports_the_command_line():
    inner = [
        p
        for p in SRC.rglob("*.py")
        if p.relative_to(SRC).parts[0] not in ("commands", "cli.py", "__main__.py")
    ]
    assert len(inner) > 50  # the scan sees the library
    bad = [
        f"{p.relative_to(SRC)}:{line} imports {name}"
        for p in inner
        for line, name in imports(p)
        if name.startswith(OUTER)
    ]
    assert not bad, "the library imports the command line:\n" + "\n".join(bad)


def test_the_scan_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from trainlab.commands._args import scalar\n")
    assert (2, "trainlab.commands._args") in imports(sample)
