"""report on odd folder trees: deep, wide, cyclic (symbolic links) or unreadable ones
give a clean walk or one line, never an internal error."""

import contextlib
import io
import json
import os

import trainlab.walk
from trainlab.cli import main


def cli(*argv):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, err.getvalue()


def run_folder(folder, title):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps({"kind": "custom", "title": title}))
    (folder / "metrics.json").write_text(json.dumps({"summary": {"acc": 0.9}}))


def shown(root):
    page = (root / "report.html").read_text(encoding="utf-8")
    return page.count("<section")


def test_a_tree_deeper_than_the_recursion_limit_is_walked(tmp_path):
    deep = tmp_path
    for _ in range(1500):  # Python's recursion limit is 1000 (os.makedirs recurses too)
        deep = deep / "d"
        deep.mkdir()
    run_folder(deep, "bottom")
    run_folder(tmp_path / "top", "top")
    try:
        code, err = cli("report", tmp_path)
        assert code == 0 and err == ""
        page = (tmp_path / "report.html").read_text(encoding="utf-8")
        assert "bottom" in page and "top" in page
    finally:  # shutil.rmtree recurses too: take the chain down from its bottom
        for name in ("config.json", "metrics.json"):
            (deep / name).unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_symbolic_link_cycles_are_not_followed(tmp_path):
    run_folder(tmp_path / "a" / "run", "only")
    os.symlink("..", tmp_path / "a" / "up")
    os.symlink(".", tmp_path / "a" / "run" / "self")
    os.symlink(tmp_path / "a", tmp_path / "again")  # the same run by another path
    code, err = cli("report", tmp_path)
    assert code == 0 and err == ""
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count("<code>a/run</code>") == 1 and "again" not in page


def test_a_wide_tree_is_walked_and_a_too_wide_one_is_one_line(tmp_path, monkeypatch):
    run_folder(tmp_path / "run", "wide")
    wide = tmp_path / "many"
    wide.mkdir()
    for i in range(3000):
        (wide / f"f{i}").write_bytes(b"")
    code, err = cli("report", tmp_path)
    assert code == 0 and err == ""
    monkeypatch.setattr(trainlab.walk, "MAX_ENTRIES", 2000)
    code, err = cli("report", tmp_path)
    lines = err.splitlines()
    assert code == 2 and len(lines) == 1
    assert lines[0] == (
        f"trainlab: error: {tmp_path} holds more than 2,000 files and folders; "
        "pass the folder that holds the runs"
    )


def test_unreadable_folders_are_skipped_with_one_warning(tmp_path, monkeypatch):
    """Tests run as root here, for whom chmod 000 hides nothing: the walker is given
    the error the kernel gives an ordinary user (EACCES) instead."""
    run_folder(tmp_path / "good", "good")
    for name in ("locked1", "locked2"):
        run_folder(tmp_path / name / "run", name)
    real = os.scandir

    def scandir(path):
        if os.path.basename(path).startswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(trainlab.walk.os, "scandir", scandir)
    code, err = cli("report", tmp_path)
    lines = err.splitlines()
    assert code == 0 and len(lines) == 1
    assert lines[0] == (
        f"trainlab: warning: skipped folders that cannot be read: {tmp_path / 'locked1'} and 1 more"
    )
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<code>good</code>" in page and "locked" not in page
    code, err = cli("report", tmp_path / "locked1")
    assert (
        code == 2
        and err == f"trainlab: error: cannot read {tmp_path / 'locked1'}; check its permissions\n"
    )


def test_hidden_folders_are_not_entered(tmp_path):
    run_folder(tmp_path.joinpath(".cache", "x", "y"), "concealed")
    run_folder(tmp_path / "seen", "seen")
    code, err = cli("report", tmp_path)
    assert code == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert shown(tmp_path) == 1 and "<code>seen</code>" in page
