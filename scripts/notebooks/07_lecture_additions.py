from _cells import check, code, md

TITLE = ("강의가 더한 것들", "What the lecture adds")

CELLS = [
    md(
        """강의는 책의 6장에 몇 가지를 더합니다. 하나씩 돌려 봅니다:

1. 배치, 미니배치, 확률적 경사 하강법
2. 네스테로프 모멘텀
3. 학습률이 없는 Adadelta
4. Adam의 편향 보정("warm start")을 켜고 끄기
5. SWATS와, 적응적 규칙 대 SGD + 모멘텀
6. Wilson 등(2017)의 예: 적응적 규칙이 한 클래스만 예측하는 선형 문제
7. 추가적인 방법론: 셔플링, 커리큘럼, 조기 종료, 기울기 노이즈
8. 강의의 첫 신경망과 세 가지 핵심 기술""",
        """The lecture adds a few things to the book's chapter 6. One by one:

1. batch, mini-batch and stochastic gradient descent
2. Nesterov momentum
3. Adadelta, which has no learning rate
4. Adam's bias correction (the "warm start") switched on and off
5. SWATS, and adaptive rules against SGD with momentum
6. Wilson et al.'s (2017) example: a linear problem on which adaptive rules predict one class
7. The additional methods: shuffling, curriculum, early stopping, gradient noise
8. The lecture's opening network and its three key techniques""",
    ),
    md(
        """## 1. 배치 vs 미니배치 vs 확률적

강의의 주장: 전체 데이터로 한 번에 기울기를 구하면(배치) 오래 걸리고, 한 개씩 쓰면(확률적) 떨리지만,
미니배치 크기가 작을수록 보통 결과가 좋습니다(대신 시간이 더 듭니다). 같은 에폭 수로 비교합니다: 훈련 데이터 1,000개, SGD 0.01, 3에폭.""",
        """## 1. Batch vs mini-batch vs stochastic

The lecture's claim: the gradient of the whole set at once (batch) is slow, one sample at a time (stochastic)
jitters, and smaller mini-batches usually do better (at the cost of time). The same number of epochs for each:
1,000 training samples, SGD at 0.01, 3 epochs.""",
    ),
    code("""import time
from trainlab.data import load
from trainlab.nn import MultiLayerNet
from trainlab.optim import create
from trainlab.train import Data, TrainConfig, Trainer

(x, t), _ = load("digits")
x1000, t1000 = x[:1000], t[:1000]
epoch_loss, seconds = {}, {}
for batch in (1000, 32, 1):
    net = MultiLayerNet(64, [100] * 4, 10, rng=np.random.default_rng(0))
    start = time.perf_counter()
    config = TrainConfig(epochs=3, mini_batch_size=batch, rng=np.random.default_rng(1),
                         progress=True)
    h = Trainer(net, Data(x1000, t1000), create("sgd", lr=0.01), config).train()
    seconds[batch] = time.perf_counter() - start
    epoch_loss[batch] = h["train_loss_epoch"]
    print(f"«배치|batch» {batch:4d}: «에폭별 손실|loss per epoch» "
          f"{np.round(h['train_loss_epoch'], 3)}, {seconds[batch]:.2f} s")"""),
    md(
        """## 2. 네스테로프 모멘텀

모멘텀 방향으로 먼저 옮긴 다음 그 자리에서 기울기를 구합니다. 모멘텀이 최솟값을 자꾸 지나칠 때 더 낫습니다.
같은 학습률(0.1)과 모멘텀(0.9)으로 노트의 함수 위에서 비교합니다.""",
        """## 2. Nesterov momentum

Step along the momentum first, then take the gradient there. It helps where momentum keeps overshooting the minimum.
The same learning rate (0.1) and momentum (0.9) on the notes' function.""",
    ),
    code("""from trainlab.landscape import race
from trainlab.landscape.plots import paths_figure

pair = race("bowl", ["momentum", "nesterov"], lrs={"momentum": 0.1, "nesterov": 0.1}, newton=False)
fig = paths_figure(pair.function, pair.traces, "«모멘텀 vs 네스테로프|Momentum vs Nesterov», lr 0.1")
overshoot = {k: float(tr.points[:, 0].max()) for k, (tr, _) in pair.rules.items()}
mean_f = {k: tr.mean_value for k, (tr, _) in pair.rules.items()}
print("«x=0을 넘어간 거리|overshoot past x=0»:", overshoot)
print("«경로 위 f의 평균|mean f over the path»:", mean_f)"""),
    md(
        """## 3. Adadelta: 학습률 없이

학습률이 계속 줄어드는 AdaGrad의 문제를 지수이동평균으로 막고, 매개변수가 변한 양도 추적해서 학습률 없이 갱신합니다
(trainlab에서 `lr=1.0` 이 그 형태입니다).""",
        """## 3. Adadelta: no learning rate

Adadelta fixes AdaGrad's ever-shrinking rate with moving averages and tracks how much the parameters moved, so it
needs no learning rate (`lr=1.0` in trainlab is that form).""",
    ),
    code("""net = MultiLayerNet(64, [100] * 4, 10, rng=np.random.default_rng(0))
config = TrainConfig(iterations=300, mini_batch_size=100, rng=np.random.default_rng(1),
                     progress=True)
h = Trainer(net, Data(x1000, t1000), "adadelta", config).train()
adadelta_loss = h["train_loss_epoch"]
print(f"Adadelta: «손실|loss» {adadelta_loss[0]:.3f} → {adadelta_loss[-1]:.4f}")"""),
    md(
        r"""## 4. Adam의 편향 보정 ("warm start")

$m$ 과 $v$ 는 0에서 시작하므로 처음 몇 단계에서는 0 쪽으로 치우쳐 있습니다. 강의의 "warm start"는
$\hat m = m / (1 - \beta_1^t)$, $\hat v = v / (1 - \beta_2^t)$ 로 이를 보정합니다.
강의는 보정이 없으면 초반 갱신이 느리다고 말합니다. $m$ 만 보면 맞습니다: 첫 단계에서 $m$ 은 기울기의 $1-\beta_1 = 0.1$ 배입니다.
그런데 $v$ 도 $1-\beta_2 = 0.001$ 배라서, 실제 한 걸음 $m/\sqrt{v}$ 는 오히려 $\frac{1-\beta_1}{\sqrt{1-\beta_2}} \approx 3.16$ 배 **큽니다**.
기울기가 늘 1인 매개변수 하나로 재 봅니다.""",
        r"""## 4. Adam's bias correction (the "warm start")

$m$ and $v$ start at zero, so for the first steps they lean towards zero. The lecture's "warm start" corrects them:
$\hat m = m / (1 - \beta_1^t)$, $\hat v = v / (1 - \beta_2^t)$.
The lecture says that without it the first updates are slow. For $m$ alone that is right: at the first step $m$ is
$1-\beta_1 = 0.1$ times the gradient. But $v$ is $1-\beta_2 = 0.001$ times its square, so the actual step
$m/\sqrt{v}$ is $\frac{1-\beta_1}{\sqrt{1-\beta_2}} \approx 3.16$ times **larger**.
Measured on one parameter whose gradient is always 1:""",
    ),
    code("""from trainlab.optim import Adam

def first_steps(bias_correction, n=10):
    opt = Adam(lr=0.001, bias_correction=bias_correction)
    params, out = {"w": np.zeros(1)}, []
    for _ in range(n):
        before = params["w"].copy()
        opt.update(params, {"w": np.ones(1)})
        out.append(float(before[0] - params["w"][0]))
    return np.array(out)

steps_on, steps_off = first_steps(True), first_steps(False)
plt.plot(range(1, 11), steps_on, "o-", label="«보정 켬|correction on»")
plt.plot(range(1, 11), steps_off, "s--", label="«보정 끔|correction off»")
plt.xlabel("«단계|step»"); plt.ylabel("«한 걸음의 크기|size of the step»"); plt.legend(); plt.show()
step = np.arange(1, 11)
predicted = (1 - 0.9 ** step) / np.sqrt(1 - 0.999 ** step)   # «보정이 곱하는 수의 역수|the inverse of the correction»
print("«보정 끔 / 켬, 단계별|off / on, step by step»:", np.round(steps_off / steps_on, 2))"""),
    md(
        """## 5. SWATS, 그리고 적응적 규칙 대 SGD + 모멘텀

강의의 결론: 예전에는 Adam을 권했지만, 적응적 방법이 일반화에서 낫지 않다는 결과가 나와 SGD + 모멘텀(또는 네스테로프)을 기본으로 하자.
SWATS는 Adam으로 시작해 SGD로 바꾸는 실험적인 방법입니다 (여기서는 `tol=1e-3` 으로 전환이 일찍 일어나게 합니다).
훈련 80% / 검증 20%, 15에폭.""",
        """## 5. SWATS, and adaptive rules against SGD with momentum

The lecture's conclusion: Adam used to be the advice, but adaptive methods turned out not to generalise better,
so make SGD with momentum (or Nesterov) the default. SWATS starts with Adam and switches to SGD, an experimental
idea (here `tol=1e-3` lets the switch come early). 80% training / 20% validation, 15 epochs.""",
    ),
    code("""from trainlab.data import train_val_split

(x_tr, t_tr), (x_val, t_val) = train_val_split(x, t, 0.2, rng=np.random.default_rng(0))
rules = {"momentum": create("momentum", lr=0.1), "nesterov": create("nesterov", lr=0.1),
         "adam": create("adam", lr=0.001), "swats": create("swats", lr=0.001, tol=1e-3)}
val = {}
for name, opt in rules.items():
    net = MultiLayerNet(64, [100] * 4, 10, rng=np.random.default_rng(0))
    config = TrainConfig(epochs=15, mini_batch_size=100, rng=np.random.default_rng(1),
                         progress=True)
    h = Trainer(net, Data(x_tr, t_tr, x_val=x_val, t_val=t_val), opt, config).train()
    val[name] = h["val_acc"][-1]
    plt.plot(h["val_acc"], label=name)
plt.xlabel("«에폭|epoch»"); plt.ylabel("«검증 정확도|validation accuracy»"); plt.ylim(0.8, 1); plt.legend(); plt.show()
swats = rules["swats"]
print("«검증 정확도|validation accuracy»:", val)
print(f"«SWATS가 SGD로 바꾼 단계|SWATS switched to SGD at step» {swats.switch_step}, lr {swats.switch_lr:.3g}")"""),
    md(
        r"""## 6. Wilson 등(2017)의 예: 훈련은 모두 맞히는데 새 점은?

강의가 "적응적 방법이 일반화에서 낫지 않다"고 할 때 근거로 삼는 논문의 3.3절 예입니다. 점 $i$ 의 특성은
자기 레이블 $y_i$, 1 두 개, 그리고 그 점만의 구역(양성이면 1이 하나, 음성이면 1이 다섯 개)이고, 양성이 다수입니다.
선형 모델 $w$ 를 0에서 시작해 $\frac12 \mathrm{mean}((Xw-y)^2)$ 의 전체 배치 기울기로 학습시킵니다.
한 줄 이유: 여기서는 $X\,\mathrm{sign}(X^\top y) = 4y$ 라서 기울기가 언제나 $X^\top y$ 의 배수이고, 좌표마다 자기
기울기 크기로 나누는 적응적 갱신은 $\mathrm{sign}(X^\top y)$ 의 배수가 됩니다. 그러면 새 점 $x$ 는 레이블과
상관없이 $w \cdot x \propto y + 2 > 0$, 즉 양성으로 예측됩니다. SGD는 최소 노름 해로 가서 새 점을 모두 맞힙니다.""",
        r"""## 6. Wilson et al.'s (2017) example: every rule fits the training data, but new points?

The lecture's "adaptive methods do not generalise better" rests on this paper; its section 3.3 builds the example.
Point $i$ has as features its label $y_i$, two ones, and a block of its own (one 1 for a positive point, five 1s
for a negative one); positives are the majority. A linear model $w$ starts at 0 and follows the full-batch gradient
of $\frac12 \mathrm{mean}((Xw-y)^2)$.
The one-line reason: here $X\,\mathrm{sign}(X^\top y) = 4y$, so every gradient is a multiple of $X^\top y$, and an
adaptive step, which divides each coordinate by its own gradient size, is a multiple of $\mathrm{sign}(X^\top y)$.
A new point $x$ then gets $w \cdot x \propto y + 2 > 0$ whatever its label: positive. SGD ends at the minimum-norm
solution, which classifies every new point right.""",
    ),
    code("""from trainlab.experiments.adaptive_separable import features, fit_linear, labels

rng = np.random.default_rng(0)
y_train, y_new = labels(100, 0.75, rng), labels(1000, 0.75, rng)   # «양성 75%|75% positive»
X = features(y_train)
X_new = np.zeros((len(y_new), X.shape[1]))   # «새 점의 구역은 모델 밖: 그 가중치는 0|a new point's block lies outside the model»
X_new[:, 0], X_new[:, 1:3] = y_new, 1.0
sign_condition = np.array_equal(X @ np.sign(X.T @ y_train), 4 * y_train)
print("X·sign(Xᵀy) = 4y:", sign_condition)
train_error, new_error = {}, {}
for rule, lr in {"sgd": 0.3, "momentum": 0.03, "adagrad": 0.05, "rmsprop": 0.01, "adam": 0.01}.items():
    w, _ = fit_linear(X, y_train, rule, lr, steps=300)
    train_error[rule] = float(np.mean(np.sign(X @ w) != y_train))
    new_error[rule] = float(np.mean(np.sign(X_new @ w) != y_new))
    print(f"{rule:8s} «훈련 오차|training error» {train_error[rule]:.2f}  «새 점 오차|error on new points» {new_error[rule]:.2f}")
print("«음성(소수)의 비율|share of negatives (the minority)»:", float(np.mean(y_new < 0)))"""),
    md(
        """## 7. 추가적인 방법론: 셔플링, 커리큘럼, 조기 종료, 기울기 노이즈

강의의 주장: 학습 데이터는 매 에폭마다 섞어 주는 것이 좋고, 쉬운 것부터 학습시키며(Bengio 등 2009),
validation accuracy가 떨어지면 학습을 멈추고(매우 중요), gradient에 noise를 조금 넣으면 학습이 조금 빨라집니다(Neelakantan 등 2015).
같은 초깃값과 같은 분할(20%는 검증용)에서 여섯 가지로 학습시킵니다(`lecture-additions`, 빠른 설정: 12에폭).
이 데이터에서 본 것: 클래스별로 정렬한 데이터는 훨씬 못 배웁니다. 한 번 섞은 순서를 고정해도 거의 같습니다.
커리큘럼은 앞서지 않고, 이 크기의 노이즈는 얕은 신경망에서 별 차이가 없습니다(강의의 주장과 다른 부분).""",
        """## 7. The additional methods: shuffling, curriculum, early stopping, gradient noise

The lecture's claims: shuffle the training data every epoch; learn the easy examples first (Bengio et al. 2009);
stop when the validation accuracy falls (very important); a little noise on the gradient makes learning a little
faster (Neelakantan et al. 2015). Six trainings from the same initial weights and split (20% for validation)
(`lecture-additions`, quick settings: 12 epochs).
What this data shows: data sorted by class learns far worse; one fixed random order does about as well.
The curriculum is not ahead, and noise of this size makes little difference on a shallow network (where the data
disagrees with the lecture).""",
    ),
    code("""import tempfile
from IPython.display import Image
from trainlab import experiments

additions_dir = tempfile.mkdtemp(prefix="lecture-additions-")
additions = experiments.run("lecture-additions", additions_dir, quick=True, progress=True)
for key, value in additions["summary"].items():
    print(f"{key:45s} {value:.3f}")
Image(filename=f"{additions_dir}/lecture_additions.png")"""),
    md(
        """## 8. 강의의 첫 신경망과 세 가지 핵심 기술

강의의 첫 코드: 784-1000-10, sigmoid, 초깃값 `uniform(±0.058)`, `uniform(±0.077)`, `d2 = a2 - y`, 전체 배치의 합한 기울기,
학습률 1e-6, 100에폭. ±0.058과 ±0.077은 Glorot 균등분포의 경계 $\\sqrt{6/(n_{in}+n_{out})}$ 입니다.
강의는 활성화 함수, 가중치 초기화, 최적화를 세 가지 핵심 기술이라고 부릅니다. 나머지는 그대로 두고 하나씩 바꿉니다:
ReLU, He 초깃값, Adam (각각 학습률을 다시 고름). 빠른 설정: 이미지 500개, 30에폭.
`d2 = a2 - y` 는 출력 sigmoid의 인수 $a_2(1-a_2)$ 를 뺀 것이라 제곱 오차가 아니라 교차 엔트로피의 기울기입니다.""",
        """## 8. The lecture's opening network and its three key techniques

The lecture's first code: 784-1000-10, sigmoid, initial weights `uniform(±0.058)`, `uniform(±0.077)`, `d2 = a2 - y`,
the gradient summed over the whole batch, lr 1e-6, 100 epochs. ±0.058 and ±0.077 are the Glorot-uniform bounds
$\\sqrt{6/(n_{in}+n_{out})}$. The lecture calls activation, initial weights and optimizer the three key techniques.
One changed at a time, the rest as written: ReLU, He weights, Adam (each with its lr retuned). Quick settings: 500
images, 30 epochs. `d2 = a2 - y` leaves out the output sigmoid's factor $a_2(1-a_2)$: it is the gradient of the
cross-entropy, not of the squared error.""",
    ),
    code("""from trainlab.experiments.opening_network import glorot_bound

print("Glorot-uniform:", round(glorot_bound(784, 1000), 3), round(glorot_bound(1000, 10), 3))
opening_dir = tempfile.mkdtemp(prefix="opening-network-")
opening = experiments.run("opening-network", opening_dir, quick=True, progress=True)
for key, value in opening["summary"].items():
    print(f"{key:30s} {value:.3g}")
Image(filename=f"{opening_dir}/opening_network.png")"""),
    md(
        """## 확인

1. 같은 3에폭에서 배치가 작을수록 손실이 낮습니다: 1 < 32 < 1,000(전체 배치).
2. 같은 학습률과 모멘텀에서 네스테로프는 덜 지나치고, 경로 위 f의 평균이 더 낮습니다.
3. 학습률을 고르지 않은 Adadelta가 손실을 처음의 10% 아래로 줄입니다.
4. 보정을 끈 걸음은 보정한 걸음의 $(1-\\beta_1^t)/\\sqrt{1-\\beta_2^t}$ 배입니다: 첫 단계 3.16배, 10단계 6.5배. 느린 것이 아니라 큽니다.
5. SWATS는 실제로 SGD로 바뀌었고, SGD + 모멘텀의 검증 정확도는 Adam보다 낮지 않습니다(0.01 이내).
6. 다섯 방법 모두 훈련 오차 0. SGD와 모멘텀은 새 점 오차 0, AdaGrad, RMSprop, Adam은 새 점 오차가 음성의 비율(0.25)과 정확히 같습니다.
7. 클래스별로 정렬한 데이터의 시험 정확도는 섞은 데이터보다 0.04 넘게 낮고, 조기 종료가 남긴 매개변수는 검증 정확도가 가장 높았던 에폭의 것입니다.
8. 강의의 경계는 Glorot 균등분포의 경계이고, ReLU와 Adam은 각각 그대로의 신경망보다 시험 정확도가 높습니다.""",
        """## Check

1. After the same 3 epochs, smaller batches reach a lower loss: 1 < 32 < 1,000 (the full batch).
2. At the same learning rate and momentum, Nesterov overshoots less and has a lower mean f over its path.
3. Adadelta, with no learning rate chosen, brings the loss below 10% of its start.
4. Without the correction a step is $(1-\\beta_1^t)/\\sqrt{1-\\beta_2^t}$ times the corrected one: 3.16 at step 1,
   6.5 at step 10. Larger, not slower.
5. SWATS did switch to SGD, and SGD with momentum is not less accurate on validation than Adam (within 0.01).
6. All five rules have training error 0. SGD and Momentum err on no new point; AdaGrad, RMSprop and Adam err on
   exactly the share of negatives (0.25).
7. Data sorted by class ends more than 0.04 below shuffled data on test, and early stopping keeps the parameters of
   the epoch with the best validation accuracy.
8. The lecture's bounds are Glorot-uniform bounds, and ReLU and Adam each end above the network as written on test.""",
    ),
    check("""assert epoch_loss[1][-1] < epoch_loss[32][-1] < epoch_loss[1000][-1], epoch_loss
assert overshoot["nesterov"] < overshoot["momentum"] and mean_f["nesterov"] < mean_f["momentum"]
assert adadelta_loss[-1] < 0.1 * adadelta_loss[0], adadelta_loss
assert np.allclose(steps_off / steps_on, predicted, rtol=1e-4) and np.all(steps_off > steps_on)
assert swats.switch_step is not None
assert val["momentum"] >= val["adam"] - 0.01, val
assert sign_condition and all(e == 0 for e in train_error.values()), train_error
assert new_error["sgd"] == new_error["momentum"] == 0, new_error
assert all(new_error[r] == np.mean(y_new < 0) == 0.25 for r in ("adagrad", "rmsprop", "adam")), new_error
seed = additions["runs"][0]
assert seed["sorted by class"]["final"]["test_acc"] < seed["shuffle"]["final"]["test_acc"] - 0.04
stopped = seed["early stopping"]
assert max(stopped["val_acc"][1:]) == stopped["val_acc"][stopped["best_epoch"]]
assert np.isclose(stopped["final"]["val_acc"], stopped["val_acc"][stopped["best_epoch"]])
assert round(glorot_bound(784, 1000), 3) == 0.058 and round(glorot_bound(1000, 10), 3) == 0.077
written = opening["summary"]["as written: final test acc"]
assert all(opening["summary"][f"{n}: final test acc"] > written + 0.03 for n in ("ReLU", "Adam")), opening["summary"]
print("«확인: 강의의 여덟 가지를 이 데이터에서 확인했습니다|checked: the lecture's eight points hold on this data»")"""),
]
