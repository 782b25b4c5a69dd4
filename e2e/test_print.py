"""The printouts of the scoring pages (BẢNG CHẤM ĐIỂM, BÁO CÁO tự đánh giá, xếp loại) in a real
browser: every row of each bundled rubric with the points CPython gives, typed text printed as
text, and an A4 PDF whose last page holds the signature block."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from generator.loader import load_file
from generator.textout import roman
from scoring_py import codec, document, engine, shapes
from scoring_py.model import Item, Rubric
from scoring_py.rubric import field_max
from testkit.site import ROOT
from tests import casegen

from .conftest import Recorded
from .pages import ScoringForm, items, points
from .pdf import pdf_pages, squeeze

pytestmark = pytest.mark.browser

RUBRICS = {p.stem: load_file(p) for p in sorted((ROOT / "rubrics").glob("*.yaml"))}
BLANK = "…………"
CELL_BLANK = "……"
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
A4_POINTS = (Decimal("595.28"), Decimal("841.89"))  # 210 × 297 mm


def flat(text: str) -> str:
    """Text with its white space runs made single spaces."""
    return " ".join(text.split())


def filled_document(rubric: Rubric) -> dict[str, Any]:
    """A document answering every item in both stages (appraisal: every other item), with the
    unit's name, year, evidence and report texts."""
    doc = document.template(rubric, name="UBND xã Nghĩa Trụ")
    doc["unit"]["year"] = 2024
    for n, item in enumerate(items(rubric)):
        assert item.kind in ("score", "choice"), item.kind  # what the bundled rubrics use
        if item.kind == "choice":
            own: Any = item.levels[n % len(item.levels)].id
            theirs: Any = item.levels[(n + 1) % len(item.levels)].id
        else:
            own = item.max - Decimal("0.5") * (n % 3)
            theirs = item.max - Decimal("0.5") * ((n + 1) % 3)
        if item.given_by == "unit":
            doc["stages"]["self"]["answers"][item.id] = own
        if n % 2 == 0 or item.given_by != "unit":
            doc["stages"]["appraisal"]["answers"][item.id] = theirs
        doc["evidence"][item.id]["documents"] = f"Kế hoạch số {n + 1}/KH-UBND"
        doc["evidence"][item.id]["explanation"] = "Đã lưu hồ sơ" if n % 4 == 0 else ""
    for crit in rubric.criteria:
        doc["report"][crit.id]["done_well"] = f"Tiêu chí {crit.id}: đã làm tốt"
        doc["report"][crit.id]["shortcomings"] = "" if crit.id == "1" else "Còn chậm"
    doc["proposed_band"] = "Tốt (đề nghị)"
    return doc


def fill_form(page: Page, rubric: Rubric, doc: dict[str, Any]) -> dict[str, Any]:
    """Put a document into the page's form; return CPython's result for it once the page's
    printout shows the same self total."""
    lost = ScoringForm(page).fill_document(codec.dumps(doc))
    assert lost == []
    result = engine.score_document(rubric, document.validate(rubric, doc))
    total = page.locator('[data-printout="table"] td[data-print-total="self"]')
    expect(total).to_have_text(points(result["stages"]["self"]["total"]))
    return result


def table_rows(page: Page) -> list[list[str]]:
    """The BẢNG CHẤM ĐIỂM's body rows: the row's key, then the text of each cell."""
    rows: list[list[str]] = page.evaluate(
        """() => [...document.querySelectorAll('[data-printout="table"] tbody tr')].map(
          (tr) => [tr.dataset.printRow, ...[...tr.cells].map((td) => td.textContent)])"""
    )
    return [[flat(cell) for cell in row] for row in rows]


