"""Nothing lost: the scoring form saves itself in the browser (IndexedDB, else localStorage),
comes back on reload, keeps several assessments, notices a second tab on the same one, and
exports and imports assessment files."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import Page, expect

from generator.loader import load_file
from scoring_py import api, codec, document
from testkit.site import ROOT

from .conftest import Recorded
from .pages import ScoringForm, exact, rubric_json

pytestmark = pytest.mark.browser

RUBRIC = "hung-yen-2020"
NO_INDEXEDDB = "Object.defineProperty(window, 'indexedDB', {value: undefined});"


def database(page: Page) -> str:
    """The name of a scoring page's database: its site's root (two levels up) in it."""
    return "thangdiem:" + urlparse(urljoin(page.url, "../../")).path


def keys(page: Page) -> str:
    """The first part of a scoring page's localStorage keys."""
    return database(page) + ":"


def open_saving(recorded: Recorded, site_url: str, python: bool = False) -> Page:
    """The Hưng Yên scoring page, ready to save; without `python`, Pyodide is not downloaded
    (saving needs no Python, and the tests run faster without it)."""
    form = ScoringForm.open(recorded.page, site_url, RUBRIC, python=python, until="restored")
    return form.page


def type_some(page: Page, name: str = "UBND xã A") -> None:
    """A unit name, a score with a decimal comma, a level and an evidence text."""
    page.locator('[name="unit:name"]').fill(name)
    page.locator('[name="self:1.1"]').fill("1,5")
    page.locator('[name="self:4.1"][value="4.1.2"]').check()
    page.locator('[name="evidence:1.1:documents"]').fill("Kế hoạch số 5/KH")


def expect_typed(page: Page, name: str = "UBND xã A") -> None:
    expect(page.locator('[name="unit:name"]')).to_have_value(name)
    expect(page.locator('[name="self:1.1"]')).to_have_value("1,5")
    expect(page.locator('[name="self:4.1"][value="4.1.2"]')).to_be_checked()
    expect(page.locator('[name="evidence:1.1:documents"]')).to_have_value("Kế hoạch số 5/KH")


def saved_records(page: Page) -> list[dict[str, object]]:
    """The records in IndexedDB (the page's database, store assessments)."""
    records: list[dict[str, object]] = page.evaluate(
        """(name) => new Promise((resolve, reject) => {
            const open = indexedDB.open(name);
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const all = open.result.transaction("assessments").objectStore("assessments")
                    .getAll();
                all.onsuccess = () => { open.result.close(); resolve(all.result); };
            };
        })""",
        database(page),
    )
    return records


# --------------------------------------------------------------------------------------------
# Autosave


def test_what_was_typed_survives_an_immediate_reload(site_url: str, recorded: Recorded) -> None:
    """Type, reload at once: everything is back (and scored), and the record is in IndexedDB."""
    page = open_saving(recorded, site_url)
    expect(page.locator("[data-save-status]")).to_be_hidden()
    type_some(page)
    page.context.unroute("**/pyodide.asm.wasm")  # Python after the reload, to score
    page.reload()
    ScoringForm(page).wait_restored()
    expect_typed(page)
    # A day, a month and a four-digit year, then the time: "lưu lúc 02/12/2026 14:05".
    when = re.compile(r"lưu lúc \d\d/\d\d/\d{4} \d\d:\d\d")
    expect(page.locator("[data-save-status]")).to_contain_text(when)
    ScoringForm(page).wait_ready()
    expect(page.locator('[data-total="self"]')).to_have_text("4,5")
    (record,) = saved_records(page)
    # Only this site's database: looking for the un-namespaced one of older versions of the
    # site (to adopt its records) does not create it.
    databases = page.evaluate("async () => (await indexedDB.databases()).map((d) => d.name)")
    assert databases == [database(page)] == ["thangdiem:/thangdiem/"]
    assert record["rubric"] == "hung-yen-2020@2022.2"
    assert record["unit"] == "UBND xã A"
    assert isinstance(record["id"], str) and len(record["id"]) == 32
    assert '"1.1":1.5,' in str(record["document"])
    # Typing again saves again (debounced), with the next revision.
    page.locator('[name="self:1.2"]').fill("1")
    expect(page.locator("[data-save-status]")).to_contain_text("Đã tự lưu lúc")
    (again,) = saved_records(page)
    assert again["id"] == record["id"]
    assert isinstance(again["revision"], int) and isinstance(record["revision"], int)
    assert again["revision"] > record["revision"]
    assert '"1.2":1,' in str(again["document"])


