"""Run folders are never mixed: a folder holding a run is refused unless --overwrite
(which removes the old run first), a second writer is locked out, an unfinished
command leaves its folder marked incomplete (report skips it), stale temporary files
are removed, and --resume refuses options that differ from the saved ones."""

import contextlib
import fcntl
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import trainlab
from trainlab.cli import main
from trainlab.errors import ConfigError
from trainlab.runs import LOCK, MARKER, finish, is_incomplete, prepare_out

SRC = str(Path(trainlab.__file__).resolve().parents[1])
TINY = ["--hidden", "8", "--batch-size", "20", "--train-size", "100", "--epochs", "1", "--quiet"]


def call(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir()) if p.is_file()}


def test_a_folder_holding_a_run_is_refused_and_left_as_it_was(tmp_path):
    out = tmp_path / "run"
    assert call("train", *TINY, "--out", out)[0] == 0
    before = files(out)
    code, _, err = call("train", *TINY, "--seed", "5", "--out", out)
    assert code == 2 and err.count("\n") == 1
    assert "already holds a train run" in err and "--overwrite" in err
    assert files(out) == before


def test_overwrite_removes_the_old_run_and_its_checkpoint_first(tmp_path):
    out = tmp_path / "run"
    assert call("train", *TINY, "--checkpoint-every", "1", "--out", out)[0] == 0
    (out / "notes.png").write_bytes(b"an old figure")
    assert call("train", *TINY, "--seed", "7", "--out", out, "--overwrite")[0] == 0
    names = set(os.listdir(out))
    assert "notes.png" not in names and not any(n.startswith("checkpoint") for n in names)
    assert json.loads((out / "config.json").read_text())["training"]["seed"] == 7
    # and the new run has no checkpoint, so --resume cannot continue the old one
    code, _, err = call("train", "--resume", out)
    assert code == 2 and "no checkpoint" in err


