"""report on hostile run folders: a malformed run is skipped with one warning line naming
its file and the rest is built; only regular files inside the run are embedded; a FIFO
where a JSON file should be never hangs it."""

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from trainlab.cli import main


def cli(*argv):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, err.getvalue()


def run_folder(folder: Path, summary=None, **files):
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"kind": "custom", "title": folder.name}))
    (folder / "metrics.json").write_text(json.dumps({"summary": summary or {"acc": 0.9}}))
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32

BROKEN = {
    "config-truncated": ("config.json", b'{"kind": "cus'),
    "config-a-list": ("config.json", b"[1, 2]"),
    "config-not-utf8": ("config.json", b"\xff\xfe{}"),
    "metrics-null": ("metrics.json", b"null"),
    "metrics-summary-a-list": ("metrics.json", b'{"summary": [1, 2]}'),
    "metrics-deep": ("metrics.json", b"[" * 50_000 + b"]" * 50_000),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_malformed_run_is_skipped_with_one_warning_and_the_rest_is_built(tmp_path, name):
    run_folder(tmp_path / "good", summary={"acc": 0.91})
    bad = run_folder(tmp_path / "bad")
    filename, data = BROKEN[name]
    (bad / filename).write_bytes(data)
    code, err = cli("report", tmp_path)
    assert code == 0, err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("trainlab: warning: skipped")
    assert str(bad / filename) in lines[0]
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<code>good</code>" in page and "<code>bad</code>" not in page


def test_a_fifo_or_folder_where_json_should_be_never_hangs(tmp_path):
    run_folder(tmp_path / "good")
    fifo = run_folder(tmp_path / "fifo")
    (fifo / "config.json").unlink()
    os.mkfifo(fifo / "config.json")
    folder = run_folder(tmp_path / "folder")
    (folder / "config.json").unlink()
    (folder / "config.json").mkdir()
    code, err = cli("report", tmp_path)
    assert code == 0 and "<code>good</code>" in (tmp_path / "report.html").read_text()
    assert "fifo" in err and "not a regular file" in err


def test_only_regular_files_inside_the_run_are_embedded(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG top secret bytes outside the run")
    run = run_folder(tmp_path / "runs" / "one", **{"plot.png": PNG})
    (run / "leak.png").symlink_to(secret)
    code, err = cli("report", tmp_path / "runs")
    assert code == 0, err
    page = (tmp_path / "runs" / "report.html").read_text()
    import base64

    assert base64.b64encode(PNG).decode() in page
    assert base64.b64encode(secret.read_bytes()).decode() not in page and "leak.png" not in page
