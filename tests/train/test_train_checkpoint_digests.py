"""A changed checkpoint is never used: every byte of it is covered by a digest.

Damage is applied the way a disk, a copy or a person applies it (a bit flipped at a
random offset, a truncation, an array added or removed, a file from another run);
each is refused in one line naming the file, before anything is restored, or the
previous intact checkpoint is used and the run continues bit for bit."""

import hashlib
import io
import json
import shutil

import numpy as np
import pytest

from trainlab.cli import main
from trainlab.errors import ConfigError
from trainlab.io import load_npz, read_json
from trainlab.nn import MultiLayerNet
from trainlab.optim import create
from trainlab.train import Data, TrainConfig, Trainer

CASES = 12  # random offsets per file


def build(digits, folder=None, seed=1, epochs=3):
    (x, t), _, (xt, tt) = digits
    net = MultiLayerNet(64, [20], 10, use_dropout=True, rng=np.random.default_rng(seed))
    return Trainer(
        net,
        Data(x[:200], t[:200], xt, tt),
        create("adam", lr=0.01),
        TrainConfig(
            epochs=epochs,
            mini_batch_size=50,
            rng=np.random.default_rng(seed + 10),
            progress=False,
            checkpoint_dir=folder,
            checkpoint_every=1 if folder is not None else None,
        ),
    )


@pytest.fixture(scope="module")
def saved(digits, tmp_path_factory):
    """A run stopped after epoch 2 (checkpoint.json at epoch 2, previous at epoch 1),
    and the parameters of the same run trained to the end without stopping."""
    folder = tmp_path_factory.mktemp("run")
    first = build(digits, folder, epochs=2)
    first.train()
    whole = build(digits)
    whole.train()
    return folder, whole.network.flat_params.tobytes()


def copy(saved, tmp_path, previous=True):
    work = tmp_path / "run"
    shutil.copytree(saved[0], work)
    if not previous:
        (work / "checkpoint.previous.json").unlink()
    return work


def npz_name(folder, doc="checkpoint.json"):
    return json.loads((folder / doc).read_text())["arrays"]


def refused(digits, folder, name):
    """Loading is refused in one line naming ``name``; the trainer is left untouched."""
    tr = build(digits, folder)
    before = tr.network.flat_params.tobytes()
    with pytest.raises(ConfigError) as info:
        tr.load_checkpoint()
    message = str(info.value)
    assert name in message and "\n" not in message and "start a new run" in message
    assert tr.network.flat_params.tobytes() == before and tr.current_iter == 0
    return message


@pytest.mark.parametrize("target", ["npz", "checkpoint.json"])
def test_a_bit_flipped_at_a_random_offset_is_refused(digits, saved, tmp_path, target):
    rng = np.random.default_rng(28)
    work = copy(saved, tmp_path, previous=False)
    name = npz_name(work) if target == "npz" else target
    pristine = (work / name).read_bytes()
    for _ in range(CASES):
        damaged = bytearray(pristine)
        offset = int(rng.integers(len(damaged)))
        damaged[offset] ^= 1 << int(rng.integers(8))
        (work / name).write_bytes(bytes(damaged))
        refused(digits, work, name)
    (work / name).write_bytes(pristine)
    assert build(digits, work).load_checkpoint()["epoch"] == 2  # the intact file loads


@pytest.mark.parametrize("target", ["npz", "checkpoint.json"])
def test_a_truncated_file_is_refused(digits, saved, tmp_path, target):
    rng = np.random.default_rng(29)
    work = copy(saved, tmp_path, previous=False)
    name = npz_name(work) if target == "npz" else target
    pristine = (work / name).read_bytes()
    # checkpoint.json's digest covers its content, not its final newline: cut 2 bytes
    for size in [0, len(pristine) - 2, *rng.integers(1, len(pristine) - 2, 4)]:
        (work / name).write_bytes(pristine[: int(size)])
        refused(digits, work, name)


