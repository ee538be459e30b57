"""Shared fixtures for the data tests.

Every test runs with its own HOME, XDG cache, trainlab cache and download
mirrors (a closed port on 127.0.0.1), so nothing reads or writes the real
per-user cache and nothing reaches the network.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from data_testkit import SHARED, closed_port

from trainlab.data import locations


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """Point every location trainlab uses at ``tmp_path``; return the cache folder."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TRAINLAB_CACHE", str(cache))
    monkeypatch.setenv("TRAINLAB_MIRRORS", f"http://127.0.0.1:{closed_port()}/")
    monkeypatch.delenv("TRAINLAB_DATA", raising=False)
    monkeypatch.delenv("TRAINLAB_OFFLINE", raising=False)
    monkeypatch.setattr(locations, "SYSTEM_DIRS", {})
    return cache


@pytest.fixture(scope="session")
def shared() -> Path:
    """The project's real data folder, ``shared/data`` beside the repository."""
    assert (SHARED / "SHA256SUMS").is_file(), f"shared data folder missing at {SHARED}"
    return SHARED


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def http_server():
    """Factory: ``serve(folder)`` starts a server on 127.0.0.1 and returns
    ``(base_url, requests)``."""
    servers = []

    def serve(folder: Path):
        requests: list[str] = []

        class Handler(_QuietHandler):
            def do_GET(self):
                requests.append(self.path)
                super().do_GET()

        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder))
        )
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}/", requests

    yield serve
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