def expected_rows(rubric: Rubric, doc: dict[str, Any], result: dict[str, Any]) -> list[list[str]]:
    """The rows the BẢNG CHẤM ĐIỂM must show, from the rubric and CPython's result."""
    stages = {s: result["stages"][s] for s in ("self", "appraisal")}
    by_item = {
        s: {i["id"]: i for c in body["criteria"] for i in c["items"]} for s, body in stages.items()
    }
    by_crit = {s: {c["id"]: c for c in body["criteria"]} for s, body in stages.items()}
    giver = engine.GIVER_NAMES

    def item_cell(stage: str, item: Item) -> str:
        if stage == "self" and item.given_by != "unit":
            return f"Do {giver[item.given_by]} chấm"
        outcome = by_item[stage][item.id]
        return points(outcome["points"]) if outcome["status"] == "answered" else CELL_BLANK

    rows = []
    for number, crit in enumerate(rubric.criteria, start=1):
        own = any(i.given_by == "unit" for i in crit.items)
        crit_self = (
            points(by_crit["self"][crit.id]["score"])
            if own
            else f"Do {giver[crit.items[0].given_by]} chấm"
        )
        rows.append(
            [
                f"criterion:{crit.id}",
                roman(number),
                flat(f"Tiêu chí số {number}: {crit.title}"),
                points(crit.max),
                crit_self,
                points(by_crit["appraisal"][crit.id]["score"]),
                "",
            ]
        )
        for k, item in enumerate(crit.items, start=1):
            text = item.text
            if item.kind == "choice":
                text += f" (Chấm 1 trong {len(item.levels)} tiêu chí sau)"
            evidence = doc["evidence"][item.id]
            shown = evidence["documents"]
            if evidence["explanation"]:
                shown += f" Giải trình: {evidence['explanation']}"
            cells = [item_cell(s, item) for s in ("self", "appraisal")]
            rows.append([f"item:{item.id}", str(k), flat(text), points(item.max), *cells, shown])
            for j, level in enumerate(item.levels, start=1):
                chosen = [
                    "Chọn" if doc["stages"][s]["answers"].get(item.id) == level.id else ""
                    for s in ("self", "appraisal")
                ]
                rows.append(
                    [
                        f"level:{level.id}",
                        f"{k}.{j}",
                        flat(level.text),
                        points(level.points),
                        *chosen,
                        "",
                    ]
                )
    top = rubric.total + (
        sum((c.max for c in rubric.criteria if c.section == "bonus"), Decimal(0))
        if rubric.bonus_above_total
        else Decimal(0)
    )
    totals = [points(stages[s]["total"]) for s in ("self", "appraisal")]
    rows.append(["total", "", "Tổng điểm", points(top), *totals, ""])
    return rows


def band_of(rubric: Rubric, body: dict[str, Any], typed: str) -> str:
    """The proposed band as the printouts write it (see print.mjs bandText)."""
    if body["band"]:
        return str(body["band"]["name"])
    held = [r["text"] for r in body["reasons"]]
    if held:
        return "; ".join(held)
    note = body["note"]
    return str(note["text"]) if note and note["code"] == "appraising" else typed


@pytest.mark.parametrize("rubric_id", sorted(RUBRICS))
def test_the_print_view_holds_every_row(site_url: str, recorded: Recorded, rubric_id: str) -> None:
    """Every criterion, item and level of the rubric is a row of the BẢNG CHẤM ĐIỂM with its
    maximum, the self and appraisal points CPython gives, and the evidence typed; the BÁO CÁO
    has each criterion's points and texts, the total and the proposed band."""
    rubric = RUBRICS[rubric_id]
    page = ScoringForm.open(recorded.page, site_url, rubric_id).page
    doc = filled_document(rubric)
    result = fill_form(page, rubric, doc)
    page.emulate_media(media="print")
    table = page.locator('[data-printout="table"]')
    report = page.locator('[data-printout="report"]')
    expect(table).to_be_visible()
    expect(report).to_be_visible()
    expect(page.locator("#cham-diem")).to_be_hidden()
    expect(page.locator(".md-content__inner > h1")).to_be_hidden()

    assert table_rows(page) == expected_rows(rubric, doc, result)
    headers = table.locator("thead th")
    expect(headers).to_have_text(
        [
            "STT",
            "Nội dung tiêu chí",
            "Thang điểm",
            "Kết quả tự chấm điểm",
            "Kết quả chấm điểm của cơ quan có thẩm quyền",
            "Tài liệu kiểm chứng/Những kết quả đạt được",
        ]
    )
    for part in (table, report):
        header = part.locator(".td-doc-header")
        expect(header.locator(".td-doc-unit")).to_have_text("UBND xã Nghĩa Trụ")
        expect(header).to_contain_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        expect(header).to_contain_text("Độc lập - Tự do - Hạnh phúc")
        expect(part.locator(".td-doc-signer")).to_have_text(
            re.compile(r"^\s*THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ\s*\(Ký, đóng dấu\)\s*…………\s*$")
        )
    expect(table.locator(".td-doc-title")).to_have_text("BẢNG CHẤM ĐIỂM")
    expect(table.locator(".td-doc-subtitle")).to_have_text(
        "Kết quả thực hiện công tác dân vận chính quyền năm 2024"
    )
    self_body = result["stages"]["self"]
    band = band_of(rubric, self_body, doc["proposed_band"])
    expect(table.locator(".td-doc-band").first).to_have_text(f"Đề nghị mức xếp loại: {band}.")
    final = table.locator('[data-print-band-line="final"]')
    expect(final).to_be_visible()
    final_band = band_of(rubric, result["stages"]["final"], "") or BLANK
    expect(final).to_have_text(
        f"Kết quả sau thẩm định: {points(result['total'])} điểm, xếp loại: {final_band}."
    )

    expect(report.locator(".td-doc-title")).to_have_text("BÁO CÁO")
    expect(report).to_contain_text(f"Căn cứ văn bản số {rubric.legal.number}")
    expect(report).to_contain_text(
        f"Tổng số điểm thực hiện công tác dân vận chính quyền: {points(self_body['total'])} điểm"
    )
    subtotals = {c["id"]: c["score"] for c in self_body["criteria"]}
    for number, crit in enumerate(rubric.criteria, start=1):
        part = report.locator(f'[data-print-report="{crit.id}"]')
        own = any(i.given_by == "unit" for i in crit.items)
        shown = f"({points(subtotals[crit.id])} điểm)" if own else "chấm)"
        expect(part.locator(".td-doc-criterion-title")).to_have_text(
            re.compile(rf"^\s*Tiêu chí số {number}: .*{re.escape(shown)}\s*$", re.S)
        )
        lines = part.locator(".td-doc-point")
        shortcomings = doc["report"][crit.id]["shortcomings"] or BLANK
        expect(lines).to_have_text(
            [
                f"- Những nội dung đã thực hiện tốt: {doc['report'][crit.id]['done_well']}",
                f"- Những mặt còn hạn chế: {shortcomings}",
            ]
        )
    expect(report.locator(".td-doc-band")).to_have_text(f"Đề nghị mức xếp loại: {band}.")
    text = page.locator("[data-printouts]").text_content() or ""
    assert "undefined" not in text and "NaN" not in text and "null" not in text


def test_an_empty_form_prints_blank_lines(site_url: str, recorded: Recorded) -> None:
    """Nothing entered: every value of the printouts is a dotted line, never a 0 or undefined."""
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020").page
    page.emulate_media(media="print")
    table = page.locator('[data-printout="table"]')
    expect(table.locator('td[data-print-total="self"]')).to_have_text(CELL_BLANK)
    expect(table.locator(".td-doc-unit")).to_have_text(BLANK)
    cells = table.locator("td[data-print-points]")
    expect(cells).to_have_count(2 * len(items(RUBRICS["hung-yen-2020"])))
    assert set(cells.all_text_contents()) == {CELL_BLANK}
    expect(table.locator('[data-print-band-line="final"]')).to_be_hidden()
    text = page.locator("[data-printouts]").text_content() or ""
    assert "undefined" not in text and "NaN" not in text and "null" not in text


