from _cells import check, code, md

TITLE = ("왜 발산하는가", "Why it diverges")

CELLS = [
    md(
        """## 손실 곡선 슬라이드 다음

강의의 손실 곡선 그림은 무엇을 할지 알려 줍니다(튀면 학습률을 낮추고, 직선처럼 느리면 키우기). 이 노트는 *왜* 그런지를
부등식 하나로 보여 줍니다: 곡률 λ인 방향에서 경사 하강 한 스텝은 오차에 $1 - \\eta\\lambda$를 곱합니다.
$\\lambda > 2/\\eta$이면 $|1 - \\eta\\lambda| > 1$: 최솟값을 지나쳐 오차가 커집니다.""",
        """## After the loss-curve slide

The lecture's loss-curve figure says what to do (a curve that jumps: lower the lr; a slow straight line: raise it).
This notebook shows *why*, in one inequality: along a direction of curvature λ one gradient step multiplies the
error by $1 - \\eta\\lambda$. If $\\lambda > 2/\\eta$, then $|1 - \\eta\\lambda| > 1$: the step overshoots the
minimum and the error grows.""",
    ),
    code("""from trainlab import theory

eigenvalues = [0.1, 2.0]  # «노트의 x²/20 + y²의 곡률|the curvatures of the notes' x²/20 + y²»
print("SGD lr 0.95:", theory.rates(eigenvalues, "sgd", lr=0.95))
print("«안정한 최대 학습률|largest stable lr»:", theory.max_lr(eigenvalues, "sgd"))
for rule in ("sgd", "momentum", "nesterov"):
    print(rule, theory.optimal(eigenvalues, rule))"""),
    md(
        """## 이차 함수의 지도

고유방향(화살표), 방향별로 예측한 수렴률과 경로에서 잰 수렴률, 그리고 학습률 × 모멘텀 지도입니다.
지도의 칸을 누르면 그 쌍의 경로를 그립니다.""",
        """## The quadratic's map

The eigen-directions (arrows), the rate per direction predicted beside the one measured on the path, and a map
of learning rate × momentum. Click a cell of the map to draw that pair's path.""",
    ),
    code("""from trainlab.notebooks import RateLab

rate_lab = RateLab("bowl", "momentum", lang=LANG)
rate_lab"""),
    md(
        """## 신경망의 날카로움

신경망에는 곡률이 하나가 아니라 매개변수 수만큼 있습니다. 가장 큰 것(헤세 행렬의 최대 고윳값)이 *날카로움*입니다.
노트의 신경망을 digits 500장에 전체 배치 경사 하강으로 학습시키며 10스텝마다 날카로움을 재서 2/lr(점선)과 비교합니다.
날카로움이 2/lr 위에 있는 동안 손실이 튀고, 아래로 내려오면 매끄럽게 떨어집니다(Cohen 등 2021, edge of stability).""",
        """## The network's sharpness

A network has as many curvatures as parameters; the largest (the Hessian's top eigenvalue) is its *sharpness*.
The notes' network trains on 500 digits by full-batch gradient descent, and every 10 steps the sharpness is
measured and set beside 2/lr (dashed). While it is above 2/lr the loss jumps; once below, it falls smoothly
(Cohen et al. 2021, the edge of stability).""",
    ),
    code("""from trainlab.notebooks import SharpnessLab

sharp_lab = SharpnessLab(lr=0.3, lang=LANG)
sharp_lab"""),
    code("""peaks = {}
for lr in (0.03, 1.0):
    sharp_lab.lr_box.value = lr   # «슬라이더를 옮긴 것과 같습니다|the same as moving the slider»
    peaks[lr] = max(v for v in sharp_lab.history["sharpness"] if v is not None) / (2 / lr)
    print(f"lr {lr:g}: «가장 큰 날카로움|the largest sharpness» = {peaks[lr]:.2f} × 2/lr;",
          sharp_lab.verdict or "«2/lr보다 아래|below 2/lr»")"""),
    md(
        """## 믿을 수 있는 학습률 찾기

`trainlab.lrfind`는 학습률을 지수적으로 키우며 몇 백 스텝 학습하고, 시드 세 개로 반복해 평활화한 뒤 구간을 제안합니다.
신경망과 옵티마이저는 원래 상태 그대로 남습니다. 명령줄에서는 `trainlab lrfind --optimizer adam`입니다.""",
        """## A learning-rate finder you can trust

`trainlab.lrfind` trains a few hundred steps while the learning rate grows exponentially, repeats over three
seeds, smooths, and suggests an interval. The network and the optimizer are left as they were. On the command
line: `trainlab lrfind --optimizer adam`.""",
    ),
    code("""from trainlab.notebooks import FinderLab

finder_lab = FinderLab("sgd", lang=LANG)
before = finder_lab.net.flat_params.copy()
finder_lab.rule_box.value = "adam"
print("adam:", finder_lab.found.interval, "→ lr", round(finder_lab.found.middle, 5))
finder_lab"""),
    md(
        """## 확인

이차 함수에서 경사 하강의 수렴률은 경로에서 잰 값과 1e-12까지 같고, 작은 학습률(0.03)의 날카로움은 내내 2/lr
아래에 있으며, 큰 학습률(1.0)에서는 2/lr을 넘어 손실이 튀고, 학습률 찾기는 신경망을 바꾸지 않습니다.""",
        """## Check

On the quadratic gradient descent's rates match the path to 1e-12; at lr 0.03 the sharpness stays below 2/lr
all along, at lr 1.0 it goes above 2/lr and the loss jumps; the finder leaves the network unchanged.""",
    ),
    check("""import numpy as np
from trainlab.landscape.rates import contraction

c = contraction("bowl", "sgd", 0.95, steps=30)
assert np.allclose(c.measured, c.predicted, rtol=0, atol=1e-12), (c.measured, c.predicted)
assert peaks[0.03] < 0.8 and peaks[1.0] > 1.5, peaks
assert np.array_equal(finder_lab.net.flat_params, before)
print("«확인: 수렴률, 날카로움, 학습률 찾기 모두 설명대로입니다|checked: rates, sharpness and the finder behave as told»")"""),
]
