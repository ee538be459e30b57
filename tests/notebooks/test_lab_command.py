"""``trainlab lab``: copying the notebooks, keeping a learner's edits, clear errors."""

from __future__ import annotations

import json

import pytest

from trainlab.cli import main
from trainlab.notebooks import copy_notebooks, notebook_names, shipped_dir
from trainlab.notebooks.files import RECORD


def test_a_fresh_folder_gets_all_nine_notebooks(tmp_path):
    report = copy_notebooks(tmp_path / "nb", "ko")
    assert report.copied == notebook_names("ko") and len(report.copied) == 11
    for name in report.copied:
        assert (tmp_path / "nb" / name).read_bytes() == (shipped_dir("ko") / name).read_bytes()


def test_copying_again_changes_nothing(tmp_path):
    copy_notebooks(tmp_path, "en")
    report = copy_notebooks(tmp_path, "en")
    assert report.copied == [] and report.kept == [] and len(report.current) == 11


def test_an_edited_notebook_is_never_overwritten(tmp_path):
    copy_notebooks(tmp_path, "en")
    edited = tmp_path / notebook_names("en")[0]
    edited.write_text('{"my": "notes"}', "utf-8")
    report = copy_notebooks(tmp_path, "en")
    assert report.kept == [edited.name]
    assert edited.read_text("utf-8") == '{"my": "notes"}'
    # and it stays kept, run after run
    assert copy_notebooks(tmp_path, "en").kept == [edited.name]


def test_an_untouched_older_copy_is_updated(tmp_path):
    import hashlib

    copy_notebooks(tmp_path, "en")
    name = notebook_names("en")[1]
    old = b'{"an": "older shipped version"}'
    (tmp_path / name).write_bytes(old)
    record = json.loads((tmp_path / RECORD).read_text("utf-8"))
    record[name] = hashlib.sha256(old).hexdigest()  # as copied by an older trainlab
    (tmp_path / RECORD).write_text(json.dumps(record), "utf-8")
    report = copy_notebooks(tmp_path, "en")
    assert report.updated == [name] and report.kept == []
    assert (tmp_path / name).read_bytes() == (shipped_dir("en") / name).read_bytes()


def test_cli_copy_only_says_what_it_kept(tmp_path, capsys):
    assert main(["lab", str(tmp_path), "--lang", "ko", "--copy-only"]) == 0
    assert "copied: 11 notebooks" in capsys.readouterr().out
    (tmp_path / notebook_names("ko")[2]).write_text("{}", "utf-8")
    assert main(["lab", str(tmp_path), "--lang", "ko", "--copy-only"]) == 0
    out = capsys.readouterr().out
    assert f"kept your edited {notebook_names('ko')[2]}" in out and "up to date: 10" in out


def test_cli_without_jupyterlab_is_one_line_and_copies_nothing(tmp_path, capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "jupyterlab" else real(name, *a),
    )
    assert main(["lab", str(tmp_path / "nb")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("trainlab: error: JupyterLab is not installed")
    assert "pip install 'trainlab[learn]'" in err
    assert not (tmp_path / "nb").exists()


def test_cli_refuses_a_file_as_the_folder(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("x")
    assert main(["lab", str(target), "--copy-only"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_cli_refuses_an_unknown_language(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["lab", str(tmp_path), "--lang", "jp"])
    assert exc.value.code == 2
    assert "invalid choice: 'jp'" in capsys.readouterr().err


def test_cli_refuses_a_bad_port(tmp_path, capsys):
    assert main(["lab", str(tmp_path), "--port", "70000"]) == 2
    assert "--port must be between 0 and 65535" in capsys.readouterr().err


def test_the_jupyter_command_binds_to_localhost_and_keeps_the_token_off_it(tmp_path):
    from trainlab.commands.lab import jupyter_command

    cmd = jupyter_command(tmp_path, 8899, browser=False)
    assert "--ServerApp.ip=127.0.0.1" in cmd and "--no-browser" in cmd
    assert "--ServerApp.port=8899" in cmd and not any("token" in c for c in cmd)


def test_cli_default_folder_is_trainlab_notebooks_here(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["lab", "--copy-only"]) == 0
    assert sorted(
        p.name for p in (tmp_path / "trainlab-notebooks").glob("*.ipynb")
    ) == notebook_names("en")


def test_notebook_02_picks_fashion_mnist_only_when_its_files_are_found(tmp_path, monkeypatch):
    from pathlib import Path

    import trainlab.data.locations as locations
    from trainlab.notebooks import pick_dataset

    shared = Path(__file__).resolve().parents[3] / "shared" / "data"
    monkeypatch.setattr(locations, "SYSTEM_DIRS", {})
    monkeypatch.setenv("TRAINLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("TRAINLAB_DATA", str(tmp_path / "empty"))
    assert pick_dataset() == "digits"
    monkeypatch.setenv("TRAINLAB_DATA", str(shared))
    assert (shared / "fashion-mnist").is_dir(), "the shared data folder beside the project"
    assert pick_dataset() == "fashion-mnist"
