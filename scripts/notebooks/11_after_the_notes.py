from _cells import check, code, md

TITLE = ("노트 다음: Adam 이후의 갱신 규칙", "After the notes: the update rules after Adam")

CELLS = [
    md(
        """## 노트가 끝나는 곳

노트는 Adam을 "현존하는 끝판왕"이라 부르며 끝납니다. 강의는 거기에 두 가지를 덧붙였습니다: Adam으로 시작해 SGD로
바꾸는 SWATS(Keskar & Socher 2017), 그리고 적응형 방법이 일반화를 더 못한다는 결과(Wilson 등 2017, 노트북 07).
그 뒤에도 갱신 규칙은 계속 나왔습니다. 아래 그림은 Robbins–Monro(1951)부터 2024년까지의 계보입니다.
회색은 노트의 규칙, 파랑은 trainlab에 있는 이후의 규칙, 주황은 아직 다른 라이브러리에만 있는 규칙입니다.
각 규칙의 수식과 논문은 문서 `docs/after-adam.md`에 있습니다.""",
        """## Where the notes end

The notes end with Adam as "the strongest there is". The lecture added two things: SWATS, which starts with Adam
and switches to SGD (Keskar & Socher 2017), and the finding that adaptive methods can generalise worse (Wilson et
al. 2017, notebook 07). Update rules kept coming after that. The figure below is the line from Robbins–Monro
(1951) to 2024: grey, the notes' rules; blue, the later ones trainlab has; orange, those only other libraries
have so far. Each rule's equation and paper are in the docs, `docs/after-adam.md`.""",
    ),
    code("""from trainlab.notebooks.rule_line import line_figure, newer_rules

print("«trainlab의 이후 규칙|trainlab's later rules»:", ", ".join(newer_rules()))
line_figure(LANG)"""),
    md(
        """## Lion: 보간한 모멘텀의 부호

Lion(Chen 등 2023)은 모멘텀과 지금 기울기를 섞은 값의 **부호**만 씁니다: $W \\leftarrow W - \\eta\\,\\mathrm{sign}(\\beta_1 m + (1-\\beta_1) g)$.
그래서 모든 가중치가 매 스텝 정확히 학습률 $\\eta$만큼 움직입니다. Adam의 첫 스텝도 거의 그렇지만, Adam은 기울기가
들쭉날쭉한 가중치에서는 보폭을 줄입니다. 잡음 섞인 기울기로 20스텝을 밟아 봅니다.""",
        """## Lion: the sign of an interpolated momentum

Lion (Chen et al. 2023) keeps only the **sign** of a blend of its momentum and the current gradient:
$W \\leftarrow W - \\eta\\,\\mathrm{sign}(\\beta_1 m + (1-\\beta_1) g)$. So every weight moves by exactly the learning
rate $\\eta$ at every step. Adam's first step is nearly that too, but Adam shrinks the step of a weight whose
gradient keeps changing sign. Twenty steps with noisy gradients:""",
    ),
    code("""from trainlab import optim

rng = np.random.default_rng(0)
signal = rng.normal(size=(4, 5))   # «가중치마다 다른 평균 기울기|a mean gradient per weight»
sizes = {}
for name in ("lion", "adam"):
    params, opt = {"W": np.zeros((4, 5))}, optim.create(name, lr=0.01)
    noise = np.random.default_rng(1)
    for step in range(20):
        before = params["W"].copy()
        opt.update(params, {"W": signal + 2 * noise.normal(size=(4, 5))})
    sizes[name] = np.abs(params["W"] - before)   # «마지막 스텝의 크기|the size of the last step»
    print(name, "«마지막 스텝의 크기: 최소|last step size: min»", sizes[name].min().round(5),
          "«최대|max»", sizes[name].max().round(5))"""),
    md(
        """## LAMB: 층마다 가중치 크기에 맞춘 보폭

LAMB(You 등 2020)는 Adam의 방향 $r$에 층마다 *신뢰 비율* $\\|W\\| / \\|r\\|$을 곱합니다. 그래서 한 스텝이 층의
가중치를 같은 비율만큼 바꿉니다: 큰 층도 작은 층도. 아주 큰 배치로 BERT를 학습할 수 있었던 이유입니다.
크기가 100배 다른 두 층으로 봅니다(첫 스텝의 비율은 편향 보정 때문에 $\\eta / (1 - \\beta_1)$; $\\|W\\|$는 10에서 잘림).""",
        """## LAMB: each layer's step sized to its weights

LAMB (You et al. 2020) multiplies Adam's direction $r$ by a *trust ratio* $\\|W\\| / \\|r\\|$, one per layer. So a
step changes every layer's weights by the same fraction, for a large layer as for a small one.
That is what let BERT train with very large batches. Two layers whose sizes differ 100-fold (the first step's
fraction is $\\eta / (1 - \\beta_1)$, from the bias correction; $\\|W\\|$ is capped at 10):""",
    ),
    code("""relative = {}
for name in ("lamb", "adam"):
    params = {"W1": 0.3 * rng.normal(size=(30, 20)), "W2": 0.003 * rng.normal(size=(20, 10))}
    grads = {k: rng.normal(size=v.shape) for k, v in params.items()}
    before = {k: v.copy() for k, v in params.items()}
    optim.create(name, lr=0.01).update(params, grads)
    relative[name] = {k: np.linalg.norm(params[k] - before[k]) / np.linalg.norm(before[k]) for k in params}
    print(name, {k: round(float(v), 4) for k, v in relative[name].items()},
          "«(층마다 |ΔW| / |W|)|(per layer |ΔW| / |W|)»")"""),
    md(
        """## ADOPT: 이전 스텝들의 $v$로 나눈 뒤 모멘텀

Adam에서는 지금 기울기가 자신을 나누는 $v$ 안에 들어 있습니다. ADOPT(Taniguchi 등 2024)는 *이전* 스텝들의 $v$로
나누고, 모멘텀은 나눈 뒤에 취합니다. 그래서 $\\beta_2$를 문제에 맞추지 않아도 수렴합니다. 첫 스텝은 $v$를 채우기만 하고
가중치는 움직이지 않습니다.

## AdEMAMix: 훨씬 느린 두 번째 모멘텀

AdEMAMix(Pagliardini 등 2024)는 Adam의 모멘텀(최근 약 10스텝)에 약 10,000스텝을 기억하는 느린 모멘텀을
$\\alpha$배 더합니다. $\\alpha = 0$이면 Adam 그대로입니다(PyTorch 식 eps).""",
        """## ADOPT: divide by the previous steps' $v$, then average

In Adam the current gradient sits inside the $v$ that divides it. ADOPT (Taniguchi et al. 2024) divides by the $v$
of the steps *before*, and takes the momentum after dividing, so it converges without tuning $\\beta_2$ to the
problem. Its first step only fills $v$: the weights do not move.

## AdEMAMix: a second, much slower momentum

AdEMAMix (Pagliardini et al. 2024) adds to Adam's momentum (the last ~10 steps) $\\alpha$ times a slow one that
remembers ~10,000 steps. With $\\alpha = 0$ it is Adam (PyTorch's eps).""",
    ),
    code("""params = {"W": np.array([1.0, -2.0])}
optim.create("adopt", lr=0.1).update(params, {"W": np.array([0.5, -0.5])})
adopt_first = params["W"].copy()
print("«ADOPT 첫 스텝 뒤|ADOPT after its first step»:", adopt_first)

mix, adam = {"W": np.ones(10)}, {"W": np.ones(10)}
rule_mix = optim.create("ademamix", lr=0.01, alpha=0.0)
rule_adam = optim.create("adam", lr=0.01, eps=1e-8, eps_placement="torch")
for step in range(50):
    g = rng.normal(size=10)
    rule_mix.update(mix, {"W": g.copy()})
    rule_adam.update(adam, {"W": g.copy()})
mix_gap = float(np.abs(mix["W"] - adam["W"]).max())
print("«alpha=0 인 AdEMAMix와 Adam의 차이|AdEMAMix with alpha=0 against Adam»:", mix_gap)"""),
    md(
        """## Muon: 행렬 갱신의 직교화

Muon(Jordan 등 2024)은 모멘텀 행렬 $M = U S V^\\top$의 특잇값 $S$를 (거의) 모두 1로 바꿔 $U V^\\top$ 방향으로
움직입니다(뉴턴–슐츠 반복 5번). 기울기에서 약한 방향도 강한 방향과 같은 크기로 움직입니다. 그래서 2차원 가중치
행렬에만 쓰고, 편향 같은 나머지는 AdamW에 맡깁니다. 기울기와 한 스텝의 특잇값을 비교합니다.""",
        """## Muon: orthogonalise a matrix's update

Muon (Jordan et al. 2024) replaces the singular values $S$ of its momentum matrix $M = U S V^\\top$ by (about) one
and steps along $U V^\\top$ (five Newton–Schulz iterations). A weak direction of the gradient moves as much as a
strong one. So it is for 2-D weight matrices only; biases and the rest are left to AdamW. The singular values of
a gradient and of one step:""",
    ),
    code("""g = rng.normal(size=(64, 32))
params = {"W": rng.normal(size=(64, 32))}
before = params["W"].copy()
optim.Muon(lr=0.02, weight_decay=0.0, ns_dtype="float").update(params, {"W": g})
step = (before - params["W"]) / (0.02 * np.sqrt(64 / 32))   # «Muon의 lr 배율을 나눔|Muon's lr scale divided out»
sv_grad = np.linalg.svd(g, compute_uv=False)
sv_step = np.linalg.svd(step, compute_uv=False)
plt.plot(sv_grad / sv_grad.max(), "o-", label="«기울기 (최대로 나눔)|gradient (over its largest)»")
plt.plot(sv_step, "o-", label="«Muon의 스텝|Muon's step»")
plt.xlabel("«특잇값 순서|singular value, largest first»"); plt.ylim(0, 1.3); plt.legend(); plt.show()"""),
    md(
        """## Adafactor: 행렬의 2차 모멘트는 행 하나와 열 하나로

Adam은 가중치마다 $v$를 하나씩 저장합니다. Adafactor(Shazeer & Stern 2018)는 $n \\times k$ 행렬의 $g^2$를 행 평균
$R$($n$개)과 열 평균 $C$($k$개)로만 기억하고 $V = R C^\\top / \\mathrm{mean}(R)$로 되살립니다: $nk$ 대신 $n + k$개.""",
        """## Adafactor: a matrix's second moment as one row and one column

Adam stores one $v$ per weight. Adafactor (Shazeer & Stern 2018) remembers the $g^2$ of an $n \\times k$ matrix only
as its row means $R$ ($n$ numbers) and column means $C$ ($k$), and rebuilds $V = R C^\\top / \\mathrm{mean}(R)$:
$n + k$ numbers instead of $nk$.""",
    ),
    code("""params = {"W": rng.normal(size=(30, 20)), "b": np.zeros(20)}
factored = optim.create("adafactor", lr=0.01)
factored.update(params, {"W": rng.normal(size=(30, 20)), "b": rng.normal(size=20)})
factored_state = {k: {name: v.shape for name, v in st.items()} for k, st in factored.state.items()}
print("Adafactor:", factored_state, "«; Adam이라면 W에 600개|; Adam would keep 600 for W»")"""),
    md(
        """## Schedule-Free: 스케줄 없이

보통은 학습률을 점점 줄여야(스케줄) 잡음 속에서 최솟값에 다가갑니다. Schedule-Free(Defazio 등 2024)는 학습률을
고정한 채 지나온 점들의 평균 $x$를 함께 들고 다니며, 기울기는 $z$와 $x$ 사이의 점 $y$에서 잽니다. 평가할 때는
`opt.eval(params)`로 가중치를 평균 $x$로 바꿉니다. 잡음 섞인 이차 함수에서 2,000스텝: 고정 학습률 SGD,
선형으로 줄인 SGD, 고정 학습률 Schedule-Free SGD.""",
        """## Schedule-Free: no schedule

Usually the learning rate must shrink (a schedule) for the iterates to close in on the minimum through the noise.
Schedule-Free (Defazio et al. 2024) keeps the rate fixed and carries the average $x$ of the iterates along; the
gradient is taken at a point $y$ between the iterate $z$ and $x$. To evaluate, `opt.eval(params)` puts the average
$x$ in the weights. 2,000 steps on a noisy quadratic: SGD at a fixed rate, SGD decayed linearly to zero, and
Schedule-Free SGD at the fixed rate.""",
    ),
    code("""def distance_left(name, decay=False, steps=2000, lr=0.1):
    noise, params = np.random.default_rng(1), {"W": np.full(20, 3.0)}
    opt = optim.create(name, lr=lr)
    for step in range(steps):
        if decay:
            opt.lr = lr * (1 - step / steps)   # «선형 스케줄|a linear schedule»
        opt.update(params, {"W": params["W"] + noise.normal(size=20)})   # «f = |W|²/2 + 잡음|f = |W|²/2 + noise»
    if name.startswith("schedulefree"):
        opt.eval(params)   # «평균 x로|to the average x»
    return float(np.linalg.norm(params["W"]))

left = {"sgd": distance_left("sgd"), "sgd + «스케줄|schedule»": distance_left("sgd", decay=True),
        "schedulefreesgd": distance_left("schedulefreesgd")}
print("«최솟값까지 남은 거리|distance left to the minimum»:", {k: round(v, 3) for k, v in left.items()})"""),
    md(
        """## Prodigy: 보폭을 스스로 배움

Prodigy(Mishchenko & Defazio 2024)는 Adam의 보폭 $d$를 $10^{-6}$에서 시작해, 가중치가 출발점에서 멀어지는 만큼
커지는 하한 추정으로 키웁니다. 학습률은 1 그대로 둡니다. 최솟값이 원점에서 약 8만큼 떨어진 이차 함수:""",
        """## Prodigy: learn the step size

Prodigy (Mishchenko & Defazio 2024) starts Adam's step size $d$ at $10^{-6}$ and raises it with a lower bound that
grows as the weights travel from where they started. The learning rate stays 1. A quadratic whose minimum lies
about 8 from the start:""",
    ),
    code("""target = rng.normal(size=50)
params, prodigy = {"W": np.zeros(50)}, optim.create("prodigy")
d_seen = []
for step in range(300):
    prodigy.update(params, {"W": params["W"] - target})
    d_seen.append(prodigy.d)
prodigy_left = float(np.linalg.norm(params["W"] - target) / np.linalg.norm(target))
plt.semilogy(d_seen); plt.xlabel("«스텝|step»"); plt.ylabel("«Prodigy의 보폭 d|Prodigy's step size d»"); plt.show()
print("«남은 거리 (처음 대비)|distance left (of the first)»:", prodigy_left)"""),
    md(
        """## 지형 위에서: 모든 규칙을 Adam, AdamW와 나란히

새 규칙마다 한 칸씩, 같은 축에 Adam(회색)과 AdamW(점선)의 경로를 함께 그립니다. 학습률은 함수마다 정해 둔
값입니다(표에 없는 규칙은 바탕이 되는 규칙의 값에 배율을 곱함: Lion은 Adam의 0.3배, LAMB는 0.1배, RAdam은 SGD의 값; 전체 표는 `docs/landscape.md`).
함수와 스텝 수를 바꿔 보세요. 명령줄에서는 `trainlab landscape --optimizers adam,adamw,lion,...`.""",
        """## On the landscape: every rule beside Adam and AdamW

One panel per newer rule, with Adam's path (grey) and AdamW's (dashed) on the same axes. The learning rates are
each function's defaults (a rule without an entry takes the entry of the rule it builds on, scaled: Lion 0.3 of
Adam's, LAMB 0.1, RAdam SGD's; the whole list is in `docs/landscape.md`). Change the function and the steps. On the command line:
`trainlab landscape --optimizers adam,adamw,lion,...`.""",
    ),
    code("""from trainlab.notebooks.after_labs import RivalsLab

rivals = RivalsLab("rosenbrock", lang=LANG)
rivals"""),
    md(
        """## 노트의 신경망에서: 규칙마다 알맞은 학습률

digits 1,000장으로 노트의 신경망(ReLU 50×3)을 10에폭 학습시킵니다. 규칙들을 고르고 AdamW의 학습률을 정하면
(처음 값 0.005는 벤치마크의 digits에서 AdamW가 가장 좋았던 값 근처),
각 규칙은 그 학습률에 자기 배율 `lr_vs_adamw`를 곱해 씁니다. 배율은 벤치마크가 digits, Fashion-MNIST, 잡음 섞인
이차함수에서 노트처럼 10에폭씩 학습시켜 잰 값입니다(Lion은 0.5배). Lion의 스텝은 늘 lr이지만 Adam의 스텝은
학습이 길어질수록 줄어들어서, Lion은 더 작은 lr을 원합니다. 배율을 "없음"으로 바꾸고 Lion이 어떻게 되는지 보세요.""",
        """## On the notes' network: each rule at its own lr

The notes' network (ReLU 50×3) trains for 10 epochs on 1,000 digits. Pick the rules and AdamW's learning rate
(it starts at 0.005, near AdamW's best on the benchmark's digits);
each rule takes that rate times its `lr_vs_adamw`, the factor the benchmark measured with 10-epoch trainings, as
the notes train, on digits, Fashion-MNIST and a noisy quadratic (Lion 0.5). Lion's step is always lr, while Adam's
shrinks as training goes on, so Lion wants a smaller lr. Set the factor to "none" and watch what Lion does.""",
    ),
    code("""from trainlab.notebooks.after_labs import NetworkRulesLab

print("«규칙의 lr_vs_adamw|the rules' lr_vs_adamw»:", {r: rule.lr_vs_adamw for r, rule in optim.RULES.items()})
net_lab = NetworkRulesLab(("adamw", "lion", "lamb"), lr=0.005, lang=LANG)
net_lab"""),
    code("""own = {rule: curve[-1] for rule, (lr, curve) in net_lab.curves.items()}
net_lab.scale_box.value = "none"   # «'없음'을 고른 것과 같습니다|the same as choosing 'none'»
as_adamw = {rule: curve[-1] for rule, (lr, curve) in net_lab.curves.items()}
for rule in own:
    print(f"{rule:6s} «자기 배율|its factor» {own[rule]:.3f}   «AdamW의 lr 그대로|AdamW's lr» {as_adamw[rule]:.3f}")
net_lab"""),
    md(
        """## 확인

Lion의 스텝은 모든 가중치에서 정확히 lr이고 Adam의 스텝은 그렇지 않습니다. LAMB는 두 층을 같은 비율로
바꾸고 Adam은 작은 층을 훨씬 크게 바꿉니다. ADOPT의 첫 스텝은 가중치를 움직이지 않고, $\\alpha = 0$인 AdEMAMix는
Adam입니다. Adafactor는 30×20 행렬에 행 하나(30)와 열 하나(20)만 저장하고, 고정 학습률의 Schedule-Free SGD는
같은 학습률의 SGD보다 최솟값에 두 배 넘게 가깝고, Prodigy의 보폭은 스스로 1,000배 넘게 커져 최솟값에 닿습니다.
Muon의 스텝은 특잇값이 모두 1 근처(0.5–1.5)인데 기울기의 특잇값은 3배 넘게 퍼져 있습니다. 지형 위의
모든 경로는 유한하고, 노트의 신경망에서 Lion은 AdamW의 학습률에서 자기 학습률보다 두 배 넘게 높은 손실로 끝납니다.""",
        """## Check

Lion's step is exactly lr for every weight, Adam's is not. LAMB changes both layers by the same fraction,
Adam changes the small layer far more. ADOPT's first step leaves the weights where they were, and
AdEMAMix with $\\alpha = 0$ is Adam. Adafactor keeps one row (30) and one column (20) for a 30×20 matrix;
Schedule-Free SGD at a fixed rate ends more than twice as close to the minimum as SGD at that rate; Prodigy's step
size grows more than 1,000-fold by itself and reaches the minimum. Muon's step has every singular value near one (0.5–1.5) while the gradient's
spread more than 3-fold. Every path on the landscape stays finite, and on the notes' network Lion at AdamW's
learning rate ends with more than twice the loss it reaches at its own.""",
    ),
    check("""assert np.allclose(sizes["lion"], 0.01, rtol=1e-9, atol=0), sizes["lion"]
assert sizes["adam"].max() / sizes["adam"].min() > 2, sizes["adam"]
assert np.allclose(list(relative["lamb"].values()), 0.01 / (1 - 0.9), rtol=1e-6), relative
assert relative["adam"]["W2"] > 10 * relative["adam"]["W1"], relative
assert np.array_equal(adopt_first, [1.0, -2.0]) and mix_gap < 1e-12, (adopt_first, mix_gap)
assert sv_step.min() > 0.5 and sv_step.max() < 1.5 and sv_grad.max() / sv_grad.min() > 3
assert not any(t.diverged for t in rivals.traces.values()), rivals.traces
assert as_adamw["lion"] > 2 * own["lion"], (own, as_adamw)
assert factored_state["W"] == {"row": (30, 1), "col": (1, 20)}, factored_state
assert left["schedulefreesgd"] < 0.5 * left["sgd"], left
assert d_seen[-1] > 1000 * d_seen[0] and prodigy_left < 0.01, (d_seen[-1], prodigy_left)
print("«확인: 새 규칙마다 그 한 가지 생각대로 움직입니다|checked: each new rule moves as its one idea says»")"""),
]