def test_a_new_tab_opens_the_last_saved_assessment(site_url: str, recorded: Recorded) -> None:
    """Closed and opened again (a new tab, nothing in sessionStorage): the last one is back."""
    page = open_saving(recorded, site_url)
    type_some(page)
    expect(page.locator("[data-save-status]")).to_contain_text("Đã tự lưu lúc")
    context = page.context
    page.close()
    again = context.new_page()
    again.goto(f"{site_url}{RUBRIC}/cham-diem/")
    ScoringForm(again).wait_restored()
    expect_typed(again)


def test_without_indexeddb_localstorage_keeps_the_form(site_url: str, recorded: Recorded) -> None:
    """IndexedDB unavailable: the same, in localStorage."""
    page = recorded.page
    page.context.add_init_script(NO_INDEXEDDB)
    page = open_saving(recorded, site_url)
    assert page.evaluate("() => window.indexedDB") is None
    type_some(page)
    page.reload()
    ScoringForm(page).wait_restored()
    expect_typed(page)
    found = page.evaluate("() => Object.keys(localStorage)")
    assert [k for k in found if k.startswith(keys(page) + "assessment:")], found
    assert not [k for k in found if k.startswith(keys(page) + "pending:")], found


# --------------------------------------------------------------------------------------------
# Several assessments: "Phiếu mới", "Các phiếu đã lưu"


def test_phieu_moi_asks_first(site_url: str, recorded: Recorded) -> None:
    """A modal <dialog> asks; "Hủy" (focused first), Escape or Enter on it keep the form."""
    page = open_saving(recorded, site_url)
    type_some(page)
    new = page.get_by_role("button", name="Phiếu mới")
    dialog = page.locator("dialog[data-confirm]")
    new.click()
    expect(dialog).to_be_visible()
    expect(dialog).to_have_role("dialog")
    expect(dialog).to_have_accessible_name(re.compile("^Bắt đầu một phiếu mới, để trống?"))
    cancel = dialog.get_by_role("button", name="Hủy")
    expect(cancel).to_be_focused()
    cancel.click()
    expect(dialog).to_be_hidden()
    expect(new).to_be_focused()
    expect_typed(page)
    # By keyboard: Enter opens it, Escape closes it; Enter on "Hủy" closes it too.
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.keyboard.press("Enter")
    expect(cancel).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect_typed(page)
    # Tab to "Tạo phiếu mới", Enter: a blank form; the typed one is kept in the list.
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    expect(dialog.get_by_role("button", name="Tạo phiếu mới")).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator('[name="unit:name"]')).to_have_value("")
    expect(page.locator('[name="self:1.1"]')).to_have_value("")
    expect(page.locator('[name="self:4.1"][value=""]')).to_be_checked()
    expect(page.locator("[data-save-status]")).to_contain_text("Đã bắt đầu một phiếu mới")
    ScoringForm(page).show_saved()
    expect(page.locator("[data-saved-list] li")).to_have_count(1)
    ScoringForm(page).expect_saved(["UBND xã A"])
    # Every control of the tools is reached with Tab, in order.
    new.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Xuất tệp JSON")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Xuất gói hồ sơ (.zip)")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Nhập tệp JSON")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("[data-saved] summary")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-saved]")).not_to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Mở phiếu UBND xã A")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Mở phiếu UBND xã A")).to_be_focused()
    # Nothing typed yet: nothing saved; a reload keeps the blank form.
    page.reload()
    ScoringForm(page).wait_restored()
    expect(page.locator('[name="unit:name"]')).to_have_value("")
    assert len(saved_records(page)) == 1


