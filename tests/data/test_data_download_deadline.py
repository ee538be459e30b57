"""A download has an overall deadline and never leaves a ``.part`` file: a server that
trickles one byte at a time is given up on in bounded time (local server on 127.0.0.1)."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from trainlab.data import download
from trainlab.data.download import fetch
from trainlab.errors import DataError

LABELS = "t10k-labels-idx1-ubyte.gz"


def serve(handler_class):
    """Run ``handler_class`` on 127.0.0.1; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    return server, thread


@pytest.fixture
def trickle():
    """A server that sends a long body one byte every 0.1 s."""
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(100000):
                if stop.is_set():
                    return
                try:
                    self.wfile.write(b"\0")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)

    server, thread = serve(Handler)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    stop.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def slow_headers():
    """A server that sends its status line and headers one byte every 0.1 s, without
    end: each read is quick, so only a deadline on the whole transfer ends it."""
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            head = b"HTTP/1.0 200 OK\r\n" + b"X-Padding: " + b"a" * 100000
            for byte in head:
                if stop.is_set():
                    return
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)

    server, thread = serve(Handler)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    stop.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_headers_trickled_without_end_are_cut_off_at_the_deadline(
    slow_headers, isolated, monkeypatch
):
    monkeypatch.setenv("TRAINLAB_DOWNLOAD_DEADLINE", "1.5")
    start = time.monotonic()
    with pytest.raises(DataError, match=r"too slow: not finished within the 1.5 s deadline"):
        fetch("mnist", LABELS, isolated / "mnist", mirrors=[slow_headers])
    took = time.monotonic() - start
    assert took < 1.5 + 1.0, took  # the deadline itself, not the deadline plus a read
    assert not list((isolated / "mnist").iterdir())


def test_a_trickling_server_is_given_up_at_the_deadline_and_leaves_no_part_file(
    trickle, isolated, monkeypatch
):
    monkeypatch.setenv("TRAINLAB_DOWNLOAD_DEADLINE", "1.5")
    start = time.monotonic()
    with pytest.raises(DataError, match=r"deadline"):
        fetch("mnist", LABELS, isolated / "mnist", mirrors=[trickle, trickle])
    took = time.monotonic() - start
    assert took < 1.5 + 3, took  # the deadline plus at most one read's worth
    assert not list((isolated / "mnist").iterdir())  # no .part file, no partial file


def test_a_killed_download_part_file_is_removed_by_the_next_one(trickle, isolated, monkeypatch):
    folder = isolated / "mnist"
    folder.mkdir(parents=True)
    for stale in (folder / f".{LABELS}.k2j4h1.tmp", folder / f".{LABELS}.x8s7d.part"):
        stale.write_bytes(b"half a download")  # the writer's name, and an older version's
    monkeypatch.setenv("TRAINLAB_DOWNLOAD_DEADLINE", "0.3")
    with pytest.raises(DataError):
        fetch("mnist", LABELS, folder, mirrors=[trickle])
    assert not list(folder.iterdir())


def test_a_bad_deadline_setting_is_one_clear_error(isolated, monkeypatch):
    monkeypatch.setenv("TRAINLAB_DOWNLOAD_DEADLINE", "soon")
    with pytest.raises(ValueError, match="TRAINLAB_DOWNLOAD_DEADLINE"):
        download._deadline()
