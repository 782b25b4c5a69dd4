"""Attached files and the package (gói hồ sơ) in a real browser, with real Pyodide: the unit
attaches its evidence, exports a package; the appraisal team, in another browser profile that
shares nothing with the unit's, imports only that package, opens the files, re-scores and exports
a package back; the final package scores the same in the command line. A hostile package is
refused with a message and the open draft stays as it was."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from playwright.sync_api import Browser, Page, expect

from generator.loader import load_file
from scoring_py import codec
from testkit.site import ROOT
from tests.hostile_packages import HOSTILE

from .pages import ScoringForm, points
from .test_word import body_texts, download_word

pytestmark = pytest.mark.browser

RUBRIC_ID = "hung-yen-2020"
RUBRIC = load_file(ROOT / "rubrics" / f"{RUBRIC_ID}.yaml")
PLAN = b"%PDF-1.4\n% Ke hoach\n" + bytes(range(256)) * 64
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(100) + b"hoi nghi"


def context_page(browser: Browser) -> Page:
    """A fresh profile: its own IndexedDB, as another office's browser."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", service_workers="block"
    )
    return context.new_page()


def attach(page: Page, item: str, name: str, body: bytes, kind: str) -> None:
    page.locator(f'[data-attach-input="{item}"]').set_input_files(
        {"name": name, "mimeType": kind, "buffer": body}
    )
    expect(page.locator(f'[data-attach-status="{item}"]')).to_contain_text(f"Đã đính kèm {name}")


def export_package(page: Page) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name="Xuất gói hồ sơ (.zip)").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def import_package(page: Page, name: str, data: bytes) -> None:
    page.get_by_label("Nhập tệp JSON hoặc gói hồ sơ").set_input_files(
        {"name": name, "mimeType": "application/zip", "buffer": data}
    )


def cli_score(path: Path, data: bytes) -> Any:
    """`thangdiem score` of a package written to `path`: its result."""
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "score", RUBRIC_ID, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return codec.loads(done.stdout)


def opened(page: Page, item: str, name: str) -> bytes:
    """Click "Mở" of an attached file; the bytes the browser hands over."""
    with page.expect_download() as info:
        page.get_by_role("button", name=f"Mở tệp {name}").click()
    download = info.value
    assert download.suggested_filename == name
    return Path(download.path()).read_bytes()


