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

import json
import re
import weakref
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import Page, expect

from scoring_py.model import Item, Rubric
from scoring_py.points import fmt
from scoring_py.rubric import canonical_json

READY_TIMEOUT_MS = 60_000
"""How long a scoring page may take to load Pyodide and scoring_py (it takes a few seconds)."""
SUMMARY_TIMEOUT_MS = 240_000
"""How long 500 files may take on a slow, shared machine (a few seconds on a quiet one)."""
FILES_LABEL = "Chọn các tệp đánh giá (JSON) của các đơn vị"
"""The summary page's file input, by its label."""
HOOKS = Path(__file__).with_name("hooks.mjs")
HOOKS_PATH = "/__e2e__/hooks.mjs"
"""Where hooks.mjs is served, on the origin of the page under test."""
_routed: weakref.WeakSet[Page] = weakref.WeakSet()


def items(rubric: Rubric) -> list[Item]:
    """Every item of a rubric, in order."""
    return [i for c in rubric.criteria for i in c.items]


def points(value: Any) -> str:
    """A number of points as the page writes it (scoring_py's fmt): 12,5."""
    return fmt(Decimal(value))


def rubric_json(rubric: Rubric) -> str:
    """The rubric's JSON as the site serves it (<rubric-id>/rubric.json)."""
    return canonical_json(rubric) + "\n"


def exact(text: str) -> Any:
    """JSON data with each number kept as its text (1.5 and 1.50 differ; key order does not)."""
    return json.loads(text, parse_float=lambda t: ("number", t), parse_int=lambda t: ("number", t))


class ScoringForm:
    """A rubric's scoring page in a Playwright page."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def open(
        cls,
        page: Page,
        site_url: str,
        rubric_id: str,
        *,
        python: bool = True,
        until: Literal["ready", "restored"] | None = None,
    ) -> ScoringForm:
        """Go to a rubric's scoring page and wait `until` Python is ready (the default), or
        only until the saved assessment is back in the form ("restored", the default without
        `python`). Without `python` Pyodide is never downloaded: for what needs no scoring
        (saving, filling and reading the form), and faster."""
        if not python:
            page.context.route("**/pyodide.asm.wasm", lambda route: route.abort())
        page.goto(f"{site_url}{rubric_id}/cham-diem/")
        form = cls(page)
        if (until or ("ready" if python else "restored")) == "ready":
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

    def fill(self, stage: str, item: Item, answer: Any) -> None:
        """Enter one answer: a level id (checked), or a number typed with a decimal comma."""
        name = f"{stage}:{item.id}"
        if item.kind == "choice":
            self.page.locator(f'[name="{name}"][value="{answer}"]').check()
        else:
            typed = fmt(answer) if isinstance(answer, Decimal) else str(answer)
            self.page.locator(f'[name="{name}"]').fill(typed)

    def expect_total(self, stage: str, text: str) -> None:
        """A stage's total ("self", "appraisal", "final") reads `text` (e.g. "12,5", "—")."""
        expect(self.page.locator(f'[data-total="{stage}"]')).to_have_text(text)

    # The assessments saved in the browser

    def show_saved(self) -> None:
        """Open "Các phiếu đã lưu" (a <details>) if it is closed."""
        details = self.page.locator("[data-saved]")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        expect(details).to_have_attribute("open", "")
        expect(details.locator("summary")).to_have_text(re.compile(r"^Các phiếu đã lưu \(\d+\)$"))

    def expect_saved(self, names: list[str]) -> None:
        """ "Các phiếu đã lưu" lists these names, newest first."""
        expect(self.page.locator("[data-saved-list] .td-saved-name")).to_have_text(names)

    def open_saved(self, name: str) -> None:
        """Open the saved assessment of the unit `name` from "Các phiếu đã lưu"."""
        self.show_saved()
        self.page.get_by_role("button", name=f"Mở phiếu {name}").click()

    def start_new(self) -> None:
        """ "Phiếu mới", confirmed."""
        self.page.get_by_role("button", name="Phiếu mới").click()
        confirm = self.page.locator("dialog[data-confirm]")
        confirm.get_by_role("button", name="Tạo phiếu mới").click()
        expect(confirm).to_be_hidden()

    def export(self) -> tuple[str, str]:
        """Click "Xuất tệp JSON"; the downloaded file's name and text."""
        with self.page.expect_download() as info:
            self.page.get_by_role("button", name="Xuất tệp JSON").click()
        download = info.value
        return download.suggested_filename, Path(download.path()).read_text(encoding="utf-8")

    def import_file(self, name: str, content: str | bytes) -> None:
        """Choose a file in "Nhập tệp JSON"."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.page.get_by_label("Nhập tệp JSON").set_input_files(
            {"name": name, "mimeType": "application/json", "buffer": data}
        )

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

    def score(self, rubric: str | None, document_json: str) -> str:
        """scoring_py.api.score's JSON text for a document, from the page's worker, with
        another rubric's JSON text (None: the page's)."""
        text: str = self.with_hooks("(h, [r, d]) => h.score(r, d)", [rubric, document_json])
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


class SummaryPage:
    """A rubric's summary page (<rubric-id>/tong-hop/) in a Playwright page."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def open(
        cls, page: Page, site_url: str, rubric_id: str, *, init_script: str | None = None
    ) -> SummaryPage:
        """Go to a rubric's summary page (Python may still be loading), with `init_script`
        run first in it if given (the tests' watchers)."""
        if init_script is not None:
            page.add_init_script(init_script)
        page.goto(f"{site_url}{rubric_id}/tong-hop/")
        return cls(page)

    def choose(self, paths: list[Path]) -> None:
        """Choose files with the labelled file input."""
        self.page.get_by_label(FILES_LABEL).set_input_files(paths)

    def wait_done(self) -> None:
        """The summary is shown (<html data-summary="done">)."""
        expect(self.page.locator("html")).to_have_attribute(
            "data-summary", "done", timeout=SUMMARY_TIMEOUT_MS
        )

    def summarise(self, paths: list[Path]) -> None:
        """Choose files and wait for the summary."""
        self.choose(paths)
        self.wait_done()

    def table(self, name: str) -> list[list[str]]:
        """The text of each cell of a table's body rows ([data-rows=name])."""
        rows: list[list[str]] = self.page.locator(f'[data-rows="{name}"] tr').evaluate_all(
            "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
        )
        return rows

    def download_xlsx(self) -> tuple[str, bytes]:
        """Click "Tải bảng Excel"; the downloaded file's name and bytes."""
        with self.page.expect_download(timeout=SUMMARY_TIMEOUT_MS) as info:
            self.page.get_by_role("button", name="Tải bảng Excel").click()
        download = info.value
        return download.suggested_filename, Path(download.path()).read_bytes()

    def show_all(self, button: str) -> None:
        """Press a "Hiện tất cả…" button from the keyboard: scrolling to it draws more rows,
        which moves it under a pointer."""
        self.page.get_by_role("button", name=button).focus()
        self.page.keyboard.press("Enter")
