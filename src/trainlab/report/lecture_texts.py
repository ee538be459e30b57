"""The texts (English and Korean) of the experiments that check the lecture's
own claims beyond the book's figures; merged into :data:`trainlab.report.texts.TEXTS`."""

from __future__ import annotations

LECTURE_TEXTS = {
    "adaptive-separable": {
        "en": {
            "title": "Wilson et al.'s separable problem: adaptive rules predict one class",
            "shows": "The linear problem of Wilson et al. (2017), section 3.3: each point has its "
            "label as a feature, two ones, and a block of its own (one 1 for a positive "
            "point, five 1s for a negative one); the positive class is the majority. A "
            "linear model is fitted from w = 0 by full-batch steps of SGD, Momentum, "
            "AdaGrad, RMSprop and Adam, for several numbers of points n and positive "
            "shares p. Left panels: test error on new points against the minority (negative) "
            "share; right: every rule's training loss falls to about zero.",
            "notes": "The lecture's advice to prefer adaptive rules meets its limit here, as the "
            "paper proves. Every rule fits the training data, but AdaGrad, RMSprop and Adam "
            "call every new point positive: their test error is exactly the minority's "
            "share, while SGD and Momentum classify every new point right. The one-line "
            "reason: on this problem X·sign(Xᵀy) = 4y, so every gradient is a multiple of "
            "Xᵀy and every adaptive step, which divides each coordinate by its own gradient "
            "size, is a multiple of sign(Xᵀy); the solution is w ∝ sign(Xᵀy) = (1, 1, 1, ±1…), "
            "and a new point gets w·x ∝ y + 2 > 0 whatever its label. SGD stays in the span "
            "of the data and ends at the minimum-norm solution, which generalises.",
        },
        "ko": {
            "title": "Wilson 등의 선형 분리 문제: Adaptive 방법은 한 클래스만 예측한다",
            "shows": "Wilson 등(2017) 3.3절의 선형 문제입니다. 각 점의 특성은 자기 레이블, "
            "1 두 개, 그리고 그 점만의 구역(양성이면 1이 하나, 음성이면 1이 다섯 개)이고, 양성이 "
            "다수 클래스입니다. 선형 모델을 w = 0에서 시작해 SGD, Momentum, AdaGrad, "
            "RMSprop, Adam의 전체 배치 갱신으로 학습시켰고, 점의 수 n과 양성 비율 p를 "
            "여러 가지로 바꿨습니다. 왼쪽 그림들은 새 점에 대한 시험 오차를 소수(음성) "
            "클래스의 비율에 대해 그린 것이고, 오른쪽은 모든 방법의 훈련 손실이 거의 0까지 "
            "내려감을 보여 줍니다.",
            "notes": "Adaptive 방법을 권하는 강의의 조언이 여기서 한계를 만납니다(논문이 증명한 "
            "대로). 모든 방법이 훈련 데이터는 완벽히 맞추지만, AdaGrad, RMSprop, Adam은 새 "
            "점을 모두 양성으로 예측해서 시험 오차가 정확히 소수 클래스의 비율이 되고, SGD와 "
            "Momentum은 새 점을 모두 맞힙니다. 한 줄 이유: 이 문제에서는 X·sign(Xᵀy) = 4y "
            "이므로 모든 기울기가 Xᵀy의 배수이고, 좌표마다 자기 기울기 크기로 나누는 "
            "Adaptive 갱신은 언제나 sign(Xᵀy)의 배수입니다. 그래서 해는 w ∝ sign(Xᵀy) = "
            "(1, 1, 1, ±1…)이고, 새 점은 레이블과 상관없이 w·x ∝ y + 2 > 0 을 받습니다. SGD는 "
            "데이터가 펼치는 공간 안에 머물러 최소 노름 해에 도달하고, 그 해는 일반화됩니다.",
        },
    },
}
