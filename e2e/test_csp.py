"""The Content-Security-Policy in a real browser: every kind of page works under it with no
violation and no console error, and it is really enforced (an injected script does not run).

To cover a new kind of page, add it to PAGES with what shows
that it works; a page that runs Pyodide gets 'wasm-unsafe-eval' from its template (the block
csp_script_extra, see site_src/overrides/cham-diem.html) and belongs in PYODIDE_PAGES too.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from testkit.server import QuietHandler, serving
from testkit.site import SUBPATH, build

from .conftest import Recorded
from .pages import READY_TIMEOUT_MS

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
  document.documentElement.dataset.violations = String(window.__violations.length);
});
"""

RUBRICS = ("hung-yen-2020", "hau-giang-2022", "bac-kan-2017")
PAGES: dict[str, str] = {
    "": "article h1",
    "hung-yen-2020/": "article h1",
    "hung-yen-2020/tieu-chi-4/": "article h1",
    "hau-giang-2022/cach-tinh-diem/": "article h1",
    "bac-kan-2017/van-ban-nguon/": "article h1",
    "huong-dan-soan-thang-diem/": "article h1",
    "hung-yen-2020/cham-diem/": "html[data-scoring=ready]",
    "bac-kan-2017/tong-hop/": "html[data-scoring=ready]",
}
"""Each kind of page, and what shows that it has loaded and works."""
PYODIDE_PAGES = [
    *(f"{rubric}/{page}/" for rubric in RUBRICS for page in ("cham-diem", "tong-hop")),
]


class Watched:
    """A page whose CSP violations, console errors and uncaught exceptions are collected."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("() => window.__violations")
        return found

    def expect_clean(self) -> None:
        """No violation and no error so far."""
        assert self.violations() == []
        assert self.errors == []


@pytest.fixture
def watched(recorded: Recorded) -> Watched:
    """A fresh page, watched."""
    return Watched(recorded.page)


def policy(page: Page) -> str:
    """The page's policy, as its meta tag gives it."""
    content = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert content is not None
    return content


def expect_scores(page: Page) -> None:
    """The Hưng Yên form scores a typed value."""
    page.locator('[name="self:1.1"]').fill("1,5")
    expect(page.locator('[data-total="self"]')).to_have_text("1,5")


@pytest.mark.parametrize("path", list(PAGES))
def test_every_kind_of_page_works_under_the_policy(
    site_url: str, watched: Watched, path: str
) -> None:
    """The page loads and works with zero violations and zero console errors."""
    page = watched.page
    page.goto(site_url + path)
    expect(page.locator(PAGES[path])).to_have_count(1, timeout=READY_TIMEOUT_MS)
    assert "script-src 'self'" in policy(page)
    if path.endswith("cham-diem/"):
        expect_scores(page)
    # The palette and the navigation run from the theme's external scripts.
    assert page.evaluate("() => typeof __md_get") == "function"
    page.wait_for_load_state("networkidle")
    watched.expect_clean()


def test_only_pyodide_pages_may_compile_webassembly(site_url: str, watched: Watched) -> None:
    """'wasm-unsafe-eval' on the scoring pages only; never 'unsafe-eval' or 'unsafe-inline'."""
    page = watched.page
    for path in [*PAGES, *PYODIDE_PAGES]:
        page.goto(site_url + path, wait_until="domcontentloaded")
        text = policy(page)
        assert ("'wasm-unsafe-eval'" in text) == (path in PYODIDE_PAGES), path
        assert "'unsafe-eval'" not in text and "'unsafe-inline'" not in text, path


def test_search_works_under_the_policy(site_url: str, watched: Watched) -> None:
    """The theme's search (a Web Worker of this site) finds a page."""
    page = watched.page
    page.goto(site_url)
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially("tiep cong dan")
    first = page.locator(".md-search-result__item a.md-search-result__link").first
    expect(first).to_be_visible()
    watched.expect_clean()


