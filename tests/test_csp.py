"""Every built page carries one Content-Security-Policy <meta>, first in <head>, and nothing
that the policy would refuse: no inline script, no inline handler, no inline style.

(The policy is tried in a real browser in e2e/test_csp.py.) A new page template that runs
Pyodide (the summary page) overrides the block csp_script_extra and matches PYODIDE_PAGE.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
"""The policy of every page; the pages that run Pyodide add 'wasm-unsafe-eval' to script-src."""
PYODIDE_PAGE = re.compile(r"^[a-z0-9-]+/(cham-diem|tong-hop)/index\.html$")
"""The pages that run Pyodide: each rubric's scoring page and (later) summary page."""
DATA_SCRIPTS = {"application/json"}
"""Script types that are data, never run."""


class Head(HTMLParser):
    """The elements of <head> in order, the policies, and whatever would run inline."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.head: list[tuple[str, dict[str, str | None]]] = []
        self.policies: list[str] = []
        self.inline: list[str] = []
        self.script: dict[str, str | None] | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif self.in_head:
            self.head.append((tag, found))
        if tag == "meta" and (found.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(found.get("content") or "")
        for name, value in attrs:
            if name.startswith("on"):
                self.inline.append(f"<{tag} {name}>")
            if name == "style":
                self.inline.append(f"<{tag} style>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.inline.append(f"<{tag} {name}=javascript:>")
        if tag == "script":
            self.script, self.text = found, ""
        if tag == "style":
            self.inline.append("<style>")

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag == "script" and self.script is not None:
            kind = (self.script.get("type") or "").lower()
            if kind not in DATA_SCRIPTS and (self.script.get("src") is None or self.text.strip()):
                self.inline.append(f"<script> {self.text.strip()[:60]}")
            self.script = None


def pages(built: Path) -> list[Path]:
    """Every HTML page of the built site."""
    found = sorted(built.rglob("*.html"))
    assert len(found) > 20
    return found


def parse(path: Path) -> Head:
    """Parse a built page."""
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def directives(policy: str) -> dict[str, str]:
    """A policy's directives: name → sources."""
    parts = (part.strip().split(None, 1) for part in policy.split(";") if part.strip())
    return {name: sources for name, *rest in parts for sources in [" ".join(rest)]}


def test_every_page_has_one_policy_first_in_head(built: Path) -> None:
    """Exactly one CSP <meta>, the first element of <head> (before any script or resource)."""
    for path in pages(built):
        head = parse(path)
        assert len(head.policies) == 1, path
        tag, attrs = head.head[0]
        assert tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy", path
        scripts = [i for i, (tag, _) in enumerate(head.head) if tag == "script"]
        assert scripts and scripts[0] > 0, path


def test_the_policy_is_strict_and_wasm_only_where_pyodide_runs(built: Path) -> None:
    """The same strict policy everywhere; 'wasm-unsafe-eval' only on the Pyodide pages."""
    seen_pyodide = 0
    for path in pages(built):
        name = path.relative_to(built).as_posix()
        (policy,) = parse(path).policies
        expected = dict(POLICY)
        if PYODIDE_PAGE.match(name):
            expected["script-src"] += " 'wasm-unsafe-eval'"
            seen_pyodide += 1
        assert directives(policy) == expected, name
    assert seen_pyodide >= 3


def test_no_page_has_anything_inline_that_would_run(built: Path) -> None:
    """Every script is a file of the site (or JSON data); no handler, style or javascript: URL."""
    for path in pages(built):
        assert parse(path).inline == [], path


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<script>alert(1)</script>", ["<script> alert(1)"]),
        ('<script src="a.js">x()</script>', ["<script> x()"]),
        ('<script type="module">x()</script>', ["<script> x()"]),
        ('<script type="application/json">{"a": 1}</script>', []),
        ('<script src="a.js"></script>', []),
        ('<img src="x" onerror="x()">', ["<img onerror>"]),
        ('<p style="color: red">', ["<p style>"]),
        ('<a href=" JavaScript:x()">', ["<a href=javascript:>"]),
        ("<style>p {}</style>", ["<style>"]),
    ],
)
def test_the_check_finds_what_would_run(html: str, found: list[str]) -> None:
    """The page check itself finds each kind of inline code."""
    parser = Head()
    parser.feed(f"<html><head></head><body>{html}</body></html>")
    assert parser.inline == found
