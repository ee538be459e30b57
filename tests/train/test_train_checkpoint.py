"""Checkpoints: a resumed run is the uninterrupted run, bit for bit; saving is atomic."""

import errno

import numpy as np
import pytest
from stop_at import StopAt

import trainlab.atomic
from trainlab.errors import ConfigError, DivergenceError
from trainlab.io import load_npz, read_json
from trainlab.nn import MultiLayerNet
from trainlab.optim import GradientNoise, create
from trainlab.optim.schedules import make_schedule
from trainlab.train import Data, TrainConfig, Trainer, TrainingInterrupted

EPOCHS = 5


def build(digits, folder=None, every=None, callbacks=()):
    """Every kind of state at once: dropout and batch norm (rngs, running stats),
    Adam with gradient noise (moments, step count, noise rng), a plateau
    schedule, early stopping (best weights), replacement sampling."""
    (x, t), (xv, tv), (xt, tt) = digits
    net = MultiLayerNet(
        64,
        [40, 40],
        10,
        use_batchnorm=True,
        use_dropout=True,
        dropout_ratio=0.2,
        rng=np.random.default_rng(5),
    )
    opt = GradientNoise(create("adam", lr=0.003), eta=0.01, rng=np.random.default_rng(6))
    return Trainer(
        net,
        Data(x[:400], t[:400], xt, tt, x_val=xv, t_val=tv),
        opt,
        TrainConfig(
            epochs=EPOCHS,
            mini_batch_size=64,
            schedule=make_schedule("plateau", 0.003, EPOCHS, patience=0),
            sampling="replacement",
            early_stop=4,
            monitor=True,
            clip_norm=5.0,
            rng=np.random.default_rng(7),
            progress=False,
            checkpoint_dir=folder,
            checkpoint_every=every,
            callbacks=callbacks,
        ),
    )


def state(trainer):
    net = trainer.network
    h = {k: v for k, v in trainer.history.items() if k != "time"}
    return net.flat_params.tobytes(), {k: v.tobytes() for k, v in net.buffers().items()}, h


@pytest.fixture(scope="module")
def reference(digits):
    tr = build(digits)
    tr.train()
    return state(tr)


@pytest.mark.parametrize("stop_at", [9, 14])  # mid-epoch (7 steps per epoch), and at an end
def test_resume_after_a_stop_is_bit_identical(digits, reference, tmp_path, stop_at):
    first = build(digits, tmp_path, callbacks=[StopAt(stop_at)])
    with pytest.raises(TrainingInterrupted, match=f"step {stop_at}"):
        first.train()
    resumed = build(digits, tmp_path)
    resumed.load_checkpoint()
    assert resumed.current_iter == stop_at
    resumed.train()
    assert state(resumed) == reference


def test_resume_from_every_epoch_checkpoint(digits, reference, tmp_path):
    full = build(digits, tmp_path, every=2)
    full.train()
    meta = read_json(tmp_path / "checkpoint.json")
    assert meta["epoch"] == 4 and meta["position"] is None
    previous = read_json(tmp_path / "checkpoint.previous.json")  # kept for a fallback
    assert previous["epoch"] == 2
    names = sorted(p.name for p in tmp_path.glob("checkpoint-*.npz"))
    assert names == sorted([meta["arrays"], previous["arrays"]])
    resumed = build(digits, tmp_path)
    resumed.load_checkpoint()
    resumed.train()
    assert state(resumed) == reference == state(full)


def test_checkpoint_holds_plain_arrays_only(digits, tmp_path):
    tr = build(digits, tmp_path, every=1)
    tr.epochs = 1
    tr.train()
    arrays = load_npz(tmp_path / read_json(tmp_path / "checkpoint.json")["arrays"])  # no pickle
    assert all(a.dtype.kind in "biuf" for a in arrays.values())
    assert {
        "params/W1",
        "buffers/running_mean1",
        "optimizer/t",
        "optimizer/state/W1/m",
        "callback/EarlyStopping/best",
    } <= set(arrays)
    np.testing.assert_array_equal(arrays["params/W1"], tr.network.params["W1"])


def test_failed_save_keeps_the_previous_checkpoint(digits, tmp_path, monkeypatch):
    tr = build(digits, tmp_path, every=1)
    tr.epochs = 1
    tr.train()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def full_disk(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(trainlab.atomic.os, "replace", full_disk)
    tr.epochs = 2
    with pytest.raises(OSError, match=r"cannot write .*checkpoint-.*No space left on device"):
        tr.train()
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no temp files left
    again = build(digits, tmp_path)
    assert again.load_checkpoint()["epoch"] == 1


def test_divergence_leaves_the_last_checkpoint_intact(digits, tmp_path):
    class Explode:
        def on_step(self, trainer, it, loss):
            if it == 10:  # after the checkpoint of epoch 1 (7 steps)
                trainer.optimizer.lr = 1e38

    tr = build(digits, tmp_path, every=1, callbacks=[Explode()])
    with pytest.raises(DivergenceError) as info:
        tr.train()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    msg = str(info.value)
    assert "at step" in msg and "layer" in msg and "lr 1e+38" in msg and "lower the learning" in msg
    assert read_json(tmp_path / "checkpoint.json")["epoch"] == 1
    again = build(digits, tmp_path)
    again.load_checkpoint()
    assert again.optimizer.lr == 0.003 and np.all(np.isfinite(again.network.flat_params))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_checkpoint_of_another_network_is_refused(digits, tmp_path):
    tr = build(digits, tmp_path, every=1)
    tr.epochs = 1
    tr.train()
    (x, t), _, _ = digits
    other = Trainer(MultiLayerNet(64, [7], 10), Data(x, t), config=TrainConfig(progress=False))
    with pytest.raises(ConfigError, match="does not fit"):
        other.load_checkpoint(tmp_path)
    with pytest.raises(ConfigError, match="no checkpoint"):
        other.load_checkpoint(tmp_path / "elsewhere")


def _monitored(digits, folder=None, callbacks=()):
    """A monitored run without gradient transforms: its epoch record holds the
    per-layer gradient norms of the epoch's last step."""
    (x, t), _, (xt, tt) = digits
    net = MultiLayerNet(
        64,
        [30, 30],
        10,
        use_batchnorm=True,
        use_dropout=True,
        dropout_ratio=0.1,
        rng=np.random.default_rng(3),
    )
    return Trainer(
        net,
        Data(x[:300], t[:300], xt, tt),
        create("adam"),
        TrainConfig(
            epochs=3,
            mini_batch_size=50,
            monitor=True,
            rng=np.random.default_rng(4),
            progress=False,
            checkpoint_dir=folder,
            callbacks=callbacks,
        ),
    )


@pytest.mark.parametrize("stop_at", [5, 6, 12])  # 6 steps per epoch: before, at and at an end
def test_a_stop_on_an_epochs_last_step_keeps_that_epochs_record(digits, tmp_path, stop_at):
    whole = _monitored(digits)
    whole.train()
    first = _monitored(digits, tmp_path, callbacks=[StopAt(stop_at)])
    with pytest.raises(TrainingInterrupted, match=f"step {stop_at}"):
        first.train()
    resumed = _monitored(digits, tmp_path)
    resumed.load_checkpoint()
    resumed.train()
    assert state(resumed) == state(whole)
