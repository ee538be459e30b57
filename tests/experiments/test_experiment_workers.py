"""``--workers``: the same files and numbers whatever the number of worker processes,
one bar over all of them, and a failure or Ctrl-C that leaves nothing half-written."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from exp_testkit import cli, isolated_env

from trainlab.experiments import names

#: fields that time something, not compute it
TIMING = {"seconds", "time"}
TINY = [
    "iterations=20",
    "epochs=2",
    "train_size=200",
    "test_size=100",
    "ensemble=3",
    "weight_scales=0.1,0.001",
    "batch_sizes=full,50",
    "lr_grid=1,3",
    "samples=100",
]


@pytest.fixture
def isolated(tmp_path):
    with isolated_env(tmp_path):
        yield tmp_path


def untimed(obj):
    if isinstance(obj, dict):
        return {
            k: untimed(v) for k, v in obj.items() if k not in TIMING and not k.endswith(": seconds")
        }
    if isinstance(obj, list):
        return [untimed(v) for v in obj]
    return obj


def canonical(path: Path) -> str:
    """The file's JSON without its timing fields, written back in its own key order."""
    return json.dumps(untimed(json.loads(path.read_bytes())), ensure_ascii=False)


def _untimed_lines(stdout: str) -> list[str]:
    lines = [re.sub(r" \([0-9.]+s\)$", "", ln) for ln in stdout.splitlines()]
    return [re.sub(r"seconds [0-9.e+-]+", "seconds", ln) for ln in lines[:-2]]


def _run_all(out, workers, *extra):
    args = ["run", "all", "--quick", "--seeds", "2", "--workers", workers, "--out", out, "--quiet"]
    for s in TINY:
        args += ["--set", s]
    code, stdout, err = cli(*args, *extra)
    assert code == 0, err
    return stdout


def test_every_experiment_gives_the_same_files_with_one_or_two_workers(isolated):
    one = _run_all(isolated / "w1", 1)
    two = _run_all(isolated / "w2", 2)
    # the same lines in the same order (the seconds aside)
    assert _untimed_lines(one) == _untimed_lines(two)
    for name in names():
        a, b = isolated / "w1" / name, isolated / "w2" / name
        assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
        config = (a / "config.json").read_bytes()
        assert config == (b / "config.json").read_bytes()  # no timing in a config
        assert canonical(a / "metrics.json") == canonical(b / "metrics.json"), name
        assert len(json.loads((a / "metrics.json").read_bytes())["runs"]) == 2
        if name != "batch-size":  # its figure plots the seconds each batch size took
            assert _pngs(a) == _pngs(b), name  # drawn here with 1 worker, by the workers with 2


def _pngs(folder) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.png")}


def test_figures_ignore_this_sessions_matplotlib_settings(isolated, monkeypatch):
    import matplotlib

    # what a notebook's Korean labels or a learner's style leave behind in the process
    monkeypatch.setitem(matplotlib.rcParams, "lines.linewidth", 4.0)
    monkeypatch.setitem(matplotlib.rcParams, "font.size", 14.0)
    drawn = {}
    for w in (1, 2):  # here, then by fresh worker processes
        code, _, err = cli(
            "run",
            "lr-diagnosis",
            "--set",
            "epochs=3",
            "--out",
            isolated / f"w{w}",
            "--quiet",
            "--workers",
            w,
        )
        assert code == 0, err
        drawn[w] = _pngs(isolated / f"w{w}")
    assert drawn[1] == drawn[2] and drawn[1]


def test_figures_drawn_in_parts_are_the_figures_drawn_at_once(isolated):
    from trainlab.experiments.folder import parts, replot
    from trainlab.viz import file_defaults

    code, _, err = cli(
        "run", "init-histogram", "--quick", "--out", isolated / "h", "--quiet", "--workers", "2"
    )
    assert code == 0, err
    together = _pngs(isolated / "h")
    for p in (isolated / "h").glob("*.png"):
        p.unlink()
    with file_defaults():  # matplotlib's own settings, as in the workers
        replot(isolated / "h")  # one process, every figure in one call
    again = _pngs(isolated / "h")
    assert len(together) == len(parts("init-histogram", _config("init-histogram"))) == 4
    assert together == again


def _config(name):
    from trainlab.experiments import make_config

    return make_config(name, quick=True)


def test_a_diverging_training_exits_3_and_leaves_no_half_written_run(isolated):
    out = isolated / "d"
    code, stdout, err = cli(
        "run",
        "all",
        "--quick",
        "--workers",
        "2",
        "--out",
        out,
        "--quiet",
        "--set",
        "overfit.lr=1e9",
        *sum((["--set", s] for s in TINY), []),
    )
    assert code == 3, err
    assert len(err.strip().splitlines()) == 1 and "overfit" in err
    before = names()[: names().index("overfit")]
    for name in names():
        files = sorted(p.name for p in (out / name).iterdir()) if (out / name).exists() else []
        if name in before and files:  # written whole before the failure (if its jobs were done)
            assert "metrics.json" in files and "config.json" in files, name
            assert any(f.endswith(".png") for f in files), name
        else:  # the failing one and those after it (folders are written in order): nothing
            assert files == [], (name, files)
    assert not list(out.rglob("*.tmp")) and not (out / "report.html").exists()


def test_ctrl_c_stops_every_worker_with_exit_130(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
        "TRAINLAB_CACHE": str(tmp_path / "cache"),
        "PYTHONUNBUFFERED": "1",
    }
    out = tmp_path / "c"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trainlab.cli",
            "run",
            "batchnorm",
            "--set",
            "epochs=400",
            "--workers",
            "2",
            "--out",
            str(out),
            "--quiet",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout.readline().startswith("data:")  # the trainings are about to start
    time.sleep(2.0)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["trainlab: interrupted"]
    assert not (out / "metrics.json").exists() and not (out / "config.json").exists()
    assert _group_ends(proc.pid, within=20.0)  # no worker left behind


def _group_ends(pgid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def test_the_data_loaded_is_what_the_trainings_read():
    from trainlab.experiments import folder, registry

    cfg = {n: registry.make_config(n) for n in ("batchnorm", "overfit", "optimizer-compare")}
    bn, overfit = cfg["batchnorm"], cfg["overfit"]
    assert folder.reads({"batchnorm": bn}) == (1000, 0)  # the book's 1000, no test set
    assert folder.reads({"batchnorm": bn, "overfit": overfit}) == (1000, 1000)
    assert folder.reads(cfg) == (None, None)  # optimizer-compare reads every image
