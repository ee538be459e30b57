"""The shape of trainlab's code, read with ``ast`` from every module in ``src/trainlab``:

* no import circle among trainlab's modules (an import inside a function counts,
  and so does a package ``__init__`` that re-exports a module);
* no private name (``_x``) imported from another trainlab module;
* no private attribute reached on another object: ``obj._x``, ``module._x`` or
  ``getattr(obj, "_x")``, unless this module defines ``_x`` itself, or ``_x`` is
  one of the :data:`HOOKS` a protocol's subclasses override; optuna's private
  names only in ``tune/optuna_adapter.py``;
* trainlab's modules imported at the top of a module, except where :data:`LAZY`
  says why (a command's engine, the package's names loaded on first use, numba);
* functions of at most 60 lines (the ``def`` line and the docstring counted) and
  modules of at most 300 lines, except the :data:`CATALOGUES` that
  ``docs/development.md`` names.

:data:`KNOWN` lists the violations that remain today, each with the part of the
code it belongs to; the test fails on any other violation, and on a KNOWN entry
that is no longer one, so the list only shrinks.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import trainlab

SRC = Path(trainlab.__file__).parent
DOCS = Path(__file__).resolve().parents[1] / "docs" / "development.md"
MAX_FUNCTION = 60
MAX_MODULE = 300

#: modules that are one catalogue (a table of functions or texts), allowed over 300 lines
CATALOGUES = {
    "trainlab.check.catalogue": "check/catalogue.py",
    "trainlab.report.figure_ko": "report/figure_ko.py",
}

#: documented hooks of a protocol, which subclasses override and its engine calls
HOOKS = {
    "_apply",  # Optimizer: the rule's update of one parameter, as the notes write it
    "_kernel",  # Optimizer: the fused form of _apply (trainlab.kernels)
    "_init_state",  # Optimizer: a parameter's fresh state (velocity, moments)
}

#: where another library's private names may be used: optuna's, behind one adapter
FOREIGN = {"trainlab.tune.optuna_adapter": {"_storage", "_get_stale_trial_ids"}}

#: today's violations outside the files already reworked, each with the part of the
#: code it belongs to; emptied as that work lands
KNOWN: dict[str, str] = {}


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module

    @property
    def package(self) -> str:
        """The package that relative imports start from."""
        return self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]


def read_modules(src: Path = SRC, top: str = "trainlab") -> dict[str, Module]:
    modules = {}
    for path in sorted(src.rglob("*.py")):
        parts = (top, *path.relative_to(src).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8")))
    return modules


def imported(module: Module, node: ast.ImportFrom) -> str:
    """The absolute name of the module an ``import from`` reads."""
    if not node.level:
        return node.module or ""
    base = module.package.split(".")[: len(module.package.split(".")) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def owner(name: str, modules: dict) -> str | None:
    """The trainlab module that ``name`` (a module, or a name in one) lives in."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def edges(module: Module, modules: dict) -> set[str]:
    """The trainlab modules that ``module`` imports, at any depth."""
    out = set()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            out |= {owner(a.name, modules) for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = imported(module, node)
            out |= {owner(f"{base}.{a.name}", modules) for a in node.names}
    return out - {None, module.name}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def private_imports(module: Module, modules: dict) -> list[str]:
    out = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            base = imported(module, node)
            if base.startswith("trainlab") and owner(base, modules) != module.name:
                out += [
                    f"{module.name} imports {base}.{a.name}" for a in node.names if private(a.name)
                ]
    return out


def defined(tree: ast.Module) -> set[str]:
    """Names this module defines: functions, classes, assigned names, ``self._x``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                names.add(node.attr)
    return names


def own(value: ast.expr) -> bool:
    """``self``, ``cls`` or ``super()``: the object's own attributes."""
    if isinstance(value, ast.Name):
        return value.id in ("self", "cls")
    return isinstance(value, ast.Call) and getattr(value.func, "id", None) == "super"


def reached(tree: ast.Module) -> list[tuple[str, str]]:
    """``(object, name)`` for every private attribute reached on an object not its own."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr) and not own(node.value):
            out.append((ast.unparse(node.value), node.attr))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in ("getattr", "hasattr", "setattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and private(node.args[1].value)
            and not own(node.args[0])
        ):
            out.append((ast.unparse(node.args[0]), node.args[1].value))
    return out


def private_attributes(module: Module) -> set[str]:
    allowed = defined(module.tree) | HOOKS | FOREIGN.get(module.name, set())
    return {
        f"{module.name} reaches {obj}.{name}"
        for obj, name in reached(module.tree)
        if name not in allowed
    }


def long_pieces(module: Module) -> list[str]:
    out = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}.{child.name}"
                size = child.end_lineno - child.lineno + 1
                if not isinstance(child, ast.ClassDef) and size > MAX_FUNCTION:
                    out.append(f"{name} is longer than {MAX_FUNCTION} lines")
                walk(child, name)
            else:
                walk(child, prefix)

    walk(module.tree, module.name)
    lines = len(module.path.read_text(encoding="utf-8").splitlines())
    if lines > MAX_MODULE and module.name not in CATALOGUES:
        out.append(f"{module.name} is longer than {MAX_MODULE} lines")
    return out


def violations(modules: dict[str, Module]) -> set[str]:
    graph = {name: edges(m, modules) for name, m in modules.items()}
    found = {"circle: " + ", ".join(c) for c in circles(graph)}
    for m in modules.values():
        found.update(private_imports(m, modules))
        found.update(private_attributes(m))
        found.update(long_pieces(m))
    return found


@pytest.fixture(scope="module")
def found() -> set[str]:
    modules = read_modules()
    assert len(modules) > 100  # the scan sees the library
    return violations(modules)


def test_no_new_circle_private_name_or_long_piece(found):
    new = sorted(found - set(KNOWN))
    assert not new, "fix these (see this test's docstring):\n" + "\n".join(new)


def test_the_known_list_only_shrinks(found):
    gone = sorted(set(KNOWN) - found)
    assert not gone, "no longer violations: remove them from KNOWN:\n" + "\n".join(gone)


def test_the_catalogues_are_the_ones_development_md_names():
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("### Modules over 300 lines", 1)[1].split("\n### ", 1)[0]
    for path in CATALOGUES.values():
        assert f"`{path}`" in section, f"docs/development.md does not name {path}"


# -- the checks themselves, on small made-up packages --------------------------------------
def scan(tmp_path, files: dict[str, str]) -> set[str]:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return violations(read_modules(tmp_path, "trainlab"))


def test_a_circle_through_a_function_and_a_package_init_is_found(tmp_path):
    found = scan(
        tmp_path,
        {
            "__init__.py": "",
            "pkg/__init__.py": "from trainlab.pkg.a import f\n",
            "pkg/a.py": "def f():\n    from trainlab.b import g\n",
            "b.py": "from trainlab.pkg import f\n",
        },
    )
    assert "circle: trainlab.b, trainlab.pkg, trainlab.pkg.a" in found


def test_private_names_imported_or_reached_are_found(tmp_path):
    found = scan(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "_x = 1\nclass A:\n    def f(self, other):\n        return other._y\n",
            "b.py": (
                "import argparse\nfrom trainlab.a import _x\nfrom . import a\n"
                "class B:\n    def __init__(self):\n        self._own = a._x\n"
                "    def g(self, o):\n        return self._own, o._own, o._apply(), "
                "argparse._StoreTrueAction, getattr(o, '_z')\n"
            ),
        },
    )
    assert found == {
        "trainlab.b imports trainlab.a._x",
        "trainlab.a reaches other._y",
        "trainlab.b reaches a._x",
        "trainlab.b reaches argparse._StoreTrueAction",
        "trainlab.b reaches o._z",
    }


def test_long_functions_and_modules_are_found(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(60))
    found = scan(tmp_path, {"__init__.py": "", "a.py": "def f():\n" + body + "\n" * 240})
    assert found == {
        "trainlab.a.f is longer than 60 lines",
        "trainlab.a is longer than 300 lines",
    }


#: where a trainlab module may be imported inside a function, and why
LAZY = {
    # a command imports its engine when it runs, so `trainlab --help` stays fast
    **{f"trainlab.commands.{c}.run": 1 for c in ("benchmark", "lrfind", "train", "tune")},
    "trainlab.__getattr__": 3,  # the package's names loaded on first use: import trainlab is light
    "trainlab.kernels.dispatch._load": 1,  # the numba kernels, compiled only when used
}


def inner_imports(modules: dict[str, Module]) -> dict[str, int]:
    """``module.function`` → how many trainlab modules it imports inside its body."""
    found: dict[str, int] = {}
    for module in modules.values():
        for node in ast.walk(module.tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom):
                    ours = bool(inner.level) or (inner.module or "").startswith("trainlab")
                elif isinstance(inner, ast.Import):
                    ours = any(a.name.startswith("trainlab") for a in inner.names)
                else:
                    continue
                if ours:
                    key = f"{module.name}.{node.name}"
                    found[key] = found.get(key, 0) + 1
    return found


def test_trainlab_modules_are_imported_at_the_top_but_where_lazy_says_why():
    found = inner_imports(read_modules())
    assert found == LAZY, "imports inside functions: " + ", ".join(
        f"{k} ({v})" for k, v in sorted(found.items()) if LAZY.get(k) != v
    )


def test_the_lazy_import_check_sees_imports_in_functions(tmp_path):
    (tmp_path / "a.py").write_text("def f():\n    from trainlab import b\n    import trainlab.c\n")
    assert inner_imports(read_modules(tmp_path, "pkg")) == {"pkg.a.f": 2}
