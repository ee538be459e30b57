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
    "lecture-additions": {
        "en": {
            "title": "The lecture's additions: shuffling, curriculum, early stopping, noise",
            "shows": "One network (two hidden layers of 100, SGD lr 0.1, batch 50) trained six "
            "ways from the same initial weights and split (20% held out for "
            "validation): shuffled every epoch; in one fixed random order; sorted by "
            "class; easiest samples first (a curriculum ranked by a softmax "
            "regression's loss, widening to all by half-way; drawn against the number "
            "of updates, since its early epochs are shorter); with early stopping "
            "(patience 3 on validation accuracy; the star is the epoch it keeps); with "
            "Gaussian gradient noise (variance 0.01/(1+t)^0.55). Mean over seeds with "
            "±1 std bands.",
            "notes": "The lecture: shuffle the data every epoch; learn easy examples first "
            "(Bengio et al. 2009); stop when the validation accuracy falls (very "
            "important); a little gradient noise makes learning a little faster "
            "(Neelakantan et al. 2015). What this data shows: data sorted by class "
            "learns far worse, as the advice to shuffle implies; one fixed random order "
            "does as well on the digits, and on Fashion-MNIST ends between level and a "
            "few points lower, depending on the seed: the last batches of every epoch "
            "are the same ones. The curriculum is not ahead here, neither per epoch nor "
            "per update: the hard samples are needed from the start. Early stopping "
            "stops a few epochs after the best validation accuracy and keeps those "
            "parameters; on a small validation set it stops at a wobble, before the "
            "slow late gains, and loses a little test accuracy. Gradient noise of this "
            "size changes nothing visible on a shallow network; Neelakantan et al. "
            "found it helps very deep networks that are hard to train.",
        },
        "ko": {
            "title": "강의의 추가적인 방법론: 셔플링, 커리큘럼, 조기 종료, 기울기 노이즈",
            "shows": "같은 신경망(은닉층 100개 노드 2개, SGD 학습률 0.1, 배치 50)을 같은 "
            "초깃값과 같은 분할(20%는 검증용)에서 여섯 가지로 학습시켰습니다: 매 에폭 "
            "섞기, 한 번 섞은 순서 고정, 클래스별로 정렬, 쉬운 샘플부터(소프트맥스 "
            "회귀의 손실로 난이도를 매긴 커리큘럼, 중간까지 전체로 넓어짐; 초반 에폭이 "
            "짧으므로 갱신 횟수에 대해 그림), 조기 종료(검증 정확도에 인내 3, 별표는 "
            "남긴 에폭), 가우스 기울기 노이즈(분산 0.01/(1+t)^0.55). 시드 평균과 ±1 "
            "표준편차 띠입니다.",
            "notes": "강의: 학습 데이터는 매 에폭마다 섞어 주는 것이 좋다, 쉬운 것부터 "
            "학습시킨다(Bengio 등 2009), validation accuracy가 떨어지면 학습을 "
            "멈춘다(매우 중요), gradient에 noise를 조금 넣으면 학습이 조금 "
            "빨라진다(Neelakantan 등 2015). 이 데이터에서 본 것: 클래스별로 정렬한 "
            "데이터는 훨씬 못 배우므로 섞으라는 조언이 맞습니다. 한 번 섞은 순서를 "
            "고정하면 숫자 데이터에서는 똑같이 배우고, Fashion-MNIST에서는 시드에 "
            "따라 비슷하거나 몇 퍼센트포인트 낮게 끝납니다: 매 에폭 마지막 배치가 늘 "
            "같은 샘플이기 때문입니다. 커리큘럼은 에폭 기준으로도 갱신 횟수 기준으로도 "
            "앞서지 않습니다: 어려운 샘플도 처음부터 필요합니다. 조기 종료는 검증 "
            "정확도가 가장 높았던 에폭 몇 개 뒤에 멈추고 그 매개변수를 남기는데, 검증 "
            "데이터가 작으면 작은 흔들림에서 멈춰서 뒤늦은 향상을 놓치고 시험 정확도를 "
            "조금 잃습니다. 이 정도 크기의 기울기 노이즈는 얕은 신경망에서 눈에 띄는 "
            "차이를 만들지 않습니다. Neelakantan 등은 학습하기 어려운 아주 깊은 "
            "신경망에서 도움이 된다고 보고했습니다.",
        },
    },
}
