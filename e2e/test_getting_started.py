"""The screenshots of the "Bắt đầu" pages, taken from the built site as each role goes through
its year: the unit scores and prints, the appraisal team imports and appraises, the summarising
office adds the units' files. Each test fails when a committed picture no longer shows what
the page shows (e2e/screenshots.py says how that is compared);
`UPDATE_SCREENSHOTS=1 .venv/bin/pytest e2e/test_getting_started.py` takes them again.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from generator.loader import load_file
from generator.pages import starting
from scoring_py import codec, document, engine
from scoring_py.model import Item
from testkit.site import ROOT
from tests import casegen

from .pages import ScoringForm, SummaryPage, items, points
from .screenshots import SCALE, VIEWPORT, Album, committed_problems

pytestmark = pytest.mark.browser

RUBRIC_ID = "hung-yen-2020"
RUBRIC = load_file(ROOT / "rubrics" / f"{RUBRIC_ID}.yaml")
OWN = [item for item in items(RUBRIC) if item.given_by == "unit"]
NOW = "2026-11-10T09:30:00+07:00"
"""The pictures' clock: the save time and the exported file's date are always these."""
UNIT = "UBND xã Nghĩa Trụ"
UNIT_TYPE = "xa"
EVIDENCE = "Kế hoạch số 12/KH-UBND ngày 15/01/2026"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page at the pictures' window size, scale, language, time zone and time."""
    context = browser.new_context(
        viewport=VIEWPORT,
        device_scale_factor=SCALE,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        service_workers="block",
    )
    try:
        page = context.new_page()
        page.clock.set_fixed_time(NOW)
        yield page
    finally:
        context.close()


@pytest.fixture
def album() -> Album:
    """The shots of one test (its last line checks them, or writes them)."""
    return Album()


def answer(item: Item, lower: bool = False) -> Any:
    """Full marks; with `lower`, half of them (a score item) or the next level down."""
    best = casegen.full_marks(RUBRIC, item)
    if not lower:
        return best
    if item.kind == "score":
        return (item.max / 2).quantize(Decimal("0.5"))
    levels = sorted(item.levels, key=lambda level: level.points)
    return levels[max(0, len(levels) - 2)].id


def unit_document(name: str, type_id: str, short: int, appraised: int | None) -> dict[str, Any]:
    """A unit's file: full marks but for `short` items; appraised (all items, with
    `appraised` of them lower) unless None."""
    doc: dict[str, Any] = dict(document.template(RUBRIC, name=name, unit_type=type_id))
    doc["unit"]["year"] = 2026
    for n, item in enumerate(OWN):
        doc["stages"]["self"]["answers"][item.id] = answer(item, n < short)
        doc["evidence"][item.id]["documents"] = f"Kế hoạch số {n + 1}/KH-UBND"
        if appraised is not None:
            doc["stages"]["appraisal"]["answers"][item.id] = answer(item, n < appraised)
    return doc


def stage_total(doc: dict[str, Any], stage: Literal["self", "appraisal"] = "self") -> str:
    """A stage's total for a document, as the page writes it (CPython's scoring_py)."""
    body = engine.score_document(RUBRIC, document.validate(RUBRIC, doc))["stages"][stage]
    assert body is not None
    return points(body["total"])


def printout_top(printout: Locator, rows: int = 2) -> list[Locator]:
    """The top of a printout: its heading, title, table head and first rows (shot with no
    page below them: the next row would show cut)."""
    body = printout.locator("tbody tr")
    parts = [printout.locator(".td-doc-header"), printout.locator(".td-doc-title")]
    return parts + [printout.locator("thead")] + [body.nth(n) for n in range(rows)]


def test_the_committed_pictures_and_records_agree() -> None:
    """Every picture of SHOTS is committed with its record, and is the one it was written
    with (no browser needed)."""
    assert list(committed_problems()) == []


def test_the_unit_scores_saves_exports_and_prints(site_url: str, page: Page, album: Album) -> None:
    """Đơn vị được đánh giá: the unit's fields, an item with its evidence, the autosave and
    the export reminder, the result, the print buttons, the printed BẢNG CHẤM ĐIỂM."""
    form = ScoringForm.open(page, site_url, RUBRIC_ID)
    unit = page.locator("fieldset.td-unit")
    unit.get_by_label("Tên đơn vị").fill(UNIT)
    unit.get_by_label("Loại đơn vị").select_option(UNIT_TYPE)
    unit.get_by_label("Năm đánh giá").fill("2026")
    album.take(page, "don-vi-ten", unit)

    for n, item in enumerate(OWN):
        form.fill("self", item, answer(item, lower=n < 2))
        page.locator(f'[name="evidence:{item.id}:documents"]').fill(
            EVIDENCE if n == 0 else f"Báo cáo số {n + 1}/BC-UBND"
        )
    first = page.locator(f'[data-item="{OWN[0].id}"]')
    form.expect_total("self", stage_total(unit_document(UNIT, UNIT_TYPE, 2, None)))
    album.take(page, "don-vi-cham-muc", first)

    status = page.locator("[data-save-status]")
    expect(status).to_have_text("Đã tự lưu lúc 09:30:00.")
    reminder = page.locator("[data-export-reminder]")
    expect(reminder).to_contain_text("chưa được xuất ra tệp lần nào")
    album.take(page, "don-vi-tu-luu", status, page.locator("[data-saving-tools]"))

    name, _ = form.export()
    assert name == starting.EXPORTED  # the file the page names
    expect(reminder).to_be_hidden()

    result = page.locator("section.td-result")
    album.take(
        page,
        "don-vi-ket-qua",
        result.locator("#td-result"),
        result.locator(".td-table-frame"),
        result.get_by_label("Mức xếp loại đơn vị đề nghị"),
    )
    album.take(page, "don-vi-nut-in", result.locator(".td-print-tools"))

    page.emulate_media(media="print")
    table = page.locator('[data-printout="table"]')
    album.take(page, "don-vi-ban-in", *printout_top(table), above_below=1)
    album.finish()


