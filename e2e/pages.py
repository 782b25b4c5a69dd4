"""Page objects: what the browser tests do on the site's pages, written once.

`ScoringForm` is a rubric's scoring page (<rubric-id>/cham-diem/): opening it, waiting for
Python, answering items, reading totals, the saved assessments; and, through e2e/hooks.mjs, what
a person cannot do (score with another rubric, read or put a whole document, save at once).
`SummaryPage` is a rubric's summary page (<rubric-id>/tong-hop/).

hooks.mjs is no part of the site: it is served under the page's own origin by a Playwright
route (so that the site's policy, script-src 'self', lets the page import it) and reaches the
page through the one handle cham-diem/main.mjs exports.
"""

from __future__ import annotations

import weakref
from decimal import Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from scoring_py import engine
from scoring_py.model import Item, Rubric

READY_TIMEOUT_MS = 60_000
"""How long a scoring page may take to load Pyodide and scoring_py (it takes a few seconds)."""
HOOKS = Path(__file__).with_name("hooks.mjs")
HOOKS_PATH = "/__e2e__/hooks.mjs"
"""Where hooks.mjs is served, on the origin of the page under test."""
_routed: weakref.WeakSet[Page] = weakref.WeakSet()


def items(rubric: Rubric) -> list[Item]:
    """Every item of a rubric, in order."""
    return [i for c in rubric.criteria for i in c.items]


def points(value: Any) -> str:
    """A number of points as the page writes it (scoring_py's fmt): 12,5."""
    return engine.fmt(Decimal(value))


class ScoringForm:
    """A rubric's scoring page in a Playwright page."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def open(cls, page: Page, site_url: str, rubric_id: str, *, python: bool = True) -> ScoringForm:
        """Go to a rubric's scoring page; with `python`, wait until Python is ready, else
        never download Pyodide and wait only until the saved assessment is back in the form
        (for what needs no scoring: saving, filling and reading the form)."""
        if not python:
            page.context.route("**/pyodide.asm.wasm", lambda route: route.abort())
        page.goto(f"{site_url}{rubric_id}/cham-diem/")
        form = cls(page)
        if python:
            form.wait_ready()
        else:
            form.wait_restored()
        return form

    def wait_ready(self) -> None:
        """Python is ready: the form is scored (<html data-scoring="ready">)."""
        expect(self.page.locator("html")).to_have_attribute(
            "data-scoring", "ready", timeout=READY_TIMEOUT_MS
        )

    def wait_restored(self) -> None:
        """The saved assessment is back in the form (Python may still be loading)."""
        expect(self.page.locator("html")).to_have_attribute("data-saving", "ready")

    # What a person cannot do: e2e/hooks.mjs

    def with_hooks(self, function: str, arg: Any = None) -> Any:
        """Run `function` (JavaScript, `(hooks, arg) => …`) in the page with hooks.mjs's
        exports (score, document, fill, save); return what it returns (awaited)."""
        if self.page not in _routed:
            body = HOOKS.read_text(encoding="utf-8")
            self.page.route(
                f"**{HOOKS_PATH}",
                lambda route: route.fulfill(body=body, content_type="text/javascript"),
            )
            _routed.add(self.page)
        script = (
            "async ([path, arg]) => {"
            " const hooks = await import(new URL(path, location.origin).href);"
            f" return ({function})(hooks, arg); }}"
        )
        return self.page.evaluate(script, [HOOKS_PATH, arg])

    def score(self, rubric_json: str | None, document_json: str) -> str:
        """scoring_py.api.score's JSON text for a document, from the page's worker, with
        another rubric (None: the page's)."""
        text: str = self.with_hooks("(h, [r, d]) => h.score(r, d)", [rubric_json, document_json])
        return text

    def score_all(self, cases: list[tuple[str | None, str]]) -> list[str]:
        """score() for many (rubric, document) pairs at once, all sent before any answer."""
        texts: list[str] = self.with_hooks(
            "(h, cases) => Promise.all(cases.map(([r, d]) => h.score(r, d)))",
            [list(case) for case in cases],
        )
        return texts

    def document(self) -> str:
        """The form's document as JSON text (form.mjs's currentDocument)."""
        text: str = self.with_hooks("(h) => h.document()")
        return text

    def fill_document(self, json_text: str) -> list[str]:
        """Put a document's JSON text into the form; return the places it could not show."""
        lost: list[str] = self.with_hooks("(h, text) => h.fill(text)", json_text)
        return lost

    def save(self) -> None:
        """Save at once (if this tab may) and wait until it is done."""
        self.with_hooks("(h) => h.save()")