def _rewrite(path, arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


def test_an_array_added_or_removed_is_refused_even_with_its_digest_updated(digits, saved, tmp_path):
    work = copy(saved, tmp_path, previous=False)
    name = npz_name(work)
    arrays = load_npz(work / name)
    doc = json.loads((work / "checkpoint.json").read_text())
    for changed in (
        {**arrays, "params/W9": np.zeros(3)},
        {k: v for k, v in arrays.items() if k != "optimizer/t"},
        {**arrays, "params/W1": arrays["params/W1"] * 1.0001},
    ):
        _rewrite(work / name, changed)
        refused(digits, work, name)
        # the forger also updates the .npz digest in checkpoint.json: its own digest breaks
        forged = {
            **doc,
            "files": {name: hashlib.sha256((work / name).read_bytes()).hexdigest()},
        }
        (work / "checkpoint.json").write_text(json.dumps(forged))
        refused(digits, work, "checkpoint.json")
        (work / "checkpoint.json").write_text(json.dumps(doc))


def test_files_swapped_in_from_another_run_are_refused(digits, saved, tmp_path):
    other = tmp_path / "other"
    build(digits, other, seed=2, epochs=2).train()  # same shapes, another seed
    work = copy(saved, tmp_path, previous=False)
    # the other run's arrays under this run's file name
    shutil.copyfile(other / npz_name(other), work / npz_name(work))
    refused(digits, work, npz_name(work))
    # the other run's whole checkpoint (document and arrays) in this run's folder
    work2 = copy(saved, tmp_path / "b", previous=False)
    for p in work2.glob("checkpoint*"):
        p.unlink()
    shutil.copyfile(other / "checkpoint.json", work2 / "checkpoint.json")
    shutil.copyfile(other / npz_name(other), work2 / npz_name(other))
    assert "another run" in refused(digits, work2, "checkpoint.json")


@pytest.mark.parametrize("damage", ["flip npz", "truncate json", "remove npz", "remove json"])
def test_a_damaged_newest_checkpoint_falls_back_to_the_previous_bit_for_bit(
    digits, saved, tmp_path, damage
):
    work = copy(saved, tmp_path)
    target = work / (npz_name(work) if "npz" in damage else "checkpoint.json")
    if damage.startswith("remove"):
        target.unlink()
    elif damage.startswith("flip"):
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0x10
        target.write_bytes(bytes(data))
    else:
        target.write_bytes(target.read_bytes()[:-20])
    tr = build(digits, work)
    meta = tr.load_checkpoint()
    assert meta["epoch"] == 1 and tr.current_epoch == 1
    assert target.name in meta["fallback"] and "previous checkpoint (step 4)" in meta["fallback"]
    tr.train()
    assert tr.network.flat_params.tobytes() == saved[1]


def test_a_damaged_checkpoint_never_replaces_the_intact_previous(digits, saved, tmp_path):
    work = copy(saved, tmp_path)
    previous = (work / "checkpoint.previous.json").read_bytes()
    doc = json.loads((work / "checkpoint.json").read_text())
    (work / "checkpoint.json").write_text(json.dumps({**doc, "epoch": 7}))
    tr = build(digits, work)
    assert tr.load_checkpoint()["epoch"] == 1  # fell back
    tr.epochs = 2
    tr.train()  # saves epoch 2 again: the damaged document is not kept as "previous"
    assert (work / "checkpoint.previous.json").read_bytes() == previous
    assert read_json(work / "checkpoint.json")["epoch"] == 2


def test_cli_resume_says_it_fell_back_or_refuses_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TRAINLAB_OFFLINE", "1")
    out = tmp_path / "run"
    argv = ["train", "--hidden", "8", "--train-size", "100", "--batch-size", "50"]
    assert (
        main([*argv, "--epochs", "2", "--checkpoint-every", "1", "--quiet", "--out", str(out)]) == 0
    )
    name = npz_name(out)
    (out / name).write_bytes((out / name).read_bytes()[:-1])
    capsys.readouterr()
    assert main(["train", "--resume", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and name in err[0] and "resuming from the previous checkpoint" in err[0]
    for doc in ("checkpoint.json", "checkpoint.previous.json"):
        arrays = out / npz_name(out, doc)
        arrays.write_bytes(arrays.read_bytes()[:-1])
    assert main(["train", "--resume", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("trainlab: error: ") and ".npz" in err[0]
