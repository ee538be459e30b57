"""Check a built documentation site: every internal link and anchor resolves, and
every public module of trainlab has its section in the API reference.

    python scripts/check_site.py [SITE_DIR]      (default: site)

Prints one line per broken link or missing module and exits 1 when there is any;
links to other sites (http, https, mailto) are not followed.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SRC = Path(__file__).resolve().parents[1] / "src" / "trainlab"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag in ("a",) else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        for key in ("href", "src"):
            if attrs.get(key) is not None and tag in ("a", "link", "script", "img"):
                self.links.append(attrs[key])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path) -> list[str]:
    pages = {p.resolve(): _parse(p) for p in site.rglob("*.html")}
    bad = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:", "javascript:")):
                continue
            base = site.resolve() if parts.path.startswith("/") else path.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site.resolve())}: {link}"
            if not target.is_file():
                bad.append(f"{where}: no such file")
            elif parts.fragment and target in pages and parts.fragment not in pages[target].ids:
                bad.append(f"{where}: no anchor #{parts.fragment}")
    return bad


def public_modules() -> list[str]:
    """``trainlab.x.y`` for every module file under src/trainlab with no ``_`` part."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(p.startswith("_") for p in parts):
            out.append(".".join(parts))
    return out


def missing_modules(site: Path) -> list[str]:
    ids = set().union(*(_parse(p).ids for p in (site / "reference").glob("*.html")))
    return [f"API reference: no section for module {m}" for m in public_modules() if m not in ids]


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    if not (site / "index.html").is_file():
        print(f"{site} holds no built site; run make docs first")
        return 1
    problems = broken_links(site) + missing_modules(site)
    for line in problems:
        print(line)
    pages = sum(1 for _ in site.rglob("*.html"))
    print(f"{site}: {pages} pages, {len(public_modules())} modules, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
