from _cells import check, code, md

TITLE = ("손실 곡선 읽기", "Reading a loss curve")

CELLS = [
    md(
        """## 강의의 주장

강의의 마지막 그림은 학습률에 따른 손실 곡선 네 개입니다:

* 빨강(좋은 학습률): 빠르게 떨어지다가 평평해집니다. 우리가 원하는 곡선.
* 초록(높은 학습률): 빨리 떨어지지만 높은 곳에서 멈추거나 튑니다 → 학습률을 낮춰 보기.
* 노랑(아주 높은 학습률): 튀다가 발산합니다 → 학습률을 낮추거나, Adam이라면 엡실론을 키워 보기.
* 파랑(낮은 학습률): 직선처럼 천천히 떨어집니다 → 학습률을 키우기.

trainlab의 진단(`trainlab.experiments.verdict`)은 곡선에 네 가지 간단한 검사를 해서 이 판정을 내립니다.
다섯 번째 곡선은 좋은 학습률에 표준편차 0.01 초깃값을 쓴 것으로, 전혀 움직이지 않는 정체(plateau)를 보여 줍니다.""",
        """## What the lecture claims

The lecture closes with four loss curves, one per learning rate:

* red (a good learning rate): falls fast, then levels off. The curve we want.
* green (high): falls fast but stalls high, or jumps → lower the learning rate.
* yellow (very high): jumps, then blows up → lower the learning rate, or with Adam raise epsilon.
* blue (low): falls slowly in a straight line → raise the learning rate.

trainlab's verdict (`trainlab.experiments.verdict`) reaches these calls with four plain tests on the curve.
A fifth curve keeps the good learning rate but starts from weights with std 0.01: a plateau that does not move.""",
    ),
    code("""import tempfile
from IPython.display import Image
from trainlab import experiments

run_dir = tempfile.mkdtemp(prefix="lr-diagnosis-")
metrics = experiments.run("lr-diagnosis", run_dir, quick=True, progress=True)
for curve, verdict in metrics["summary"].items():
    print(f"{curve:20s} → {verdict}")
Image(filename=f"{run_dir}/lr_diagnosis.png")"""),
    md(
        """## 직접 골라 보기

학습률과 갱신 규칙을 바꾸면 digits에서 10에폭을 다시 학습하고, 곡선과 진단이 바뀝니다.""",
        """## Choose for yourself

Change the learning rate or the rule: 10 epochs on digits are trained again, and the curve and the verdict change.""",
    ),
    code("""from trainlab.notebooks import LossCurveLab

curve_lab = LossCurveLab(lr=0.1, lang=LANG)
curve_lab"""),
    code("""from trainlab.experiments.verdict import verdict

for lr in (3.0, 0.1, 0.001):
    curve_lab.lr_box.value = lr        # «슬라이더를 옮긴 것과 같습니다|the same as moving the slider»
    print(f"lr {lr:g}: {curve_lab.kind} ({curve_lab.advice})")"""),
    md(
        """## 확인

강의의 그림과 같은 판정: 아주 높은 학습률은 발산, 높은 학습률은 튐, 좋은 학습률은 건강함, 낮은 학습률은 느림, 나쁜 초깃값은 정체.""",
        """## Check

The lecture's calls: very high diverges, high spikes, good is healthy, low is slow, the bad start is a plateau.""",
    ),
    check("""from trainlab.experiments.lr_diagnosis import majority

runs = metrics["runs"]
calls = {label: majority(runs, label) for label in runs[0]}
print(calls)
assert calls == {"very high": "diverging", "high": "spiking", "good": "healthy",
                 "low": "slow", "bad init": "plateau"}, calls
print("«확인: 다섯 곡선 모두 강의대로 진단됩니다|checked: all five curves get the lecture's verdict»")"""),
]