def test_typed_html_prints_as_text_and_nothing_runs(site_url: str, recorded: Recorded) -> None:
    """<script> and HTML typed into the form print literally; nothing of it executes."""
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020").page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.locator('[name="unit:name"]').fill(f"UBND {HOSTILE}")
    page.locator('[name="self:1.1"]').fill("2")
    page.locator('[name="evidence:1.1:documents"]').fill(HOSTILE)
    page.locator('[name="evidence:1.1:explanation"]').fill("<b>đậm</b>")
    page.locator('[name="report:1:done_well"]').fill(HOSTILE)
    page.locator('[name="report:2:shortcomings"]').fill("<iframe src=javascript:alert(1)>")
    page.locator('[name="proposed_band"]').fill(HOSTILE)
    printouts = page.locator("[data-printouts]")
    expect(printouts.locator('td[data-print-points="self:1.1"]')).to_have_text("2")
    page.get_by_role("button", name="In bảng chấm điểm").click()
    page.emulate_media(media="print")
    expect(printouts.locator('[data-printout="table"] .td-doc-unit')).to_have_text(
        f"UBND {HOSTILE}"
    )
    expect(printouts.locator('[data-print-evidence="1.1"]')).to_have_text(
        f"{HOSTILE}\nGiải trình: <b>đậm</b>"
    )
    report = printouts.locator('[data-printout="report"]')
    expect(report.locator('[data-print-field="report:1:done_well"]')).to_have_text(HOSTILE)
    expect(report.locator('[data-print-field="report:2:shortcomings"]')).to_have_text(
        "<iframe src=javascript:alert(1)>"
    )
    expect(report.locator('[data-print-band="self"]')).to_have_text(HOSTILE)
    for tag in ("script", "img", "b", "iframe"):
        expect(printouts.locator(tag)).to_have_count(0)
    assert page.evaluate("() => window.pwned") is None
    assert dialogs == []


@pytest.mark.parametrize(
    ("button", "kind"), [("In báo cáo", "report"), ("In bảng chấm điểm", "table")]
)
def test_a_button_prints_its_printout_only(
    site_url: str, recorded: Recorded, button: str, kind: str
) -> None:
    """The button opens the print dialog with its printout only; the browser's menu prints
    both."""
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020").page
    page.evaluate(
        """() => {
          window.printed = [];
          addEventListener("beforeprint", () => window.printed.push(
            document.documentElement.dataset.print));
        }"""
    )
    chosen = page.locator(f'[data-printout="{kind}"]')
    other = page.locator(f'[data-printout]:not([data-printout="{kind}"])')
    expect(chosen).to_be_hidden()
    page.get_by_role("button", name=button).click()
    # Nothing is entered: the page says what would print blank before it prints.
    dialog = page.locator("dialog[data-confirm]")
    expect(dialog).to_contain_text("Tự chấm: 28 mục chưa chấm")
    dialog.get_by_role("button", name="Vẫn in").click()
    page.wait_for_function(f"() => window.printed.includes({kind!r})")
    expect(page.locator("html")).to_have_attribute("data-print", kind)
    page.emulate_media(media="print")
    expect(chosen).to_be_visible()
    expect(other).to_be_hidden()
    page.evaluate("() => delete document.documentElement.dataset.print")
    expect(chosen).to_be_visible()
    expect(other).to_be_visible()


# --------------------------------------------------------------------------------------------
# The PDF


def margins(pages: list[tuple[Any, str]], code: str) -> list[tuple[Any, str]]:
    """Check the margin boxes of each page of a printout's PDF, whose texts come first: the
    page number from the second page on (Nghị định 30), then the content code; return the
    pages' texts (squeezed) without them."""
    out = []
    for number, (size, text) in enumerate(pages, start=1):
        head = (str(number) if number > 1 else "") + squeeze(f"Mã nội dung: {code}")
        assert squeeze(text).startswith(head), (number, text[:40])
        out.append((size, squeeze(text)[len(head) :]))
    return out