def test_saved_assessments_open_and_delete(site_url: str, recorded: Recorded) -> None:
    """Two units: listed newest first, each opens with its answers; deleting asks first."""
    page = open_saving(recorded, site_url)
    type_some(page, "UBND xã A")
    ScoringForm(page).start_new()
    page.locator('[name="unit:name"]').fill("UBND xã <b>B</b>")
    page.locator('[name="self:1.2"]').fill("0,5")
    ScoringForm(page).show_saved()
    expect(page.locator("[data-saved-count]")).to_have_text("2")
    expect(page.locator("[data-saved-list] li").first).to_contain_text("(đang mở)")
    ScoringForm(page).expect_saved(["UBND xã <b>B</b>", "UBND xã A"])
    # Open A: its answers; B is kept.
    ScoringForm(page).open_saved("UBND xã A")
    expect_typed(page, "UBND xã A")
    expect(page.locator('[name="self:1.2"]')).to_have_value("")
    expect(page.locator("[data-save-status]")).to_contain_text("Đã mở phiếu UBND xã A")
    expect(page.get_by_role("button", name="Mở phiếu UBND xã <b>B</b>")).to_be_visible()
    # This tab now has A open, also after a reload.
    page.reload()
    ScoringForm(page).wait_restored()
    expect_typed(page, "UBND xã A")
    # Delete B: asked first; "Hủy" keeps it.
    ScoringForm(page).show_saved()
    delete_b = page.get_by_role("button", name="Xóa phiếu UBND xã <b>B</b>")
    delete_b.click()
    dialog = page.locator("dialog[data-confirm]")
    expect(dialog).to_contain_text("Xóa phiếu UBND xã <b>B</b> (lưu lúc")
    expect(dialog).to_contain_text("Không thể hoàn tác.")
    dialog.get_by_role("button", name="Hủy").click()
    expect(page.locator("[data-saved-list] li")).to_have_count(2)
    delete_b.click()
    dialog.get_by_role("button", name="Xóa phiếu").click()
    expect(page.locator("[data-saved-list] li")).to_have_count(1)
    ScoringForm(page).expect_saved(["UBND xã A"])
    assert [r["unit"] for r in saved_records(page)] == ["UBND xã A"]
    expect_typed(page, "UBND xã A")
    # Delete the open one: a blank form, an empty list.
    page.get_by_role("button", name="Xóa phiếu UBND xã A").click()
    dialog.get_by_role("button", name="Xóa phiếu").click()
    expect(page.locator("[data-saved-empty]")).to_be_visible()
    expect(page.locator("[data-saved-count]")).to_have_text("0")
    expect(page.locator('[name="unit:name"]')).to_have_value("")
    assert saved_records(page) == []
    page.reload()
    ScoringForm(page).wait_restored()
    expect(page.locator('[name="unit:name"]')).to_have_value("")


# --------------------------------------------------------------------------------------------
# Two tabs on the same assessment

NO_BROADCAST = "Object.defineProperty(window, 'BroadcastChannel', {value: undefined});"
CONFLICT = "Phiếu này đang được sửa ở một thẻ khác"


def two_tabs(recorded: Recorded, site_url: str, channel: str) -> tuple[Page, Page]:
    """Two pages of one browser on the same saved assessment (the second opens the newest)."""
    if channel == "storage":
        recorded.page.context.add_init_script(NO_BROADCAST)
    first = open_saving(recorded, site_url)
    assert first.evaluate("() => typeof BroadcastChannel") == (
        "undefined" if channel == "storage" else "function"
    )
    type_some(first)
    ScoringForm(first).save()
    second = first.context.new_page()
    second.goto(f"{site_url}{RUBRIC}/cham-diem/")
    ScoringForm(second).wait_restored()
    expect_typed(second)
    return first, second


def answers(record: dict[str, object]) -> dict[str, object]:
    """The self-assessment answers of a saved record."""
    doc = json.loads(str(record["document"]), parse_float=Decimal)
    found: dict[str, object] = doc["stages"]["self"]["answers"]
    return found


