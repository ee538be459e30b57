"""A deadline on a whole HTTP transfer, not only on each read.

``urllib``'s timeout bounds each network operation; a server that sends a byte
just before each timeout (in the body, or in an endless status line and
headers) could hold a download for hours. :class:`Watch` gives an opener whose
connections register their sockets; a timer calls :meth:`Watch.expire` at the
deadline, which shuts them, so the wait in progress ends at once.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import urllib.request
from collections.abc import Callable
from typing import Any


class Watch:
    """Shuts the sockets of its opener when :meth:`expire` is called (by a timer at
    the deadline), so that no single wait (the connection, the status line and
    headers trickled a byte at a time, a read) can outlast the deadline."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        self.expired = False
        self._lock = threading.Lock()

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def connection(self, cls: type[http.client.HTTPConnection]) -> Callable[..., Any]:
        """A factory of ``cls`` connections whose sockets this watch shuts at expiry."""

        def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            conn = cls(host, **kwargs)
            connect = conn.connect

            def watched_connect() -> None:
                connect()
                with self._lock:
                    self.sockets.append(conn.sock)
                    if self.expired:
                        conn.sock.shutdown(socket.SHUT_RDWR)

            conn.connect = watched_connect  # type: ignore[method-assign]  # wrapped: the socket it opens is recorded
            return conn

        return make

    def opener(self) -> urllib.request.OpenerDirector:
        watch, context = self, ssl.create_default_context()

        class HTTP(urllib.request.HTTPHandler):
            def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(watch.connection(http.client.HTTPConnection), req)

        class HTTPS(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(
                    watch.connection(http.client.HTTPSConnection), req, context=context
                )

        return urllib.request.build_opener(HTTP, HTTPS)
