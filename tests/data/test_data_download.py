"""Downloads against a local HTTP server on 127.0.0.1 (these machines reach no web host)."""

from __future__ import annotations

import hashlib
import shutil
import socket
import time

import numpy as np
import pytest
from data_testkit import closed_port, synthetic_set

import trainlab.data as data
from trainlab.data import download
from trainlab.data.download import fetch, mirrors_for
from trainlab.errors import ConfigError, DataError

LABELS = "t10k-labels-idx1-ubyte.gz"
IMAGES = "t10k-images-idx3-ubyte.gz"


def _mirror_folder(tmp_path, shared, names=(LABELS, IMAGES), dataset="mnist"):
    folder = tmp_path / "server"
    (folder / dataset).mkdir(parents=True)
    for name in names:
        shutil.copy(shared / dataset / name, folder / dataset / name)
    return folder


def _files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_good_download_is_verified_and_cached(tmp_path, shared, http_server, isolated):
    base, requests = http_server(_mirror_folder(tmp_path, shared))
    path = fetch("mnist", LABELS, isolated / "mnist", mirrors=[base + "mnist/"])
    assert path == isolated / "mnist" / LABELS
    assert path.read_bytes() == (shared / "mnist" / LABELS).read_bytes()
    assert hashlib.sha256(path.read_bytes()).hexdigest() in download.SHA256["mnist"][LABELS]
    assert requests == ["/mnist/" + LABELS]
    assert _files(isolated) == [LABELS]  # no temporary file left beside it
    assert path.stat().st_mode & 0o777 == 0o644


def test_load_downloads_missing_files_then_falls_back(
    tmp_path, shared, http_server, isolated, monkeypatch
):
    base, requests = http_server(_mirror_folder(tmp_path, shared))
    monkeypatch.setenv("TRAINLAB_MIRRORS", base + "{name}/")
    ((x_tr, _), (x_te, _)), first = data.load_with_info("mnist")  # downloads the t10k files
    _, info = data.load_with_info("mnist")  # finds them in the cache
    assert (first["cached"], info["cached"]) == (False, True)
    assert x_tr.shape == (8_000, 784) and x_te.shape == (2_000, 784)
    assert info["fallback"] and info["source"]["test-images"] == str(isolated / "mnist" / IMAGES)
    assert "HTTP 404" in info["reason"]  # the training files are not on this server
    assert sorted(p.name for p in (isolated / "mnist").iterdir()) == sorted(
        [IMAGES, LABELS, "test.npz"]
    )
    # The t10k files were fetched once; only the missing training file is asked for again.
    assert requests.count("/mnist/" + IMAGES) == 1
    assert requests.count("/mnist/train-images-idx3-ubyte.gz") == 2


def test_corrupted_file_on_server_is_rejected(tmp_path, shared, http_server, isolated):
    folder = _mirror_folder(tmp_path, shared, names=(LABELS,))
    served = folder / "mnist" / LABELS
    blob = bytearray(served.read_bytes())
    blob[100] ^= 0x01
    served.write_bytes(bytes(blob))
    base, _ = http_server(folder)
    with pytest.raises(DataError) as err:
        fetch("mnist", LABELS, isolated / "mnist", mirrors=[base + "mnist/"])
    message = str(err.value)
    assert LABELS in message and base + "mnist/" + LABELS in message
    assert "SHA-256 mismatch" in message and "--data-dir" in message and "TRAINLAB_DATA" in message
    assert _files(isolated) == []


def test_first_mirror_down_second_used(tmp_path, shared, http_server, isolated):
    base, requests = http_server(_mirror_folder(tmp_path, shared, names=(LABELS,)))
    dead = f"http://127.0.0.1:{closed_port()}/mnist/"
    path = fetch("mnist", LABELS, isolated / "mnist", mirrors=[dead, base + "mnist/"])
    assert path.read_bytes() == (shared / "mnist" / LABELS).read_bytes()
    assert requests == ["/mnist/" + LABELS]


def test_corrupt_first_mirror_good_second(tmp_path, shared, http_server, isolated):
    bad = tmp_path / "bad" / "mnist"
    bad.mkdir(parents=True)
    (bad / LABELS).write_bytes(b"<html>not the file</html>")
    bad_base, bad_requests = http_server(bad.parent)
    good_base, _ = http_server(_mirror_folder(tmp_path, shared, names=(LABELS,)))
    fetch("mnist", LABELS, isolated / "mnist", mirrors=[bad_base + "mnist/", good_base + "mnist/"])
    assert bad_requests == ["/mnist/" + LABELS]
    assert _files(isolated) == [LABELS]


def test_all_mirrors_failing_names_file_and_mirrors(isolated):
    dead = [f"http://127.0.0.1:{closed_port()}/a/", f"http://127.0.0.1:{closed_port()}/b/"]
    with pytest.raises(DataError) as err:
        fetch("fashion-mnist", LABELS, isolated / "fashion-mnist", mirrors=dead)
    message = str(err.value)
    assert all(m + LABELS in message for m in dead) and "--data-dir" in message
    assert _files(isolated) == []