@pytest.mark.parametrize("channel", ["broadcast", "storage"])
def test_a_second_tab_is_noticed_and_nothing_is_overwritten(
    site_url: str, recorded: Recorded, channel: str
) -> None:
    """The second tab's save warns the first, which stops saving until the user chooses; kept
    as a copy, both versions are there."""
    first, second = two_tabs(recorded, site_url, channel)
    warning = first.locator("[data-conflict]")
    expect(warning).to_be_hidden()
    second.locator('[name="self:1.2"]').fill("1")
    ScoringForm(second).save()
    expect(warning).to_be_visible()
    expect(warning).to_have_role("alert")
    expect(warning).to_contain_text(CONFLICT)
    expect(first.get_by_role("button", name="Bỏ bản ở thẻ này")).to_be_hidden()
    # The first tab's edits are not saved over the second's.
    first.locator('[name="self:1.3"]').fill("0,5")
    ScoringForm(first).save()
    (record,) = saved_records(first)
    assert answers(record)["1.2"] == 1 and answers(record)["1.3"] is None
    expect(second.locator("[data-conflict]")).to_be_hidden()
    # Other actions wait for the choice: the focus goes to it.
    first.bring_to_front()  # (a background tab's clicks wait for throttled frames)
    first.get_by_role("button", name="Phiếu mới").click()
    expect(first.locator("dialog[data-confirm]")).to_be_hidden()
    expect(first.get_by_role("button", name="Tải bản ở thẻ kia")).to_be_focused()
    # Keep this tab's version as a copy: saved under a new id; the other record is untouched.
    first.get_by_role("button", name="Giữ bản ở thẻ này thành phiếu riêng").click()
    expect(warning).to_be_hidden()
    expect(first.locator("[data-save-status]")).to_contain_text("thành một phiếu riêng")
    records = saved_records(first)
    assert len(records) == 2
    copy = next(r for r in records if r["id"] != record["id"])
    assert answers(copy)["1.3"] == Decimal("0.5") and answers(copy)["1.2"] is None
    assert answers(copy)["1.1"] == Decimal("1.5")
    (kept,) = [r for r in saved_records(first) if r["id"] == record["id"]]
    assert kept == record
    # From now on the tabs edit different records: no warning either way.
    second.locator('[name="self:1.4"]').fill("1")
    ScoringForm(second).save()
    first.locator('[name="self:1.4"]').fill("0,5")
    ScoringForm(first).save()
    expect(first.locator("[data-save-status]")).to_contain_text("Đã tự lưu")
    expect(second.locator("[data-save-status]")).to_contain_text("Đã tự lưu")
    expect(warning).to_be_hidden()
    expect(second.locator("[data-conflict]")).to_be_hidden()


@pytest.mark.parametrize("channel", ["broadcast", "storage"])
def test_loading_the_other_tabs_version(site_url: str, recorded: Recorded, channel: str) -> None:
    """ "Tải bản ở thẻ kia" shows the other tab's version and saves on top of it; that tab is
    warned in turn."""
    first, second = two_tabs(recorded, site_url, channel)
    second.locator('[name="self:1.2"]').fill("1")
    ScoringForm(second).save()
    expect(first.locator("[data-conflict]")).to_contain_text(CONFLICT)
    first.locator('[name="self:1.3"]').fill("0,5")  # dropped by the choice below
    first.bring_to_front()
    first.get_by_role("button", name="Tải bản ở thẻ kia").click()
    expect(first.locator("[data-conflict]")).to_be_hidden()
    expect(first.locator('[name="self:1.2"]')).to_have_value("1")
    expect(first.locator('[name="self:1.3"]')).to_have_value("")
    first.locator('[name="self:1.4"]').fill("2")
    ScoringForm(first).save()
    expect(second.locator("[data-conflict]")).to_contain_text(CONFLICT)
    (record,) = saved_records(first)
    assert answers(record)["1.2"] == 1 and answers(record)["1.4"] == 2


def test_a_refused_save_warns_even_without_a_message(site_url: str, recorded: Recorded) -> None:
    """Another writer changed the record and told nobody: the compare-and-set refuses this
    tab's save, which warns instead of overwriting."""
    page = open_saving(recorded, site_url)
    type_some(page)
    ScoringForm(page).save()
    page.evaluate(
        """(name) => new Promise((resolve, reject) => {
            const open = indexedDB.open(name);
            open.onsuccess = () => {
                const tx = open.result.transaction("assessments", "readwrite");
                const store = tx.objectStore("assessments");
                store.getAll().onsuccess = (event) => {
                    const [record] = event.target.result;
                    store.put({...record, unit: "Sửa ở nơi khác", revision: record.revision + 1});
                };
                tx.oncomplete = () => { open.result.close(); resolve(); };
                tx.onerror = () => reject(tx.error);
            };
        })""",
        database(page),
    )
    page.locator('[name="self:1.2"]').fill("1")
    ScoringForm(page).save()
    expect(page.locator("[data-conflict]")).to_contain_text(CONFLICT)
    (record,) = saved_records(page)
    assert record["unit"] == "Sửa ở nơi khác" and answers(record)["1.2"] is None


