"""The line of update rules from Robbins–Monro (1951) to 2024, for notebook 11:
:data:`LINE` (year, rule, its one idea), :func:`newer_rules` (those in
``RULES`` after the notes) and :func:`line_figure` (the notes' rules in grey).
"""

from __future__ import annotations

from trainlab import optim
from trainlab.notebooks.fonts import use_korean_font
from trainlab.notebooks.labs import pyplot
from trainlab.notebooks.text import check_lang, say
from trainlab.optim import RULES

#: (year, rule, its name in trainlab.optim or "", in the notes?, its one idea in ko and en)
LINE = (
    (
        1951,
        "SGD",
        "sgd",
        True,
        "줄어드는 보폭으로 잡음 섞인 기울기를 따라감",
        "a noisy gradient, shrinking steps",
    ),
    (
        1964,
        "Momentum",
        "momentum",
        True,
        "무거운 공: 지난 스텝을 기억",
        "a heavy ball: remember the steps",
    ),
    (1983, "Nesterov", "nesterov", True, "앞을 내다본 곳의 기울기", "the slope where you will be"),
    (
        1989,
        "L-BFGS",
        "LBFGS",
        False,
        "최근 스텝들로 만든 곡률 모형",
        "curvature from the last few steps",
    ),
    (1992, "ASGD", "asgd", False, "지나온 점들의 평균", "average the iterates"),
    (
        1993,
        "Rprop",
        "rprop",
        False,
        "부호만 쓰고 보폭을 늘이거나 줄임",
        "only the sign; grow or shrink each step",
    ),
    (
        2011,
        "AdaGrad",
        "adagrad",
        True,
        "지금까지의 기울기 크기로 나눔",
        "divide by all gradients so far",
    ),
    (2012, "RMSprop", "rmsprop", True, "오래된 기울기는 잊음", "forget old gradients"),
    (2012, "Adadelta", "adadelta", True, "학습률 없이 단위를 맞춤", "no lr: the units match"),
    (
        2015,
        "Adam",
        "adam",
        True,
        "모멘텀 + RMSprop + 편향 보정",
        "momentum + RMSprop + bias correction",
    ),
    (2015, "Adamax", "adamax", False, "∞-노름의 Adam", "Adam with the ∞-norm"),
    (2016, "NAdam", "nadam", False, "Adam에 네스테로프", "Adam with Nesterov"),
    (2017, "SWATS", "swats", True, "Adam으로 시작해 SGD로 전환", "start with Adam, switch to SGD"),
    (2018, "AMSGrad", "amsgrad", False, "보폭이 커지지 않게", "the step size never grows"),
    (
        2018,
        "Adafactor",
        "adafactor",
        False,
        "행과 열의 통계만 저장",
        "keep row and column statistics",
    ),
    (
        2019,
        "AdamW",
        "adamw",
        False,
        "기울기가 아니라 가중치를 감쇠",
        "decay the weights, not the gradient",
    ),
    (
        2020,
        "RAdam",
        "radam",
        False,
        "분산 추정이 믿을 만할 때까지 적응 없음",
        "adapt once the variance is reliable",
    ),
    (
        2020,
        "LAMB",
        "lamb",
        False,
        "층마다 보폭을 가중치 크기에 맞춤",
        "each layer's step sized to its weights",
    ),
    (2023, "Lion", "lion", False, "보간한 모멘텀의 부호", "the sign of an interpolated momentum"),
    (2024, "Muon", "muon", False, "행렬 갱신을 직교화", "orthogonalise a matrix's update"),
    (
        2024,
        "Schedule-Free SGD",
        "schedulefreesgd",
        False,
        "스케줄 없이: 평균을 들고 감",
        "no schedule: carry the average",
    ),
    (
        2024,
        "Schedule-Free AdamW",
        "schedulefreeadamw",
        False,
        "같은 생각을 AdamW에",
        "the same idea in AdamW",
    ),
    (2024, "Prodigy", "prodigy", False, "보폭을 스스로 학습", "learn the step size"),
    (
        2024,
        "ADOPT",
        "adopt",
        False,
        "이전 v로 나눈 뒤 모멘텀",
        "divide by the previous v, then average",
    ),
    (
        2024,
        "AdEMAMix",
        "ademamix",
        False,
        "훨씬 느린 두 번째 모멘텀",
        "a second, much slower momentum",
    ),
    (2024, "SOAP", "soap", False, "샴푸 고유기저에서의 Adam", "Adam in Shampoo's eigenbasis"),
)

#: the notes' rules, shown beside every newer one
BASELINE = ("adam", "adamw")


def newer_rules() -> list[str]:
    """The rules in ``RULES`` that came after the notes (not Adam or AdamW themselves)."""
    notes = {key for _, _, key, in_notes, _, _ in LINE if in_notes}
    return [r for r in RULES if r not in notes and r not in BASELINE]


def line_figure(lang: str = "en"):
    """The rules by year: the notes' in grey, the later ones in colour."""
    if check_lang(lang) == "ko":
        use_korean_font()
    fig, ax = pyplot().subplots(figsize=(11, 6.2))
    for y, (year, rule, key, in_notes, ko, en) in enumerate(LINE):
        color = "0.45" if in_notes else ("C0" if key in RULES or hasattr(optim, key) else "C1")
        ax.plot(year, -y, "o", color=color, ms=6)
        idea = ko if lang == "ko" else en
        ax.text(year + 0.8, -y, f"{rule}: {idea}", va="center", fontsize=8.5, color=color)
    ax.set(xlim=(1948, 2060), xticks=range(1950, 2030, 10), yticks=[], xlabel=say("year", lang))
    ax.set_title(say("the line of update rules", lang))
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig
