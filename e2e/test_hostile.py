"""Hostile and broken files through the form's "Nhập tệp JSON", and HTML typed into the form,
in a real Chromium: a clear Vietnamese message (the one scoring_py gives on the command line),
the open draft and the saved ones untouched, no script run, no crash. The import test writes
its section of KIEM-THU-AN-TOAN.md (tests/hardening.py).

The files are those of tests/hostile.py, which the command-line tests try too; the summary
page gets them all at once and must list each as the command line does.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from generator import cli
from scoring_py import api
from scoring_py.problems import shown
from scoring_py.rubric import canonical_json
from testkit.site import ROOT
from tests import hardening, hostile
from tests.hardening import Tally

from .conftest import Recorded
from .pages import ScoringForm, SummaryPage
from .test_saving import COUNT_READS, HOSTILE, SCRIPT, open_saving, saved_records, type_some

pytestmark = pytest.mark.browser

RUBRIC_JSON = canonical_json(hostile.HUNG_YEN)
TRAP = "window.__pwned = undefined;"


def browser_message(case: hostile.Case) -> str:
    """What the form must say about a refused file: the worker runs scoring_py.api on the text
    the browser reads (or the size check refuses it before reading)."""
    text = hostile.decode(case.data)
    if case.size or text is None:
        return case.says
    if case.browser_says is not None:  # the page's own words (another of the site's rubrics)
        return case.browser_says
    answer = json.loads(api.validate_document(RUBRIC_JSON, text))
    assert not answer["ok"], case.name
    message: str = answer["error"]["message"]
    assert case.says in message, (case.name, message)
    return message


def unchanged(page: Page, draft: str, records: list[dict[str, object]], refused: bool) -> bool:
    """The open draft (when refused) and every saved record are as they were."""
    now = saved_records(page)
    kept = all(record in now for record in records)
    if refused:
        return kept and ScoringForm(page).document() == draft and len(now) == len(records)
    return kept and len(now) == len(records) + 1


def test_hostile_files_through_the_forms_import(
    site_url: str, recorded: Recorded, tmp_path: Path
) -> None:
    """Every hostile file: refused with scoring_py's own message (the 50 MB one before it is
    read) or opened as a new assessment; drafts kept, nothing run, the page alive."""
    context = recorded.page.context
    context.add_init_script(TRAP)
    context.add_init_script(COUNT_READS)
    errors: list[str] = []
    recorded.page.on("pageerror", lambda error: errors.append(str(error)))
    page = open_saving(recorded, site_url, python=True)
    type_some(page)
    ScoringForm(page).save()
    ScoringForm(page).wait_ready()
    message = page.locator("[data-file-message]")
    status = page.locator("[data-save-status]")
    tallies: dict[str, Tally] = {}
    for case in hostile.cases():
        tally = tallies.setdefault(case.kind, Tally(case.kind))
        draft, records = ScoringForm(page).document(), saved_records(page)
        reads = page.evaluate("() => window.__reads")
        path = hostile.materialise(case, tmp_path)
        page.get_by_label("Nhập tệp JSON").set_input_files(path)
        refused = case.refused if case.browser_refused is None else case.browser_refused
        if refused:
            expect(message).to_have_text(
                f"Không nhập được tệp {shown(path.name)}: {browser_message(case)}", timeout=60_000
            )
            expect(message).to_have_role("alert")
            expect(message.locator("*")).to_have_count(0)
        else:
            expect(status).to_contain_text(
                f"Đã nhập tệp {shown(path.name)} thành một phiếu mới.", timeout=60_000
            )
            expect(page.locator(".td-app")).to_contain_text(case.browser_says or case.says)
        if case.size:
            assert page.evaluate("() => window.__reads") == reads, "read before refusing"
        tally.add(refused)
        tally.lost = (tally.lost or 0) + (not unchanged(page, draft, records, refused))
        tally.scripts = (tally.scripts or 0) + (page.evaluate("() => window.__pwned") is not None)
    # Still alive: the form scores, and nothing foreign was added to the page.
    expect(page.locator("html")).to_have_attribute("data-scoring", "ready")
    page.locator('[name="self:1.1"]').fill("2")
    expect(page.locator('[data-subtotal="self:1"]')).to_have_text("2")
    expect(
        page.locator(
            "img[src='x'], .td-app b,"
            " .td-app script:not(#template):not(#td-contract):not(#td-rubrics)"
        )
    ).to_have_count(0)
    for tally in tallies.values():
        tally.crashes = len(errors)
    hardening.check_section("nhap-tep-phieu", list(tallies.values()))


TYPED = {
    "unit:name": HOSTILE,
    "evidence:1.1:documents": SCRIPT,
    "evidence:1.1:explanation": '"</textarea><script>window.__pwned=2</script>',
    "report:1:done_well": "<svg onload=window.__pwned=3>\n<iframe srcdoc='<script>x</script>'>",
    "proposed_band": "<b onmouseover=window.__pwned=4>Tốt</b>",
    "self:1.1": "<img src=x onerror=window.__pwned=5>",
}
"""What is typed into each field."""


def expect_literal(page: Page) -> None:
    """Every field holds what was typed, and nothing of it became an element or ran."""
    for name, value in TYPED.items():
        expect(page.locator(f'[name="{name}"]')).to_have_value(value)
    expect(page.locator("img[src='x'], .td-app b, .td-app svg, .td-app iframe")).to_have_count(0)
    assert page.evaluate("() => window.__pwned") is None


def test_typed_html_is_kept_as_text(site_url: str, recorded: Recorded) -> None:
    """HTML and script typed into the form are saved, exported and reopened (after a reload,
    from the saved list and from the exported file) as the same text, never run."""
    recorded.page.context.add_init_script(TRAP)
    page = open_saving(recorded, site_url, python=True)
    for name, value in TYPED.items():
        page.locator(f'[name="{name}"]').fill(value)
    ScoringForm(page).save()
    (record,) = saved_records(page)
    assert record["unit"] == HOSTILE
    stored = json.loads(str(record["document"]))
    assert stored["evidence"]["1.1"]["documents"] == SCRIPT
    assert stored["report"]["1"]["done_well"] == TYPED["report:1:done_well"]
    name, text = ScoringForm(page).export()
    exported = json.loads(text)
    assert exported["unit"]["name"] == HOSTILE
    assert exported["stages"]["self"]["answers"]["1.1"] == TYPED["self:1.1"]
    assert exported["proposed_band"] == TYPED["proposed_band"]
    # Reloaded: the saved draft comes back as text; scored, the problem quotes it as text.
    page.reload()
    ScoringForm(page).wait_restored()
    expect_literal(page)
    ScoringForm(page).wait_ready()
    expect(page.locator('[data-problems="1.1"]')).to_contain_text(f"'{TYPED['self:1.1']}'")
    ScoringForm(page).show_saved()
    expect(page.locator("[data-saved-list] .td-saved-name")).to_have_text([HOSTILE])
    # Imported from the exported file: the same again.
    page.get_by_label("Nhập tệp JSON").set_input_files(
        {"name": name, "mimeType": "application/json", "buffer": text.encode("utf-8")}
    )
    expect(page.locator("[data-save-status]")).to_have_text(
        f"Đã nhập tệp {name} thành một phiếu mới."
    )
    expect_literal(page)
    expect(page.locator("[data-saved-list] .td-saved-name")).to_have_text([HOSTILE, HOSTILE])
    assert not page.evaluate(
        "() => [...document.scripts].some((s) => s.textContent.includes('__pwned'))"
    )


def test_hostile_files_through_the_summary_page(
    site_url: str, recorded: Recorded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every hostile file chosen at once on the summary page: each is listed as a unit or as
    refused with the reason `thangdiem aggregate` gives; nothing runs; the files are untouched
    and the page lives on."""
    folder = tmp_path / "files"
    folder.mkdir()
    cases = {hostile.materialise(case, folder).name: case for case in hostile.cases()}
    before = {name: (folder / name).read_bytes() for name in cases}
    monkeypatch.chdir(folder)
    printed = io.StringIO()
    rubric = str(ROOT / "rubrics" / "hung-yen-2020.yaml")
    assert cli.main(["aggregate", rubric, "--", *sorted(cases)], out=printed) == 0
    expected = json.loads(printed.getvalue())

    errors: list[str] = []
    recorded.page.on("pageerror", lambda error: errors.append(str(error)))
    summary = SummaryPage.open(recorded.page, site_url, "hung-yen-2020", init_script=TRAP)
    summary.summarise([folder / name for name in sorted(cases)])
    page = summary.page
    rejected = summary.table("rejected")
    assert rejected == [[r["file"], r["reason"]] for r in expected["rejected"]]
    units = len(expected["units"]) + len(expected["review"])
    expect(page.locator('[data-rows="units"] tr')).to_have_count(min(units, 200))
    expect(page.locator("[data-rows] img, [data-rows] script, [data-rows] b")).to_have_count(0)
    refused = {row[0] for row in rejected}
    pwned = page.evaluate("() => window.__pwned") is not None
    tallies: dict[str, Tally] = {}
    for name, case in cases.items():
        tally = tallies.setdefault(case.kind, Tally(case.kind))
        tally.add(name in refused)
        tally.scripts = (tally.scripts or 0) + pwned
        tally.lost = (tally.lost or 0) + ((folder / name).read_bytes() != before[name])
        tally.crashes = len(errors)
    hardening.check_section("tong-hop", list(tallies.values()))


HALVES = {
    "unit:name": "UBND xã \ud800A",
    "evidence:1.1:documents": "Văn bản \udc80số 1",
    "proposed_band": "Tốt\ud83d",
}
"""Text holding lone surrogates (half of a character), as a paste can bring in."""


def test_half_characters_typed_are_never_saved(site_url: str, recorded: Recorded) -> None:
    """A lone surrogate in typed text becomes U+FFFD as the form reads it: what is saved and
    exported holds none, and scoring_py (which refuses a file holding one) accepts it."""
    page = open_saving(recorded, site_url, python=True)
    for name, value in HALVES.items():
        page.locator(f'[name="{name}"]').evaluate(
            "(element, value) => { element.value = value;"
            " element.dispatchEvent(new Event('input', { bubbles: true })); }",
            value,
        )
    assert page.locator('[name="unit:name"]').evaluate("e => e.value.isWellFormed()") is False
    ScoringForm(page).save()
    (record,) = saved_records(page)
    stored = json.loads(str(record["document"]))
    assert stored["unit"]["name"] == "UBND xã \ufffdA"
    assert stored["evidence"]["1.1"]["documents"] == "Văn bản \ufffdsố 1"
    _, text = ScoringForm(page).export()
    assert "\\ud" not in text.lower()
    exported = json.loads(text)
    assert exported["proposed_band"] == "Tốt\ufffd"
    assert json.loads(api.validate_document(RUBRIC_JSON, text))["ok"]
    ScoringForm(page).wait_ready()
    expect(page.locator("[data-document-error]")).to_be_hidden()