def test_deleted_in_another_tab(site_url: str, recorded: Recorded) -> None:
    """Deleted in the second tab: the first says so, and can keep its version or drop it."""
    first, second = two_tabs(recorded, site_url, "broadcast")
    ScoringForm(second).show_saved()
    second.get_by_role("button", name="Xóa phiếu UBND xã A").click()
    second.locator("dialog[data-confirm]").get_by_role("button", name="Xóa phiếu").click()
    warning = first.locator("[data-conflict]")
    expect(warning).to_contain_text("Phiếu này vừa bị xóa ở một thẻ khác")
    expect(first.get_by_role("button", name="Tải bản ở thẻ kia")).to_be_hidden()
    assert saved_records(first) == []
    first.bring_to_front()
    first.get_by_role("button", name="Giữ bản ở thẻ này thành phiếu riêng").click()
    expect(warning).to_be_hidden()
    (record,) = saved_records(first)
    assert record["unit"] == "UBND xã A"
    ScoringForm(second).show_saved()
    expect(second.locator("[data-saved-list] li")).to_have_count(1)


# --------------------------------------------------------------------------------------------
# Export and import

HUNG_YEN = load_file(ROOT / "rubrics" / "hung-yen-2020.yaml")
BAC_KAN = load_file(ROOT / "rubrics" / "bac-kan-2017.yaml")
HOSTILE = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"
COUNT_READS = """
window.__reads = 0;
for (const name of ["text", "arrayBuffer"]) {
  const read = Blob.prototype[name];
  Blob.prototype[name] = function () { window.__reads += 1; return read.call(this); };
}
"""


def but_updated(doc: dict[str, Any]) -> dict[str, Any]:
    """A document without its `updated` time (set again by each save and export)."""
    return {k: v for k, v in doc.items() if k != "updated"}


def today(page: Page) -> str:
    """The browser's local date, YYYY-MM-DD."""
    date: str = page.evaluate(
        """() => { const d = new Date(), p = (n) => String(n).padStart(2, "0");
            return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`; }"""
    )
    return date


def test_export_then_import_gives_the_same_document(site_url: str, recorded: Recorded) -> None:
    """The file is named after the assessment's state (the appraisal has begun), the unit and
    the date and passes scoring_py; imported into a blank form it opens as a new saved
    assessment holding the same document."""
    page = open_saving(recorded, site_url, python=True)
    type_some(page)
    page.locator('[name="unit:type"]').select_option("xa")
    page.locator('[name="unit:year"]').fill("2026")
    page.get_by_label("Chế độ thẩm định").check()
    page.locator('[name="appraisal:1.1"]').fill("1")
    page.locator('[name="report:1:done_well"]').fill("Dòng một\nDòng hai")
    page.locator('[name="proposed_band"]').fill("Tốt")
    date = today(page)
    name, text = ScoringForm(page).export()
    assert name == f"danh-gia-dang-tham-dinh-ubnd-xa-a-{date}.json"
    assert text.startswith('{\n  "format": "thangdiem-assessment",\n')
    checked = json.loads(api.validate_document(rubric_json(HUNG_YEN), text))
    assert checked["ok"], checked
    exported = exact(text)
    assert exported["created"] and exported["updated"] >= exported["created"]
    assert exported["stages"]["self"]["answers"]["1.1"] == ("number", "1.5")
    assert but_updated(exact(ScoringForm(page).document())) == but_updated(exported)
    expect(page.locator("[data-save-status]")).to_contain_text(f"Đã xuất tệp {name}")
    (first,) = saved_records(page)
    # Import into a blank form: a new saved record, the first one untouched.
    ScoringForm(page).start_new()
    ScoringForm(page).wait_ready()
    ScoringForm(page).import_file(name, text)
    expect(page.locator("[data-save-status]")).to_contain_text(
        f"Đã nhập tệp {name} thành một phiếu mới"
    )
    expect(page.locator("[data-file-message]")).to_be_hidden()
    expect_typed(page)
    expect(page.locator('[name="report:1:done_well"]')).to_have_value("Dòng một\nDòng hai")
    expect(page.get_by_label("Chế độ thẩm định")).to_be_checked()
    expect(page.locator('[data-total="final"]')).to_have_text("4")
    assert but_updated(exact(ScoringForm(page).document())) == but_updated(exported)
    records = saved_records(page)
    assert len(records) == 2
    assert [r for r in records if r["id"] == first["id"]] == [first]
    ScoringForm(page).show_saved()
    ScoringForm(page).expect_saved(["UBND xã A", "UBND xã A"])
    # Exported again: the same document.
    again_name, again = ScoringForm(page).export()
    assert again_name == name
    assert but_updated(exact(again)) == but_updated(exported)


