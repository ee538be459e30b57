from _cells import check, code, md

TITLE = ("하이퍼파라미터 탐색", "Hyperparameter search")

CELLS = [
    md(
        r"""## 노트의 주장

하이퍼파라미터는 **검증 데이터**로 평가합니다. 시험 데이터로 고르면 하이퍼파라미터가 시험 데이터에 오버피팅됩니다.
범위는 로그 스케일로 대략 잡고, 그 안에서 무작위로 뽑습니다:
```python
weight_decay = 10 ** np.random.uniform(-8, -4)
lr = 10 ** np.random.uniform(-6, -2)
```
노트의 결과: 좋은 시도들의 학습률은 $10^{-3} \sim 10^{-2}$ 에 모입니다.
그다음은 노트가 "더 세련된 방법"이라 부른 베이즈 최적화: 여기서는 Optuna의 TPE와, 가망 없는 시도를 일찍 멈추는 가지치기(pruning)를 같은 예산으로 돌립니다.""",
        r"""## What the notes claim

Hyperparameters are judged on **validation data**; choosing them on the test set overfits them to it.
Set a rough range on a log scale and draw at random inside it:
```python
weight_decay = 10 ** np.random.uniform(-8, -4)
lr = 10 ** np.random.uniform(-6, -2)
```
The notes' result: the good trials' learning rates gather in $10^{-3} \sim 10^{-2}$.
Then what the notes call the more refined way, Bayesian optimisation: here Optuna's TPE with pruning
(stopping hopeless trials early), on the same budget.""",
    ),
    code("""from trainlab.data import load, train_val_split

(x, t), (x_test, t_test) = load("digits")
x, t = x[:500], t[:500]                      # «노트처럼 500개만|500 samples, as in the notes»
(x_train, t_train), (x_val, t_val) = train_val_split(x, t, 0.2, rng=np.random.default_rng(0))
print(len(x_train), "«훈련|train»,", len(x_val), "«검증|validation»,", len(x_test), "«시험|test»")"""),
    code('''from trainlab.nn import MultiLayerNet
from trainlab.optim import create
from trainlab.train import Data, TrainConfig, Trainer

EPOCHS, TRIALS = 15, 12

def train(lr, weight_decay, callbacks=()):
    """«검증 정확도의 에폭별 목록|validation accuracy after every epoch»"""
    net = MultiLayerNet(64, [100] * 6, 10, weight_decay_lambda=weight_decay,
                        rng=np.random.default_rng(0))
    config = TrainConfig(epochs=EPOCHS, mini_batch_size=100, rng=np.random.default_rng(1),
                         progress=False, callbacks=callbacks)
    trainer = Trainer(net, Data(x_train, t_train, x_val=x_val, t_val=t_val),
                      create("sgd", lr=lr), config)
    trainer.train()
    return trainer.history["val_acc"], net'''),
    md("## 1. 노트의 무작위 탐색", "## 1. The notes' random search"),
    code("""from tqdm.auto import tqdm

rng = np.random.default_rng(42)
random_trials = []
for _ in tqdm(range(TRIALS), desc="random"):
    wd, lr = 10 ** rng.uniform(-8, -4), 10 ** rng.uniform(-6, -2)
    val_acc, _ = train(lr, wd)
    random_trials.append({"lr": lr, "weight_decay": wd, "val_acc": val_acc[-1], "epochs": EPOCHS})
best5 = sorted(random_trials, key=lambda r: -r["val_acc"])[:5]
for i, r in enumerate(best5, 1):
    print(f"Best-{i} (val acc {r['val_acc']:.3f}) | lr {r['lr']:.2e}, weight decay {r['weight_decay']:.2e}")"""),
    code("""lrs = [r["lr"] for r in random_trials]
accs = [r["val_acc"] for r in random_trials]
plt.semilogx(lrs, accs, "o")
plt.xlabel("«학습률|learning rate»"); plt.ylabel("«검증 정확도|validation accuracy»")
plt.axvspan(1e-3, 1e-2, color="C2", alpha=0.15, label="$10^{-3}$ … $10^{-2}$")
plt.legend(); plt.show()"""),
    md("## 2. TPE와 가지치기, 같은 시도 수", "## 2. TPE with pruning, the same number of trials"),
    code('''import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)

class Report:
    """«에폭마다 검증 정확도를 알리고, 가망 없으면 멈춥니다|report each epoch; stop hopeless trials»"""
    def __init__(self, trial):
        self.trial = trial
    def on_epoch_end(self, trainer, epoch, record):
        self.trial.report(record["val_acc"], epoch)
        if self.trial.should_prune():
            raise optuna.TrialPruned()

def objective(trial):
    lr = trial.suggest_float("lr", 1e-6, 1e-2, log=True)
    wd = trial.suggest_float("weight_decay", 1e-8, 1e-4, log=True)
    val_acc, _ = train(lr, wd, callbacks=[Report(trial)])
    return val_acc[-1]

study = optuna.create_study(direction="maximize",
                            sampler=optuna.samplers.TPESampler(seed=0, n_startup_trials=5),
                            pruner=optuna.pruners.MedianPruner(n_startup_trials=5))
study.optimize(objective, n_trials=TRIALS)
tpe_epochs = sum(len(t.intermediate_values) for t in study.trials)
pruned = sum(t.state == optuna.trial.TrialState.PRUNED for t in study.trials)
print(f"TPE best val acc {study.best_value:.3f} at {study.best_params}")
print(f"«가지친 시도|pruned trials»: {pruned}/{TRIALS}; «학습한 에폭|epochs trained»: {tpe_epochs} "
      f"(«무작위 탐색|random search»: {TRIALS * EPOCHS})")'''),
    md(
        """## 3. 시험 데이터는 마지막에 한 번만

검증 데이터로 고른 설정을 시험 데이터로 **한 번** 평가합니다.""",
        """## 3. The test set, once, at the end

The setting chosen on validation data is scored on the test set **once**.""",
    ),
    code("""_, net = train(study.best_params["lr"], study.best_params["weight_decay"])
test_acc = net.accuracy(x_test, t_test)
print(f"«시험 정확도|test accuracy»: {test_acc:.3f}")"""),
    md(
        """## 확인

무작위 탐색의 상위 5개 시도의 학습률은 모두 $10^{-3}$ 이상입니다(노트와 같은 결론). TPE와 가지치기는 같은 시도 수에서
무작위 탐색만큼 좋은 설정을 찾으면서(검증 정확도 차이 0.02 이내) 학습한 에폭은 더 적습니다.""",
        """## Check

All five best random trials have a learning rate of at least $10^{-3}$ (the notes' conclusion). With the same number
of trials, TPE with pruning finds a setting as good as random search's (within 0.02 validation accuracy) while
training fewer epochs.""",
    ),
    check("""assert all(r["lr"] >= 1e-3 for r in best5), best5
best_random = max(r["val_acc"] for r in random_trials)
assert study.best_value >= best_random - 0.02, (study.best_value, best_random)
assert tpe_epochs < TRIALS * EPOCHS, tpe_epochs
print("«확인: 좋은 학습률은 10⁻³ 이상에 있고, TPE와 가지치기는 더 적은 에폭으로 찾습니다|checked: the good learning rates are at 10⁻³ or above, and TPE with pruning finds one with fewer epochs»")"""),
]
