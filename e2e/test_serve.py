"""`make serve` for a rubric's author: an edit to a rubric shows in the open page by itself,
under the same Content-Security-Policy as the built site; the home page says where the zip of
the site comes from (serve makes none)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from testkit.site import ROOT

pytestmark = pytest.mark.browser

RUBRIC = "hau-giang-2022"
TITLE = "Hậu Giang — Tiêu chí đánh giá công tác dân vận (Quyết định 1329/QĐ-UBND)"
START_TIMEOUT_S = 180

VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`mkdocs serve` of a project with one rubric (a copy, to edit), as `make serve` runs it;
    yields its address and the rubric's file."""
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    rubric = rubrics / f"{RUBRIC}.yaml"
    shutil.copy(ROOT / "rubrics" / rubric.name, rubric)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--livereload",
            "-a",
            f"127.0.0.1:{port}",
            "--watch",
            str(rubrics),
        ],
        cwd=ROOT,
        env={**os.environ, "THANGDIEM_RUBRICS": str(rubrics), "NO_MKDOCS_2_WARNING": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    address = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text(encoding="utf-8")
            try:
                with urllib.request.urlopen(address, timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "mkdocs serve did not start"
                time.sleep(0.5)
        yield address, rubric
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_an_edited_rubric_shows_in_the_open_page(
    serving: tuple[str, Path], browser: Browser
) -> None:
    """The page reloads itself after the rubric is edited, and nothing breaks the policy: the
    live-reload poller is a file of the site, not an inline script."""
    address, rubric = serving
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.add_init_script(VIOLATIONS)
        with page.expect_request(lambda request: "/livereload/" in request.url):
            page.goto(f"{address}{RUBRIC}/")  # the poller asks the server for a rebuild
        expect(page.locator("article h1")).to_contain_text("Hậu Giang")
        policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
        assert "script-src 'self';" in (policy.get_attribute("content") or "")
        expect(page.locator("script[src$='javascripts/livereload.js']")).to_have_count(1)
        inline = page.locator("script:not([src]):not([type='application/json'])")
        expect(inline).to_have_count(0)
        text = rubric.read_text(encoding="utf-8")
        assert TITLE in text
        rubric.write_text(text.replace(TITLE, TITLE + " — bản sửa thử"), encoding="utf-8")
        expect(page.locator("article h1")).to_contain_text("bản sửa thử", timeout=120_000)
        assert page.evaluate("window.__violations") == []
        page.goto(address)
        expect(page.locator("article")).to_contain_text("make build")
        expect(page.locator('a[href$="thangdiem.zip"]')).to_have_count(0)
    finally:
        context.close()
