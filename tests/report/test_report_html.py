"""``trainlab report``: one valid, self-contained page rebuilt from saved runs alone."""

from __future__ import annotations

import base64
import contextlib
import html
import io
import re
from html.parser import HTMLParser

import numpy as np
import pytest

from trainlab.io import read_json, write_json

HANGUL = re.compile("[\uac00-\ud7a3]")


def cli(*args):
    from trainlab.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


class Page(HTMLParser):
    """Tags must balance; collects image sources and every src/href."""

    VOID = {"meta", "img", "br", "hr", "link", "input", "source", "wbr", "col", "area"}

    def __init__(self, text):
        super().__init__()
        self.stack, self.errors, self.images, self.refs, self.scripts = [], [], [], [], 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.images.append(a["src"])
        if tag == "script":
            self.scripts += 1
        self.refs += [v for k, v in attrs if k in ("src", "href") and v]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    @property
    def embedded(self) -> dict[bytes, str]:
        out = {}
        for src in self.images:
            m = re.fullmatch(r"data:(image/(?:png|gif));base64,([A-Za-z0-9+/=]+)", src)
            assert m, src[:60]
            out[base64.b64decode(m.group(2))] = m.group(1)
        return out


def _figure(path, gif=False):
    from PIL import Image

    img = Image.fromarray((np.arange(48 * 64).reshape(48, 64) % 256).astype(np.uint8))
    if gif:
        frames = [img, Image.fromarray(255 - np.asarray(img))]
        frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    else:
        img.save(path)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """Two real experiment runs, a landscape run with a GIF, a nested unknown kind."""
    root = tmp_path_factory.mktemp("runs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAINLAB_CACHE", str(root / ".cache"))
        for args in (
            ["lr-diagnosis", "--quick", "--set", "epochs=3"],
            ["init-histogram", "--set", "activations=sigmoid", "--set", "inits=1,0.01"],
        ):
            code, _, err = cli("run", *args, "--out", root / args[0], "--quiet")
            assert code == 0, err
    land = root / "landscape-bowl"
    land.mkdir()
    write_json(land / "config.json", {"kind": "landscape", "function": "bowl"})
    write_json(land / "metrics.json", {"summary": {"SGD final f": 0.125, "Adam steps": 30}})
    _figure(land / "paths.png")
    _figure(land / "paths.gif", gif=True)
    bench = root / "more" / "bench-1"
    bench.mkdir(parents=True)
    write_json(bench / "config.json", {"kind": "benchmark"})
    write_json(bench / "metrics.json", {"summary": {"steps per second": 1234.0, "rule": "adam"}})
    _figure(bench / "speed.png")
    hidden = root / ".trash"
    hidden.mkdir()
    write_json(hidden / "config.json", {"kind": "hidden-kind"})
    write_json(hidden / "metrics.json", {"summary": {}})
    return root


def test_page_is_valid_and_self_contained(tree, tmp_path):
    out = tmp_path / "r.html"
    code, stdout, err = cli("report", tree, "--out", out)
    assert code == 0, err
    assert stdout.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert not page.errors and not page.stack, (page.errors, page.stack)
    assert text.startswith("<!DOCTYPE html>") and page.scripts == 0
    assert all(not re.match(r"(https?:)?//", r, re.I) for r in page.refs)
    assert all(r.startswith(("data:", "#")) for r in page.refs)
    embedded = page.embedded
    figures = [
        p for p in tree.rglob("*") if p.suffix in (".png", ".gif") and ".trash" not in p.parts
    ]
    assert len(figures) == 7  # lr-diagnosis 2, init-histogram 2, landscape 2, benchmark 1
    for f in figures:
        assert embedded.get(f.read_bytes()) == ("image/gif" if f.suffix == ".gif" else "image/png")


def test_every_run_gets_a_section_with_its_numbers(tree, tmp_path):
    out = tmp_path / "r.html"
    assert cli("report", tree, "--out", out)[0] == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("<section") == 4  # the hidden folder is skipped
    assert "Reading the loss curve" in text and "Initial weights: activation histograms" in text
    assert "SGD zigzags" in text  # landscape has its own explanation
    assert "<h2>Benchmark</h2>" in text  # unknown kind: a title from the kind
    assert '<td class="num">1234</td>' in text and "<td>adam</td>" in text
    assert "<code>more/bench-1</code>" in text
    summary = read_json(tree / "lr-diagnosis" / "metrics.json")["summary"]
    assert all(html.escape(v) in text for v in summary.values())  # verdicts in the table


def test_korean_explanations(tree, tmp_path):
    en, ko = tmp_path / "en.html", tmp_path / "ko.html"
    assert cli("report", tree, "--out", en)[0] == 0
    assert cli("report", tree, "--lang", "ko", "--out", ko)[0] == 0
    text_ko, text_en = ko.read_text(encoding="utf-8"), en.read_text(encoding="utf-8")
    assert '<html lang="ko">' in text_ko and '<html lang="en">' in text_en
    assert "빨간색" in text_ko and "목차" in text_ko  # the lecture's "red line", contents
    assert "기울기 소실" in text_ko  # the notes' words for the std-1 histograms
    assert not HANGUL.search(text_en)
    assert not Page(text_ko).errors


def test_rebuilt_from_saved_metrics_without_training(tree, tmp_path, monkeypatch):
    import dataclasses

    import trainlab.experiments.batch as batch
    import trainlab.experiments.registry as registry
    import trainlab.train.trainer as trainer

    def refuse(*a, **k):
        raise AssertionError("the report must not train")

    monkeypatch.setattr(trainer.Trainer, "train", refuse)
    monkeypatch.setattr(batch, "run", refuse)
    for name, experiment in registry.EXPERIMENTS.items():  # what trains
        monkeypatch.setitem(registry.EXPERIMENTS, name, dataclasses.replace(experiment, job=refuse))
    folder = tmp_path / "copy"
    import shutil

    shutil.copytree(tree / "lr-diagnosis", folder / "lr-diagnosis")
    png = folder / "lr-diagnosis" / "lr_diagnosis.png"
    saved = (folder / "lr-diagnosis" / "metrics.json").read_bytes()
    png.unlink()
    (folder / "lr-diagnosis" / "lr_sharpness.png").unlink()  # a folder with no figure left
    code, _, err = cli("report", folder)
    assert code == 0, err
    assert png.is_file()  # redrawn from metrics.json
    assert (folder / "lr-diagnosis" / "metrics.json").read_bytes() == saved
    page = Page((folder / "report.html").read_text(encoding="utf-8"))
    assert png.read_bytes() in page.embedded


def test_bad_report_input_is_one_line_and_exit_2(tmp_path):
    code, _, err = cli("report", tmp_path / "missing")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "not a folder" in err
    code, _, err = cli("report", tmp_path, "--lang", "fr")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_an_empty_folder_gives_a_page_that_says_so(tmp_path):
    code, stdout, _ = cli("report", tmp_path)
    assert code == 0
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "No run folders" in text and not Page(text).errors
