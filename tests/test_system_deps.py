"""``scripts/system-deps.sh``: which system packages `make test` installs, and what a
machine that cannot install them is told. The script runs in a folder of its own with
a PATH of stand-in programs, so each probe can be made to fail or pass whatever this
machine has installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALL = ["python3-venv", "postgresql", "chromium", "chromium-driver", "fonts-noto-cjk"]


def program(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def machine(tmp_path: Path, *, has: tuple[str, ...] = (), uid: int = 0, apt: bool = True):
    """A checkout with the script, and a PATH where only the packages in ``has`` are
    installed; ``apt-get`` records its arguments in ``apt.log``."""
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "system-deps.sh", checkout / "scripts")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for tool in ("dirname", "mktemp", "rm", "grep"):
        (bin_ / tool).symlink_to(shutil.which(tool))
    program(bin_, "id", f"echo {uid}")
    venv_ok = "python3-venv" in has
    program(bin_, "python3", "exit 0" if venv_ok else "exit 1")
    if "postgresql" in has:
        program(bin_, "initdb", "exit 0")
        program(bin_, "pg_ctl", "exit 0")
    if "chromium" in has:
        program(bin_, "chromium", "exit 0")
    if "chromium-driver" in has:
        program(bin_, "chromedriver", "exit 0")
    font = "Noto Sans CJK KR" if "fonts-noto-cjk" in has else "DejaVu Sans"
    program(bin_, "fc-list", f"echo '/usr/share/fonts/x.ttc: {font}:style=Regular'")
    if apt:
        program(bin_, "apt-get", f'echo "$*" >> {tmp_path / "apt.log"}')
    env = {"PATH": str(bin_), "PG_LIB": str(tmp_path / "no-postgresql"), "HOME": str(tmp_path)}
    return checkout, env


def run(checkout: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    script = checkout / "scripts" / "system-deps.sh"
    bash = shutil.which("bash")
    return subprocess.run(
        [bash, str(script), *args], env=env, text=True, capture_output=True, timeout=60
    )


def test_a_bare_machine_needs_all_five_packages(tmp_path):
    checkout, env = machine(tmp_path)
    proc = run(checkout, env, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ALL


def test_a_full_machine_needs_nothing_and_installs_nothing(tmp_path):
    checkout, env = machine(tmp_path, has=tuple(ALL))
    assert run(checkout, env, "--dry-run").stdout.split() == []
    proc = run(checkout, env)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "apt.log").exists()


def test_each_probe_sees_its_own_package(tmp_path):
    for i, package in enumerate(ALL):
        checkout, env = machine(tmp_path / str(i), has=tuple(p for p in ALL if p != package))
        assert run(checkout, env, "--dry-run").stdout.split() == [package]


def test_debians_postgresql_outside_path_is_found(tmp_path):
    checkout, env = machine(tmp_path, has=("chromium", "chromium-driver", "fonts-noto-cjk"))
    pg_bin = Path(env["PG_LIB"]) / "16" / "bin"
    pg_bin.mkdir(parents=True)
    program(pg_bin, "initdb", "exit 0")
    program(pg_bin, "pg_ctl", "exit 0")
    assert run(checkout, env, "--dry-run").stdout.split() == ["python3-venv"]


def test_the_font_is_seen_first_in_a_long_font_list(tmp_path):
    checkout, env = machine(tmp_path, has=tuple(ALL))
    lines = "\n".join(f"/usr/share/fonts/f{i}.ttf: DejaVu Sans:style=Book" for i in range(20000))
    fonts = tmp_path / "fonts.txt"
    fonts.write_text(f"/usr/share/fonts/noto.ttc: Noto Sans CJK KR:style=Regular\n{lines}\n")
    (tmp_path / "bin" / "cat").symlink_to(shutil.which("cat"))
    program(tmp_path / "bin", "fc-list", f"cat {fonts}")
    assert run(checkout, env, "--dry-run").stdout.split() == []


def test_an_existing_venv_needs_no_python3_venv(tmp_path):
    checkout, env = machine(tmp_path, has=("postgresql", "chromium", "chromium-driver"))
    (checkout / ".venv" / "bin").mkdir(parents=True)
    program(checkout / ".venv" / "bin", "python", "exit 0")
    assert run(checkout, env, "--dry-run").stdout.split() == ["fonts-noto-cjk"]


def test_root_installs_the_missing_packages_with_one_update(tmp_path):
    checkout, env = machine(tmp_path, has=("python3-venv", "postgresql"))
    proc = run(checkout, env)
    assert proc.returncode == 0, proc.stderr
    log = (tmp_path / "apt.log").read_text().splitlines()
    assert log[0].split() == ["update", "-qq"]
    assert log[1].split()[:1] == ["install"]
    assert log[1].split()[-3:] == ["chromium", "chromium-driver", "fonts-noto-cjk"]
    assert len(log) == 2


def test_without_root_one_line_names_the_packages_and_the_fix(tmp_path):
    checkout, env = machine(tmp_path, has=("python3-venv", "postgresql", "chromium"), uid=1000)
    proc = run(checkout, env)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert "chromium-driver fonts-noto-cjk" in lines[0]
    assert "apt-get install chromium-driver fonts-noto-cjk" in lines[0]
    assert not (tmp_path / "apt.log").exists()


def test_root_without_apt_get_is_told_the_same(tmp_path):
    checkout, env = machine(tmp_path, has=tuple(ALL[:-1]), apt=False)
    proc = run(checkout, env)
    assert proc.returncode == 1
    assert len(proc.stderr.splitlines()) == 1
    assert "fonts-noto-cjk" in proc.stderr


def test_this_script_is_what_make_test_and_ci_run():
    makefile = (ROOT / "Makefile").read_text()
    test_rule = next(line for line in makefile.splitlines() if line.startswith("test:"))
    assert "system-deps" in test_rule
    assert "scripts/system-deps.sh" in makefile
    ci = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert ci[-1] == "make test" and "apt-get" not in "\n".join(ci)
    assert os.access(ROOT / "scripts" / "system-deps.sh", os.X_OK)
