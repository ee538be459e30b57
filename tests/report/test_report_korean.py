"""``trainlab report --lang ko``: the figures, their captions and the key-number
tables are Korean, drawn in a CJK font; the run folders and the English report
are left as they were."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

import trainlab.report.html as report_html
import trainlab.report.korean_figures as korean_figures
from trainlab.experiments.registry import EXPERIMENTS
from trainlab.notebooks.fonts import find_korean_family
from trainlab.optim import RULES
from trainlab.report.figure_ko import CAPTIONS, KEEP, PHRASES, RULE_KEYS
from trainlab.report.korean_figures import NO_FONT, KoreanFigures, Translator

HANGUL = re.compile("[\uac00-\ud7a3]")
RELEASE = Path(__file__).parents[1] / "fixtures" / "release-0.1.0"
#: every experiment, shrunk so that the whole set runs in seconds
SMALL = {
    "optimizer-compare": ["iterations=60"],
    "init-compare": ["iterations=60"],
    "batchnorm": ["epochs=2", "train_size=200"],
    "overfit": ["epochs=5"],
    "batch-size": ["epochs=2"],
    "adaptive-vs-sgd": ["epochs=2", "train_size=500"],
    "lecture-additions": ["epochs=3", "train_size=400"],
    "lr-diagnosis": ["epochs=3"],
    "loss-surface": ["epochs=2", "large_epochs=4"],
}


def cli(*args):
    from trainlab.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def files(root) -> dict:
    """Every file under ``root`` (the reports written there left out) → its bytes."""
    return {
        p.relative_to(root): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "report.html"
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A run folder of every experiment, from its quick settings, shrunk."""
    root = tmp_path_factory.mktemp("runs")
    sets = [f"--set={name}.{kv}" for name, kvs in SMALL.items() for kv in kvs]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAINLAB_CACHE", str(root / ".cache"))
        code, _, err = cli("run", "all", "--quick", *sets, "--out", root / "all", "--quiet")
    assert code == 0, err
    tiny = ["--hidden", "8", "--epochs", "2", "--quiet", "--out"]
    csv = RELEASE / "houses.csv"
    for argv in (
        ["--train-size", "200", *tiny, root / "all" / "train-digits"],
        [
            "--data",
            csv,
            "--target",
            "price",
            "--batch-size",
            "16",
            *tiny,
            root / "all" / "train-csv",
        ],
    ):
        code, _, err = cli("train", *argv)
        assert code == 0, err
    shutil.copytree(RELEASE / "digits-checkpointed", root / "all" / "train-0.1.0")
    code, _, err = cli("landscape", "--steps", "20", "--out", root / "all" / "landscape")
    assert code == 0, err
    problems = ["--problems", "digits,noisy-quadratic", "--optimizers", "sgd,adam"]
    bench = ["benchmark", "--quick", *problems, "--seeds", "2", "--quiet"]
    code, _, err = cli(*bench, "--out", root / "all" / "benchmark")
    assert code == 0, err
    search = ["tune", "--trials", "3", "--epochs", "2", "--train-size", "100", "--hidden", "8"]
    code, _, err = cli(*search, "--quiet", "--out", root / "all" / "tune")  # its journal there
    assert code == 0, err
    return root / "all"


@pytest.fixture(scope="module")
def korean(runs, tmp_path_factory):
    """The Korean report of ``runs``, with the figure maker it drew with."""
    made = []

    def keep(warn):
        made.append(korean_figures.korean_figures(warn))
        return made[-1]

    before = files(runs)
    out = tmp_path_factory.mktemp("ko") / "ko.html"
    warned: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report_html, "korean_figures", keep)
        report_html.build(runs, out, lang="ko", warn=warned.append)
    assert files(runs) == before  # nothing drawn into the run folders
    return out.read_text(encoding="utf-8"), made[0], warned


def test_every_text_drawn_in_every_figure_is_korean(korean):
    _, figures, warned = korean
    assert warned == []
    assert figures.translate.untranslated == []
    assert figures.drawn  # the figures were redrawn, and their texts seen


def test_a_train_runs_training_figure_is_redrawn_in_korean_from_its_metrics(korean):
    page, _, _ = korean
    # the two runs of today and the 0.1.0 run, whose folder keeps no training.png
    assert page.count(f"<figcaption>{CAPTIONS['training.png']} (training.png)") == 3


def test_the_korean_texts_are_drawn_in_the_cjk_family(korean):
    # make test installs fonts-noto-cjk (scripts/system-deps.sh): the font is there
    assert find_korean_family() is not None, "no CJK font: apt-get install fonts-noto-cjk"
    _, figures, _ = korean
    assert figures.fonts == {find_korean_family()}


def test_captions_and_key_numbers_are_korean(korean, runs):
    page, _, _ = korean
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    pngs = {p.name for p in runs.rglob("*.png")}
    assert len(captions) == len(list(runs.rglob("*.png"))) + 1  # + the 0.1.0 run's, redrawn
    assert pngs <= set(CAPTIONS)  # every figure an experiment draws has its caption
    assert all(HANGUL.search(c) for c in captions)
    tables = re.findall(r"<table><caption>주요 수치</caption>(.*?)</table>", page)
    assert len(tables) == len(EXPERIMENTS) + 3 + 3  # 3 train runs, landscape, benchmark, tune
    for table in tables:
        for label in re.findall(r"<th>(.*?)</th>", table):
            assert HANGUL.search(label), label


def test_the_english_report_is_unchanged_and_draws_nothing(runs, tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("the English report must not redraw figures that exist")

    monkeypatch.setattr(KoreanFigures, "redraw", refuse)
    monkeypatch.setattr("trainlab.experiments.folder.replot", refuse)
    out = tmp_path / "en.html"
    before = files(runs)
    code, _, err = cli("report", runs, "--out", out)
    assert code == 0 and err == ""
    page = out.read_text(encoding="utf-8")
    assert "<th>SGD final loss</th>" in page and "<th>batch 16: sharpness</th>" in page
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert sorted(captions) == sorted(p.name for p in runs.rglob("*.png"))
    assert files(runs) == before


def test_without_a_cjk_font_one_line_says_what_to_install(runs, tmp_path, monkeypatch):
    monkeypatch.setattr(korean_figures, "find_korean_family", lambda: None)
    folder = tmp_path / "one"
    shutil.copytree(runs / "init-histogram", folder / "init-histogram")
    code, _, err = cli("report", folder, "--lang", "ko", "--out", tmp_path / "ko.html")
    assert code == 0
    assert err == f"trainlab: warning: {NO_FONT}\n"
    assert "apt-get install fonts-noto-cjk" in err
    page = (tmp_path / "ko.html").read_text(encoding="utf-8")
    assert "<figcaption>sigmoid 활성화값 분포와 초깃값 (init_histogram_sigmoid.png)" in page


def test_a_run_that_cannot_be_redrawn_keeps_its_english_figures(runs, tmp_path):
    folder = tmp_path / "lr-diagnosis"
    shutil.copytree(runs / "lr-diagnosis", folder)
    (folder / "metrics.json").write_text('{"summary": {"healthy": 1}}')
    warned: list[str] = []
    out = report_html.build(folder, tmp_path / "ko.html", lang="ko", warn=warned.append)
    assert len(warned) == 1 and "figures left in English" in warned[0]
    page = out.read_text(encoding="utf-8")
    assert page.count("<figure>") == 2 and "<th>정상</th>" in page


@pytest.mark.parametrize(
    "kind, key, english",
    [
        ("benchmark", "curves", ["curves.png"]),
        ("tune", "ranked", ["best_trials.png", "search_space.png"]),
    ],
)
def test_a_run_saved_before_its_kind_kept_what_it_draws_keeps_those_figures_in_english(
    runs, tmp_path, kind, key, english
):
    folder = tmp_path / kind
    shutil.copytree(runs / kind, folder)
    metrics = json.loads((folder / "metrics.json").read_text())
    del metrics[key]  # as a run made before its kind kept this key
    (folder / "metrics.json").write_text(json.dumps(metrics))
    saved = sorted(folder.glob("*.png"))
    figures = KoreanFigures()
    shown = figures.figures(folder, saved)
    assert sorted(p.name for p in shown if p.parent == folder) == english
    assert sorted(p.name for p in shown) == sorted(p.name for p in saved)
    assert figures.drawn == len(saved) - len(english) and figures.translate.untranslated == []


def test_an_lrfind_runs_figure_is_redrawn_in_korean_from_its_sweeps(tmp_path):
    # `trainlab lrfind` writes no metrics.json: the report does not list its folder
    argv = ["--steps", "30", "--seeds", "1", "--hidden", "8", "--quiet"]
    code, _, err = cli("lrfind", *argv, "--out", tmp_path / "lrfind")
    assert code == 0, err
    before = files(tmp_path)
    figures = KoreanFigures()
    drawn = figures.figures(tmp_path / "lrfind", [])
    assert [p.name for p in drawn] == ["lrfind.png"] and figures.drawn == 1
    assert figures.translate.untranslated == [] and files(tmp_path) == before


def test_labels_translate_phrase_by_phrase_around_numbers_and_kept_words():
    t = Translator()
    assert t("Adam (lr 0.001)") == "Adam (lr 0.001)"
    said = "batch 16: sharpness 2.91, test acc 0.973"
    assert t(said) == "배치 16: 날카로움 2.91, 시험 정확도 0.973"
    assert t("low (lr 0.001): slow → raise the lr") == "작음 (lr 0.001): 느림 → lr 키우기"
    assert t("3-layer") == "3층" and t("0.5") == "0.5" and t("") == ""
    for key in ("final_test_acc", "iterations_per_second", "doctor", "sgd mean f", "best"):
        assert HANGUL.search(t(key)), key  # the key numbers of `train` and `landscape`
    assert t("lr_too_high, vanishing_activations") == "학습률이 너무 큼, 사라지는 활성화값"
    assert t.untranslated == []
    assert t("a brand-new label") == "a brand-new label"
    assert t.untranslated == ["a brand-new label"]


def test_the_catalogue_is_korean_and_its_kept_words_are_symbols_or_names():
    assert all(HANGUL.search(v) or not re.search("[A-Za-z]", v) for v in PHRASES.values())
    assert not set(KEEP) & set(PHRASES)
    assert all(HANGUL.search(c) for c in CAPTIONS.values())
    assert set(RULE_KEYS) == set(RULES)


def test_the_saving_hook_holds_for_its_block_only(tmp_path):
    from trainlab import viz

    seen = []

    def hook(fig):
        seen.append(fig)
        return contextlib.nullcontext()

    fig, _ = viz.plt().subplots()
    with viz.saving_with(hook):
        viz.save(fig, tmp_path / "inside.png")
    viz.save(fig, tmp_path / "after.png")
    assert seen == [fig]
    assert (tmp_path / "inside.png").read_bytes() == (tmp_path / "after.png").read_bytes()
