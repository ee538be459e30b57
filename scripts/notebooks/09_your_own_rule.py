from _cells import check, code, md

TITLE = ("나만의 갱신 규칙 쓰기", "Write your own update rule")

CELLS = [
    md(
        """## 할 일

노트의 규칙은 모두 같은 모양입니다: `__init__` 에서 하이퍼파라미터를 받고, `update(params, grads)` 에서 `params` 의 배열을 그 자리에서 바꿉니다.
아래 셀에 규칙을 직접 써 보세요. 그런 다음 **노트의 숫자**로 trainlab의 규칙과 비교합니다:
$f = x^2/20 + y^2$, 시작점 $(-7, 2)$, 30단계, 노트의 학습률(Momentum 0.1, AdaGrad 1.5, Adam 0.3).
경로가 한 점 한 점 같으면 맞게 쓴 것입니다.""",
        """## Your task

Every rule in the notes has the same shape: `__init__` takes the hyperparameters, and `update(params, grads)`
changes the arrays in `params` in place. Write rules yourself in the cells below. Then they are compared with
trainlab's rules on **the notes' numbers**: $f = x^2/20 + y^2$, start $(-7, 2)$, 30 steps, the notes' learning
rates (Momentum 0.1, AdaGrad 1.5, Adam 0.3). If the paths agree point by point, your rule is right.""",
    ),
    code('''class MyMomentum:
    """«노트의 모멘텀. 고쳐 써 보세요.|The notes' Momentum. Rewrite it your way.»"""
    def __init__(self, lr=0.01, momentum=0.9):
        self.lr, self.momentum, self.v = lr, momentum, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]'''),
    code("""class MyAdaGrad:
    def __init__(self, lr=0.01):
        self.lr, self.h = lr, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {key: np.zeros_like(val) for key, val in params.items()}
        for key in params:
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)"""),
    code("""class MyAdam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2 = lr, beta1, beta2
        self.iter, self.m, self.v = 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {key: np.zeros_like(val) for key, val in params.items()}
            self.v = {key: np.zeros_like(val) for key, val in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2 ** self.iter) / (1.0 - self.beta1 ** self.iter)
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)"""),
    md("""## 노트의 숫자로 비교하기""", """## Compare on the notes' numbers"""),
    code('''from trainlab.landscape import path
from trainlab.optim import create

NOTES_LR = {"momentum": 0.1, "adagrad": 1.5, "adam": 0.3}

def compare(mine, rule):
    """«내 규칙과 trainlab 규칙의 경로 차이(가장 큰 값)|largest gap between my rule's path and trainlab's»"""
    lr = NOTES_LR[rule]
    p_mine = path("bowl", mine(lr=lr), start=(-7, 2), steps=30)
    p_ref = path("bowl", create(rule, lr=lr), start=(-7, 2), steps=30)
    return p_mine, p_ref, float(np.max(np.abs(p_mine - p_ref)))

gaps = {}
fig, axes = plt.subplots(1, 3, figsize=(13, 3.2))
for ax, (mine, rule) in zip(axes, [(MyMomentum, "momentum"), (MyAdaGrad, "adagrad"), (MyAdam, "adam")]):
    p_mine, p_ref, gaps[rule] = compare(mine, rule)
    ax.plot(p_ref[:, 0], p_ref[:, 1], "o-", color="0.6", lw=3, label="trainlab")
    ax.plot(p_mine[:, 0], p_mine[:, 1], "x--", color="C3", label="«내 규칙|mine»")
    ax.set(title=f"{rule}, lr {NOTES_LR[rule]}: «차이|gap» {gaps[rule]:.1e}", xlabel="x", ylabel="y")
    ax.legend(fontsize=8)
plt.show()'''),
    md(
        """## trainlab check로 확인하기

경로가 같은지 보는 것은 한 가지 시험일 뿐입니다. `trainlab.check` 는 내 규칙을 trainlab의 규칙과 나란히 더 많은 상황에서 돌립니다:
노트의 그림, 0차원과 1차원을 포함한 여러 배열과 무작위 기울기, 순서와 키가 바뀌는 딕셔너리, digits로 학습하는 작은 `MultiLayerNet`.
어긋나면 처음 어긋난 단계, 매개변수, 원소와 두 값을 보여 주고, 가장 그럴듯한 원인을 알려 줍니다.
원인은 소스 코드를 읽어서가 아니라, trainlab이 그 실수를 한 규칙을 직접 만들어 같은 입력으로 돌려서 내 숫자가 재현되는지로 찾습니다.
명령줄에서는 `trainlab check my_rules.py:MyAdaGrad --rule adagrad` 입니다 (`docs/check.md`).""",
        """## Check it with trainlab check

Comparing paths is one test. `trainlab.check` runs your rule side by side with trainlab's in more situations:
the notes' figure, a dict of arrays (a 0-d and a 1-d one among them) with random gradients, dicts whose order and
keys change, and a small `MultiLayerNet` learning digits. Where it departs, it shows the first step, parameter and
element, both values, and the most likely cause. The cause is not guessed from your source: trainlab builds the rule
with that mistake, runs it from the same inputs, and names it only if it gives your numbers.
On the command line: `trainlab check my_rules.py:MyAdaGrad --rule adagrad` (`docs/check.md`).""",
    ),
    code("""import trainlab

results = {rule: trainlab.check(mine, rule=rule)
           for mine, rule in [(MyMomentum, "momentum"), (MyAdaGrad, "adagrad"), (MyAdam, "adam")]}
{rule: r.verdict for rule, r in results.items()}"""),
    md(
        """이번에는 일부러 틀린 AdaGrad입니다: `h` 를 `update` 를 부를 때마다 새로 만듭니다. 어떻게 보이는지 보세요.""",
        """Now an AdaGrad that is wrong on purpose: it makes `h` afresh at every call of `update`. See what it is told.""",
    ),
    code("""class ForgetfulAdaGrad(MyAdaGrad):
    def update(self, params, grads):
        self.h = None  # «실수: 부를 때마다 h를 새로 만든다|the mistake: h made afresh at every call»
        super().update(params, grads)

forgetful = trainlab.check(ForgetfulAdaGrad, rule="adagrad")
forgetful"""),
    md(
        """## 확인

세 규칙 모두 30단계 동안 trainlab의 경로와 $10^{-9}$ 안에서 같고, `trainlab.check` 도 통과합니다.
틀린 AdaGrad는 어긋나고, 원인은 `h` 를 매번 새로 만든 것으로 밝혀집니다. 일부러 틀려 보세요: 예를 들어 Adam의 `lr_t` 에서 보정을 빼면
이 셀이 실패하고 어느 규칙이 얼마나 어긋났는지 알려 줍니다.""",
        """## Check

All three rules follow trainlab's path to within $10^{-9}$ for 30 steps, and pass `trainlab.check`. The forgetful
AdaGrad departs, and the cause found is its `h` made afresh at every call. Get one wrong on purpose: drop the
correction from Adam's `lr_t`, say, and this cell fails, naming the rule and by how much it is off.""",
    ),
    check("""print(gaps)
for rule, gap in gaps.items():
    assert gap < 1e-9, f"{rule}: «경로가|the path is off by» {gap:.3g}"
for rule, result in results.items():
    assert result.passed, str(result)
assert not forgetful.passed and forgetful.diagnosis.id == "reset", str(forgetful)
print("«확인: 세 규칙 모두 trainlab과 같고, 틀린 AdaGrad의 원인도 찾았습니다|checked: all three rules agree with trainlab, and the forgetful AdaGrad's cause is found»")"""),
]