def test_overwrite_never_removes_files_trainlab_did_not_write(tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    code, _, err = call("train", *TINY, "--out", tmp_path, "--overwrite")
    assert code == 2 and "did not write" in err
    assert (tmp_path / "thesis.tex").read_text() == "precious"


def test_a_second_writer_is_locked_out(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    with open(out / LOCK, "w") as fh:  # another command holds the folder
        fcntl.flock(fh, fcntl.LOCK_EX)
        code, _, err = call("train", *TINY, "--out", out)
    assert code == 2 and "another trainlab command is writing" in err
    assert sorted(os.listdir(out)) == [LOCK]


def _env(tmp_path):
    env = dict(
        os.environ,
        PYTHONPATH=SRC,
        TRAINLAB_OFFLINE="1",
        TRAINLAB_CACHE=str(tmp_path / "cache"),
        OPENBLAS_NUM_THREADS="1",
    )
    env.pop("TRAINLAB_DATA", None)
    return env


def _wait_for(path, proc, seconds=60):
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None and time.monotonic() < deadline, "the run never started"
        time.sleep(0.05)


def test_two_real_processes_into_one_folder_and_a_killed_one(tmp_path):
    out = tmp_path / "run"
    long = [
        sys.executable,
        "-m",
        "trainlab.cli",
        "train",
        "--hidden",
        "30",
        "--epochs",
        "500",
        "--checkpoint-every",
        "1",
        "--quiet",
        "--out",
        str(out),
    ]
    first = subprocess.Popen(
        long, env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(out / "checkpoint.json", first)
        second = subprocess.run(
            long, env=_env(tmp_path), capture_output=True, text=True, timeout=120
        )
        assert second.returncode == 2 and "another trainlab command is writing" in second.stderr
        assert second.stderr.count("\n") == 1
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    # killed while writing: marked incomplete, resumable, refused as --out
    assert is_incomplete(out)
    code, _, err = call("train", *TINY, "--out", out)
    assert code == 2 and "--overwrite" in err
    stale = out / ".checkpoint-000000001.npz.abc123.tmp"
    stale.write_bytes(b"half a checkpoint")
    code, _, err = call("train", "--resume", out, "--epochs", "1")  # trains no further
    assert code == 2 and "already at epoch" in err  # refused, but the stale file is gone
    assert not stale.exists()


def test_resume_refuses_options_that_differ_from_the_saved_run(tmp_path):
    out = tmp_path / "run"
    assert call("train", *TINY, "--checkpoint-every", "1", "--out", out)[0] == 0
    before = files(out)
    code, _, err = call("train", "--resume", out, "--lr", "0.5")
    assert code == 2 and "--lr 0.5 differs from the run's saved None" in err
    code, _, err = call("train", "--resume", out, "--hidden", "16")
    assert code == 2 and "--hidden" in err and "differs" in err
    code, _, err = call("train", "--resume", out, "--out", tmp_path / "elsewhere")
    assert code == 2 and "--out" in err
    assert files(out) == before and not (tmp_path / "elsewhere").exists()
    # the same values as saved are not a mismatch
    assert call("train", "--resume", out, "--hidden", "8", "--epochs", "2", "--quiet")[0] == 0


def test_run_over_a_finished_experiment_needs_overwrite_and_then_leaves_no_old_file(tmp_path):
    out = tmp_path / "exp"
    assert call("run", "init-histogram", "--quick", "--quiet", "--out", out)[0] == 0
    (out / "stale.png").write_bytes(b"from an older run")
    code, _, err = call("run", "init-histogram", "--quick", "--quiet", "--out", out)
    assert code == 2 and "already holds a init-histogram run" in err
    assert call("run", "init-histogram", "--quick", "--quiet", "--out", out, "--overwrite")[0] == 0
    assert not (out / "stale.png").exists() and not is_incomplete(out)


def test_prepare_out_resumes_its_own_kind_and_replaces_only_what_it_may(tmp_path):
    folder = tmp_path / "study"
    prepare_out(folder, "tune")
    (folder / "study.journal").write_text("{}\n")
    finish(ok=True)
    assert prepare_out(folder, "tune", resume=True) == folder  # a rerun resumes the study
    finish(ok=True)
    assert (folder / "study.journal").exists()
    with pytest.raises(ConfigError, match="already holds a tune run"):
        prepare_out(folder, "benchmark", resume=True)
    demo = tmp_path / "demo"
    prepare_out(demo, "demo")
    (demo / "report.html").write_text("old")
    finish(ok=True)
    prepare_out(demo, "demo", replaces=("demo",))  # make demo twice: the old one replaced
    assert not (demo / "report.html").exists()
    finish(ok=False)
    assert json.loads((demo / MARKER).read_text())["complete"] is False


def test_report_skips_a_run_its_command_did_not_finish(tmp_path):
    done, torn = tmp_path / "done", tmp_path / "torn"
    for folder in (done, torn):
        prepare_out(folder, "custom")
        (folder / "config.json").write_text('{"kind": "custom"}')
        (folder / "metrics.json").write_text('{"summary": {"x": 1}}')
        finish(ok=folder is done)
    code, _, err = call("report", tmp_path)
    assert code == 0 and err.count("\n") == 1 and "did not finish" in err and str(torn) in err
    page = (tmp_path / "report.html").read_text()
    assert "<code>done</code>" in page and "<code>torn</code>" not in page


def test_a_failed_command_removes_the_folder_it_made(tmp_path):
    out = tmp_path / "new"
    prepare_out(out, "train")
    finish(ok=False)  # failed before writing anything
    assert not out.exists()


def test_a_password_in_the_storage_url_is_warned_about(capsys):
    from trainlab.commands._args import warn_if_password

    warn_if_password("postgresql://trainlab:s3cret@db.example/trainlab")
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PGPASSWORD" in err and "s3cret" not in err
    for quiet in ("postgresql://trainlab@db.example/trainlab", "runs/study.journal", None):
        warn_if_password(quiet)
    assert capsys.readouterr().err == ""
