"""The Korean report's words for what trainlab's figures say: one catalogue of
English phrases and their Korean (``PHRASES``), the words that stay as they are
(``KEEP``) and each figure file's caption (``CAPTIONS``).

A label is translated phrase by phrase, longest phrase first, so a label with
numbers in it ("Adam (lr 0.001)", "batch 16: sharpness 2.91") needs only its
words here. The same phrases name the rows of the key-number tables.
"""

from __future__ import annotations

#: the update rules' names as commands write them (``trainlab.optim.RULES``)
RULE_KEYS = (
    *("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adadelta"),
    *("adamw", "amsgrad", "nadam", "radam", "swats"),
    *("lion", "adopt", "ademamix", "lamb"),
    *("schedulefreesgd", "schedulefreeadamw", "prodigy", "soap"),
    *("adamax", "rprop", "asgd", "adafactor", "muon"),
)

#: the searched parameters `trainlab tune` names by their role
SEARCHED = {"weight_decay": "가중치 감소", "dropout": "드롭아웃", "batch_size": "배치 크기"}

#: drawn as they are: rule names, activations, data sets, authors, symbols
KEEP = (
    *("R²", "MSE", "RMSE", "MAE"),
    *("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "AdamW", "SWATS"),
    *("Adadelta", "NAdam", "RAdam"),
    *("Lion", "ADOPT", "AdEMAMix", "LAMB"),
    *("Adamax", "Rprop", "ASGD", "Adafactor"),
    *RULE_KEYS,
    *("sigmoid", "tanh", "relu", "ReLU", "Xavier", "He", "He's", "Xavier's"),
    *("digits", "MNIST", "Fashion-MNIST", "mnist", "fashion-mnist", "Glorot-uniform"),
    *("a2", "x", "y", "CPU", "--space", "log", "int"),
    *("Wilson", "Keskar", "lr", "eps", "ln", "log10", "λmax", "sign(Xᵀy)"),
    *("mean((xw − y)²)", "θ_small", "θ_large", "N", "W", "n", "p", "t", "f", "newton"),
)

#: English phrase → Korean (whole captions, then the pieces labels are made of)
PHRASES: dict[str, str] = {
    # opening-network
    "epoch (one full-batch step each)": "에폭 (에폭마다 전체 배치로 한 스텝)",
    "½ Σ (a2 − y)² per image": "이미지당 ½ Σ (a2 − y)²",
    "training squared error": "훈련 제곱 오차",
    "as written": "강의 코드 그대로",
    "retuned": "다시 조정",
    "the lecture's": "강의의",
    "network, one technique changed at a time": "신경망, 기법을 한 번에 하나씩 바꿈",
    "on 784 inputs": "784개 입력 기준",
    "summed full-batch gradient": "전체 배치 기울기의 합",
    "each change keeps the rest": "바꾼 것 말고는 그대로",
    "final test acc": "최종 시험 정확도",
    "as written: lr": "강의 코드 그대로: 학습률",
    "ReLU: lr": "ReLU: 학습률",
    "He weights: lr": "He 가중치: 학습률",
    "Adam: lr": "Adam: 학습률",
    # trainlab train's training.png
    "per iteration": "반복마다",
    "smoothed": "평활",
    "iteration": "반복",
    "val": "검증",
    "(1 = perfect, 0 = predicting the mean)": "(1 = 완벽, 0 = 평균으로 예측)",
    # adaptive-separable
    "minority (negative) share of test points": "시험 점 중 소수(음성) 클래스의 비율",
    "test error after training": "학습 후 시험 오차",
    "training points": "개의 훈련 점",
    "minority share": "소수 클래스 비율",
    "step": "스텝",
    "training loss": "훈련 손실",
    "all fit the training data": "모두 훈련 데이터를 완전히 맞힘",
    "Wilson et al. 2017, §3.3: the same linear model and data; only the update rule differs": (
        "Wilson 외 2017, §3.3: 같은 선형 모델과 데이터, 갱신 규칙만 다름"
    ),
    "SGD and Momentum: test error 0; AdaGrad, RMSprop, Adam: on the diagonal (every new "
    "point called positive), since their solution is ∝ sign(Xᵀy)": (
        "SGD와 Momentum: 시험 오차 0. AdaGrad, RMSprop, Adam: 대각선 위(새 점을 모두 "
        "양성으로 판정). 이들의 해는 sign(Xᵀy)에 비례하기 때문"
    ),
    "largest train error": "가장 큰 훈련 오차",
    "largest test error": "가장 큰 시험 오차",
    "largest |test error − minority share|": "가장 큰 |시험 오차 − 소수 클래스 비율|",
    # adaptive-vs-sgd
    "epochs": "에폭",
    "training accuracy": "훈련 정확도",
    "test accuracy": "시험 정확도",
    "validation accuracy": "검증 정확도",
    "tuned lr": "조정한 lr",
    "same budget": "같은 예산",
    "lr tuned on validation accuracy over": "lr은 검증 정확도로 조정, 후보",
    "values": "개",
    "Compare the right panel's end points: does a tuned adaptive rule test worse than SGD "
    "with momentum, as Wilson et al. (2017) found?": (
        "오른쪽 패널의 끝점을 비교하세요: Wilson 외(2017)가 발견했듯이, 조정한 적응적 "
        "규칙이 모멘텀 SGD보다 시험 성능이 나쁜가?"
    ),
    "lr ÷ the rule's default lr": "lr ÷ 규칙의 기본 lr",
    "final validation accuracy": "최종 검증 정확도",
    "learning-rate grid (validation data)": "학습률 격자 (검증 데이터)",
    "each rule's lr is its peak here, on validation data: the test set plays no part": (
        "각 규칙의 lr은 검증 데이터에서의 최고점: 시험 데이터는 쓰지 않음"
    ),
    "val acc": "검증 정확도",
    "train acc": "훈련 정확도",
    "test acc": "시험 정확도",
    "at defaults": "기본값에서",
    # batch-size
    "updates (log scale)": "갱신 횟수 (로그 눈금)",
    "loss of the batch": "배치의 손실",
    "loss per update": "갱신마다의 손실",
    "loss on the training set": "훈련 데이터 전체의 손실",
    "loss per epoch": "에폭마다의 손실",
    "full batch": "전체 배치",
    "batch": "배치",
    "training time (s, log scale)": "훈련 시간 (초, 로그 눈금)",
    "loss per second": "시간에 따른 손실",
    "samples": "샘플",
    "Smaller batches make more, noisier updates per epoch and get further per epoch; "
    "the full batch makes one update per epoch": (
        "배치가 작을수록 에폭마다 더 많고 더 잡음 섞인 갱신을 하며 에폭마다 더 멀리 "
        "나아감. 전체 배치는 에폭마다 한 번 갱신함"
    ),
    "updates/epoch": "에폭당 갱신 횟수",
    "final loss": "최종 손실",
    "seconds": "초",
    "loss noise": "손실 잡음",
    # batchnorm
    "epoch": "에폭",
    "training accuracy per epoch": "에폭마다의 훈련 정확도",
    "weights": "가중치",
    "(×: the plain net's loss overflowed)": "(×: 일반 신경망의 손실이 넘침)",
    "Where the plain net stays at chance, batch norm still learns; near the He scale "
    "(bold) the plain net is already well scaled and can be ahead": (
        "일반 신경망이 무작위 수준에 머무는 곳에서도 배치 정규화는 학습함. He 스케일(굵게) "
        "근처에서는 일반 신경망도 이미 스케일이 좋아 앞설 수 있음"
    ),
    "with batch norm": "배치 정규화 사용",
    "without (plain)": "미사용 (일반)",
    "chance": "무작위 수준",
    "BN mean final train acc": "배치 정규화 평균 최종 훈련 정확도",
    "plain mean final train acc": "일반 신경망 평균 최종 훈련 정확도",
    "scales where BN is ahead": "배치 정규화가 앞선 스케일 수",
    "scales where plain is ahead": "일반 신경망이 앞선 스케일 수",
    "plain runs diverged": "발산한 일반 신경망 실행 수",
    "BN at": "배치 정규화,",
    "plain at": "일반 신경망,",
    # init-compare
    "iterations": "반복",
    "loss": "손실",
    "std": "표준편차",
    "std 0.01 stays at ln 10 ≈ 2.30 (nothing is learnt); with ReLU, He's weights learn "
    "faster than Xavier's": (
        "표준편차 0.01은 ln 10 ≈ 2.30에 머묾(아무것도 배우지 못함). ReLU에서는 He 초깃값이 "
        "Xavier 초깃값보다 빨리 학습함"
    ),
    # init-histogram
    "-layer": "층",
    "activations per layer": "층별 활성화값",
    "bins on": "구간, 범위",
    "counts cut at": "개수 상한",
    "red: a cut bar, with its share": "빨강: 잘린 막대와 그 비율",
    "std 1 piles up at 0 and 1 (gradients vanish), std 0.01 at 0.5 (every unit says the "
    "same); Xavier stays spread out in every layer": (
        "표준편차 1은 0과 1에 몰리고(기울기 소실), 표준편차 0.01은 0.5에 몰림(모든 뉴런이 "
        "같은 값을 냄). Xavier는 모든 층에서 고르게 퍼짐"
    ),
    "std 1 piles up at ±1, std 0.01 collapses to 0; Xavier keeps the spread in every layer": (
        "표준편차 1은 ±1에 몰리고 표준편차 0.01은 0으로 쪼그라듦. Xavier는 모든 층에서 "
        "퍼짐을 유지함"
    ),
    "He keeps the same spread in every layer; under Xavier the values crowd toward 0 layer "
    "by layer; std 0.01 shrinks them to nothing": (
        "He는 모든 층에서 같은 퍼짐을 유지함. Xavier에서는 층을 지날수록 값이 0으로 모이고, "
        "표준편차 0.01은 값을 거의 0으로 줄임"
    ),
    "compare the rows: the spread each initial weight leaves": (
        "행을 비교하세요: 초깃값마다 남는 퍼짐"
    ),
    "% above": "%는",
    "(not drawn)": "초과 (그리지 않음)",
    "layer": "층",
    "std of activations": "활성화값의 표준편차",
    "A flat line keeps the signal's size through the layers: Xavier for sigmoid and tanh, "
    "He for ReLU; a falling line is a vanishing signal": (
        "평평한 선은 층을 지나도 신호의 크기를 유지함: sigmoid와 tanh에는 Xavier, ReLU에는 "
        "He. 내려가는 선은 신호가 사라지는 것"
    ),
    "layer-": "층 ",
    "share within 0.02 of 0.5": "0.5에서 0.02 이내의 비율",
    "share within 0.02 of 0 or 1": "0 또는 1에서 0.02 이내의 비율",
    "std ratio layer": "표준편차 비 층",
    "share of zeros": "0의 비율",
    # lecture-additions
    "shuffling": "셔플링",
    "shuffle": "셔플",
    "fixed order": "고정 순서",
    "sorted by class": "클래스별 정렬",
    "updates (the curriculum's early epochs are shorter)": (
        "갱신 횟수 (커리큘럼의 초반 에폭은 더 짧음)"
    ),
    "curriculum (easy first)": "커리큘럼 (쉬운 것부터)",
    "curriculum": "커리큘럼",
    "early stopping: where it stops, what it keeps": "조기 종료: 멈추는 곳과 남기는 것",
    "early stopping": "조기 종료",
    "stop": "멈춤",
    "patience": "인내",
    "epoch kept (best validation)": "남긴 에폭 (검증 최고점)",
    "gradient noise": "기울기 잡음",
    "eta": "η",
    "for validation": "검증용",
    "same initial weights": "같은 초깃값",
    "Each panel: the lecture's method against the plain shuffled run (blue); lines: mean "
    "over seeds, bands: ±1 std": (
        "각 패널: 강의의 방법과 보통의 셔플 실행(파랑) 비교. 선: 시드 평균, 띠: ±1 표준편차"
    ),
    "train loss after epoch": "훈련 손실, 에폭",
    "final train loss": "최종 훈련 손실",
    "stopped after epoch (mean)": "멈춘 에폭 (평균)",
    "kept epoch (mean)": "남긴 에폭 (평균)",
    "epochs saved (mean)": "아낀 에폭 수 (평균)",
    # loss-surface
    "α (filter-normalised direction)": "α (필터 정규화한 방향)",
    "1-D slice around each solution": "각 해 주변의 1차원 단면",
    "sharpness": "날카로움",
    "direction": "방향",
    "2-D slice": "2차원 단면",
    "interpolation between the two solutions": "두 해 사이의 보간",
    "test loss": "시험 손실",
    "Both ends fit the training data; the large-batch minimum is the sharper one: a larger "
    "top Hessian eigenvalue (λmax), which a random direction need not show. Keskar et al. "
    "2017 tie sharp minima to 'smaller batches usually generalise better': compare test "
    "accuracies": (
        "양 끝 모두 훈련 데이터를 맞힘. 큰 배치의 최솟값이 더 날카로움: 헤세 행렬의 가장 큰 "
        "고윳값(λmax)이 더 크며, 무작위 방향에서는 드러나지 않을 수 있음. Keskar 외 2017은 "
        "날카로운 최솟값을 '작은 배치가 대개 더 잘 일반화함'과 연결함: 시험 정확도를 비교하세요"
    ),
    # lr-diagnosis
    "very high": "아주 큼",
    "high": "큼",
    "good": "적당함",
    "low": "작음",
    "bad init": "나쁜 초깃값",
    "diverging": "발산",
    "spiking": "튐",
    "slow": "느림",
    "plateau": "정체",
    "healthy": "정상",
    "diverged": "발산함",
    "seeds agreeing": "같은 판정의 시드",
    "lower the lr, or raise Adam's eps": "lr을 낮추거나 Adam의 eps를 키우기",
    "raise the lr": "lr 키우기",
    "check the initial weights": "초깃값 확인",
    "Red is what we want; a jump or blow-up: lower the lr; a straight slow line: raise it; "
    "a flat line: check the initial weights": (
        "빨간색이 우리가 원하는 것. 튀거나 발산하면 lr을 낮추고, 느린 직선이면 키우고, "
        "평평하면 초깃값을 확인"
    ),
    "diverged before\nthe first epoch's end": "첫 에폭이 끝나기 전에\n발산함",
    "sharpness (top Hessian eigenvalue)": "날카로움 (헤세 행렬의 가장 큰 고윳값)",
    "Too high: the sharpness is pinned at or above 2/lr (dashed), steps overshoot; too low: "
    "far below it.": (
        "너무 크면 날카로움이 2/lr(점선)에 붙거나 그 위에 있어 스텝이 지나침. 너무 작으면 "
        "훨씬 아래에 있음."
    ),
    "Mini-batch": "미니배치",
    "noise keeps it near, not on, 2/lr": "잡음 때문에 2/lr 위가 아니라 근처에 머묾",
    # optimizer-compare
    "same start and batches": "같은 시작점과 배치",
    "each rule at its default lr": "규칙마다 기본 lr",
    "SGD's loss falls slowest; Momentum, AdaGrad and Adam reach a lower loss sooner (log scale)": (
        "SGD의 손실이 가장 느리게 줄어듦. Momentum, AdaGrad, Adam은 더 빨리 더 낮은 손실에 "
        "도달함 (로그 눈금)"
    ),
    # overfit
    "accuracy": "정확도",
    "no regularisation": "정규화 없음",
    "gap": "간극",
    "train": "훈련",
    "test": "시험",
    "weight decay": "가중치 감소",
    "dropout": "드롭아웃",
    "inverted": "역 드롭아웃 방식",
    "ensemble of": "앙상블, 모델 수",
    "ensemble": "앙상블",
    "none": "없음",
    "training samples": "훈련 샘플",
    "hidden layers": "은닉층",
    "gap = train − test accuracy over the last tenth of the epochs; a remedy works where its "
    "gap is narrower than the unregularised one (in brackets)": (
        "간극 = 마지막 10% 에폭의 훈련 정확도 − 시험 정확도. 간극이 정규화 없는 경우보다 "
        "좁으면(괄호 안) 그 방법이 효과가 있음"
    ),
    # trainlab landscape's paths.png, panels.png, values.png
    "from": "시작점",
    "f - min": "f - 최솟값",
    # trainlab lrfind's lrfind.png
    "learning rate (grows every step)": "학습률 (스텝마다 커짐)",
    "training loss (smoothed)": "훈련 손실 (평활)",
    "learning-rate range test": "학습률 범위 테스트",
    "on": "·",
    "seed": "시드",
    "stopped at": "멈춘 곳",
    "suggested": "제안 구간",
    "to": "~",
    "middle": "가운데",
    "Flat: the lr is too small; falling fastest: useful; rising: steps overshoot. "
    "Seeds' middles lie within": (
        "평평함: lr이 너무 작음. 가장 빨리 떨어짐: 쓸 만함. 올라감: 스텝이 지나침. "
        "시드별 가운데 값의 차이:"
    ),
    "decades": "자릿수 이내",
    # trainlab benchmark's sensitivity.png, curves.png, performance_profile.png
    "learning rate": "학습률",
    "validation loss": "검증 손실",
    "validation": "검증",
    "τ (ratio to the best CPU time to target)": "τ (목표까지 CPU 시간의 최고 대비 비율)",
    "share of problems": "문제의 비율",
    "performance profile": "성능 프로파일",
    # and its key numbers: "digits sgd s to target", "0.70 ± 0.15 (2 seeds)"
    "seeds": "시드",
    "s to target": "목표까지 걸린 초",
    "steps to target": "목표까지 걸린 스텝 수",
    "not reached": "도달하지 못함",
    "recommended": "추천",
    "profile": "프로파일",
    "area": "넓이",
    "warnings": "경고 수",
    # trainlab tune's best_trials.png, search_space.png (its parameters drawn as named)
    "Best": "최고",
    "completed trials": "개의 완료된 시행",
    # and its key numbers
    "trials complete": "완료된 시행",
    "trials pruned": "가지치기된 시행",
    "trials failed": "실패한 시행",
    "trials lost (rerun)": "잃어서 다시 실행한 시행",
    "best val acc": "최고 검증 정확도",
    "best val R²": "최고 검증 R²",
    "best trial": "최고 시행",
    "test acc of best (retrained once, after the search)": (
        "최고 시행의 시험 정확도 (탐색 후 한 번 다시 학습)"
    ),
    "test MSE of best (retrained once, after the search)": (
        "최고 시행의 시험 MSE (탐색 후 한 번 다시 학습)"
    ),
    "test R² of best": "최고 시행의 시험 R²",
    "suggested next space": "다음 탐색 공간 제안",
    **{f"best {name}": f"최고 시행의 {name}" for name in ("lr", "momentum", "eps")},
    **{f"best {n}": f"최고 시행의 {k}" for n, k in SEARCHED.items()},
    # the key numbers of `trainlab train` (its doctor's verdicts too) and `trainlab landscape`
    "iterations_per_second": "초당 반복 횟수",
    "final_train_loss": "최종 훈련 손실",
    "final_train_acc": "최종 훈련 정확도",
    "final_val_acc": "최종 검증 정확도",
    "final_test_acc": "최종 시험 정확도",
    "final_train_mse": "최종 훈련 평균제곱오차(MSE)",
    "final_train_r2": "최종 훈련 결정계수(R²)",
    "final_train_rmse": "최종 훈련 RMSE",
    "final_train_mae": "최종 훈련 MAE",
    "final_val_mse": "최종 검증 평균제곱오차(MSE)",
    "final_val_r2": "최종 검증 결정계수(R²)",
    "final_val_rmse": "최종 검증 RMSE",
    "final_val_mae": "최종 검증 MAE",
    "final_test_mse": "최종 시험 평균제곱오차(MSE)",
    "final_test_r2": "최종 시험 결정계수(R²)",
    "final_test_rmse": "최종 시험 RMSE",
    "final_test_mae": "최종 시험 MAE",
    "best_epoch": "최고 에폭",
    "doctor": "진단",
    "lr_too_high": "학습률이 너무 큼",
    "lr_too_low": "학습률이 너무 작음",
    "exploding_gradients": "기울기 폭발",
    "gradient_norm": "기울기 노름",
    "overfitting": "오버피팅",
    "underfitting": "과소적합",
    "saturated_activations": "포화된 활성화값",
    "vanishing_activations": "사라지는 활성화값",
    "function": "함수",
    "steps": "스텝 수",
    "best": "가장 좋은 규칙",
    "mean f": "평균 f",
    "final f": "최종 f",
    # `trainlab landscape`'s key numbers name each rule's lr: "sgd lr"
    **{f"{rule} lr": f"{rule} 학습률" for rule in RULE_KEYS},
}

#: a figure file's name → its caption
CAPTIONS = {
    "opening_network.png": "강의의 첫 신경망과 기법을 하나씩 바꾼 결과",
    "adaptive_lr_grid.png": "규칙마다의 학습률 격자 (검증 데이터)",
    "adaptive_separable.png": "분리 가능한 선형 문제에서의 적응적 규칙",
    "adaptive_vs_sgd.png": "적응적 규칙과 모멘텀 SGD의 일반화 비교",
    "batch_size.png": "배치 크기: 전체 배치, 확률적, 미니배치",
    "batchnorm.png": "배치 정규화와 가중치 스케일",
    "init_compare.png": "노트의 신경망에서 초깃값 비교",
    "init_histogram_relu.png": "ReLU 활성화값 분포와 초깃값",
    "init_histogram_sigmoid.png": "sigmoid 활성화값 분포와 초깃값",
    "init_histogram_tanh.png": "tanh 활성화값 분포와 초깃값",
    "init_layer_std.png": "층별 활성화값의 표준편차",
    "lecture_additions.png": "강의의 추가적인 방법론",
    "loss_surface.png": "손실 곡면: 날카로운 최솟값과 평평한 최솟값",
    "lr_diagnosis.png": "손실 곡선으로 보는 학습률 진단",
    "lr_sharpness.png": "날카로움과 2/lr",
    "optimizer_compare.png": "노트의 신경망에서 갱신 방법 비교",
    "overfit.png": "오버피팅: 가중치 감소, 드롭아웃, 앙상블",
    # the figures of the other commands, shown as they were saved
    "training.png": "학습 곡선: 손실과 정확도",
    "lrfind.png": "학습률 찾기",
    "paths.png": "2차원 함수 위의 갱신 경로",
    "paths.gif": "2차원 함수 위의 갱신 경로 (애니메이션)",
    "panels.png": "갱신 방법별 경로",
    "values.png": "스텝마다의 함수 값",
    "best_trials.png": "가장 좋은 시행들",
    "search_space.png": "탐색 공간과 시행",
    "sensitivity.png": "하이퍼파라미터 민감도",
    "curves.png": "학습 곡선",
    "performance_profile.png": "성능 프로파일",
}
