"""A folder served over HTTP on 127.0.0.1, quietly: the site under test, as a static host
serves it. It can be stopped and started again on the same port (the site going away and
coming back) and pointed at another folder (a new deployment at the same address)."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files, without a log line per request."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser left the page during a download (tests reload pages)
        super().handle_error(request, client_address)


class Server:
    """A folder served over HTTP on 127.0.0.1 that can be stopped, started again on the same
    port, and switched to another folder (a new deployment at the same address)."""

    def __init__(
        self, root: Path, handler_class: type[SimpleHTTPRequestHandler] = QuietHandler
    ) -> None:
        self.root = root
        self.handler_class = handler_class
        self.port = 0
        self._server: _QuietServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The address of the folder served, with a trailing slash."""
        return f"http://127.0.0.1:{self.port}/"

    def _handler(self, request: Any, address: Any, server: Any) -> SimpleHTTPRequestHandler:
        return self.handler_class(request, address, server, directory=str(self.root))

    def start(self) -> Server:
        """Serve (on a free port the first time, then on the same one)."""
        self._server = _QuietServer(("127.0.0.1", self.port), self._handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the port: the address refuses connections."""
        if self._server is None or self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def serving(
    root: Path, handler_class: type[SimpleHTTPRequestHandler] = QuietHandler
) -> Iterator[str]:
    """Serve a folder over HTTP on a free port; yield its address."""
    with Server(root, handler_class).start() as server:
        yield server.url
