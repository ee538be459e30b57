"""The notebooks' first code cell, run as Colab would run it: trainlab is on no
package index, so the cell installs a wheel the learner uploaded, with the ``learn``
extra, or says in one message what to build and upload. Elsewhere it does nothing."""

from __future__ import annotations

import sys
import types

import pytest
from nb_testkit import LANGS, notebook_paths, read, source


class Shell:
    """Stands in for IPython's ``get_ipython()``: records the line magics it is given."""

    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line):
        self.magics.append((name, line))


def first_code_cell(path) -> str:
    return source(next(c for c in read(path)["cells"] if c["cell_type"] == "code"))


def run_cell(text: str) -> Shell:
    shell = Shell()
    exec(compile(text, "<colab cell>", "exec"), {"get_ipython": lambda: shell})
    return shell


@pytest.fixture
def on_colab(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("lang", LANGS)
def test_on_colab_the_uploaded_wheel_is_installed_with_the_learn_extra(lang, on_colab):
    (on_colab / "trainlab-0.1.0-py3-none-any.whl").write_bytes(b"")
    for path in notebook_paths(lang):
        shell = run_cell(first_code_cell(path))
        assert shell.magics == [("pip", "install -q 'trainlab-0.1.0-py3-none-any.whl[learn]'")]


@pytest.mark.parametrize(
    ("lang", "words"), [("ko", ["PyPI에 없습니다", "python -m build"]), ("en", ["not on PyPI"])]
)
def test_on_colab_without_a_wheel_the_cell_says_what_to_build_and_upload(lang, words, on_colab):
    for path in notebook_paths(lang):
        with pytest.raises(FileNotFoundError) as err:
            run_cell(first_code_cell(path))
        message = str(err.value)
        assert "\n" not in message
        for word in [*words, "python -m build", "dist/trainlab-*.whl"]:
            assert word in message, path.name


def test_outside_colab_the_cell_installs_nothing(monkeypatch, tmp_path):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.chdir(tmp_path)
    for lang in LANGS:
        for path in notebook_paths(lang):
            assert run_cell(first_code_cell(path)).magics == []