def bad_files() -> list[tuple[str, str | bytes, str]]:
    """(file name, content, the message's expected end): files that must change nothing."""
    newer = document.template(HUNG_YEN) | {"version": 99}
    hostile = document.template(HUNG_YEN, name=HOSTILE)
    hostile["evidence"]["1.1"]["documents"] = SCRIPT
    hostile[HOSTILE] = SCRIPT  # a key the format does not have: the message quotes it
    wrong_type = document.template(HUNG_YEN)
    wrong_type["unit"]["name"] = ["<b>x</b>"]
    return [
        ("hong.json", '{"format": "thangdiem-assessment", ', "Tệp không phải JSON hợp lệ: "),
        ("nhi-phan.json", b"\xff\xfe\x00<\x00s\x00", "Tệp phải được mã hóa UTF-8."),
        ("rong.json", "", "Tệp không phải JSON hợp lệ: "),
        ("sau.json", "[" * 100_000, "lồng nhau quá sâu (quá 64 cấp)."),
        (
            "khac.json",
            '{"name": "không phải phiếu", "items": [1, 2]}',
            "không phải là tài liệu chấm điểm của thangdiem (thiếu hoặc sai trường 'format',"
            " cần 'thangdiem-assessment').",
        ),
        ("mang.json", "[1, 2]", "(nội dung không phải một đối tượng JSON)."),
        (
            "bac-kan.json",
            codec.dumps(document.template(BAC_KAN, name="Xã B")),
            "tệp là phiếu chấm theo thang điểm Bắc Kạn (1878-QĐ/TU), không phải thang điểm"
            " của trang này. Hãy nhập tệp ở trang “Phiếu chấm điểm” của thang điểm Bắc Kạn",
        ),
        ("moi.json", codec.dumps(newer), "Hãy dùng bản thangdiem mới nhất."),
        (f"{HOSTILE}.json", codec.dumps(hostile), f"{HOSTILE}: khóa không được phép"),
        (SCRIPT, codec.dumps(wrong_type), "unit.name: phải là một chuỗi (nhận được một danh sách)"),
    ]


def test_bad_files_change_nothing(site_url: str, recorded: Recorded, tmp_path: Path) -> None:
    """Malformed, foreign, another rubric's, hostile, too large: a Vietnamese
    message (text, never HTML); the form and the saved assessments stay as they were."""
    recorded.page.context.add_init_script(COUNT_READS)
    page = open_saving(recorded, site_url, python=True)
    type_some(page)
    ScoringForm(page).save()
    before = ScoringForm(page).document()
    records = saved_records(page)
    message = page.locator("[data-file-message]")
    ScoringForm(page).wait_ready()
    for name, content, reason in bad_files():
        ScoringForm(page).import_file(name, content)
        expect(message).to_be_visible()
        expect(message).to_have_role("alert")
        expect(message).to_contain_text(f"Không nhập được tệp {name}: ")
        expect(message).to_contain_text(reason)
        expect(message.locator("*")).to_have_count(0)
        assert ScoringForm(page).document() == before, name
        assert saved_records(page) == records, name
        assert page.evaluate("() => window.__pwned") is None
    expect(page.locator("img[src='x']")).to_have_count(0)
    expect_typed(page)
    # Over 50 MB: refused before it is read (a sparse file: nothing is really written).
    big = tmp_path / "lon.json"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 1)
    reads = page.evaluate("() => window.__reads")
    page.get_by_label("Nhập tệp JSON").set_input_files(big)
    expect(message).to_have_text(
        "Không nhập được tệp lon.json: tệp quá lớn (50,0 MB; tệp chấm điểm không quá 50,0 MB)"
    )
    assert page.evaluate("() => window.__reads") == reads
    assert ScoringForm(page).document() == before
    assert saved_records(page) == records
    # A good file afterwards clears the message.
    _, good = ScoringForm(page).export()
    ScoringForm(page).import_file("tot.json", good)
    expect(message).to_be_hidden()
    expect(page.locator("[data-save-status]")).to_contain_text("Đã nhập tệp tot.json")
    assert page.evaluate("() => window.__reads") == reads + 1


