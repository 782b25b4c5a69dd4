"""Fixtures: the guide built once under a subpath and served locally (testkit); a Chromium
browser; fresh pages that record their requests; axe-core for the accessibility checks.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from generator import stdlib
from testkit.chromium import CHROMIUM_ARGS, chromium_path
from testkit.server import QuietHandler, serving
from testkit.site import ROOT, SUBPATH, build

EXAMPLE = "huong-dan-soan-thang-diem/vi-du-thang-diem.yaml"


class _WatchedHandler(QuietHandler):
    """Static files; records each request for the full standard library (generator/stdlib.py),
    which a page fetches only to import a module the compiled one leaves out (named in its
    query): that must never happen, or the derived list of modules misses a path of the pages.
    """

    source_requests: ClassVar[list[str]]

    def do_GET(self) -> None:
        if urlsplit(self.path).path.endswith(f"/{stdlib.SOURCE}"):
            self.source_requests.append(self.path)
        super().do_GET()


@contextmanager
def watched(root: Path) -> Iterator[str]:
    """Serve root; fail when done if any page fetched the full standard library."""
    fetched: list[str] = []
    handler = type("Watched", (_WatchedHandler,), {"source_requests": fetched})
    with serving(root, handler) as address:
        yield address
    assert not fetched, (
        f"a page imported a module outside generator/stdlib_modules.txt ({fetched}): derive"
        " the list again (UPDATE_STDLIB=1 pytest tests/test_pyodide.py) with that path covered"
    )


@pytest.fixture(scope="session")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Build the guide under /thangdiem/ and serve it; yield the address of its home page."""
    root = tmp_path_factory.mktemp("served")
    build(root / SUBPATH)
    with watched(root) as address:
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
    with watched(root) as address:
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

    def site_paths(self, site_url: str) -> list[str]:
        """The paths requested over HTTP, once every request is checked to have gone to the
        site itself, under its subpath (or to be data:, blob: or about:)."""
        site = urlsplit(site_url)
        paths = []
        for url in self.requests:
            parts = urlsplit(url)
            assert parts.scheme in ("http", "data", "blob") or url.startswith("about:"), url
            if parts.scheme == "http":
                assert parts.netloc == site.netloc, f"request to another host: {url}"
                assert parts.path.startswith(site.path), url
                paths.append(parts.path)
        return paths


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