@pytest.mark.parametrize("kind", ["table", "report"])
def test_an_a4_pdf_with_the_signature_on_its_last_page(
    site_url: str, recorded: Recorded, kind: str, tmp_path: Path
) -> None:
    """page.pdf(format="A4") gives A4 pages; the signature block, whole, is on the last page,
    after the total; the printout's first page starts with its header."""
    rubric = RUBRICS["hung-yen-2020"]
    page = ScoringForm.open(recorded.page, site_url, rubric.id).page
    result = fill_form(page, rubric, filled_document(rubric))
    page.evaluate(f"() => document.documentElement.dataset.print = {kind!r}")
    page.emulate_media(media="print")
    data = page.pdf(format="A4")
    (tmp_path / f"{kind}.pdf").write_bytes(data)
    pages = pdf_pages(data)
    assert len(pages) >= 2
    for (width, height), _ in pages:
        assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1.5, (width, height)
    # The margin boxes' texts come first: Nghị định 30's page number at the top from the
    # second page on, then the content code at the foot of every page.
    pages = margins(pages, result["code"])
    first, last = squeeze(pages[0][1]), squeeze(pages[-1][1])
    # The superior body's line (not filled in: dotted), then the unit.
    assert first.startswith(BLANK + squeeze("UBND xã Nghĩa Trụ").upper()), first[:80]
    assert squeeze("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") in first
    title = "BẢNG CHẤM ĐIỂM" if kind == "table" else "BÁO CÁO"
    assert squeeze(title) in first
    signer = squeeze("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ (Ký, đóng dấu)")
    assert signer in last
    assert all(signer not in squeeze(text) for _, text in pages[:-1])
    band = squeeze("Đề nghị mức xếp loại: Tốt (đề nghị).")
    assert band in last and last.index(band) < last.index(signer)
    total = points(result["stages"]["self"]["total"])
    closing = f"Tổngđiểm{points(rubric.total)}{total}" if kind == "table" else f"là{total}điểm"
    assert any(closing in squeeze(text) for _, text in pages), closing
    # One font for every letter (Times New Roman where the computer has it, else Tinos):
    # the PDF embeds one family, in its weights and styles.
    fonts = set(re.findall(rb"/BaseFont\s*/([^\s/>\]]+)", data))
    families = {re.sub(r"MT$", "", f.decode().split("+")[-1].split("-")[0]) for f in fonts}
    assert len(families) == 1, fonts


TABLE_HEAD = squeeze(
    "STTNội dung tiêu chíThang điểmKết quả tự chấm điểmKết quả chấm điểm của cơ quan có thẩm"
    " quyềnTài liệu kiểm chứng/Những kết quả đạt được"
)


@pytest.mark.parametrize("words", [5, 11, 35])
def test_rows_run_across_pages_but_a_criterion_stays_with_its_first_item(
    site_url: str, recorded: Recorded, words: int
) -> None:
    """Hưng Yên's table with evidence texts of a few lengths: on every page after the first
    the header row comes first, and no page begins with a criterion's first item (the
    criterion's row stays with it). Without the rule that keeps them together, a page does
    begin so at each of these lengths (measured: 8 of 13 lengths from 2 to 38 words)."""
    rubric = RUBRICS["hung-yen-2020"]
    page = ScoringForm.open(recorded.page, site_url, rubric.id).page
    page.evaluate(
        """(words) => {
            let n = 0;
            for (const box of document.querySelectorAll('textarea[name$=":documents"]')) {
                n += 1;
                box.value = `Kế hoạch ${n} `.repeat(words);
                box.dispatchEvent(new Event("input", { bubbles: true }));
            }
        }""",
        words,
    )
    last = page.locator('[data-print-evidence="7.3"]')
    expect(last).to_contain_text("Kế hoạch")
    page.evaluate("() => document.documentElement.dataset.print = 'table'")
    page.emulate_media(media="print")
    pages = [squeeze(text) for _, text in pdf_pages(page.pdf(format="A4"))]
    firsts = [squeeze(f"1{c.items[0].text}")[:40] for c in rubric.criteria]
    assert len(pages) > 3
    for number, text in enumerate(pages[1:], start=2):
        if number == len(pages) and TABLE_HEAD not in text:
            continue  # the closing lines and signature alone on the last page
        assert TABLE_HEAD in text, number
        body = text[text.index(TABLE_HEAD) + len(TABLE_HEAD) :]
        assert not any(body.startswith(first) for first in firsts), (number, body[:60])


