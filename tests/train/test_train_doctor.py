"""The training doctor on synthetic curves of each kind and on real runs made to fail."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from trainlab.errors import DivergenceError
from trainlab.io import read_json, write_json
from trainlab.optim import create
from trainlab.train import Data, TrainConfig, Trainer
from trainlab.train.doctor import diagnose

EPOCHS = 15
IT = 12  # iterations per epoch


def history(epoch_loss, train_acc, val_acc, noise=0.05, seed=0, **extra):
    """A run's history from per-epoch curves: per-iteration losses follow the
    epoch curve with multiplicative mini-batch noise."""
    rng = np.random.default_rng(seed)
    epoch_loss = np.asarray(epoch_loss, dtype=float)
    steps = np.interp(
        np.arange(IT * (len(epoch_loss) - 1)) / IT, np.arange(len(epoch_loss)), epoch_loss
    )
    steps = steps * np.exp(noise * rng.standard_normal(steps.size))
    val_acc = np.asarray(val_acc, dtype=float)
    return {
        "train_loss": steps.tolist(),
        "epoch": list(range(len(epoch_loss))),
        "lr": [0.01] * len(epoch_loss),
        "train_loss_epoch": epoch_loss.tolist(),
        "train_acc": list(train_acc),
        "val_acc": val_acc.tolist(),
        "val_loss": (-np.log(np.clip(val_acc, 0.05, 0.999))).tolist(),
        **extra,
    }


E = np.arange(EPOCHS + 1)
GOOD_LOSS = 2.3 * np.exp(-E / 3) + 0.02
GOOD_TRAIN = 1 - 0.9 * np.exp(-E / 3)
GOOD_VAL = GOOD_TRAIN - 0.02


def names(metrics):
    return [v.name for v in diagnose(metrics)]


def test_healthy_curve():
    verdicts = diagnose({"history": history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL)})
    assert [v.name for v in verdicts] == ["healthy"]
    assert f"train acc {GOOD_TRAIN[-1]:.3f}" in verdicts[0].evidence  # the numbers it saw


def test_nan_loss_is_a_learning_rate_too_high():
    h = history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL)
    h["train_loss"][30] = math.nan
    v = diagnose({"history": h})[0]
    assert v.name == "lr_too_high" and "step 31" in v.evidence and "lower" in v.fix


def test_json_round_trip_keeps_the_verdict(tmp_path):
    h = history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL)
    h["train_loss"][30:] = [math.inf] * (len(h["train_loss"]) - 30)
    write_json(tmp_path / "m.json", {"history": h})  # inf → "inf", NaN → null
    assert names(read_json(tmp_path / "m.json"))[0] == "lr_too_high"


def test_rising_loss_is_divergence():
    loss = 2.3 + 0.3 * E
    assert names({"history": history(loss, [0.1] * 16, [0.1] * 16)})[0] == "lr_too_high"


def test_spikes_mean_the_learning_rate_is_too_high():
    h = history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL)
    for i in (50, 80, 110):
        h["train_loss"][i] *= 8
    v = diagnose({"history": h})[0]
    assert v.name == "lr_too_high" and "3 loss spikes" in v.evidence


def test_ordinary_minibatch_noise_is_not_a_spike():
    h = history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL, noise=0.3)
    assert names({"history": h}) == ["healthy"]


def test_linear_slow_decrease_means_learning_rate_too_low():
    loss = 2.30 - 0.004 * E
    v = diagnose({"history": history(loss, 0.1 + 0.002 * E, 0.1 + 0.002 * E)})[0]
    assert v.name == "lr_too_low" and "raise the learning rate" in v.fix
    assert "2.3 → 2.24" in v.evidence


def test_plateau():
    loss = np.where(E < 5, 2.3 - 0.26 * E, 1.0 + 0.001 * np.sin(E))
    acc = np.minimum(0.6, 0.1 + 0.1 * E)
    v = diagnose({"history": history(loss, acc, acc - 0.01)})
    assert v[0].name == "plateau" and "--schedule plateau" in v[0].fix
    assert "lr_too_low" not in [x.name for x in v]


def test_overfitting_gap_grows():
    val = np.minimum(GOOD_TRAIN, 0.9) - 0.004 * np.maximum(E - 8, 0)
    v = diagnose({"history": history(GOOD_LOSS, GOOD_TRAIN, val)})
    assert [x.name for x in v] == ["overfitting"]
    assert f"val acc {val[-1]:.3f}" in v[0].evidence and "early-stop" in v[0].fix


def test_underfitting():
    loss = 0.8 + 1.5 * np.exp(-E / 5)
    acc = 0.8 - 0.6 * np.exp(-E / 5)
    assert names({"history": history(loss, acc, acc - 0.01)}) == ["underfitting"]


def _acts(dead=0.0, std=0.3, kind="relu"):
    key = "dead" if kind == "relu" else "saturated"
    return [
        [{"layer": i, "kind": kind, "mean": 0.2, "std": std, key: dead} for i in (1, 2)] for _ in E
    ]


def test_dead_relu_units_are_vanishing_activations():
    v = diagnose({"history": history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL, activations=_acts(0.8))})
    assert v[0].name == "vanishing_activations" and "80% of ReLU units dead" in v[0].evidence


def test_tiny_activation_std_is_vanishing():
    v = diagnose({"history": history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL, activations=_acts(std=1e-5))})
    assert v[0].name == "vanishing_activations" and "std 1e-05" in v[0].evidence


def test_gradient_vanishing_towards_the_input():
    norms = [None] + [{"layer1": 1e-7, "layer2": 1e-3, "layer3": 0.5} for _ in E[1:]]
    v = diagnose({"history": history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL, grad_norm=norms)})
    assert v[0].name == "vanishing_activations" and "layer1 gradient norm 1e-07" in v[0].evidence
    assert "layer2" not in v[0].evidence  # 1e-3 / 0.5 is above the 1e-4 share


def test_saturated_sigmoid():
    h = history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL, activations=_acts(0.7, kind="sigmoid"))
    assert names({"history": h}) == ["saturated_activations"]
    h = history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL, activations=_acts(0.1, kind="sigmoid"))
    assert names({"history": h}) == ["healthy"]


def test_exploding_gradient_norms():
    norms = [None] + [{"layer1": 1.0 * 2.0**e, "layer2": 0.5} for e in E[1:]]
    v = diagnose({"history": history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL, grad_norm=norms)})
    assert v[0].name == "exploding_gradients" and "layer1" in v[0].evidence
    steady = [None] + [{"layer1": 2.0, "layer2": 0.5} for _ in E[1:]]
    assert names({"history": history(GOOD_LOSS, GOOD_TRAIN, GOOD_VAL, grad_norm=steady)}) == [
        "healthy"
    ]


def test_recorded_divergence_names_step_layer_and_fix():
    m = {
        "history": history(GOOD_LOSS[:3], GOOD_TRAIN[:3], GOOD_VAL[:3]),
        "divergence": {
            "reason": "gradient_norm",
            "what": "gradient norm 1e+06 exceeds 1e+03",
            "step": 17,
            "lr": 0.5,
            "layer": "layer 2 (largest gradient norm 9e5)",
        },
    }
    v = diagnose(m)[0]
    assert v.name == "exploding_gradients"
    assert "step 17" in v.evidence and "layer 2" in v.evidence and "--clip-norm" in v.fix


# -- real trainings on digits, each made to fail in a known way ----------------------------
def run(
    digits, make_net, *, lr, epochs=10, n=None, activation="relu", init="relu", optimizer="sgd"
):
    (x, t), (xv, tv), _ = digits
    if n:
        x, t = x[:n], t[:n]
    net = make_net(activation=activation, weight_init_std=init)
    tr = Trainer(
        net,
        Data(x, t, x_val=xv, t_val=tv),
        create(optimizer, lr=lr),
        TrainConfig(epochs=epochs, monitor=True, progress=False),
    )
    try:
        tr.train()
    except DivergenceError:
        pass
    metrics = {"history": tr.history, "divergence": tr.divergence}
    return diagnose(json.loads(json.dumps(metrics, default=float)))


def test_real_lr_10_diverges(digits, make_net):
    v = run(digits, make_net, lr=10.0)
    assert v[0].name == "lr_too_high" and "lr 10" in v[0].evidence


def test_real_lr_1e6_is_too_slow(digits, make_net):
    assert "lr_too_low" in [x.name for x in run(digits, make_net, lr=1e-6)]


def test_real_sigmoid_std_1_saturates_and_xavier_does_not(digits, make_net):
    assert "saturated_activations" in [
        x.name for x in run(digits, make_net, lr=0.1, activation="sigmoid", init=1.0)
    ]
    assert "saturated_activations" not in [
        x.name for x in run(digits, make_net, lr=0.1, activation="sigmoid", init="xavier")
    ]


def test_real_300_samples_overfit(digits, make_net):
    v = run(digits, make_net, lr=0.1, epochs=60, n=300)
    assert "overfitting" in [x.name for x in v]


def test_real_healthy_run(digits, make_net):
    assert [x.name for x in run(digits, make_net, lr=0.1, epochs=12)] == ["healthy"]


@pytest.mark.parametrize("bad", [{}, {"history": {}}, {"history": {"train_loss": []}}])
def test_empty_metrics_do_not_crash(bad):
    assert diagnose(bad)[0].name == "healthy"


# -- the lecture's curves: lr-diagnosis on digits, Fashion-MNIST, MNIST; 2-D functions --------
SHARED = (Path(__file__).resolve().parents[2] / ".." / "shared" / "data").resolve()
#: the lecture figure's curve → the doctor's verdict on its epoch loss
LECTURE = {
    "very high": "lr_too_high",
    "high": "lr_too_high",
    "good": "healthy",
    "low": "lr_too_low",
    "bad init": "plateau",
}


@pytest.fixture(scope="module", params=["digits", "fashion-mnist", "mnist"])
def lecture_curves(request, tmp_path_factory):
    """lr-diagnosis (digits: the demo's settings; Fashion-MNIST and the MNIST test set:
    the notes' 20 epochs, each data set's own rates)."""
    from trainlab.experiments import make_config
    from trainlab.experiments import run as run_experiment

    quick = request.param == "digits"
    cfg = make_config("lr-diagnosis", quick, dataset=request.param)
    m = run_experiment(
        "lr-diagnosis",
        tmp_path_factory.mktemp(request.param),
        cfg,
        dataset=request.param,
        data_dir=SHARED,
        progress=False,
    )
    return request.param, m["runs"][0]


def test_doctor_reads_the_lectures_four_curves(lecture_curves):
    dataset, run = lecture_curves
    got = {
        k: diagnose({"history": {"train_loss_epoch": run[k]["epoch_loss"]}})[0].name
        for k in LECTURE
    }
    assert got == LECTURE, dataset


def _values(function, rule, lr, steps, start=None):
    from trainlab.landscape.paths import trace
    from trainlab.optim import create

    t = trace(function, create(rule, lr=lr), start=start, steps=steps)
    return list(t.values[: t.last + 1]) + ([math.inf] if t.diverged else [])


@pytest.mark.parametrize(
    "function, rule, lr, steps, kind",
    [
        ("bowl", "sgd", 1.05, 30, "diverging"),  # |1 - 2 lr| > 1 along y: blows up
        ("rosenbrock", "sgd", 0.0045, 100, "spiking"),  # near its stability limit: jumps
        ("bowl", "sgd", 0.95, 30, "healthy"),  # the notes' rate: fast, then levelling off
        ("bowl", "sgd", 0.01, 30, "slow"),  # a straight, slow descent
    ],
)
def test_the_same_shape_rules_read_paths_on_2d_functions(function, rule, lr, steps, kind):
    _check_both(_values(function, rule, lr, steps), kind)


def test_a_start_where_the_gradient_vanished_is_a_plateau():
    # far out on the plateau function the gradient underflows: the bad-init analogue
    _check_both(_values("plateau", "sgd", 1.0, 30, start=(8.0, 8.0)), "plateau")


def _check_both(values, kind):
    from trainlab.train.curve import classify

    assert classify(values) == kind
    doctor = {
        "diverging": "lr_too_high",
        "spiking": "lr_too_high",
        "healthy": "healthy",
        "slow": "lr_too_low",
        "plateau": "plateau",
    }[kind]
    assert diagnose({"history": {"train_loss_epoch": values}})[0].name == doctor
