from _cells import check, code, md

TITLE = ("가중치의 초깃값", "Initial weights")

CELLS = [
    md(
        """## 노트의 주장

100개 노드의 층 다섯 개에 `randn(1000, 100)` 을 흘려보내면, 가중치 표준편차에 따라 활성화값 분포가 달라집니다.

* 표준편차 1 + 시그모이드: 활성화값이 0과 1에 몰립니다 → 기울기 소실.
* 표준편차 0.01 + 시그모이드: 0.5 근처에 몰립니다 → 표현력 제한.
* Xavier 초깃값 $\\sqrt{1/n}$: 층이 깊어져도 고르게 퍼집니다 (시그모이드, tanh).
* He 초깃값 $\\sqrt{2/n}$: ReLU에서 층마다 폭이 유지됩니다.

그리고 학습에서는 ReLU + He가 가장 빨리 배우고, 표준편차 0.01은 거의 배우지 못합니다.""",
        """## What the notes claim

Feed `randn(1000, 100)` through five layers of 100 nodes: the standard deviation of the weights shapes
the distribution of the activations.

* std 1 with sigmoid: the activations pile up at 0 and 1, so the gradients vanish.
* std 0.01 with sigmoid: they pile up near 0.5, so the units all say the same thing.
* Xavier, $\\sqrt{1/n}$: they stay spread out layer after layer (sigmoid, tanh).
* He, $\\sqrt{2/n}$: with ReLU each layer keeps its width.

In training, ReLU with He learns fastest and std 0.01 hardly learns at all.""",
    ),
    md(
        """## 히스토그램 직접 바꿔 보기

가중치 스케일과 활성화 함수를 고르면 다섯 층의 히스토그램이 다시 그려집니다. 같은 입력, 같은 난수에 스케일만 바꿉니다.""",
        """## Change the histograms yourself

Choose the weight scale and the activation: the five layers' histograms redraw. Same input, same random draws;
only the scale changes.""",
    ),
    code("""from trainlab.notebooks import HistogramLab

hist = HistogramLab("1", "sigmoid", lang=LANG)
hist"""),
    code("""from trainlab.experiments.init_histogram import forward
from trainlab.nn import weight_std

rng = np.random.default_rng(0)
x = rng.standard_normal((1000, 100))
draws = [rng.standard_normal((100, 100)) for _ in range(5)]

def last_layer(scale, activation):
    std = weight_std(scale, 100)
    return forward(x, [std] * 5, activation, draws)[-1]

near_ends = {s: float(np.mean((last_layer(s, "sigmoid") < 0.02) | (last_layer(s, "sigmoid") > 0.98)))
             for s in (1.0, 0.01, "xavier")}
near_half = {s: float(np.mean(np.abs(last_layer(s, "sigmoid") - 0.5) < 0.02))
             for s in (1.0, 0.01, "xavier")}
print("«5층에서 0 또는 1 근처(±0.02)의 비율|share near 0 or 1 (±0.02) in layer 5»:", near_ends)
print("«5층에서 0.5 근처(±0.02)의 비율|share near 0.5 (±0.02) in layer 5»:", near_half)"""),
    md(
        """## 학습 비교: 표준편차 0.01, Xavier, He (ReLU, SGD 0.01)""",
        """## Training: std 0.01, Xavier and He (ReLU, SGD at 0.01)""",
    ),
    code("""from trainlab.data import load
from trainlab.nn import MultiLayerNet
from trainlab.optim import create
from trainlab.train import Data, TrainConfig, Trainer
from trainlab.viz import smooth

(x_train, t_train), _ = load("digits")
loss = {}
for init in (0.01, "xavier", "he"):
    net = MultiLayerNet(64, [100] * 4, 10, weight_init_std=init, rng=np.random.default_rng(0))
    config = TrainConfig(iterations=500, mini_batch_size=128, rng=np.random.default_rng(1),
                         progress=True)
    h = Trainer(net, Data(x_train, t_train), create("sgd", lr=0.01), config).train()
    loss[init] = h["train_loss"]
    plt.plot(smooth(h["train_loss"]), label=str(init))
plt.xlabel("«반복|iteration»"); plt.ylabel("«손실|loss»"); plt.legend(); plt.show()"""),
    md(
        """## 확인

표준편차 1에서는 5층 시그모이드 출력의 대부분이 0이나 1 근처이고, 0.01에서는 대부분이 0.5 근처이며, Xavier는 어느 쪽에도 몰리지 않습니다.
학습에서는 표준편차 0.01의 손실이 처음 값(약 2.30)에서 거의 움직이지 않고, He가 Xavier보다 낮게 끝납니다.""",
        """## Check

With std 1 most of layer 5's sigmoid outputs are near 0 or 1; with 0.01 most are near 0.5; Xavier piles up at neither.
In training, std 0.01 leaves the loss near its start (about 2.30) and He ends below Xavier.""",
    ),
    check("""assert near_ends[1.0] > 0.5 and near_half[0.01] > 0.5, (near_ends, near_half)
assert near_ends["xavier"] < 0.1 and near_half["xavier"] < 0.2, (near_ends, near_half)
end = {k: float(np.mean(v[-50:])) for k, v in loss.items()}
print("«마지막 50번 평균 손실|mean loss of the last 50 steps»:", end)
assert end[0.01] > 2.2 and end["he"] < end["xavier"] < end[0.01], end
print("«확인: 초깃값이 분포와 학습을 결정합니다|checked: the initial weights decide the spread and the learning»")"""),
]
