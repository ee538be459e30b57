"""The committed notebooks: built from their sources, stored without outputs, the
same cells in Korean and English, shipped with the package."""

from __future__ import annotations

import re

import nbformat
import pytest
from nb_testkit import LANGS, NOTEBOOKS, ROOT, builder, notebook_paths, read, source

NUMBERS = [f"{i:02d}" for i in range(1, 12)]


def test_eleven_notebooks_in_each_language_with_the_same_names():
    ko = [p.name for p in notebook_paths("ko")]
    en = [p.name for p in notebook_paths("en")]
    assert ko == en
    assert [name[:2] for name in en] == NUMBERS


@pytest.mark.parametrize("lang", LANGS)
def test_committed_notebooks_carry_no_outputs_or_execution_counts(lang):
    for path in notebook_paths(lang):
        for cell in read(path)["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [], f"{path.name} has outputs"
                assert cell["execution_count"] is None, f"{path.name} has an execution count"


@pytest.mark.parametrize("lang", LANGS)
def test_notebooks_are_valid_nbformat_4(lang):
    for path in notebook_paths(lang):
        nbformat.validate(nbformat.read(path, as_version=4))


def test_committed_notebooks_are_what_the_builder_makes():
    b = builder()
    assert b.stale(b.build()) == [], "run: python scripts/build_notebooks.py"


def test_korean_and_english_have_the_same_cells():
    for ko_path, en_path in zip(notebook_paths("ko"), notebook_paths("en"), strict=False):
        ko, en = read(ko_path)["cells"], read(en_path)["cells"]
        assert [(c["cell_type"], c["metadata"]) for c in ko] == [
            (c["cell_type"], c["metadata"]) for c in en
        ], ko_path.name
        for a, b in zip(ko, en, strict=False):
            if a["cell_type"] == "code":  # same code lines; only strings and comments differ
                assert len(source(a).splitlines()) == len(source(b).splitlines()), ko_path.name


def test_korean_markdown_is_korean_and_english_is_not():
    hangul = re.compile("[\uac00-\ud7a3]")
    for ko_path, en_path in zip(notebook_paths("ko"), notebook_paths("en"), strict=False):
        ko_md = [source(c) for c in read(ko_path)["cells"] if c["cell_type"] == "markdown"]
        en_md = [source(c) for c in read(en_path)["cells"] if c["cell_type"] == "markdown"]
        assert all(hangul.search(s) for s in ko_md[1:]), ko_path.name
        assert not any(hangul.search(s) for s in en_md), en_path.name


@pytest.mark.parametrize("lang", LANGS)
def test_each_notebook_ends_with_a_check_cell(lang):
    for path in notebook_paths(lang):
        code_cells = [c for c in read(path)["cells"] if c["cell_type"] == "code"]
        last = code_cells[-1]
        assert "check" in last["metadata"].get("tags", []), path.name
        assert "assert" in source(last), path.name


@pytest.mark.parametrize("lang", LANGS)
def test_first_code_cell_installs_trainlab_on_colab_only(lang):
    for path in notebook_paths(lang):
        first = next(c for c in read(path)["cells"] if c["cell_type"] == "code")
        text = source(first)
        assert 'if "google.colab" in sys.modules:' in text and "pip" in text, path.name


def test_the_own_rule_notebook_has_a_section_for_the_checker():
    for lang, title in (("ko", "trainlab check"), ("en", "Check it with trainlab check")):
        own_rule = next(p for p in notebook_paths(lang) if p.name.startswith("09-"))
        cells = read(own_rule)["cells"]
        assert any(c["cell_type"] == "markdown" and title in source(c) for c in cells)


def test_an_unbalanced_language_pair_is_refused():
    b = builder()
    assert b.localize("x = '«가|a»'", "ko") == "x = '가'"
    with pytest.raises(ValueError, match="unbalanced"):
        b.localize("x = '«가|a}'", "en")


def test_notebooks_are_package_data_and_the_top_level_folder_points_at_them():
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    assert '"notebooks/ko/*.ipynb"' in text and '"notebooks/en/*.ipynb"' in text
    top = ROOT / "notebooks"
    assert top.is_symlink() and top.resolve() == NOTEBOOKS.resolve()
