from _cells import check, code, md

TITLE = ("MNIST 모양의 데이터에서 갱신 규칙 비교", "The update rules on MNIST-shaped data")

CELLS = [
    md(
        """## 노트의 주장

각 층이 뉴런 100개인 5층 ReLU 신경망을 같은 초깃값, 같은 미니배치로 학습시키면 SGD의 학습 진도가 가장 느리고
모멘텀, AdaGrad, Adam은 더 빨리 손실을 줄입니다. 다만 결과는 학습률과 신경망 구조에 따라 달라집니다.

데이터: Fashion-MNIST 파일이 있으면 그것(처음 5,000장)을, 없으면 trainlab에 들어 있는 `digits`(8×8 숫자 1,797장)를 씁니다.""",
        """## What the notes claim

Train a 5-layer ReLU network with 100 units per layer from the same initial weights on the same mini-batches:
SGD makes the slowest progress, while Momentum, AdaGrad and Adam lower the loss faster.
The result depends on the learning rates and the network, though.

Data: Fashion-MNIST (its first 5,000 images) when its files are found, else `digits`, which ships with
trainlab (1,797 digits of 8×8 pixels).""",
    ),
    code(
        """from trainlab.notebooks import pick_dataset

DATASET = pick_dataset()""",
        "parameters",
    ),
    code("""from trainlab.data import load

(x_train, t_train), (x_test, t_test) = load(DATASET)
x_train, t_train = x_train[:5000], t_train[:5000]
print(DATASET, x_train.shape, x_test.shape)"""),
    md(
        """## 노트의 코드와 trainlab의 코드

노트의 모멘텀은 이렇습니다:

```python
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        for key in params.keys():
            self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]
            params[key] += self.v[key]
```

trainlab의 같은 규칙은 한 단계가 다음 몇 줄입니다 (`update(params, grads)` 가 매개변수마다 부릅니다):""",
        """## The notes' code beside trainlab's

The notes' Momentum:

```python
class Momentum:
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)
        for key in params.keys():
            self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]
            params[key] += self.v[key]
```

trainlab's rule takes these few lines per step (`update(params, grads)` calls them for each parameter):""",
    ),
    code("""import inspect
from trainlab import optim

print(inspect.getsource(optim.Momentum._apply))
print(optim.Momentum.__doc__.split("Paper")[0])"""),
    md(
        """## 네 규칙으로 학습하기

노트의 기본 학습률(SGD 0.01, Momentum 0.01, AdaGrad 0.01, Adam 0.001), 배치 128, 500번 반복.
진행 막대와 손실 그래프가 학습하는 동안 갱신됩니다.""",
        """## Training with the four rules

The notes' default learning rates (SGD 0.01, Momentum 0.01, AdaGrad 0.01, Adam 0.001), batches of 128,
500 iterations. The progress bar and the loss plot update while it trains.""",
    ),
    code("""from trainlab.nn import MultiLayerNet
from trainlab.notebooks import LiveLoss
from trainlab.train import Data, TrainConfig, Trainer

RULES = ["sgd", "momentum", "adagrad", "adam"]
live = LiveLoss(lang=LANG)
histories = {}
for name in RULES:
    net = MultiLayerNet(x_train.shape[1], [100] * 4, 10, rng=np.random.default_rng(0))
    config = TrainConfig(iterations=500, mini_batch_size=128, rng=np.random.default_rng(1),
                         progress=True, callbacks=[live.next(name)])
    trainer = Trainer(net, Data(x_train, t_train, x_test, t_test), name, config)
    histories[name] = trainer.train()"""),
    code("""final = {name: float(np.mean(h["train_loss"][-50:])) for name, h in histories.items()}
for name, h in histories.items():
    print(f"{name:9s} «마지막 50번 평균 손실|mean loss of the last 50 steps»={final[name]:.3f}  "
          f"«시험 정확도|test accuracy»={h['test_acc'][-1]:.3f}")"""),
    md(
        """## 확인

같은 초깃값과 같은 배치에서 SGD의 마지막 손실이 다른 세 규칙보다 높습니다.""",
        """## Check

From the same initial weights and batches, SGD ends with a higher loss than each of the other three rules.""",
    ),
    check("""for name in ["momentum", "adagrad", "adam"]:
    assert final["sgd"] > final[name], (name, final)
print("«확인: SGD가 가장 느립니다|checked: SGD is the slowest»")"""),
]
