from _cells import check, code, md

TITLE = ("SGD의 약점과 여섯 갱신 규칙의 경로", "SGD's weakness and the paths of six update rules")

CELLS = [
    md(
        r"""## 노트의 주장

$f(x, y) = \frac{1}{20}x^2 + y^2$ 은 $y$ 방향으로는 가파르고 $x$ 방향으로는 완만한 **비등방성** 함수입니다.
기울기 $(x/10,\ 2y)$ 는 대부분 최솟값 $(0, 0)$ 을 가리키지 않기 때문에, SGD
$$W \leftarrow W - \eta \frac{\partial L}{\partial W}$$
는 $y$ 축을 따라 지그재그로 오가며 $x$ 축으로는 아주 천천히 나아갑니다.
모멘텀, AdaGrad, Adam 같은 규칙은 같은 시작점에서 더 곧게 최솟값에 다가갑니다.

노트의 그림과 같은 설정을 씁니다: 시작점 $(-7, 2)$, 30단계, 학습률 SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3
(Nesterov 0.3, RMSprop 0.2 는 trainlab이 같은 방식으로 고른 값).""",
        r"""## What the notes claim

$f(x, y) = \frac{1}{20}x^2 + y^2$ is **anisotropic**: steep along $y$, shallow along $x$.
Its gradient $(x/10,\ 2y)$ mostly does not point at the minimum $(0, 0)$, so SGD
$$W \leftarrow W - \eta \frac{\partial L}{\partial W}$$
zig-zags across the $y$ axis and crawls along $x$.
Momentum, AdaGrad and Adam, from the same start, head for the minimum more directly.

The settings of the notes' figure: start $(-7, 2)$, 30 steps, learning rates SGD 0.95, Momentum 0.1,
AdaGrad 1.5, Adam 0.3 (Nesterov 0.3 and RMSprop 0.2 chosen by trainlab the same way).""",
    ),
    code("""from trainlab.landscape import get_function, race
from trainlab.landscape.plots import panels_figure

RULES = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
bowl = get_function("bowl")
result = race(bowl, RULES, newton=False)   # «노트의 시작점, 단계 수, 학습률|the notes' start, steps and lrs»
for name, (t, lr) in result.rules.items():
    x, y = t.points[-1]
    print(f"{name:9s} lr={lr:<5g} «30단계 뒤|after 30 steps»: ({x:6.3f}, {y:6.3f})  f={t.final_value:.4f}")"""),
    code(
        """fig = panels_figure(bowl, result.traces, "«x²/20 + y², (-7, 2)에서 30단계|x²/20 + y² from (-7, 2), 30 steps»")"""
    ),
    md(
        """## 직접 움직여 보기

함수, 규칙, 규칙마다의 학습률과 모멘텀, 시작점, 단계 수를 바꾸면 왼쪽의 경로와 오른쪽의 단계별 함숫값이 곧바로 다시 그려집니다.
SGD의 학습률을 1.0 위로 올려 보세요: $y$ 방향의 곱 $1 - 2\\eta$ 가 $-1$ 보다 작아져 발산합니다.""",
        """## Move it yourself

Change the function, the rules, each rule's learning rate and momentum, the start and the number of steps:
the paths (left) and the value per step (right) redraw at once.
Push SGD's learning rate above 1.0: the factor $1 - 2\\eta$ along $y$ drops below $-1$ and the path diverges.""",
    ),
    code("""from trainlab.notebooks import LandscapeLab

lab = LandscapeLab("bowl", RULES, lang=LANG)
lab"""),
    md(
        """## 확인

그림이 주장을 증명하는 이유: SGD의 $y$ 좌표는 매 단계 부호가 바뀌고(지그재그), 그렇게 오간 거리 때문에 SGD의 경로는
다른 어떤 규칙보다 두 배 넘게 깁니다. (30단계 뒤의 함숫값만 보면 SGD가 꼴찌는 아닙니다: 약점은 낭비된 움직임입니다.)""",
        """## Check

Why the figure proves the point: SGD's $y$ changes sign at every step (the zig-zag), and that back-and-forth makes
SGD's path more than twice as long as any other rule's. (By the value after 30 steps alone SGD is not last:
its weakness is the wasted motion.)""",
    ),
    check("""def path_length(t):
    return float(np.sum(np.hypot(*np.diff(t.points, axis=0).T)))

sgd = result.rules["sgd"][0]
flips = int(np.sum(np.diff(np.sign(sgd.points[:, 1])) != 0))
lengths = {name: path_length(t) for name, (t, _) in result.rules.items()}
print(f"«SGD의 y 부호 바뀜|SGD's y changed sign»: {flips}/30")
print("«경로 길이|path length»:", {k: round(v, 1) for k, v in lengths.items()})
assert flips >= 25, flips
for name in RULES[1:]:
    assert lengths["sgd"] > 2 * lengths[name], name
print("«확인: SGD는 지그재그로 가며 다른 규칙보다 두 배 넘게 먼 길을 갑니다|checked: SGD zig-zags and travels more than twice as far as any other rule»")"""),
]
