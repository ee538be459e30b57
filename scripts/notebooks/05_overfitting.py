from _cells import check, code, md

TITLE = ("오버피팅: 가중치 감소, 드롭아웃, 앙상블", "Overfitting: weight decay, dropout, ensembles")

CELLS = [
    md(
        r"""## 노트의 주장

훈련 데이터가 적고 모델이 크면 신경망은 훈련 데이터에만 맞춰져(오버피팅) 훈련 정확도와 시험 정확도 사이에 간극이 생깁니다.

* **가중치 감소**: 손실에 $\frac{1}{2}\lambda \lVert W \rVert^2$ 을 더해 큰 가중치에 벌점을 줍니다.
* **드롭아웃**: 훈련 때 은닉층 뉴런을 무작위로 지웁니다.
* **앙상블**: 따로 학습시킨 여러 모델의 출력을 평균 냅니다. 드롭아웃은 하나의 신경망으로 앙상블을 흉내 낸 것입니다.

세 방법 모두 간극을 줄이거나 시험 정확도를 올립니다.

설정: 훈련 데이터 300개, 7층(은닉 6 × 100). 8×8 `digits` 에서는 노트의 $\lambda = 0.1$ 이 훈련과 시험을 함께 떨어뜨리므로
$\lambda = 0.01$, 드롭아웃 비율 0.2(역드롭아웃), SGD 0.1, 101에폭, 앙상블 5개를 씁니다.""",
        r"""## What the notes claim

With little training data and a large model, a network fits the training set alone (overfitting):
a gap opens between training and test accuracy.

* **Weight decay** adds $\frac{1}{2}\lambda \lVert W \rVert^2$ to the loss, a penalty on large weights.
* **Dropout** deletes random hidden units during training.
* **Ensembles** average the outputs of several separately trained models; dropout imitates an ensemble
  inside one network.

Each narrows the gap or raises the test accuracy.

Settings: 300 training samples, 7 layers (6 hidden × 100). On the 8×8 `digits` the notes' $\lambda = 0.1$
lowers training and test accuracy alike, so here $\lambda = 0.01$, dropout ratio 0.2 (inverted dropout),
SGD at 0.1, 101 epochs, an ensemble of 5.""",
    ),
    code("""import tempfile
from trainlab import experiments

cfg = experiments.make_config("overfit", overrides={
    "epochs": 101, "lr": 0.1, "weight_decay": 0.01, "dropout": 0.2,
    "dropout_mode": "inverted", "ensemble": 5})
run_dir = tempfile.mkdtemp(prefix="overfit-")
metrics = experiments.run("overfit", run_dir, cfg, progress=True)
s = metrics["summary"]
for name in ["none", "weight decay", "dropout", "ensemble"]:
    print(f"{name:13s} «훈련|train» {s[name + ': train acc']:.3f}  «시험|test» {s[name + ': test acc']:.3f}  "
          f"«간극|gap» {s[name + ': gap']:.3f}")"""),
    code("""run = metrics["runs"][0]
fig, axes = plt.subplots(1, 4, figsize=(13, 3), sharey=True)
titles = {"none": "«규제 없음|no regularisation»", "weight decay": "«가중치 감소|weight decay»",
          "dropout": "«드롭아웃|dropout»", "ensemble": "«앙상블 5개|ensemble of 5»"}
for ax, (name, title) in zip(axes, titles.items()):
    ax.plot(run[name]["train_acc"], label="«훈련|train»")
    ax.plot(run[name]["test_acc"], "--", label="«시험|test»")
    ax.set(title=title, xlabel="«에폭|epoch»", ylim=(0, 1))
axes[0].set_ylabel("«정확도|accuracy»"); axes[0].legend(); plt.show()"""),
    md(
        """## 확인

마지막 10%의 에폭에서 잰 간극이 가중치 감소와 드롭아웃에서 규제가 없을 때보다 작고, 다섯 모델의 앙상블은 한 모델보다 시험 정확도가 높습니다.""",
        """## Check

Over the last 10% of the epochs, the gap is smaller with weight decay and with dropout than without
regularisation, and the ensemble of five is more accurate on the test set than one model.""",
    ),
    check("""assert s["weight decay: gap"] < s["none: gap"], s
assert s["dropout: gap"] < s["none: gap"], s
assert s["ensemble: test acc"] > s["none: test acc"], s
print("«확인: 세 방법 모두 오버피팅을 줄입니다|checked: all three reduce overfitting»")"""),
]
