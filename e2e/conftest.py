"""Fixtures: the guide built once under a subpath and served locally; a Chromium browser.

The site is built with `mkdocs build --strict` into <tmp>/thangdiem/ and <tmp> is served over
HTTP on a free port, so pages load from http://127.0.0.1:PORT/thangdiem/ as they would from a
project site on GitHub Pages. Chromium is Debian's /usr/bin/chromium when present (Playwright
cannot download its own browser everywhere), else Playwright's own.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SUBPATH = "thangdiem"
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


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the guide under /thangdiem/ and serve it; yield the address of its home page."""
    root = tmp_path_factory.mktemp("served")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / SUBPATH)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUBPATH}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


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
    """A fresh desktop-sized page that records its requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    try:
        yield Recorded(context.new_page())
    finally:
        context.close()