EXAMPLE_RUBRIC = load_file(
    ROOT / "site_src" / "huong-dan-soan-thang-diem" / "vi-du-thang-diem.yaml"
)


def test_a_rescaled_total_shows_how_the_rows_make_it(
    example_site_url: str, recorded: Recorded
) -> None:
    """An item left out for the unit's type rescales the total: the form's note and the printed
    table show the applicable sum, its maximum and the rescaled points, as CPython gives them;
    an unclassifiable unit reads "Không đủ điều kiện xếp loại" in the result table."""
    page = ScoringForm.open(recorded.page, example_site_url, EXAMPLE_RUBRIC.id).page
    doc = document.template(EXAMPLE_RUBRIC, name="Sở A", unit_type="so-nganh")
    doc["stages"]["self"]["answers"].update({"1.1.1": Decimal("7.5"), "2.1.1": 2})
    doc["stages"]["self"]["conditions"]["khong-nop-bao-cao"]["value"] = True
    assert ScoringForm(page).fill_document(codec.dumps(doc)) == []
    result = engine.score_document(EXAMPLE_RUBRIC, document.validate(EXAMPLE_RUBRIC, doc))
    own = result["stages"]["self"]
    assert own["rescaled"]
    raw, top, base = (points(own[k]) for k in ("raw_total", "applicable_max", "base"))
    expect(page.locator('[data-reasons="self"]')).to_contain_text(
        f"Phần điểm chính: {raw} điểm trên {top} điểm của các mục áp dụng, quy đổi thành"
        f" {base} điểm."
    )
    expect(page.locator('[data-band="self"]')).to_have_text("Không đủ điều kiện xếp loại")
    # The example rescales per criterion (scope "criterion"): 2.1 is rescaled on its items
    # that apply to a "sở", and says from what; the result is an index too (Rubric.index).
    [crit] = [c for c in own["criteria"] if c["id"] == "2.1"]
    assert crit["rescaled"] and crit["applicable_max"] < crit["max"]
    came = f"{points(crit['raw_score'])} / {points(crit['applicable_max'])}"
    expect(page.locator('[data-subtotal-rescale="self:2.1"]')).to_have_text(
        f" (quy đổi từ {came} điểm của các mục áp dụng)"
    )
    expect(page.locator('[data-subtotal-rescale="self:1.1"]')).to_be_hidden()
    expect(page.locator('[data-subtotal="self:2.1"]')).to_have_text(points(crit["score"]))
    expect(page.locator('[data-index="self"]')).to_have_text(f"{points(own['index'])} %")
    page.emulate_media(media="print")
    table = page.locator('[data-printout="table"]')
    expect(table.locator('[data-print-subtotal="self:2.1"]')).to_have_text(
        f"{points(crit['score'])} ({points(crit['raw_score'])}/{points(crit['applicable_max'])})"
    )
    expect(table.locator('[data-print-index="self"]')).to_have_text(f"{points(own['index'])} %")
    row = table.locator('[data-print-row="rescale"]')
    expect(row).to_be_visible()
    expect(row.locator('[data-print-rescale="self"]')).to_have_text(f"{base} ({raw}/{top})")
    # Each field (lĩnh vực) prints its row with its maximum and the stage's subtotal.
    for fld in own["fields"]:
        field_row = page.locator(f'[data-printout="table"] [data-print-row="field:{fld["id"]}"]')
        subtotal = field_row.locator(f'[data-print-group-subtotal="self:{fld["id"]}"]')
        expect(subtotal).to_have_text(points(fld["score"]))
        # The printed maximum is the rubric's; the result's is what applies to the unit.
        [model] = [f for f in EXAMPLE_RUBRIC.fields if f.id == fld["id"]]
        expect(field_row.locator("[data-print-max]")).to_have_text(
            points(field_max(EXAMPLE_RUBRIC, model))
        )


