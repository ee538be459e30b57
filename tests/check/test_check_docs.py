"""docs/check.md's worked example prints what ``trainlab check`` prints."""

import os
import re
import subprocess
import sys
from pathlib import Path

import trainlab

SRC = Path(trainlab.__file__).resolve().parents[1]
DOC = SRC.parent / "docs" / "check.md"


FIXTURES = Path(__file__).parent / "fixtures"


def shown_run(text, name):
    """The block that starts with ``$ trainlab check NAME``: (output, exit status)."""
    match = re.search(
        rf"```\n\$ trainlab check {re.escape(name)}\n(.*?)\n\$ echo \$\?\n(\d+)\n```",
        text,
        flags=re.S,
    )
    assert match, name
    return match.group(1), int(match.group(2))


def test_worked_example_output_is_the_commands(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    source = re.search(
        r"```python\n(import numpy as np\n\n\nclass AdaGrad.*?)\n```", text, flags=re.S
    ).group(1)
    (tmp_path / "my_adagrad.py").write_text(source + "\n", encoding="utf-8")
    fixed = (FIXTURES / "book_adagrad.py").read_text(encoding="utf-8")
    (tmp_path / "my_adagrad_fixed.py").write_text(fixed, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    for name in ("my_adagrad.py", "my_adagrad_fixed.py"):
        expected, code = shown_run(text, name)
        proc = subprocess.run(
            [sys.executable, "-m", "trainlab.cli", "check", name],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
        )
        assert proc.stdout.rstrip() == expected, proc.stdout
        assert proc.returncode == code
