"""Fixtures: the guide built once under a subpath and served locally; a Chromium browser; the
scoring pages opened until Python is ready.

The site is built with `mkdocs build --strict` into <tmp>/thangdiem/ and <tmp> is served over
HTTP on a free port, so pages load from http://127.0.0.1:PORT/thangdiem/ as they would from a
project site on GitHub Pages. Chromium is Debian's /usr/bin/chromium when present (Playwright
cannot download its own browser everywhere), else Playwright's own.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "huong-dan-soan-thang-diem/vi-du-thang-diem.yaml"
SUBPATH = "thangdiem"
READY_TIMEOUT_MS = 60_000
"""How long a scoring page may take to load Pyodide and scoring_py (it takes a few seconds)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]


def chromium_path() -> str | None:
    """A system Chromium, or None to use Playwright's own browser."""
    found = (shutil.which(name) for name in ("chromium", "chromium-browser"))
    for candidate in ("/usr/bin/chromium", *found):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser left the page during a download (tests reload pages)
        super().handle_error(request, client_address)


def build(out: Path, config: Path | None = None) -> None:
    """Run `mkdocs build --strict` (the project's mkdocs.yml unless `config` is given)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)]
    result = subprocess.run(
        command + (["-f", str(config)] if config is not None else []),
        cwd=ROOT if config is None else config.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr


class Server:
    """A folder served over HTTP on 127.0.0.1 that can be stopped, started again on the same
    port, and switched to another folder (a new deployment at the same address)."""

    def __init__(
        self, root: Path, handler_class: type[SimpleHTTPRequestHandler] = _QuietHandler
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
    root: Path, handler_class: type[SimpleHTTPRequestHandler] = _QuietHandler
) -> Iterator[str]:
    """Serve a folder over HTTP on a free port; yield its address."""
    with Server(root, handler_class).start() as server:
        yield server.url


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the guide under /thangdiem/ and serve it; yield the address of its home page."""
    root = tmp_path_factory.mktemp("served")
    build(root / SUBPATH)
    with serving(root) as address:
        yield f"{address}{SUBPATH}/"


@pytest.fixture(scope="session")
def example_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site of a project whose only rubric is the authors' annotated example (every kind of
    item, scorer and condition), built with the project's hooks and served under /vi-du/."""
    project = tmp_path_factory.mktemp("example-project")
    (project / "rubrics").mkdir()
    shutil.copy(ROOT / "site_src" / EXAMPLE, project / "rubrics" / Path(EXAMPLE).name)
    root = tmp_path_factory.mktemp("served-example")
    with pytest.MonkeyPatch.context() as patch:  # mkdocs.yml's extra.thangdiem.rubrics
        patch.setenv("THANGDIEM_RUBRICS", str(project / "rubrics"))
        build(root / "vi-du")
    with serving(root) as address:
        yield f"{address}vi-du/"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium, with no background traffic of its own."""
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class Recorded:
    """A page and every URL it requested."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))


@pytest.fixture
def recorded(browser: Browser) -> Iterator[Recorded]:
    """A fresh desktop-sized page that records its requests.

    Service workers are blocked: each would precache the whole site (about 16 MB) in every new
    context. Only the offline tests (e2e/test_offline.py) let them run.
    """
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", service_workers="block"
    )
    try:
        yield Recorded(context.new_page())
    finally:
        context.close()


def inject_axe(page: Page) -> None:
    """Load axe-core (the pinned npm package) into the page as the tests' tool: evaluated
    through the browser's debugging protocol, since the site's policy refuses inline scripts."""
    page.evaluate((ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
    assert page.evaluate("() => typeof axe.run") == "function"


def open_form(recorded: Recorded, site_url: str, rubric_id: str) -> float:
    """Open a rubric's scoring page and wait until Python is ready; return the seconds taken."""
    page = recorded.page
    start = time.perf_counter()
    page.goto(f"{site_url}{rubric_id}/cham-diem/")
    expect(page.locator("html")).to_have_attribute(
        "data-scoring", "ready", timeout=READY_TIMEOUT_MS
    )
    return time.perf_counter() - start
