"""The extras in pyproject.toml: they compose, ``all`` is the union of the others,
and the ``learn`` extra holds every package the notebooks import."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
EXTRAS = PROJECT["optional-dependencies"]
SELF = re.compile(r"^trainlab\[([a-z,]+)\]$")

# the distribution that provides each module a notebook imports, written out here
PROVIDER = {
    "numpy": "numpy",
    "matplotlib": "matplotlib",
    "tqdm": "tqdm",
    "optuna": "optuna",
    "ipywidgets": "ipywidgets",
    "IPython": "ipykernel",
}


def name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()


def expand(extra: str) -> set[str]:
    """The distributions an extra installs, through its ``trainlab[...]`` references."""
    out = set()
    for req in EXTRAS[extra]:
        inner = SELF.match(req)
        if inner:
            for other in inner.group(1).split(","):
                out |= expand(other)
        else:
            out.add(name(req))
    return out


def test_all_is_the_union_of_the_other_extras():
    others = set(EXTRAS) - {"all", "test", "docs"}  # docs and test: the developers' extras
    assert others == {"plot", "cli", "search", "fast", "learn"}
    union = set().union(*(expand(e) for e in others))
    assert expand("all") == union
    assert EXTRAS["all"] == ["trainlab[plot,cli,search,fast,learn]"]  # composed, not repeated


def test_no_extra_lists_a_package_another_one_brings():
    every = [name(r) for reqs in EXTRAS.values() for r in reqs]
    assert "pillow" not in every  # matplotlib's own dependency
    for extra in EXTRAS:
        plain = [name(r) for r in EXTRAS[extra] if not SELF.match(r)]
        assert len(plain) == len(set(plain)), extra


def test_the_test_extra_installs_everything_the_users_get():
    assert expand("all") <= expand("test")


def imports(text: str) -> set[str]:
    """The top-level modules a piece of Python imports, however deep in a function,
    other than the standard library and trainlab itself."""
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"trainlab", "google"}


def notebook_code(path: Path) -> str:
    """A notebook's code cells, without the IPython magics (``%matplotlib inline``)."""
    cells = json.loads(path.read_text("utf-8"))["cells"]
    lines = [
        line
        for cell in cells
        if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if not line.lstrip().startswith("%")
    ]
    return "\n".join(lines)


def test_the_learn_extra_holds_what_the_notebooks_import():
    """The notebooks' cells, and trainlab.notebooks, which holds what they call."""
    folder = ROOT / "src" / "trainlab" / "notebooks"
    paths = sorted(folder.glob("*/[0-9][0-9]-*.ipynb"))
    assert len(paths) == 22  # eleven notebooks in two languages
    imported = set().union(*(imports(notebook_code(p)) for p in paths))
    imported |= set().union(*(imports(p.read_text("utf-8")) for p in folder.glob("*.py")))
    assert {"optuna", "ipywidgets", "IPython"} <= imported  # the scan sees the notebooks
    unknown = imported - set(PROVIDER)
    assert not unknown, f"add the providers of {sorted(unknown)} to PROVIDER and to an extra"
    have = expand("learn") | {name(r) for r in PROJECT["dependencies"]}
    missing = {m: PROVIDER[m] for m in imported if PROVIDER[m] not in have}
    assert not missing, f"the learn extra lacks {missing}"
