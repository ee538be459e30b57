"""What each figure shows and what the notes conclude, in English and Korean.

Each experiment holds its own texts (``texts[lang]`` of its
:class:`~trainlab.experiments.experiment.Experiment`); ``TEXTS[kind][lang]``
holds those of the other kinds: ``title``, ``shows`` (what is drawn) and
``notes`` (the notes' conclusion, which the figure lets a reader check).
``UI[lang]`` (from :mod:`trainlab.report.ui`) holds the report's own words.
"""

from __future__ import annotations

from trainlab.experiments.registry import EXPERIMENTS
from trainlab.report.ui import LANGS, UI  # noqa: F401  (the report's own words)

TEXTS = {
    "landscape": {
        "en": {
            "title": "Update rules on a two-dimensional function",
            "shows": "The paths of update rules from the same start across a two-dimensional "
            "function (by default the notes' f(x, y) = x²/20 + y²), drawn over its "
            "contour lines.",
            "notes": "On this anisotropic bowl SGD zigzags: its gradient does not point at the "
            "minimum. Momentum rolls like a ball and overshoots less and less; AdaGrad "
            "shrinks the steps of the steep direction; Adam combines the two and heads "
            "for (0, 0) more directly.",
        },
        "ko": {
            "title": "2차원 함수 위의 갱신 경로",
            "shows": "같은 출발점에서 각 갱신 방법이 "
            "2차원 함수(기본은 노트의 f(x, y) = x²/20 + y²) "
            "위를 이동한 경로를 등고선 위에 그렸습니다.",
            "notes": "이 비등방성 함수에서 SGD는 기울기가 최솟값을 가리키지 않아 지그재그로 "
            "움직입니다. Momentum은 공이 구르듯 움직이고, AdaGrad는 크게 갱신된 방향의 "
            "학습률을 줄이며, Adam은 둘을 융합해 (0, 0)으로 더 효율적으로 탐색합니다.",
        },
    },
    "tune": {
        "en": {
            "title": "Hyperparameter search on validation data",
            "shows": "Trials of a random search over hyperparameters such as the learning rate "
            "and the weight-decay coefficient, each scored on validation data split "
            "off the training set.",
            "notes": "Judge hyperparameters on validation data, never on the test data, or "
            "they overfit the test set. Sample ranges on a log scale, start broad and "
            "narrow them down; in the notes the best trials had a learning rate of "
            "about 0.001–0.01 and a weight decay of about 1e-8–1e-5.",
        },
        "ko": {
            "title": "검증 데이터로 하는 하이퍼파라미터 탐색",
            "shows": "학습률, 가중치 감소 계수 같은 하이퍼파라미터를 무작위로 탐색한 시행들이며, "
            "각 시행은 훈련 데이터에서 떼어 낸 검증 데이터로 평가했습니다.",
            "notes": "하이퍼파라미터의 성능은 검증 데이터로 평가합니다. 시험 데이터로 조정하면 "
            "시험 데이터에 오버피팅되기 때문입니다. 범위는 로그 스케일로 대략 지정한 뒤 "
            "좁혀 갑니다. 노트에서는 학습률 0.001 ~ 0.01, 가중치 감소 계수 10^-8 ~ 10^-5 "
            "일 때 결과가 가장 좋았습니다.",
        },
    },
    "train": {
        "en": {
            "title": "One training run",
            "shows": "Training loss per iteration, and accuracy on the training, validation and "
            "test data per epoch.",
            "notes": "A widening gap between training and validation accuracy is the sign of "
            "overfitting.",
        },
        "ko": {
            "title": "한 번의 학습",
            "shows": "반복마다의 훈련 손실과 에폭마다의 훈련·검증·시험 정확도입니다.",
            "notes": "훈련 정확도와 검증 정확도의 간극이 벌어지면 오버피팅의 신호입니다.",
        },
    },
}


def text(kind: str, lang: str) -> dict:
    """``title``, ``shows``, ``notes`` for ``kind`` (a generic title for unknown kinds)."""
    texts = EXPERIMENTS[kind].texts if kind in EXPERIMENTS else TEXTS.get(kind, {})
    entry = texts.get(lang)
    if entry is None:
        return {
            "title": str(kind).replace("-", " ").replace("_", " ").capitalize(),
            "shows": "",
            "notes": "",
        }
    return dict(entry)
