from _cells import check, code, md

TITLE = ("배치 정규화와 가중치 스케일", "Batch normalisation across weight scales")

CELLS = [
    md(
        r"""## 노트의 주장

배치 정규화는 각 층의 Affine 출력을 미니배치마다 평균 0, 분산 1로 **강제로** 맞춘 뒤 $\gamma$ 로 늘리고 $\beta$ 로 옮깁니다:
$$\hat{x}_i \leftarrow \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \qquad y_i \leftarrow \gamma \hat{x}_i + \beta$$
그래서 초깃값에 덜 의존합니다: 가중치 스케일을 넓은 범위에서 바꿔도 배치 정규화를 쓴 신경망은 학습하지만,
쓰지 않은 신경망은 많은 스케일에서 전혀 배우지 못하거나 발산합니다.

노트의 설정: 5층 × 100, 훈련 데이터 1,000개, SGD 0.01, 배치 100. 여기서는 스케일 6개($1$ … $10^{-4}$), 10에폭.""",
        r"""## What the notes claim

Batch normalisation **forces** each layer's affine output to mean 0 and variance 1 over the mini-batch,
then stretches it by $\gamma$ and shifts it by $\beta$:
$$\hat{x}_i \leftarrow \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \qquad y_i \leftarrow \gamma \hat{x}_i + \beta$$
So the network depends less on its initial weights: across a wide range of weight scales the network with batch
norm learns, while the one without fails to learn, or diverges, at many of them.

The notes' settings: 5 layers of 100, 1,000 training samples, SGD at 0.01, batches of 100. Here six scales
($1$ … $10^{-4}$) and 10 epochs.""",
    ),
    code("""import tempfile
from trainlab import experiments

scales = tuple(float(w) for w in np.logspace(0, -4, 6))
cfg = experiments.make_config("batchnorm", overrides={"weight_scales": scales, "epochs": 10})
run_dir = tempfile.mkdtemp(prefix="batchnorm-")
metrics = experiments.run("batchnorm", run_dir, cfg, progress=True)
for key, value in metrics["summary"].items():
    print(f"{key}: {value:.3g}" if isinstance(value, float) else f"{key}: {value}")"""),
    code("""from trainlab.experiments.batchnorm import final

run = metrics["runs"][0]
bn, plain = final(run, "bn"), np.nan_to_num(final(run, "plain"))  # «발산하면 0|diverged counts as 0»
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogx(scales, bn, "o-", label="«배치 정규화|batch norm»")
ax.semilogx(scales, plain, "s--", label="«배치 정규화 없음|without batch norm»")
ax.set(xlabel="«가중치 초깃값의 표준편차|std of the initial weights»",
       ylabel="«10에폭 뒤 훈련 정확도|training accuracy after 10 epochs»", ylim=(0, 1))
ax.legend(); plt.show()"""),
    code("""from IPython.display import Image

Image(filename=f"{run_dir}/batchnorm.png")  # «에폭별 정확도: 노트의 그림과 같은 배치|accuracy per epoch, laid out as the notes' figure»"""),
    md(
        """## 확인

모든 스케일에서 배치 정규화를 쓴 신경망의 정확도가 더 높거나 같고, 적어도 네 스케일에서는 뚜렷이(5%p 넘게) 앞섭니다.""",
        """## Check

At every scale the network with batch norm is at least as accurate, and at four scales or more it is clearly
(over 5 points) ahead.""",
    ),
    check("""ahead = int(np.sum(bn > plain + 0.05))
print(f"«배치 정규화가 앞선 스케일|scales where batch norm is ahead»: {ahead}/{len(scales)}")
assert np.all(bn >= plain - 0.02), (bn, plain)
assert ahead >= 4, ahead
print("«확인: 배치 정규화는 초깃값에 덜 의존합니다|checked: batch norm depends less on the initial weights»")"""),
]