def test_the_round_trip_exchanges_only_packages(
    browser: Browser, site_url: str, tmp_path: Path
) -> None:
    unit = context_page(browser)
    team = context_page(browser)
    try:
        form = ScoringForm.open(unit, site_url, RUBRIC_ID)
        unit.locator('[name="unit:name"]').fill("UBND xã Nghĩa Trụ")
        unit.locator('[name="self:1.1"]').fill("2")
        unit.locator('[name="self:1.2"]').fill("1,5")
        attach(unit, "1.1", "Kế hoạch 12-KH.pdf", PLAN, "application/pdf")
        attach(unit, "1.2", "Ảnh hội nghị.png", PHOTO, "image/png")
        expect(unit.locator('[data-attach-list="1.1"] li')).to_have_count(1)
        expect(unit.locator('[data-attach-list="1.1"]')).to_contain_text("Kế hoạch 12-KH.pdf")
        # A kind the rubric's evidence does not take is refused, and nothing else changes.
        unit.locator('[data-attach-input="1.1"]').set_input_files(
            {"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}
        )
        expect(unit.locator('[data-attach-status="1.1"]')).to_contain_text(
            "Không đính kèm được setup.exe: chỉ nhận tệp .doc, .docx"
        )
        expect(unit.locator('[data-attach-list="1.1"] li')).to_have_count(1)
        # The draft keeps its files over a reload.
        form.save()
        unit.reload()
        ScoringForm(unit).wait_restored()
        expect(unit.locator('[data-attach-list="1.2"]')).to_contain_text("Ảnh hội nghị.png")
        ScoringForm(unit).wait_ready()
        # The printed table and its Word file name each item's attached files.
        listed = "Tệp đính kèm: Kế hoạch 12-KH.pdf"
        expect(unit.locator('[data-print-evidence="1.1"]')).to_have_text(listed)
        _, word = download_word(unit, "Tải bảng chấm điểm (Word)", tmp_path)
        assert listed in body_texts(docx.Document(str(word)))
        name, sent = export_package(unit)
        assert name.endswith(".zip") and name.startswith("danh-gia-tu-cham-")
        with zipfile.ZipFile(io.BytesIO(sent)) as archive:
            names = set(archive.namelist())
        assert f"files/1.1/{hashlib.sha256(PLAN).hexdigest()}/Kế hoạch 12-KH.pdf" in names

        # The appraisal team: another profile, only the package.
        ScoringForm.open(team, site_url, RUBRIC_ID)
        import_package(team, name, sent)
        expect(team.locator('[name="unit:name"]')).to_have_value("UBND xã Nghĩa Trụ")
        expect(team.locator('[data-attach-list="1.1"]')).to_contain_text("Kế hoạch 12-KH.pdf")
        assert opened(team, "1.1", "Kế hoạch 12-KH.pdf") == PLAN
        assert opened(team, "1.2", "Ảnh hội nghị.png") == PHOTO
        team.get_by_label("Chế độ thẩm định").check()
        team.locator('[name="appraisal:1.1"]').fill("1,5")
        ScoringForm(team).expect_total("appraisal", "1,5")
        back_name, back = export_package(team)
        assert back_name.startswith("danh-gia-dang-tham-dinh-")

        # Back at the unit: the team's package opens as a new draft with both files.
        import_package(unit, back_name, back)
        expect(unit.locator('[name="appraisal:1.1"]')).to_have_value("1,5")
        assert opened(unit, "1.1", "Kế hoạch 12-KH.pdf") == PLAN
        browser_total = unit.locator('[data-total="final"]').text_content()

        # The command line scores the final package as the browser does.
        assert points(cli_score(tmp_path / back_name, back)["total"]) == browser_total
    finally:
        unit.context.close()
        team.context.close()


def test_a_hostile_package_is_refused_and_the_draft_stays(browser: Browser, site_url: str) -> None:
    page = context_page(browser)
    try:
        ScoringForm.open(page, site_url, RUBRIC_ID)
        page.locator('[name="unit:name"]').fill("Đơn vị đang làm")
        page.locator('[name="self:1.1"]').fill("2")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("manifest.json", "{}")
            archive.writestr("danh-gia.json", "{}")
            archive.writestr("../../thoat-ra.pdf", b"%PDF")
        import_package(page, "doc-hai.zip", out.getvalue())
        message = page.locator("[data-file-message]")
        expect(message).to_contain_text("Không nhập được tệp doc-hai.zip: Gói hồ sơ không mở được")
        expect(message).to_contain_text("không được phép")
        expect(page.locator('[name="unit:name"]')).to_have_value("Đơn vị đang làm")
        expect(page.locator('[name="self:1.1"]')).to_have_value("2")
    finally:
        page.context.close()


def take_step(page: Page, button: str, state: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.locator("[data-review-state]")).to_have_text(state)


def test_the_round_trip_walks_every_state_with_reasons_and_an_explanation(
    browser: Browser, site_url: str, tmp_path: Path
) -> None:
    """Tự chấm → đã gửi → đang thẩm định → đã thẩm định → giải trình → thẩm định lại → kết
    quả, by two profiles exchanging only packages; a different score needs the team's reason,
    the unit answers it, the unit's part is read-only for the team until unlocked (recorded)."""
    unit = context_page(browser)
    team = context_page(browser)
    try:
        ScoringForm.open(unit, site_url, RUBRIC_ID)
        unit.locator('[name="unit:name"]').fill("UBND xã Nghĩa Trụ")
        unit.locator('[name="self:1.1"]').fill("2")
        attach(unit, "1.1", "Kế hoạch 12-KH.pdf", PLAN, "application/pdf")
        # A step needs a name first.
        unit.get_by_role("button", name="Đánh dấu đã gửi").click()
        expect(unit.locator("[data-review-status]")).to_contain_text("Hãy ghi tên người thực hiện")
        unit.get_by_label("Người thực hiện").fill("Lê Thị Hoa")
        take_step(unit, "Đánh dấu đã gửi", "Đã gửi")
        sent_name, sent = export_package(unit)
        assert sent_name.startswith("danh-gia-da-gui-")  # each export names its state

        ScoringForm.open(team, site_url, RUBRIC_ID)
        import_package(team, "goi.zip", sent)
        expect(team.locator("[data-review-state]")).to_have_text("Đã gửi")
        team.get_by_label("Người thực hiện").fill("Trần Văn Nam")
        team.get_by_label("Chế độ thẩm định").check()
        own = team.locator('[name="self:1.1"]')
        expect(own).not_to_be_editable()
        expect(team.locator('[data-attach-input="1.1"]')).to_be_disabled()
        take_step(team, "Bắt đầu thẩm định", "Đang thẩm định")
        team.locator('[name="appraisal:1.1"]').fill("1")
        problems = team.locator('[data-problems="1.1"]')
        expect(problems).to_contain_text("đoàn thẩm định phải ghi lý do")
        team.locator('[name="review:1.1:comment"]').fill("Kế hoạch ban hành chậm")
        expect(problems).not_to_contain_text("phải ghi lý do")
        take_step(team, "Đánh dấu đã thẩm định", "Đã thẩm định")
        _, appraised = export_package(team)

        import_package(unit, "goi-tham-dinh.zip", appraised)
        explain = unit.locator('[name="review:1.1:explanation"]')
        expect(explain).to_be_visible()
        expect(unit.locator('[name="review:1.2:explanation"]')).to_be_hidden()
        explain.fill("Kế hoạch ban hành đúng hạn theo văn bản số 5, gửi kèm")
        take_step(unit, "Đơn vị đã giải trình", "Đơn vị đã giải trình")
        _, explained = export_package(unit)

        import_package(team, "goi-giai-trinh.zip", explained)
        expect(team.locator('[name="review:1.1:explanation"]')).to_have_value(
            "Kế hoạch ban hành đúng hạn theo văn bản số 5, gửi kèm"
        )
        take_step(team, "Bắt đầu thẩm định lại", "Đang thẩm định lại")
        team.get_by_label("Chế độ thẩm định").check()
        team.locator('[name="appraisal:1.1"]').fill("2")
        # Unlocking the unit's part asks first and is recorded.
        team.get_by_role("button", name="Mở khóa phần của đơn vị").click()
        team.locator("dialog[data-confirm]").get_by_role("button", name="Mở khóa").click()
        expect(team.locator('[name="self:1.1"]')).to_be_editable()
        take_step(team, "Chốt kết quả", "Kết quả")
        history = team.locator("[data-review-history] li")
        expect(history).to_have_count(7)
        expect(history.nth(0)).to_contain_text("Đã gửi — Lê Thị Hoa")
        expect(history.nth(5)).to_contain_text("mở khóa phần của đơn vị")
        expect(history.nth(6)).to_contain_text("Kết quả — Trần Văn Nam")
        final_name, final = export_package(team)
        assert final_name.startswith("danh-gia-ket-qua-")
        browser_total = team.locator('[data-total="final"]').text_content()

        scored = cli_score(tmp_path / final_name, final)
        assert points(scored["total"]) == browser_total
        assert (scored["review_state"], scored["disputed"]) == ("final", [])
    finally:
        unit.context.close()
        team.context.close()


FULL_STORE = """
(() => {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    if (this.name === "blobs") throw new DOMException("no room", "QuotaExceededError");
    return put.apply(this, args);
  };
})();
"""


def test_a_full_store_refuses_the_file_and_keeps_the_rest(browser: Browser, site_url: str) -> None:
    """The browser's quota is spent when a file is attached: that file is refused with a clear
    message, the files attached before stay, and the draft keeps its scores."""
    page = context_page(browser)
    try:
        ScoringForm.open(page, site_url, RUBRIC_ID, python=False)
        page.locator('[name="self:1.1"]').fill("2")
        attach(page, "1.1", "Kế hoạch 12-KH.pdf", PLAN, "application/pdf")
        page.evaluate(FULL_STORE)
        page.locator('[data-attach-input="1.1"]').set_input_files(
            {"name": "Ảnh.png", "mimeType": "image/png", "buffer": PHOTO}
        )
        status = page.locator('[data-attach-status="1.1"]')
        expect(status).to_contain_text("Không đính kèm được Ảnh.png: bộ nhớ của trình duyệt")
        expect(status).to_contain_text("các tệp đã đính kèm vẫn còn nguyên")
        expect(page.locator('[data-attach-list="1.1"] li')).to_have_count(1)
        expect(page.locator('[name="self:1.1"]')).to_have_value("2")
    finally:
        page.context.close()


def test_every_hostile_package_is_refused_in_the_page(browser: Browser, site_url: str) -> None:
    """The hostile packages of tests/hostile_packages.py through the form's import: each
    refused with a message, the open draft unchanged."""
    page = context_page(browser)
    try:
        ScoringForm.open(page, site_url, RUBRIC_ID)
        page.locator('[name="unit:name"]').fill("Đơn vị đang làm")
        message = page.locator("[data-file-message]")
        for case, make in HOSTILE.items():
            import_package(page, f"{case}.zip", make(RUBRIC))
            expect(message).to_contain_text(f"Không nhập được tệp {case}.zip")
            expect(page.locator('[name="unit:name"]')).to_have_value("Đơn vị đang làm")
    finally:
        page.context.close()