def test_printing_an_unfinished_form_asks_first(site_url: str, recorded: Recorded) -> None:
    """A wrong score and unscored items: before printing, the page counts them and lets the
    user go back (nothing printed) or print anyway; a finished form prints at once."""
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020").page
    page.evaluate(
        """() => {
          window.printed = 0;
          addEventListener("beforeprint", () => { window.printed += 1; });
        }"""
    )
    form = ScoringForm(page)
    rubric = load_file(ROOT / "rubrics" / "hung-yen-2020.yaml")
    own = [i for c in rubric.criteria for i in c.items if i.given_by == "unit"]
    page.locator(f'[name="self:{own[0].id}"]').fill("999")
    expect(page.locator(f'[data-problems="{own[0].id}"]')).to_contain_text("vượt quá")
    page.get_by_role("button", name="In bảng chấm điểm").click()
    dialog = page.locator("dialog[data-confirm]")
    expect(dialog).to_contain_text(
        f"Tự chấm: 1 mục có điểm không hợp lệ, {len(own) - 1} mục chưa chấm"
    )
    dialog.get_by_role("button", name="Hủy").click()
    expect(dialog).to_be_hidden()
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.printed") == 0
    expect(page.locator("html")).not_to_have_attribute("data-print", "table")
    for item in own:
        form.fill("self", item, casegen.full_marks(rubric, item))
    expect(page.locator(f'[data-problems="{own[0].id}"] .td-problem--error')).to_have_count(0)
    page.get_by_role("button", name="In bảng chấm điểm").click()
    page.wait_for_function("() => window.printed === 1")
    expect(dialog).to_be_hidden()


# --------------------------------------------------------------------------------------------
# The papers' texts (heading, date, addressee, signature) and the content code


PAPER = {
    "superior": "UBND HUYỆN VĂN GIANG",
    "number": "25/BC-UBND",
    "place": "Nghĩa Trụ",
    "date": "2026-02-05",
    "recipient": "Ủy ban nhân dân huyện Văn Giang",
    "authority": "TM. ỦY BAN NHÂN DÂN",
    "title": "CHỦ TỊCH",
    "signer": "Nguyễn Văn An " + HOSTILE,
    "copies": "Như trên;\nUBND huyện (b/c);\n- Lưu: VT, VP.",
}