def test_an_injected_script_does_not_run(site_url: str, watched: Watched) -> None:
    """An inline script, an inline handler, eval and a script from another host are refused,
    and each refusal is reported: the policy is active."""
    page = watched.page
    page.goto(f"{site_url}hung-yen-2020/cham-diem/")
    expect(page.locator("html")).to_have_attribute(
        "data-scoring", "ready", timeout=READY_TIMEOUT_MS
    )
    page.evaluate(
        """() => {
            const inline = document.createElement("script");
            inline.textContent = "window.__ran = 'inline'";
            document.body.append(inline);
            const img = document.createElement("img");
            img.setAttribute("onerror", "window.__ran = 'handler'");
            img.src = "data:,not-an-image";
            document.body.append(img);
            const other = document.createElement("script");
            other.src = "http://127.0.0.2:9/x.js";
            document.body.append(other);
            // Later, from the event loop: not under the test driver's own evaluation.
            setTimeout(() => {
                try { window.eval("window.__ran = 'eval'"); } catch (error) {
                    window.__evalError = error.name; }
            });
        }"""
    )
    # (Counted in an attribute to wait on: wait_for_function evaluates a string, which the
    # policy refuses.)
    expect(page.locator("html")).to_have_attribute("data-violations", "4")
    found = watched.violations()
    assert page.evaluate("() => window.__ran") is None
    assert page.evaluate("() => window.__evalError") == "EvalError"
    kinds = sorted(v.split(" ", 2)[0] + " " + v.split(" ", 2)[1] for v in found)
    assert kinds == [
        "script-src eval",
        "script-src-attr inline",
        "script-src-elem http://127.0.0.2:9/x.js",
        "script-src-elem inline",
    ]
    # The form still scores.
    expect_scores(page)


class _PolicyHandler(QuietHandler):
    """Send every response with a Content-Security-Policy header (as some hosts can)."""

    header = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.header)
        super().end_headers()


def serving_with(root: Path, header: str) -> contextlib.AbstractContextManager[str]:
    """Serve `root` with `header` as every response's policy (yields its address)."""
    return serving(root, type("Handler", (_PolicyHandler,), {"header": header}))


@pytest.fixture(scope="module")
def built_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once more, to be served with a header policy."""
    root = tmp_path_factory.mktemp("served-csp")
    build(root / SUBPATH)
    return root


def scoring_policy(root: Path) -> str:
    """The policy of the scoring pages, from the built page."""
    html = (root / SUBPATH / "hung-yen-2020" / "cham-diem" / "index.html").read_text("utf-8")
    found = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert found
    return found.group(1)


def test_pyodide_needs_nothing_more_than_wasm_unsafe_eval(
    built_root: Path, watched: Watched
) -> None:
    """Sent as a header, the policy reaches the Pyodide worker too (a <meta> one does not):
    Pyodide loads and scores with 'wasm-unsafe-eval' alone, no 'unsafe-eval'."""
    header = scoring_policy(built_root)
    assert "'unsafe-eval'" not in header
    page = watched.page
    with serving_with(built_root, header) as address:
        page.goto(f"{address}{SUBPATH}/hung-yen-2020/cham-diem/")
        expect(page.locator("html")).to_have_attribute(
            "data-scoring", "ready", timeout=READY_TIMEOUT_MS
        )
        expect_scores(page)
        watched.expect_clean()


def test_without_wasm_unsafe_eval_the_worker_cannot_compile(
    built_root: Path, watched: Watched
) -> None:
    """The counter-proof: with 'wasm-unsafe-eval' taken out of the header policy, the worker's
    WebAssembly compilation is refused by the policy, and the page says so."""
    header = scoring_policy(built_root).replace(" 'wasm-unsafe-eval'", "")
    page = watched.page
    with serving_with(built_root, header) as address:
        page.goto(f"{address}{SUBPATH}/hung-yen-2020/cham-diem/")
        # The page says so at once (the worker's own check) instead of loading for ever.
        expect(page.locator("html")).to_have_attribute(
            "data-scoring", "error", timeout=READY_TIMEOUT_MS
        )
    message = page.locator("[data-scoring-message]")
    expect(message).to_contain_text("không cho chạy WebAssembly")
    expect(message).to_contain_text("'unsafe-eval' is not an allowed source")


def test_the_worker_ignores_the_pages_meta_policy(site_url: str, watched: Watched) -> None:
    """Without a header the worker has no policy of its own: the scoring page's meta policy,
    with 'wasm-unsafe-eval' taken out, still lets Pyodide load in the worker (Chromium)."""
    page = watched.page
    page.route(
        "**/hung-yen-2020/cham-diem/",
        lambda route: route.fulfill(
            response=(fetched := route.fetch()),
            body=fetched.text().replace(" 'wasm-unsafe-eval'", ""),
        ),
    )
    page.goto(f"{site_url}hung-yen-2020/cham-diem/")
    assert "'wasm-unsafe-eval'" not in policy(page)
    expect(page.locator("html")).to_have_attribute(
        "data-scoring", "ready", timeout=READY_TIMEOUT_MS
    )
    expect_scores(page)
    watched.expect_clean()