def test_the_appraisal_team_imports_appraises_exports_and_prints(
    site_url: str, page: Page, album: Album
) -> None:
    """Đoàn thẩm định: the unit's file imported, appraisal mode on, an item with both columns,
    the three rows of the result, the printout's appraisal column."""
    doc = unit_document(UNIT, UNIT_TYPE, 2, None)
    form = ScoringForm.open(page, site_url, RUBRIC_ID)
    form.import_file(starting.EXPORTED, codec.dumps(doc))
    status = page.locator("[data-save-status]")
    expect(status).to_contain_text("Đã nhập tệp")
    form.expect_total("self", stage_total(doc))
    album.take(page, "tham-dinh-nhap-tep", status, page.locator("[data-saving-tools] .td-toolbar"))

    page.get_by_label("Chế độ thẩm định").check()
    mode = page.locator(".td-mode")
    album.take(page, "tham-dinh-che-do", mode)

    mode.get_by_role("button", name="Chép điểm tự chấm vào các ô thẩm định còn trống").click()
    appraised = unit_document(UNIT, UNIT_TYPE, 2, 3)
    for item in OWN[:3]:
        form.fill("appraisal", item, appraised["stages"]["appraisal"]["answers"][item.id])
    form.expect_total("appraisal", stage_total(appraised, "appraisal"))
    album.take(page, "tham-dinh-cham-muc", page.locator(f'[data-item="{OWN[2].id}"]'))

    result = page.locator("section.td-result")
    frame = result.locator(".td-table-frame")
    album.take(page, "tham-dinh-ket-qua", result.locator("#td-result"), frame, above_below=0)

    name, _ = form.export()
    assert name == "danh-gia-da-tham-dinh-ubnd-xa-nghia-tru-2026-11-10.json"
    page.emulate_media(media="print")
    table = page.locator('[data-printout="table"]')
    album.take(page, "tham-dinh-ban-in", *printout_top(table, rows=1), above_below=1)
    album.finish()


SUMMARY_VIEWPORT = ViewportSize(width=840, height=VIEWPORT["height"])
"""Wide enough for the ranking's first five columns (the others scroll)."""
UNITS = [
    ("UBND xã Nghĩa Trụ", "xa", 2, 3),
    ("UBND thị trấn Văn Giang", "xa", 0, 1),
    ("UBND xã Long Hưng", "xa", 6, 9),
    ("UBND xã Tân Tiến", "xa", 4, None),
    ("UBND xã Phụng Công", "xa", 12, 16),
]
"""The units of the summary: name, type, items under full marks self-scored and appraised
(of one type: a longer type's name wraps in a column the picture does not show)."""


def test_the_summarising_office_adds_the_files_reads_and_prints(
    site_url: str, page: Page, album: Album, tmp_path: Path
) -> None:
    """Cơ quan tổng hợp: the summary's overview, the ranking, two charts, the download and
    print buttons."""
    paths = []
    for n, (name, type_id, short, appraised) in enumerate(UNITS, start=1):
        path = tmp_path / f"don-vi-{n}.json"
        path.write_text(codec.dumps(unit_document(name, type_id, short, appraised)), "utf-8")
        paths.append(path)
    # The file input's own button is the browser's (its words, in the browser's language):
    # the pictures start once the files are read.
    page.set_viewport_size(SUMMARY_VIEWPORT)
    SummaryPage.open(page, site_url, RUBRIC_ID).summarise(paths)
    album.take(
        page, "tong-hop-ket-qua", page.locator("#th-result-title"), page.locator("[data-overview]")
    )
    ranking = page.locator(".th-units")
    first_columns = ranking.locator(":is(th, td):nth-child(-n+5)")
    album.take(page, "tong-hop-xep-hang", ranking, above_below=0, area=first_columns)
    charts = page.locator("[data-charts] > *")
    album.take(page, "tong-hop-bieu-do", charts.nth(1), charts.nth(2))
    album.take(page, "tong-hop-tai-in", page.locator(".th-tools"))
    album.finish()