def test_load_fails_fast_when_nothing_is_anywhere(isolated):
    start = time.perf_counter()
    with pytest.raises(
        DataError,
        match=r"Fashion-MNIST: train-images-idx3-ubyte\[\.gz\] not found in .*127\.0\.0\.1",
    ):
        data.load("fashion-mnist")
    assert time.perf_counter() - start < 5


def test_unresponsive_server_times_out(isolated):
    with socket.socket() as listener:  # accepts connections (kernel backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        start = time.perf_counter()
        with pytest.raises(DataError, match="timed out"):
            fetch("mnist", LABELS, isolated / "mnist", mirrors=[url], timeout=0.5)
        assert time.perf_counter() - start < 5
    assert _files(isolated) == []


def test_oversized_download_is_refused(tmp_path, shared, http_server, isolated, monkeypatch):
    monkeypatch.setattr(download, "MAX_BYTES", 1000)
    base, _ = http_server(_mirror_folder(tmp_path, shared, names=(LABELS,)))
    with pytest.raises(DataError, match="more than 1000 bytes"):
        fetch("mnist", LABELS, isolated / "mnist", mirrors=[base + "mnist/"])
    assert _files(isolated) == []


def test_synthetic_data_set_downloaded_end_to_end(tmp_path, http_server, isolated, monkeypatch):
    served = tmp_path / "server" / "fashion-mnist"
    arrays = synthetic_set(served)
    table = {f.name: (hashlib.sha256(f.read_bytes()).hexdigest(),) for f in served.iterdir()}
    monkeypatch.setitem(download.SHA256, "fashion-mnist", table)
    base, requests = http_server(served.parent)
    monkeypatch.setenv("TRAINLAB_MIRRORS", f"http://127.0.0.1:{closed_port()}/, {base}{{name}}/")
    ((x_tr, t_tr), (x_te, t_te)), info = data.load_with_info(
        "fashion-mnist", normalize=False, flatten=False
    )
    np.testing.assert_array_equal(x_tr[:, 0], arrays["train-images-idx3-ubyte"])
    np.testing.assert_array_equal(t_te, arrays["t10k-labels-idx1-ubyte"])
    assert info["fallback"] is False and len(requests) == 4
    assert sorted(p.name for p in (isolated / "fashion-mnist").iterdir()) == sorted(
        list(table) + ["train.npz", "test.npz"]
    )


def test_offline_and_download_false_make_no_request(tmp_path, shared, http_server, monkeypatch):
    base, requests = http_server(_mirror_folder(tmp_path, shared))
    monkeypatch.setenv("TRAINLAB_MIRRORS", base + "{name}/")
    with pytest.raises(DataError, match="downloading is off"):
        data.load("mnist", download=False)
    monkeypatch.setenv("TRAINLAB_OFFLINE", "1")
    with pytest.raises(DataError, match="downloading is off"):
        data.load("mnist")
    assert requests == []


def test_mirror_resolution(monkeypatch):
    assert mirrors_for("mnist", ["http://x/{name}/"]) == ["http://x/mnist/"]
    monkeypatch.setenv("TRAINLAB_MIRRORS", "http://a/{name}, https://b/  http://c/")
    assert mirrors_for("fashion-mnist") == ["http://a/fashion-mnist", "https://b/", "http://c/"]
    monkeypatch.delenv("TRAINLAB_MIRRORS")
    assert mirrors_for("mnist") == list(download.MIRRORS["mnist"])
    assert mirrors_for("fashion-mnist") == [
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
    ]
    with pytest.raises(ConfigError, match="ftp://x/"):
        mirrors_for("mnist", ["ftp://x/"])


def test_file_without_known_checksum_is_never_downloaded(isolated):
    with pytest.raises(DataError, match="no known SHA-256"):
        fetch("mnist", "something-else.gz", isolated)


def test_published_checksums_are_pinned():
    # Published SHA-256 of the original files (as pinned by torchvision, TFDS and others).
    assert download.SHA256["mnist"]["train-images-idx3-ubyte.gz"][0].startswith("440fcabf73cc")
    assert download.SHA256["mnist"]["train-labels-idx1-ubyte.gz"][0].startswith("3552534a0a55")
    assert download.SHA256["fashion-mnist"]["train-images-idx3-ubyte.gz"][0].startswith(
        "3aede38d6186"
    )
    for table in download.SHA256.values():
        for digests in table.values():
            assert all(len(d) == 64 and int(d, 16) >= 0 for d in digests)


def test_atomic_write_leaves_old_file_or_new_file(tmp_path):
    from trainlab.atomic import atomic_write

    target = tmp_path / "f.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as out:
            out.write(b"partial")
            raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["f.bin"]
    with atomic_write(target) as out:
        out.write(b"new")
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["f.bin"]
