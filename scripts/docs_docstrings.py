"""MkDocs hook: trainlab's docstrings, written for ``help()`` and doctest, read as Markdown.

The docstrings carry three things Markdown would garble, rewritten (on every
page, docstrings included, outside code fences) before Markdown reads them:

* a doctest, lines from ``>>>`` to the next blank line, becomes a ``pycon``
  code block (Markdown would take ``>>>`` for nested quotes);
* a Sphinx role such as :func:`trainlab.optim.create` becomes inline code;
* a paragraph ending in ``::`` (reStructuredText's "a literal block follows")
  ends in one colon; the indented block after it is code in Markdown too.
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.plugins import event_priority

ROLE = re.compile(r":(?:func|class|meth|mod|data|attr|exc|obj):`~?([^`]+)`")
FENCE = re.compile(r"^\s*(```|~~~)")


def rewrite(lines: list[str]) -> list[str]:
    """The three rewrites above, on a page's lines."""
    out, fenced, i = [], False, 0
    while i < len(lines):
        line = lines[i]
        if FENCE.match(line):
            fenced = not fenced
        if fenced or FENCE.match(line):
            out.append(line)
            i += 1
            continue
        if line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i])
                i += 1
            out += ["", f"{indent}```pycon", *block, f"{indent}```", ""]
            continue
        line = ROLE.sub(r"`\1`", line)
        out.append(line[:-1] if line.endswith("::") and line.strip() != "::" else line)
        i += 1
    return out


class _Docstrings(Preprocessor):
    def run(self, lines):
        return rewrite(lines)


class DocstringMarkdown(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(_Docstrings(md), "trainlab_docstrings", 40)


@event_priority(100)  # before mkdocstrings reads the list of extensions
def on_config(config, **kwargs):
    config.markdown_extensions.append(DocstringMarkdown())
    return config
