"""The notebooks as a learner meets them: ``trainlab lab`` starts JupyterLab on
127.0.0.1, headless Chromium opens a notebook, runs every cell, moves a control,
and the figure changes.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them).
``TRAINLAB_SCREENSHOTS=DIR`` also saves the landscape widget's picture there
(``docs/images/lab-landscape.png`` is made this way).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from trainlab.commands.lab import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
START_TIMEOUT = 180
RUN_TIMEOUT = 240


def _wait_for_url(proc) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("JupyterLab: "):
            return line.split(" ", 1)[1].strip()
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"trainlab lab printed no URL (exit status {proc.poll()})")


def _wait_until_serving(base: str, token: str, proc) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert proc.poll() is None, "JupyterLab exited"
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise AssertionError("JupyterLab did not answer in time")


def _processes_mentioning(text: str, wait: float) -> list[str]:
    """Command lines of live processes that contain ``text`` (after up to ``wait`` s)."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                line = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in line:
                found.append(line[:200])
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``trainlab lab`` on a free port: Korean notebooks at the top, English in en/."""
    tmp = tmp_path_factory.mktemp("lab")
    folder = tmp / "notebooks"
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
    }
    cli = [sys.executable, "-m", "trainlab.cli", "lab"]
    subprocess.run(
        [*cli, str(folder / "en"), "--lang", "en", "--copy-only"],
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    proc = subprocess.Popen(
        [*cli, str(folder), "--lang", "ko", "--no-browser", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=open(tmp / "jupyter.log", "w"),
        text=True,
    )
    try:
        url = _wait_for_url(proc)
        assert url.startswith(f"http://127.0.0.1:{port}/lab?token=")
        token = url.split("token=", 1)[1]
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(base, token, proc)
        yield base, token
    finally:
        proc.terminate()  # trainlab passes it on: JupyterLab stops with its kernels
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        left = _processes_mentioning(str(tmp), wait=30)
        assert left == [], f"still running after trainlab lab stopped: {left}"


@pytest.fixture(scope="module")
def browser():
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1100",
        "--lang=ko-KR",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def open_and_run_all(driver, base, token, path, done_text):
    """Open ``path`` in JupyterLab, choose Run ▸ Run All Cells, wait for ``done_text``."""
    driver.get(f"{base}/lab/tree/{path}?token={token}")
    wait = WebDriverWait(driver, START_TIMEOUT)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-Cell"))
    time.sleep(2)  # let the notebook panel finish its first layout
    menu = next(
        m
        for m in driver.find_elements(By.CSS_SELECTOR, "#jp-MainMenu .lm-MenuBar-item")
        if m.text.strip() in ("Run", "실행")
    )
    menu.click()
    WebDriverWait(driver, 20).until(
        lambda d: d.find_elements(
            By.CSS_SELECTOR, 'li.lm-Menu-item[data-command="runmenu:run-all"]'
        )
    )
    driver.find_element(By.CSS_SELECTOR, 'li.lm-Menu-item[data-command="runmenu:run-all"]').click()

    def finished(d):
        text = " ".join(o.text for o in d.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output"))
        assert "Error" not in text or "AssertionError" not in text, text[-2000:]
        return done_text in text

    try:
        WebDriverWait(driver, RUN_TIMEOUT).until(finished)
    except TimeoutException:
        driver.save_screenshot(os.path.join(os.environ.get("TMPDIR", "/tmp"), "lab-failed.png"))
        outputs = [o.text for o in driver.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output")]
        raise AssertionError(
            f"{path}: {done_text!r} never printed; outputs: {outputs[-3:]}"
        ) from None


def widget_image(driver, index: int = 0):
    imgs = driver.find_elements(By.CSS_SELECTOR, "img.widget-image")
    assert len(imgs) > index, "the widget's image did not render"
    return imgs[index]


def image_fingerprint(driver, img) -> str:
    """The src and a hash of the bytes the browser shows."""
    data = driver.execute_async_script(
        "const [img, done] = arguments;"
        "fetch(img.src).then(r => r.arrayBuffer())"
        ".then(b => done(Array.from(new Uint8Array(b)).join(',')))",
        img,
    )
    return img.get_attribute("src") + hashlib.sha256(data.encode()).hexdigest()


def wait_for_change(driver, get_img, before: str, timeout: int = 60) -> str:
    def changed(d):
        try:
            now = image_fingerprint(d, get_img())
        except StaleElementReferenceException:
            return False
        return now if now != before else False

    return WebDriverWait(driver, timeout).until(changed)


def test_korean_notebook_renders_korean_text(server, browser):
    base, token = server
    browser.get(f"{base}/lab/tree/01-sgd-weakness.ipynb?token={token}")
    WebDriverWait(browser, START_TIMEOUT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".jp-RenderedMarkdown h1")
    )
    title = browser.find_element(By.CSS_SELECTOR, ".jp-RenderedMarkdown h1").text
    assert "SGD의 약점" in title
    # Hangul drawn with the page's sans-serif font differs from the box drawn for a
    # code point no font has, and two syllables differ from each other: real glyphs
    pixels = browser.execute_script(
        "return arguments[0].map(ch => { const c = document.createElement('canvas');"
        "c.width = c.height = 48; const x = c.getContext('2d'); x.font = '36px sans-serif';"
        "x.fillText(ch, 4, 40); return c.toDataURL(); });",
        ["한", "글", "\u0378"],
    )
    assert pixels[0] != pixels[2] and pixels[0] != pixels[1]


def test_moving_the_lr_slider_redraws_the_landscape(server, browser, tmp_path):
    base, token = server
    open_and_run_all(browser, base, token, "01-sgd-weakness.ipynb", "확인: SGD는 지그재그")
    before = image_fingerprint(browser, widget_image(browser))
    slider = next(
        s
        for s in browser.find_elements(By.CSS_SELECTOR, ".widget-hslider")
        if s.find_element(By.CSS_SELECTOR, ".widget-label").text == "학습률"
    )
    readout = slider.find_element(By.CSS_SELECTOR, ".widget-readout")
    assert float(readout.text) == 0.95  # SGD at the notes' lr
    handle = slider.find_element(By.CSS_SELECTOR, ".noUi-handle")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", handle)
    handle.click()
    for _ in range(6):
        handle.send_keys(Keys.ARROW_LEFT)  # SGD's lr, down
    wait_for_change(browser, lambda: widget_image(browser), before)
    assert float(readout.text) < 0.95


def test_choosing_a_weight_scale_redraws_the_histograms(server, browser):
    base, token = server
    open_and_run_all(
        browser, base, token, "03-initial-weights.ipynb", "확인: 초깃값이 분포와 학습을 결정합니다"
    )
    # the notebook's own figure (training with std 0.01, Xavier, He; plt.show() after
    # trainlab has drawn its widgets) is on the page, as a picture the browser decoded
    shown = browser.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output.jp-RenderedImage img")
    assert shown, "the cell that calls plt.show() shows no image"
    assert browser.execute_script("return arguments[0].naturalWidth", shown[-1]) > 200
    before = image_fingerprint(browser, widget_image(browser))
    button = next(
        b
        for b in browser.find_elements(By.CSS_SELECTOR, ".widget-toggle-button")
        if b.text.strip() == "std 0.01"
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    after = wait_for_change(browser, lambda: widget_image(browser), before)
    button = next(
        b
        for b in browser.find_elements(By.CSS_SELECTOR, ".widget-toggle-button")
        if b.text.strip() == "relu"
    )
    button.click()
    wait_for_change(browser, lambda: widget_image(browser), after)


def test_screenshot_of_the_english_landscape_widget(server, browser, tmp_path):
    base, token = server
    open_and_run_all(browser, base, token, "en/01-sgd-weakness.ipynb", "checked: SGD zig-zags")
    img = widget_image(browser)
    box = img.find_element(By.XPATH, "ancestor::div[contains(@class, 'widget-vbox')][1]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'});", box)
    time.sleep(0.5)
    shot = tmp_path / "lab-landscape.png"
    assert box.screenshot(str(shot)) and shot.stat().st_size > 20_000
    target = os.environ.get("TRAINLAB_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(target) / shot.name)
