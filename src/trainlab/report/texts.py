"""What each figure shows and what the notes conclude, in English and Korean.

``TEXTS[kind][lang]`` holds ``title``, ``shows`` (what is drawn) and
``notes`` (the notes' conclusion, which the figure lets a reader check).
``UI[lang]`` (from :mod:`trainlab.report.ui`) holds the report's own words.
"""

from __future__ import annotations

from trainlab.report.lecture_texts import LECTURE_TEXTS
from trainlab.report.ui import LANGS, UI  # noqa: F401  (the report's own words)

TEXTS = {
    "optimizer-compare": {
        "en": {
            "title": "Update rules: SGD, Momentum, AdaGrad, Adam",
            "shows": "The smoothed training loss per iteration of the notes' network (ReLU, He "
            "initial weights, 4 hidden layers of 100, batch 128) under each update rule "
            "at its default learning rate. Every rule starts from the same weights and "
            "sees the same batches, so only the rule differs. With several seeds the "
            "line is the mean and the band ±1 standard deviation.",
            "notes": "SGD is the slowest: it follows the gradient only, and zigzags where the "
            "loss is steep in one direction and flat in another. Momentum, AdaGrad and "
            "Adam all reach a lower loss sooner; the lecture's advice is to prefer the "
            "adaptive rules, Adam above all, when in doubt.",
        },
        "ko": {
            "title": "매개변수 갱신: SGD, Momentum, AdaGrad, Adam",
            "shows": "노트의 신경망(ReLU, He 초깃값, 100개 노드 은닉층 4개, 배치 128)을 각 갱신 "
            "방법의 기본 학습률로 학습시킨 훈련 손실(평활화)을 반복 횟수에 따라 그렸습니다. "
            "모든 방법이 같은 초깃값과 같은 미니배치를 쓰므로 차이는 갱신 방법에서만 "
            "옵니다. 시드가 여러 개이면 선은 평균, 띠는 ±1 표준편차입니다.",
            "notes": "SGD가 가장 느립니다. 기울기 방향으로만 움직여서 한 방향으로는 가파르고 다른 "
            "방향으로는 완만한(비등방성) 함수에서 지그재그로 탐색합니다. Momentum, AdaGrad, "
            "Adam은 모두 더 빨리 손실을 낮춥니다. 강의의 결론도 Adaptive 계열, 특히 "
            "Adam을 웬만하면 사용하라는 것입니다.",
        },
    },
    "init-histogram": {
        "en": {
            "title": "Initial weights: activation histograms",
            "shows": "Activations of 5 layers of 100 units fed randn(1000, 100), one histogram "
            "per layer (30 bins), for weights with std 1, std 0.01, Xavier (√(1/n)) "
            "and He (√(2/n)), under sigmoid, tanh and ReLU. The last figure gives the "
            "standard deviation of each layer's activations (mean ± std over seeds).",
            "notes": "With std 1, sigmoid outputs pile up at 0 and 1, where its gradient "
            "vanishes. With std 0.01 they crowd around sigmoid(0) = 0.5: the units all "
            "say the same thing and the network loses its expressive power. Xavier "
            "spreads sigmoid and tanh activations evenly; for ReLU, He's √(2/n) keeps "
            "the spread of every layer about the same, which Xavier does not.",
        },
        "ko": {
            "title": "가중치 초깃값: 활성화값 히스토그램",
            "shows": "randn(1000, 100) 입력을 100개 노드의 층 5개에 통과시킨 각 층의 활성화값 "
            "분포(30구간)입니다. 가중치 표준편차 1, 0.01, Xavier(√(1/n)), He(√(2/n))를 "
            "sigmoid, tanh, ReLU 각각에 적용했습니다. 마지막 그림은 층별 활성화값의 "
            "표준편차입니다(시드 평균 ± 표준편차).",
            "notes": "표준편차가 1이면 sigmoid 출력이 0과 1로 치우쳐 기울기 소실이 일어납니다. "
            "0.01이면 순전파가 0 근처 값만 전달해서 sigmoid(0)=0.5 인 값이 대부분을 "
            "차지하고, 뉴런이 여럿인 의미가 없어져 표현력이 제한됩니다. Xavier 초깃값은 "
            "sigmoid와 tanh에서 활성화값을 고르게 분포시키고, ReLU에는 He 초깃값(√(2/n))이 "
            "층이 깊어져도 분포를 고르게 유지하므로 더 낫습니다.",
        },
    },
    "init-compare": {
        "en": {
            "title": "Initial weights: training the notes' network",
            "shows": "Smoothed training loss of the notes' ReLU network trained with SGD "
            "(lr 0.01, batch 128) from weights with std 0.01, Xavier and He; same "
            "batches for all.",
            "notes": "With std 0.01 the signal vanishes on its way through the layers and the "
            "loss does not move. With ReLU, He's initial weights learn clearly faster "
            "than Xavier's.",
        },
        "ko": {
            "title": "가중치 초깃값: 노트의 신경망 학습",
            "shows": "노트의 ReLU 신경망을 SGD(학습률 0.01, 배치 128)로 "
            "학습시킨 훈련 손실(평활화)을 "
            "초깃값 표준편차 0.01, Xavier, He 별로 비교했습니다. 미니배치는 모두 같습니다.",
            "notes": "표준편차 0.01이면 순전파 신호가 층을 지나며 사라져 학습이 전혀 진행되지 "
            "않습니다. ReLU와 He 초깃값을 함께 쓸 때 학습이 확실히 훨씬 빠릅니다.",
        },
    },
    "batchnorm": {
        "en": {
            "title": "Batch normalisation across weight scales",
            "shows": "Training accuracy per epoch of a 5-hidden-layer network on 1000 samples "
            "(SGD lr 0.01, batch 100), at 16 standard deviations of the initial "
            "weights from 1 to 0.0001; solid with batch normalisation, dashed "
            "without. Both start from the same draws and see the same batches. A "
            "cross marks a plain net whose loss overflowed.",
            "notes": "Batch normalisation forces every layer's activations to a moderate "
            "spread, so the choice of initial weights matters much less: where the "
            "plain network does not learn at all, the normalised one still does, and "
            "it usually learns faster. Near He's scale √(2/100) ≈ 0.14 (the bold "
            "panel) the plain network's weights are already well scaled, and with "
            "the same small learning rate it can learn as fast or faster: batch norm "
            "pays off when the initial weights are wrong.",
        },
        "ko": {
            "title": "배치 정규화와 가중치 초깃값의 크기",
            "shows": "훈련 데이터 1000개로 은닉층 5개 신경망(SGD 학습률 0.01, 배치 100)을 학습시킨 "
            "에폭별 훈련 정확도입니다. 초깃값 표준편차를 1부터 0.0001까지 16가지로 바꾸었고, "
            "실선은 배치 정규화 사용, 점선은 미사용입니다. 둘은 같은 초깃값 난수와 같은 "
            "미니배치를 씁니다. ×는 손실이 발산한 일반 신경망입니다.",
            "notes": "배치 정규화는 각 층의 활성화값이 적당히 분포되도록 강제로 조정합니다. "
            "그래서 가중치 초깃값에 크게 의존하지 않고, 초깃값 때문에 학습이 아예 진행되지 "
            "않는 상황을 피할 수 있으며, 대부분 학습도 더 빠릅니다. He 초깃값 √(2/100) ≈ "
            "0.14 근처(굵은 제목)에서는 일반 신경망의 가중치가 이미 알맞은 크기라서 같은 "
            "학습률로 비슷하거나 더 빨리 학습할 수 있습니다. 배치 정규화는 초깃값이 "
            "나쁠 때 효과가 큽니다.",
        },
    },
    "overfit": {
        "en": {
            "title": "Overfitting: weight decay, dropout, ensemble",
            "shows": "Train (solid) and test (dashed) accuracy per epoch of a 6-hidden-layer "
            "network trained on only 300 samples, without regularisation, with weight "
            "decay, with dropout (each panel's title names its λ or ratio), and as an "
            "ensemble of 5 unregularised nets whose softmax outputs are averaged. The "
            "gap in each title is train minus test accuracy over the last tenth of the "
            "epochs, with its change from the unregularised net in brackets.",
            "notes": "Without regularisation the network fits its 300 samples perfectly while "
            "test accuracy stays far lower. Weight decay (adding ½λW² to the loss) "
            "narrows the gap between train and test accuracy; dropout narrows it "
            "further, at the price of slower learning. Dropout acts like training an "
            "ensemble of different networks. The notes' figures are on MNIST, where "
            "their settings (λ = 0.1, dropout 0.2, lr 0.01) show this, as they do on "
            "Fashion-MNIST. On the small 8×8 digits they do not (see the settings "
            "table): there the demo trains faster, with a lighter λ and dropout, and "
            "both remedies narrow the gap, dropout a little more, while dropout also "
            "raises test accuracy.",
        },
        "ko": {
            "title": "오버피팅: 가중치 감소, 드롭아웃, 앙상블",
            "shows": "훈련 데이터 300개만으로 은닉층 6개 신경망을 학습시킨 에폭별 훈련(실선)·"
            "시험(점선) 정확도입니다. 정규화 없음, 가중치 감소 λ = 0.1, 드롭아웃 0.2, "
            "그리고 정규화 없는 신경망 5개의 softmax 출력을 평균한 앙상블을 비교합니다"
            "(각 그림 제목에 λ와 드롭아웃 비율이 있습니다). 제목의 간극은 마지막 10% 에폭 "
            "동안의 훈련 정확도 − 시험 정확도이고, 괄호는 정규화 없는 신경망과의 차이입니다.",
            "notes": "정규화가 없으면 훈련 데이터 300개에는 완벽히 맞추지만 시험 정확도는 크게 "
            "낮습니다(오버피팅). 손실 함수에 ½λW²를 더하는 가중치 감소를 쓰면 훈련과 "
            "시험 정확도의 간극이 줄어듭니다. 드롭아웃은 학습 진행이 더디지만 간극을 더욱 "
            "줄입니다. 드롭아웃은 매번 다른 모델을 학습시키는 것과 같아 앙상블 학습과 "
            "비슷한 효과를 냅니다. 노트의 그림은 MNIST 결과이며 노트의 설정(λ = 0.1, "
            "드롭아웃 0.2, 학습률 0.01)은 Fashion-MNIST에서도 이를 보여 줍니다. 작은 8×8 "
            "digits에서는 그렇지 않아(설정 표 참고) 데모는 더 큰 학습률과 더 약한 λ, "
            "드롭아웃을 씁니다. 그러면 두 방법 모두 간극을 줄이고 드롭아웃이 조금 더 "
            "줄이며 시험 정확도도 높입니다.",
        },
    },
    "batch-size": {
        "en": {
            "title": "Batch, stochastic and mini-batch gradient descent",
            "shows": "The same network, initial weights and learning rate trained with the "
            "whole training set per update (full batch), one sample per update "
            "(stochastic), and mini-batches of 32 to 256. Left: the loss of each "
            "update's batch against the number of updates; middle: loss on the whole "
            "training set per epoch; right: the same against training time.",
            "notes": "Full-batch gradient descent makes one update per epoch and takes long. "
            "Stochastic gradient descent looks at one sample at a time, so its loss "
            "jitters; its gradient is right only on average. Mini-batches sit between "
            "the two (sizes are powers of two). Rule of thumb: smaller mini-batches "
            "usually do better, but take longer.",
        },
        "ko": {
            "title": "배치, 확률적, 미니배치 경사 하강법",
            "shows": "같은 신경망, 같은 초깃값, 같은 학습률로 한 번 갱신할 때 훈련 데이터 전체를 "
            "쓰는 경우(배치), 1개만 쓰는 경우(확률적), 32~256개의 미니배치를 쓰는 경우를 "
            "비교합니다. 왼쪽은 갱신 횟수에 따른 각 배치의 손실, 가운데는 에폭마다 잰 "
            "훈련 데이터 전체의 손실, 오른쪽은 같은 손실을 학습 시간에 따라 그렸습니다.",
            "notes": "배치 경사 하강법은 전체 훈련 데이터를 한 번에 고려하므로 한 에폭에 한 번만 "
            "갱신하고 오래 걸립니다. 확률적 경사 하강법은 한 번에 1개만 보므로 떨림 양상이 "
            "생기며, 그 기울기의 기댓값이 전체 기울기와 같을 뿐입니다. 미니배치는 그 중간 "
            "단계이고 크기는 2^n 단위로 잡습니다. 경험칙: 미니배치가 작을수록 성능이 "
            "웬만하면 좋지만 시간이 오래 걸립니다.",
        },
    },
    "adaptive-vs-sgd": {
        "en": {
            "title": "Adaptive rules versus SGD with momentum",
            "shows": "Momentum, Nesterov, Adam, AdamW and SWATS on the same network, data, "
            "initial weights, batches and number of epochs. Each rule's learning rate "
            "is chosen from the same log grid (multiples of its default) by final "
            "validation accuracy; the test set plays no part in the choice. Left: "
            "training accuracy; right: test accuracy of each tuned rule. The second "
            "figure shows the validation accuracy over the grid.",
            "notes": "The lecture recommends the adaptive rules (Adam when in doubt). Wilson et "
            "al. (2017) found that adaptive rules often fit the training data as well "
            "or faster yet generalise worse than well-tuned SGD with momentum; SWATS "
            "starts with Adam and switches to SGD to get both. Whether a gap appears "
            "depends on the problem: compare the test accuracies in the table.",
        },
        "ko": {
            "title": "Adaptive 계열과 모멘텀 SGD의 일반화 성능",
            "shows": "Momentum, Nesterov, Adam, AdamW, SWATS를 같은 신경망, 데이터, 초깃값, "
            "미니배치, 에폭 수로 학습시켰습니다. 학습률은 모든 방법에 같은 로그 격자"
            "(각 방법의 기본 학습률의 배수)에서 검증 데이터의 최종 정확도로 골랐고, 시험 "
            "데이터는 고르는 데 쓰지 않았습니다. 왼쪽은 훈련 정확도, 오른쪽은 시험 "
            "정확도이며, 두 번째 그림은 격자 전체의 검증 정확도입니다.",
            "notes": "강의는 Adaptive 계열(웬만하면 Adam)을 권합니다. Wilson 등(2017)은 Adaptive "
            "방법이 훈련 데이터는 비슷하거나 더 빨리 맞추지만, 잘 조정한 모멘텀 SGD보다 "
            "일반화가 나쁜 경우가 많다고 보고했습니다. SWATS는 Adam으로 시작해 SGD로 "
            "전환해서 둘의 장점을 얻으려 합니다. 차이가 나타나는지는 문제마다 다르므로 "
            "표의 시험 정확도를 비교해 보세요.",
        },
    },
    "lr-diagnosis": {
        "en": {
            "title": "Reading the loss curve: is the learning rate right?",
            "shows": "Loss on the training set per epoch for a very high, a high, a good and a "
            "low learning rate (colours as in the lecture: yellow, green, red, blue), "
            "plus the good rate from bad initial weights (std 0.01, grey). Each label "
            "carries an automatic verdict: a loss that blows up or jumps → lower the "
            "lr (or raise Adam's eps); a straight, slow fall → raise the lr; a flat "
            "line → check the initial weights; a fast fall that levels off → healthy. "
            "The second figure puts each curve's sharpness (the top eigenvalue of the "
            "loss's Hessian, at every epoch's end) beside 2/lr (dashed): a step overshoots "
            "along a direction whose curvature is above 2/lr, so too high is sharpness "
            "pinned at or above 2/lr, and too low is sharpness far below it. 2/lr is a "
            "full-batch edge; with mini-batches the sharpness hovers near it, not on it.",
            "notes": "The red curve is what we want. A loss that starts to jump means the "
            "learning rate is too high: lower it, and with Adam try a larger eps. A "
            "loss that falls linearly for a long time means it is too low: stop and "
            "raise it. Bad initial weights keep training from getting anywhere. In "
            "the end it depends on the problem.",
        },
        "ko": {
            "title": "손실 곡선 읽기: 학습률이 적당한가?",
            "shows": "아주 큰, 큰, 적당한, 작은 학습률에서 에폭마다 잰 훈련 손실입니다(강의 그림과 "
            "같은 색: 노랑, 초록, 빨강, 파랑). 회색은 적당한 학습률이지만 초깃값이 나쁜"
            "(표준편차 0.01) 경우입니다. 각 곡선에는 자동 판정이 붙습니다: 발산하거나 "
            "튀면 → lr을 낮추거나 Adam의 eps를 키우기, 느리게 직선으로 내려가면 → lr 키우기, "
            "평평하면 → 초깃값 확인, 빠르게 내려가다 완만해지면 → 정상. 두 번째 그림은 "
            "곡선마다 날카로움(손실 헤세 행렬의 가장 큰 고윳값, 에폭 끝마다)을 2/lr(점선)과 "
            "나란히 보여 줍니다. 곡률이 2/lr보다 큰 방향에서는 한 스텝이 최솟값을 지나치므로, "
            "학습률이 너무 크면 날카로움이 2/lr에 붙거나 그 위에 있고, 너무 작으면 훨씬 "
            "아래에 있습니다. 2/lr은 전체 배치의 경계이고, 미니배치에서는 그 근처를 오갑니다.",
            "notes": "우리가 원하는 것은 빨간색 선입니다. 학습이 좀 되다가 튀면 대개 학습률이 너무 "
            "커서이니 조금 줄여 보고, Adam을 쓰고 있다면 엡실론을 조금 키워 보세요. 손실이 "
            "오랫동안 직선(linear)으로 내려가면 학습을 멈추고 lr을 키우세요. 초깃값을 잘못 "
            "주면 학습이 잘 되지 않습니다. 결론은 문제마다 다릅니다.",
        },
    },
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
    "loss-surface": {
        "en": {
            "title": "The loss surface: sharp and flat minima",
            "shows": "Two networks from the same initial weights, trained with small and with "
            "large mini-batches until both fit the training data. Left: the loss along a "
            "filter-normalised random direction through each solution (Li et al. 2018); "
            "middle: the same on a plane of two such directions; right: the loss on the "
            "line from one solution to the other, each end labelled by its sharpness (the "
            "top eigenvalue of the loss's Hessian).",
            "notes": "The large-batch solution sits in a narrower valley: a larger sharpness. "
            "Keskar et al. (2017) tie sharp minima to the lecture's remark that smaller "
            "batches usually generalise better; compare the test accuracies in the legend.",
        },
        "ko": {
            "title": "손실 지형: 날카로운 최솟값과 평평한 최솟값",
            "shows": "같은 초깃값에서 작은 미니배치와 큰 미니배치로 훈련 데이터를 다 맞출 때까지 "
            "학습한 두 신경망입니다. 왼쪽은 각 해를 지나는 필터 정규화 무작위 방향의 손실"
            "(Li 등 2018), 가운데는 그런 두 방향이 만드는 평면 위의 손실, 오른쪽은 한 해에서 "
            "다른 해로 가는 직선 위의 손실이며 양 끝에 날카로움(헤세 행렬의 가장 큰 고윳값)을 "
            "적었습니다.",
            "notes": "큰 배치의 해는 더 좁은 골짜기, 즉 더 큰 날카로움에 있습니다. Keskar 등"
            "(2017)은 날카로운 최솟값을 '작은 배치가 대체로 일반화가 더 잘 된다'는 강의의 "
            "말과 연결합니다. 범례의 시험 정확도를 비교해 보세요.",
        },
    },
}

TEXTS.update(LECTURE_TEXTS)  # the lecture's own claims, one module of their own


def text(kind: str, lang: str) -> dict:
    """``title``, ``shows``, ``notes`` for ``kind`` (a generic title for unknown kinds)."""
    entry = TEXTS.get(kind, {}).get(lang)
    if entry is None:
        return {
            "title": str(kind).replace("-", " ").replace("_", " ").capitalize(),
            "shows": "",
            "notes": "",
        }
    return entry