def test_a_hostile_but_valid_file_shows_its_texts_literally(
    site_url: str, recorded: Recorded
) -> None:
    """HTML in a valid file's texts (and name) is shown as text and never runs."""
    page = open_saving(recorded, site_url, python=True)
    doc = document.template(HUNG_YEN, name=HOSTILE)
    doc["evidence"]["1.1"]["documents"] = SCRIPT
    doc["report"]["1"]["done_well"] = f'{HOSTILE}\n"</textarea>{SCRIPT}'
    doc["proposed_band"] = "<b onmouseover=window.__pwned=1>Tốt</b>"
    doc["stages"]["self"]["answers"]["1.1"] = HOSTILE
    ScoringForm(page).wait_ready()
    ScoringForm(page).import_file(f"{HOSTILE}.json", codec.dumps(doc))
    expect(page.locator("[data-save-status]")).to_have_text(
        f"Đã nhập tệp {HOSTILE}.json thành một phiếu mới."
    )
    expect(page.locator('[name="unit:name"]')).to_have_value(HOSTILE)
    expect(page.locator('[name="evidence:1.1:documents"]')).to_have_value(SCRIPT)
    expect(page.locator('[name="report:1:done_well"]')).to_have_value(
        f'{HOSTILE}\n"</textarea>{SCRIPT}'
    )
    expect(page.locator('[name="proposed_band"]')).to_have_value(
        "<b onmouseover=window.__pwned=1>Tốt</b>"
    )
    expect(page.locator('[name="self:1.1"]')).to_have_value(HOSTILE)
    expect(page.locator('[data-problems="1.1"]')).to_contain_text(f"(nhận được '{HOSTILE}')")
    ScoringForm(page).show_saved()
    ScoringForm(page).expect_saved([HOSTILE])
    (record,) = saved_records(page)
    assert record["unit"] == HOSTILE
    expect(page.locator("img[src='x']")).to_have_count(0)
    expect(page.locator(".td-app b")).to_have_count(0)
    assert page.evaluate("() => window.__pwned") is None
    assert not page.evaluate(
        "() => [...document.scripts].some((s) => s.textContent.includes('__pwned'))"
    )
    # The same document; saved, it has the times it was created and saved.
    imported = exact(ScoringForm(page).document())
    assert imported["created"] and imported["updated"]
    assert imported | {"created": None, "updated": None} == exact(codec.dumps(doc))


def test_the_page_reminds_to_export_what_no_file_holds(site_url: str, recorded: Recorded) -> None:
    """A draft lives in this browser only until it is exported: the page says so beside
    "Xuất tệp JSON" while the form holds content no exported file has, and "Các phiếu đã lưu"
    marks such drafts "chưa xuất"; an export clears both until the form changes again, and the
    file says its state (self-scored) in its name."""
    page = open_saving(recorded, site_url, python=True)
    ScoringForm(page).wait_ready()
    reminder = page.locator("[data-export-reminder]")
    expect(reminder).to_be_hidden()  # an empty form holds nothing to lose
    type_some(page)
    expect(reminder).to_be_visible()
    expect(reminder).to_contain_text("Phiếu này chưa được xuất ra tệp lần nào.")
    ScoringForm(page).save()
    ScoringForm(page).show_saved()
    expect(page.locator("[data-saved-list] .td-saved-unexported")).to_have_text(["chưa xuất"])
    name, _ = ScoringForm(page).export()
    assert name == f"danh-gia-tu-cham-ubnd-xa-a-{today(page)}.json"
    expect(reminder).to_be_hidden()
    expect(page.locator("[data-saved-list] .td-saved-unexported")).to_have_count(0)
    page.reload()
    ScoringForm(page).wait_restored()
    expect(reminder).to_be_hidden()  # the export is remembered across visits
    page.locator('[name="self:1.1"]').fill("2")
    expect(reminder).to_contain_text("Phiếu đã thay đổi sau lần xuất tệp gần nhất")
    ScoringForm(page).save()
    ScoringForm(page).show_saved()
    expect(page.locator("[data-saved-list] .td-saved-unexported")).to_have_text(["chưa xuất"])
