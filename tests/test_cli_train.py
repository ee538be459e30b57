"""``trainlab train`` and ``trainlab diagnose`` end to end: run folders, errors, exit codes,
checkpoints that survive SIGKILL and Ctrl-C, and files that survive a full disk."""

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import trainlab
import trainlab.io
from trainlab.cli import main
from trainlab.data import load
from trainlab.io import load_npz, read_json
from trainlab.nn import MultiLayerNet

SRC = str(Path(trainlab.__file__).resolve().parents[1])
QUICK = ["--hidden", "30", "--epochs", "2", "--quiet"]


def env(tmp_path):
    path = SRC + os.pathsep + os.environ.get("PYTHONPATH", "")
    e = dict(
        os.environ,
        PYTHONPATH=path,
        TRAINLAB_OFFLINE="1",
        TRAINLAB_CACHE=str(tmp_path / "cache"),
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
    )
    e.pop("TRAINLAB_DATA", None)
    return e


def command(*argv):
    return [sys.executable, "-m", "trainlab.cli", *map(str, argv)]


def sub(tmp_path, *argv, timeout=120):
    return subprocess.run(
        command(*argv), capture_output=True, text=True, env=env(tmp_path), timeout=timeout
    )


def one_line(text):
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


# -- the run folder ---------------------------------------------------------------------
def test_train_writes_config_metrics_params_and_figure(tmp_path, capsys):
    out = tmp_path / "run"
    rc = main(
        [
            "train",
            "--dataset",
            "digits",
            "--optimizer",
            "adam",
            "--hidden",
            "100,100,100,100",
            "--epochs",
            "20",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    stdout = capsys.readouterr().out
    assert rc == 0 and "doctor: healthy" in stdout and stdout.strip().endswith(str(out))
    config = read_json(out / "config.json")
    assert config["kind"] == "train" and config["optimizer"]["rule"] == "adam"
    assert config["network"]["hidden"] == [100] * 4 and config["training"]["epochs"] == 20
    metrics = read_json(out / "metrics.json")
    h, summary = metrics["history"], metrics["summary"]
    assert h["epoch"] == list(range(21)) and len(h["train_loss"]) == 20 * 12
    assert [len(a) for a in h["activations"]] == [4] * 21
    assert set(h["activations"][0][0]) == {"layer", "kind", "mean", "std", "dead"}
    assert h["grad_norm"][0] is None
    assert set(h["grad_norm"][-1]) == {f"layer{i}" for i in range(1, 6)}
    assert summary["doctor"] == "healthy"
    # the saved parameters are the trained network: recompute its test accuracy
    params = load_npz(out / "params.npz")
    net = MultiLayerNet(64, [100] * 4, 10)
    for k, v in net.params.items():
        v[...] = params[f"params/{k}"]
    _, (xt, tt) = load("digits")
    acc = np.mean(net.predict(xt).argmax(axis=1) == tt)
    assert summary["final_test_acc"] == acc and acc > 0.9
    assert (out / "training.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_extra_technique_flags(tmp_path, capsys):
    out = tmp_path / "run"
    rc = main(
        [
            "train",
            *QUICK,
            "--epochs",
            "8",
            "--sampling",
            "replacement",
            "--early-stop",
            "2",
            "--curriculum",
            "--clip-norm",
            "5",
            "--clip-value",
            "1",
            "--grad-noise",
            "0.01",
            "--max-grad-norm",
            "1e6",
            "--optimizer",
            "adam",
            "--out",
            str(out),
        ]
    )
    assert rc == 0, capsys.readouterr().err
    config = read_json(out / "config.json")
    assert config["training"]["sampling"] == "replacement" and config["training"]["curriculum"]
    described = config["described"]["optimizer"]
    assert "GradientNoise" in described and "eta=0.01" in described
    h = read_json(out / "metrics.json")["history"]
    # curriculum: the first epoch trains on the easiest 30% of the 1200 samples, with
    # replacement: 360 // 100 = 3 batches
    assert len(h["train_loss"]) >= 3 and max(g for g in h["grad_norm_max"][1:]) > 0


# -- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv, words",
    [
        (["--optimizer", "adamm"], "unknown optimizer 'adamm'"),
        (["--lr", "-0.1"], "lr must be a finite number > 0"),
        (["--dataset", "mnist", "--data-dir", "/nonexistent"], "/nonexistent does not exist"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, argv, words):
    res = sub(tmp_path, "train", *QUICK, "--out", tmp_path / "run", *argv)
    assert res.returncode == 2
    line = one_line(res.stderr)
    assert line.startswith("trainlab: error:") and words in line


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--out", "FILE/sub"], "cannot create output folder"),
        (["--early-stop", "2", "--val-ratio", "0"], "--early-stop"),
        (["--resume", "NOWHERE"], "no config.json"),
        (["--seed", "-1"], "integer ≥ 0"),
        (["--clip-norm", "0"], "number > 0"),
    ],
)
def test_more_bad_input_in_process(tmp_path, capsys, argv, words):
    (tmp_path / "FILE").write_text("a file, not a folder")
    argv = [str(tmp_path / a) if a in ("FILE/sub", "NOWHERE") else a for a in argv]
    try:
        rc = main(["train", *QUICK, "--out", str(tmp_path / "run"), *argv])
    except SystemExit as exc:  # argparse's own errors
        rc = exc.code
    assert rc == 2
    assert words in one_line(capsys.readouterr().err)


def test_unwritable_output_folder(tmp_path, capsys, monkeypatch):
    import trainlab.runs

    monkeypatch.setattr(trainlab.runs.os, "access", lambda path, mode: False)  # tests run as root
    assert main(["train", *QUICK, "--out", str(tmp_path / "run")]) == 2
    assert "not writable; choose another --out" in one_line(capsys.readouterr().err)


def test_divergence_exits_3_and_diagnose_names_it(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "--epochs", "2", "--quiet", "--lr", "10", "--out", str(out)]) == 3
    captured = capsys.readouterr()
    line = one_line(captured.err)
    assert line.startswith("trainlab: diverged: loss is ")  # NaN, or 10x its start first
    assert "layer" in line and "lr 10" in line and "--lr 1" in line
    assert "doctor: lr_too_high" in captured.out
    assert read_json(out / "metrics.json")["divergence"]["lr"] == 10
    assert main(["diagnose", str(out)]) == 0
    assert capsys.readouterr().out.startswith("doctor: lr_too_high: training diverged")


def test_diagnose_bad_folders(tmp_path, capsys):
    assert main(["diagnose", str(tmp_path / "none")]) == 2
    assert "metrics.json not found" in one_line(capsys.readouterr().err)
    (tmp_path / "metrics.json").write_text("{not json")
    assert main(["diagnose", str(tmp_path)]) == 2
    assert "not valid JSON" in one_line(capsys.readouterr().err)
    (tmp_path / "metrics.json").write_text('{"summary": {}}')
    assert main(["diagnose", str(tmp_path)]) == 2
    assert "no training history" in one_line(capsys.readouterr().err)


def test_full_disk_keeps_the_previous_metrics(tmp_path, capsys, monkeypatch):
    out = tmp_path / "run"
    assert main(["train", *QUICK, "--checkpoint-every", "1", "--out", str(out)]) == 0
    before = (out / "metrics.json").read_bytes()
    real = trainlab.io.write_atomic

    def atomic(path, write):
        if Path(path).name != "metrics.json":
            return real(path, write)

        def half(fh):  # part of the file goes out, then the disk is full
            fh.write(b'{"summary": ')
            raise OSError(errno.ENOSPC, "No space left on device")

        return real(path, half)

    monkeypatch.setattr(trainlab.io, "write_atomic", atomic)
    capsys.readouterr()
    # a rerun into the folder is refused (see test_run_folders), so train the run on
    assert main(["train", "--resume", str(out), "--epochs", "3", "--quiet"]) == 2
    line = one_line(capsys.readouterr().err)
    assert "cannot write" in line and "metrics.json" in line and "No space left" in line
    assert (out / "metrics.json").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


# -- surviving SIGKILL and Ctrl-C ----------------------------------------------------------
LONG = [
    "train",
    "--epochs",
    "40",
    "--hidden",
    "60,60,60",
    "--optimizer",
    "adam",
    "--batchnorm",
    "--dropout",
    "0.1",
    "--seed",
    "3",
    "--checkpoint-every",
    "1",
    "--quiet",
]


def comparable(folder):
    m = read_json(folder / "metrics.json")
    h = {k: v for k, v in m["history"].items() if k != "time"}
    s = {k: v for k, v in m["summary"].items() if k not in ("seconds", "iterations_per_second")}
    return h, s, {k: v.tobytes() for k, v in load_npz(folder / "params.npz").items()}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reference")
    res = sub(folder, *LONG, "--out", folder / "run")
    assert res.returncode == 0, res.stderr
    return comparable(folder / "run")


def start_and_wait_for_checkpoint(tmp_path, out):
    proc = subprocess.Popen(
        command(*LONG, "--out", out),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(tmp_path),
    )
    deadline = time.monotonic() + 60
    while not (out / "checkpoint.json").exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no checkpoint within 60 s"
        time.sleep(0.005)
    return proc


def test_sigkill_then_resume_is_bit_identical(tmp_path, uninterrupted):
    out = tmp_path / "run"
    proc = start_and_wait_for_checkpoint(tmp_path, out)
    time.sleep(0.2)
    proc.kill()
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL  # it was still training
    assert not (out / "params.npz").exists()
    res = sub(tmp_path, "train", "--resume", out, "--quiet")
    assert res.returncode == 0, res.stderr
    assert comparable(out) == uninterrupted


def test_ctrl_c_saves_a_checkpoint_and_exits_130(tmp_path, uninterrupted):
    out = tmp_path / "run"
    proc = start_and_wait_for_checkpoint(tmp_path, out)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    line = one_line(err)
    assert line.startswith("trainlab: interrupted: stopped at step")
    assert f"resume with: trainlab train --resume {out}" in line
    meta = read_json(out / "checkpoint.json")
    assert meta["iteration"] == int(line.split("step ")[1].split()[0])
    assert read_json(out / "metrics.json")["interrupted"] is True
    res = sub(tmp_path, "train", "--resume", out, "--quiet")
    assert res.returncode == 0, res.stderr
    assert comparable(out) == uninterrupted


# -- training a finished run for longer ------------------------------------------------
SHORT = ["train", "--hidden", "30,30", "--seed", "3", "--checkpoint-every", "1", "--quiet"]


def test_resume_with_more_epochs_equals_training_that_long_from_the_start(tmp_path):
    extended, straight = tmp_path / "extended", tmp_path / "straight"
    assert main([*SHORT, "--epochs", "2", "--out", str(extended)]) == 0
    assert main(["train", "--resume", str(extended), "--epochs", "4", "--quiet"]) == 0
    assert main([*SHORT, "--epochs", "4", "--out", str(straight)]) == 0
    assert comparable(extended) == comparable(straight)
    assert read_json(extended / "config.json")["training"]["epochs"] == 4
    assert len(read_json(extended / "metrics.json")["history"]["val_acc"]) == 5  # epoch 0 too


@pytest.mark.parametrize(
    "first, then, message",
    [
        (["--epochs", "3"], ["--epochs", "2"], "already at epoch 3; pass --epochs of at least 3"),
        (["--iterations", "20"], ["--epochs", "5"], "trained for --iterations 20; --epochs cannot"),
    ],
)
def test_resume_refuses_epochs_it_cannot_honour(tmp_path, capsys, first, then, message):
    out = tmp_path / "run"
    assert main([*SHORT, *first, "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    capsys.readouterr()
    assert main(["train", "--resume", str(out), *then]) == 2
    assert message in one_line(capsys.readouterr().err)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_python_dash_m_trainlab_is_the_trainlab_command(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "trainlab", "--version"],
        capture_output=True,
        text=True,
        env=env(tmp_path),
        timeout=60,
    )
    assert run.returncode == 0 and run.stdout.strip() == f"trainlab {trainlab.__version__}"
    bad = subprocess.run(
        [sys.executable, "-m", "trainlab", "train", "--epochs", "0"],
        capture_output=True,
        text=True,
        env=env(tmp_path),
        timeout=60,
    )
    assert bad.returncode == 2 and "epochs" in one_line(bad.stderr)


@pytest.mark.parametrize(
    "argv, loaded",
    [
        (["--help"], []),
        (["train", "--help"], ["trainlab.commands._args", "trainlab.commands.train"]),
    ],
)
def test_help_loads_only_the_command_it_shows(argv, loaded):
    """``trainlab --help`` lists the commands without importing them, and a command's
    ``--help`` imports that command alone (so neither pays for the engine)."""
    code = (
        "import sys\nfrom trainlab.cli import main\ntry:\n"
        f"    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('trainlab.commands.')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().splitlines()[-1] == repr(loaded)
