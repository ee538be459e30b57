"""The documentation site as a reader meets it: built with ``mkdocs build --strict``,
opened from files (no server, no network) in headless Chromium, an equation is drawn
by the KaTeX the site serves itself, and the search box finds a rule's page.

Needs Debian's ``chromium`` and ``chromium-driver`` and KaTeX in ``build/katex/``
(``make docs`` fetches it once; the tests never reach the network).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
sys.path.insert(0, str(ROOT / "scripts"))
import check_site  # noqa: E402 - the checker lives with the build scripts, not in the package


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    p = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def browser():
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000",  # wide: the search box sits in the header
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def test_every_link_resolves_and_every_public_module_is_documented(site):
    assert check_site.broken_links(site) == []
    assert check_site.missing_modules(site) == []
    assert "trainlab.train.saved" in check_site.public_modules()  # the scan sees the package


def test_the_checker_finds_a_broken_link_and_a_missing_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#x">b</a><a href="c.html">c</a>')
    (tmp_path / "b.html").write_text('<h1 id="y">b</h1>')
    assert check_site.broken_links(tmp_path) == [
        "a.html: b.html#x: no anchor #x",
        "a.html: c.html: no such file",
    ]


def test_an_equation_is_drawn_by_the_sites_own_katex(site, browser):
    browser.get((site / "update-rules.html").as_uri())
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".katex-display .katex-html")
    )
    shown = browser.find_elements(By.CSS_SELECTOR, ".katex-display")
    assert len(shown) >= 10  # one per rule at least
    tex = [
        e.get_attribute("textContent")
        for e in browser.find_elements(By.CSS_SELECTOR, ".katex-display annotation")
    ]
    assert any(r"\frac{m}{\sqrt{v} + \epsilon}" in t for t in tex)  # Adam's step
    assert "\\[" not in browser.find_element(By.CSS_SELECTOR, "article").text  # none left raw
    loaded = browser.execute_script(
        "return [...document.querySelectorAll('script[src], link[rel=stylesheet]')]"
        ".map(e => e.src || e.href)"
    )
    assert any(n.endswith("assets/katex/katex.min.js") for n in loaded)
    assert all(n.startswith("file://") for n in loaded), loaded  # no CDN
    assert browser.execute_async_script(
        "const done = arguments[0];"
        "document.fonts.load('16px KaTeX_Main').then(f => done(f.length > 0))"
    )


@pytest.mark.parametrize(
    "query, pages",
    [
        # the rule's equation page or its API entry (the ranking between them moves
        # as pages that mention Nesterov are added)
        ("Nesterov", ("update-rules.html", "reference/optim.html")),
        ("노트북", ("ko/index.html",)),
    ],
)
def test_the_search_works_from_files(site, browser, query, pages):
    browser.get((site / "index.html").as_uri())
    box = WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "input.md-search__input")
    )
    box.click()
    box.send_keys(query)
    hits = WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item a")
    )
    targets = [h.get_attribute("href") for h in hits]
    assert any(f"/{page}" in t for t in targets for page in pages), targets
