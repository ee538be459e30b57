"""The learning-rate finder: it leaves network and optimizer as they were (bit for
bit), repeats and smooths, stops on divergence, and its interval's middle trains
digits within 2 points of the benchmark's tuned rate."""

import copy
import math

import numpy as np
import pytest

import trainlab
from trainlab.cli import main
from trainlab.errors import ConfigError
from trainlab.io import read_json
from trainlab.nn import MultiLayerNet
from trainlab.optim import create
from trainlab.train.lrfind import lrfind
from trainlab.tune.problems import PROBLEMS

RNG = np.random.default_rng(0)
X = RNG.standard_normal((300, 6))
T = (X[:, 0] - X[:, 2] > 0).astype(int)

#: ``trainlab benchmark --problems digits --optimizers sgd,adam --seeds 3`` (grid
#: 1e-4:1:9, 20 epochs): the tuned rates; test accuracy 0.9719 and 0.9843 there
TUNED = {"sgd": 0.31622776601683794, "adam": 0.0031622776601683794}


def ema(values, beta):
    """Bias-corrected exponential moving average, written out."""
    out, avg = [], 0.0
    for i, v in enumerate(values, start=1):
        avg = beta * avg + (1 - beta) * v
        out.append(avg / (1 - beta**i))
    return out


def test_network_and_optimizer_are_left_bit_for_bit():
    net = MultiLayerNet(
        6,
        [8, 8],
        2,
        rng=np.random.default_rng(1),
        use_batchnorm=True,
        use_dropout=True,
        dropout_ratio=0.2,
    )
    opt = create("momentum", lr=0.05)
    for _ in range(3):  # an optimizer with state, a network with moved statistics
        opt.update(net.params, net.gradient(X[:50], T[:50]))
    params, buffers = net.flat_params.copy(), {k: v.copy() for k, v in net.buffers().items()}
    state, opt_state = copy.deepcopy(net.rng.bit_generator.state), opt.state_dict()
    found = lrfind(net, X, T, opt, steps=60, seeds=2, batch_size=50)
    assert np.array_equal(net.flat_params, params)
    assert all(np.array_equal(v, buffers[k]) for k, v in net.buffers().items())
    assert net.rng.bit_generator.state == state
    after = opt.state_dict()
    assert after.keys() == opt_state.keys()
    assert all(np.array_equal(after[k], opt_state[k]) for k in after)
    assert opt.lr == 0.05
    assert len(found.sweeps) == 2


def test_same_seed_same_result_and_smoothing_is_the_ema():
    make = lambda: MultiLayerNet(6, [8], 2, rng=np.random.default_rng(1))  # noqa: E731
    a = lrfind(make(), X, T, "sgd", steps=80, seeds=2, batch_size=30, beta=0.8)
    b = lrfind(make(), X, T, "sgd", steps=80, seeds=2, batch_size=30, beta=0.8)
    assert a.to_json() == b.to_json()
    s = a.sweeps[0]
    assert s.smoothed == pytest.approx(ema(s.losses, 0.8), rel=1e-12)
    assert s.lrs[0] == pytest.approx(1e-5) and s.lrs[1] / s.lrs[0] == pytest.approx(
        (10 / 1e-5) ** (1 / 79)
    )


def test_a_sweep_stops_once_the_loss_has_blown_up():
    net = MultiLayerNet(6, [8], 2, rng=np.random.default_rng(1))
    found = lrfind(net, X, T, "sgd", low=1e-3, high=1e4, steps=100, seeds=2, diverge=4.0)
    for s in found.sweeps:
        assert s.stopped_at is not None and s.stopped_at == len(s.losses) - 1
        sm = ema(s.losses, 0.9)
        assert not (sm[-1] <= 4.0 * min(sm[:-1]))  # the last smoothed loss: above 4x the min
        assert all(v <= 4.0 * min(sm[: i + 1]) for i, v in enumerate(sm[:-1]))
        assert s.lowest < s.lrs[-1]
    lo, hi = found.interval
    assert lo < found.middle < hi and found.middle == pytest.approx(math.sqrt(lo * hi))


@pytest.mark.parametrize("rule", ["sgd", "adam"])
def test_the_middle_trains_digits_as_well_as_the_benchmarks_tuned_rate(rule):
    problem = PROBLEMS["digits"]
    (x, t), _, _, info = problem.dataset()
    net = problem.network(x.shape[1], info["n_outputs"], np.random.default_rng(0))
    found = trainlab.lrfind(net, x, t, rule)
    assert found.interval[0] <= found.middle <= found.interval[1]

    def accuracy(lr):  # the benchmark's reruns: seeds 1..3, 20 epochs, test accuracy
        return np.mean([problem.run(rule, lr, s, 20, test=True)["test"] for s in (1, 2, 3)])

    assert accuracy(found.middle) >= accuracy(TUNED[rule]) - 0.02


def test_the_command_writes_interval_and_figure(tmp_path, capsys):
    out = tmp_path / "lf"
    argv = ["lrfind", "--optimizer", "adam", "--steps", "60", "--seeds", "2", "--hidden", "20"]
    assert main([*argv, "--quiet", "--out", str(out)]) == 0
    saved = read_json(out / "lrfind.json")
    assert len(saved["sweeps"]) == 2 and saved["interval"][0] < saved["interval"][1]
    assert (out / "lrfind.png").read_bytes()[:4] == b"\x89PNG"
    assert f"--lr {saved['middle']:.3g}" in capsys.readouterr().out
    assert read_json(out / "config.json")["kind"] == "lrfind"


def test_the_command_takes_a_data_file(tmp_path):
    rows = ["a,b,c,label"] + [f"{u:.4f},{v:.4f},{w:.4f},{int(u > v)}" for u, v, w in X[:, :3]]
    (tmp_path / "d.csv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "lf"
    argv = ["lrfind", "--data", str(tmp_path / "d.csv"), "--steps", "40", "--seeds", "1"]
    assert main([*argv, "--hidden", "10", "--batch-size", "20", "--out", str(out)]) == 0
    assert read_json(out / "config.json")["described"]["data"]["n_classes"] == 2


@pytest.mark.parametrize(
    "kw", [{"low": 1.0, "high": 0.1}, {"steps": 3}, {"seeds": 0}, {"diverge": 1.0}]
)
def test_bad_settings_are_refused(kw):
    with pytest.raises(ConfigError):
        lrfind(MultiLayerNet(6, [4], 2), X, T, **kw)


def test_the_command_refuses_a_bad_range_with_exit_2(tmp_path, capsys):
    assert main(["lrfind", "--low", "1", "--high", "0.1", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "low < high" in err
    assert not (tmp_path / "x").exists()