def test_the_papers_texts_are_typed_once_and_printed_as_decree_30_lays_them_out(
    site_url: str, recorded: Recorded, tmp_path: Path
) -> None:
    """What the office types in "Thông tin trên văn bản" is kept with the assessment (a
    reload brings it back, the exported file holds it) and printed where Nghị định 30 puts it:
    the superior body above the unit, the number, "<place>, ngày 05 tháng 02 năm 2026" (a day
    under 10 and the months 1, 2 with a zero), Kính gửi, the signer's authority, title and
    name, Nơi nhận one per line. The content code the page prints (at the foot of each page,
    test_an_a4_pdf_…) is the one the command line gives for the exported file."""
    rubric = RUBRICS["hung-yen-2020"]
    form = ScoringForm.open(recorded.page, site_url, rubric.id)
    page = form.page
    result = fill_form(page, rubric, filled_document(rubric))
    for key, text in PAPER.items():
        page.locator(f'[name="paper:{key}"]').fill(text)
    page.locator('[name="paper:copies"]').dispatch_event("input")
    form.save()
    page.reload()
    form.wait_ready()
    for key, text in PAPER.items():
        expect(page.locator(f'[name="paper:{key}"]')).to_have_value(text)
    name, text = form.export()
    exported = codec.loads(text)
    assert exported["version"] == shapes.VERSION and exported["paper"] == PAPER
    code = document.content_code(document.validate(rubric, exported))

    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    table = page.locator('[data-printout="table"]')
    report = page.locator('[data-printout="report"]')
    for part in (table, report):
        issuer = part.locator(".td-doc-issuer")
        expect(issuer.locator(".td-doc-superior")).to_have_text("UBND HUYỆN VĂN GIANG")
        expect(issuer.locator(".td-doc-unit")).to_have_text("UBND xã Nghĩa Trụ")
        signer = flat(part.locator(".td-doc-signer").inner_text())
        assert signer == (
            f"TM. ỦY BAN NHÂN DÂN CHỦ TỊCH (Ký, đóng dấu) Nguyễn Văn An {flat(HOSTILE)}"
        )
    expect(report.locator(".td-doc-issuer")).to_contain_text("Số: 25/BC-UBND")
    expect(report.locator(".td-doc-date")).to_have_text("Nghĩa Trụ, ngày 05 tháng 02 năm 2026")
    expect(report.locator(".td-doc-to")).to_have_text("Kính gửi: Ủy ban nhân dân huyện Văn Giang")
    expect(report.locator("[data-print-copies] p")).to_have_text(
        ["- Như trên;", "- UBND huyện (b/c);", "- Lưu: VT, VP."]
    )
    expect(table.locator(".td-doc-attached")).to_have_text(
        "(Kèm theo Báo cáo số: 25/BC-UBND ngày 05 tháng 02 năm 2026 của UBND xã Nghĩa Trụ)"
    )
    assert page.evaluate("() => window.pwned") is None
    page.evaluate("() => document.documentElement.dataset.print = 'report'")
    margins(pdf_pages(page.pdf(format="A4")), code)

    # The command line gives the same code for the file the page exported.
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "score",
            str(ROOT / "rubrics" / f"{rubric.id}.yaml"),
            str(path),
            "--text",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert f"Mã nội dung của tệp (in trên bản in để đối chiếu): {code}" in done.stdout
    assert (
        result["stages"]["self"]["total"]
        == engine.score_document(rubric, document.validate(rubric, exported))["stages"]["self"][
            "total"
        ]
    )


def test_a_file_of_the_first_format_opens_with_blank_papers(
    site_url: str, recorded: Recorded
) -> None:
    """A file exported before the papers' texts existed (format version 1) opens as it was;
    its papers print as dotted lines to fill in by hand, and nothing is reported lost."""
    rubric = RUBRICS["bac-kan-2017"]
    form = ScoringForm.open(recorded.page, site_url, rubric.id)
    old = filled_document(rubric)
    del old["paper"]
    old["version"] = 1
    form.import_file("cu.json", codec.dumps(old))
    page = form.page
    expect(page.locator("[data-save-status]")).to_contain_text("Đã nhập tệp cu.json")
    expect(page.locator("[data-file-message]")).to_be_hidden()
    expect(page.locator('[name="unit:name"]')).to_have_value("UBND xã Nghĩa Trụ")
    expect(page.locator('[name="paper:signer"]')).to_have_value("")
    exported = codec.loads(form.export()[1])
    assert exported["version"] == shapes.VERSION and set(exported["paper"].values()) == {""}
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    report = page.locator('[data-printout="report"]')
    expect(report.locator(".td-doc-date")).to_have_text(
        f"{BLANK}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    )
    expect(report.locator(".td-doc-to")).to_have_text(f"Kính gửi: {BLANK}")
    expect(report.locator("[data-print-copies] p")).to_have_text(["- Như trên;", "- Lưu: VT."])
