"""The pieces a notebook source is made of (used by ``scripts/build_notebooks.py``).

Markdown comes as a Korean/English pair. Code is written once; a piece that
differs by language is written inline as ``«한국어|English»``, so that the two
notebooks keep the same cells and the same code.
"""


def md(ko: str, en: str) -> dict:
    return {"cell_type": "markdown", "ko": ko, "en": en, "tags": []}


def code(source: str, *tags: str) -> dict:
    return {"cell_type": "code", "source": source, "tags": list(tags)}


def check(source: str) -> dict:
    """The closing cell that asserts the notebook's claim on the data it used."""
    return code(source, "check")
