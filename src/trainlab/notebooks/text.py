"""The words the notebook widgets draw, in the two languages of the notebooks."""

from __future__ import annotations

from trainlab.errors import ConfigError

LANGS = ("ko", "en")

WORDS = {
    "function": ("함수", "function"),
    "steps": ("단계 수", "steps"),
    "start": ("시작점", "start"),
    "step": ("단계", "step"),
    "paths": ("경로", "paths"),
    "value per step": ("단계별 함숫값", "value per step"),
    "lr": ("학습률", "lr"),
    "momentum": ("모멘텀", "momentum"),
    "diverged": ("발산", "diverged"),
    "weights": ("가중치", "weights"),
    "activation": ("활성화 함수", "activation"),
    "-layer": ("층", "-layer"),
    "activations of each layer": ("층별 활성화값 분포", "activations of each layer"),
    "epoch": ("에폭", "epoch"),
    "loss": ("손실", "loss"),
    "training loss": ("훈련 손실", "training loss"),
    "rule": ("갱신 규칙", "update rule"),
    "verdict": ("진단", "verdict"),
    "iteration": ("반복", "iteration"),
    "diverging": ("발산", "diverging"),
    "spiking": ("튐", "spiking"),
    "slow": ("너무 느림 (직선)", "slow (a straight line)"),
    "plateau": ("정체", "plateau"),
    "healthy": ("건강함", "healthy"),
    "lower the lr, or raise Adam's eps": (
        "학습률을 낮추거나 Adam의 eps를 키우세요",
        "lower the lr, or raise Adam's eps",
    ),
    "raise the lr": ("학습률을 키우세요", "raise the lr"),
    "predicted": ("예측", "predicted"),
    "measured": ("경로에서 측정", "measured on the path"),
    "contraction per step": ("한 스텝당 오차 축소율", "error shrink per step"),
    "eigen-directions and path": ("고유방향과 경로", "eigen-directions and path"),
    "rate map caption": (
        "학습률(가로, 로그) × 모멘텀(세로) 지도: 칸의 색은 수렴률(보라 0 → 노랑 1, "
        "빨강은 발산). 칸을 누르면 그 쌍의 경로를 그립니다.",
        "Map of learning rate (across, log scale) × momentum (up): a cell's colour is "
        "the rate (purple 0 → yellow 1, red diverges). Click a cell to draw that pair's path.",
    ),
    "sharpness": ("날카로움 (헤세 최대 고윳값)", "sharpness (top Hessian eigenvalue)"),
    "below 2/lr": ("2/lr보다 아래: 안정", "below 2/lr: stable"),
    "full batch": ("전체 배치 경사 하강", "full-batch gradient descent"),
    "check the initial weights": ("가중치 초깃값을 확인하세요", "check the initial weights"),
    "year": ("연도", "year"),
    "the line of update rules": (
        "갱신 규칙의 계보 (회색: 노트의 규칙, 파랑: trainlab의 이후 규칙, 주황: 다른 곳에)",
        "The line of update rules (grey: the notes', blue: later, in trainlab, orange: elsewhere)",
    ),
    "rules": ("규칙", "rules"),
    "rivals key": (
        "빨강: 그 규칙, 회색: Adam, 점선: AdamW",
        "red: the rule, grey: Adam, dashed: AdamW",
    ),
    "AdamW lr": ("AdamW 학습률", "AdamW lr"),
    "factor": ("배율", "factor"),
    "lr_vs_adamw": ("규칙의 lr_vs_adamw (벤치마크)", "the rule's lr_vs_adamw (benchmark)"),
    "AdamW's lr": ("없음: AdamW의 학습률 그대로", "none: AdamW's lr as it is"),
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return lang


def say(key: str, lang: str) -> str:
    """``key`` in ``lang`` (the key itself when there is no entry)."""
    ko, en = WORDS.get(key, (key, key))
    return ko if check_lang(lang) == "ko" else en
