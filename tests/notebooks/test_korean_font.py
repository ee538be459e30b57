"""Korean figure labels: a CJK font is found and draws every glyph."""

from __future__ import annotations

import warnings

import pytest

from trainlab.notebooks.fonts import use_korean_font
from trainlab.viz import plt

SAMPLE = "손실 곡선: 학습률, 에폭, 가중치 초깃값, 층별 활성화값 분포 −1"


@pytest.fixture(autouse=True)
def restore_rc():
    import matplotlib

    saved = matplotlib.rcParams.copy()
    yield
    matplotlib.rcParams.update(saved)


def test_a_korean_font_is_chosen_and_has_the_glyphs():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    family = use_korean_font()
    assert family is not None, "install a CJK font: apt-get install fonts-noto-cjk"
    path = font_manager.findfont(
        font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False
    )
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in SAMPLE if not ch.isspace()), path


def test_drawing_korean_labels_warns_of_no_missing_glyph():
    use_korean_font()
    pyplot = plt()
    fig, ax = pyplot.subplots()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.set_title(SAMPLE)
        ax.set_xlabel("반복")
        ax.plot([-1, 0, 1], label="모멘텀")
        ax.legend()
        fig.canvas.draw()
    pyplot.close(fig)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
