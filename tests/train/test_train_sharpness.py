"""Sharpness during training: the tracked value against the eigenvalues of a dense
Hessian built from central differences of the gradient, a run that is the same
with and without tracking, ``--track sharpness`` end to end, and the verdict."""

import numpy as np
import pytest

from trainlab.cli import main
from trainlab.io import read_json
from trainlab.nn import MultiLayerNet
from trainlab.optim import create
from trainlab.train import Data, TrainConfig, Trainer
from trainlab.train.sharpness import SharpnessTracker, edge, sharpness_verdict

RNG = np.random.default_rng(0)
X = RNG.standard_normal((60, 4))
T = (X[:, 0] + X[:, 1] > 0).astype(int)


def run(track: bool, dropout: bool = False):
    net = MultiLayerNet(
        4, [6], 2, dtype=np.float64, rng=np.random.default_rng(1), use_dropout=dropout
    )
    cbs = [SharpnessTracker(samples=30, iterations=30, every=5)] if track else []
    tr = Trainer(
        net,
        Data(X, T),
        create("momentum", lr=0.2, momentum=0.5),
        TrainConfig(
            epochs=2,
            mini_batch_size=10,
            progress=False,
            callbacks=cbs,
            rng=np.random.default_rng(2),
        ),
    )
    tr.train()
    return tr


def dense_top(net, x, t, eps=1e-5):
    n = net.flat_params.size
    start, cols = net.flat_params.copy(), []
    for j in range(n):
        ends = []
        for sign in (1, -1):
            net.flat_params[...] = start
            net.flat_params[j] += sign * eps
            ends.append(np.concatenate([g.ravel() for g in net.gradient(x, t).values()]))
        cols.append((ends[0] - ends[1]) / (2 * eps))
    net.flat_params[...] = start
    h = np.stack(cols, axis=1)
    return np.linalg.eigvalsh((h + h.T) / 2)[-1]


def test_tracking_measures_the_top_eigenvalue_and_changes_nothing():
    tracked, plain = run(True, dropout=True), run(False, dropout=True)
    assert np.array_equal(tracked.network.flat_params, plain.network.flat_params)
    assert tracked.history["train_loss"] == plain.history["train_loss"]
    h = tracked.history
    assert h["sharpness_iteration"] == [5, 10, 12]  # every 5 steps, and the last
    assert h["sharpness_edge"] == [pytest.approx(2 * 1.5 / 0.2)] * 3
    again = run(True)  # no dropout: the loss is a plain function of the weights
    top = dense_top(again.network, X[:30], T[:30])
    assert again.history["sharpness"][-1] == pytest.approx(top, rel=1e-6)


def test_the_command_records_sharpness_and_its_cost(tmp_path):
    out = tmp_path / "run"
    argv = ["train", "--dataset", "digits", "--hidden", "20", "--epochs", "2", "--quiet"]
    assert main([*argv, "--track", "sharpness", "--out", str(out)]) == 0
    m = read_json(out / "metrics.json")
    assert len(m["history"]["sharpness"]) == 2 and all(v > 0 for v in m["history"]["sharpness"])
    assert m["sharpness"]["measurements"] == 2
    assert m["sharpness"]["hessian_vector_products_per_measurement"] == 20
    assert m["sharpness"]["seconds"] > 0


def test_the_verdict_reads_the_edge_of_stability():
    assert edge(0.1) == pytest.approx(20.0)
    assert edge(0.1, 0.9) == pytest.approx(38.0)
    assert sharpness_verdict([5, 10, 12, 11], lr=0.1) is None  # well below 2/lr = 20
    assert "pinned" in sharpness_verdict([5, 15, 19, 20, 21, 19], lr=0.1)
    assert "above" in sharpness_verdict([5, 30, 40, 50], lr=0.1)
    assert "pinned" in sharpness_verdict([10, 36, 38, 37], lr=0.1, momentum=0.9)
    assert "diverged" in sharpness_verdict([5, 10, float("inf")], lr=0.1)
    assert sharpness_verdict([], lr=0.1) is None


def smooth_history(ratio: float | None, n: int = 10) -> dict:
    """A loss that falls smoothly to a good fit, with the sharpness at ``ratio`` times
    the edge 2/0.5 = 4 (``None``: an adaptive rule, which has no such edge)."""
    loss = list(np.geomspace(2.3, 0.05, n))
    return {
        "train_loss_epoch": loss,
        "train_loss": loss,
        "epoch": list(range(1, n + 1)),
        "lr": [0.5] * n,
        "train_acc": list(np.linspace(0.5, 0.99, n)),
        "sharpness": [4.0 * (ratio or 1.0)] * n,
        "sharpness_edge": [None if ratio is None else 4.0] * n,
    }


def test_the_doctor_calls_sharpness_above_the_edge_a_rate_too_high():
    from trainlab.train.doctor import diagnose

    above = diagnose({"history": smooth_history(2.0)})
    assert above[0].name == "lr_too_high"
    assert "sharpness 8" in above[0].evidence and "2x the edge" in above[0].evidence
    assert "lrfind" in above[0].fix
    assert all(v.name not in ("lr_too_low", "healthy") for v in above)  # never "raise it"
    for calm in (0.3, None):  # below the edge, or a rule with no 2/lr edge
        said = diagnose({"history": smooth_history(calm)})
        assert all("sharpness" not in v.evidence for v in said), said


def test_sharpness_at_the_edge_joins_the_evidence_of_a_blow_up():
    from trainlab.train.doctor import diagnose

    h = smooth_history(0.9)
    h["train_loss_epoch"] = h["train_loss"] = [2.3, 30.0, 2.0, 1.5, 1.2, 1.0, 0.9, 0.8, 0.7, 0.6]
    high = [v for v in diagnose({"history": h}) if v.name == "lr_too_high"]
    assert len(high) == 1 and "at the edge" in high[0].evidence
