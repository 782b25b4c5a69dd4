"""Storage faults in a real Chromium: a full storage, a blocked one, damaged saved data. The
user is told in Vietnamese (a visible live region), can still export what is on screen, and
nothing already saved is changed or deleted.

Faults are injected into the real browser: the storage APIs are wrapped by an init script
(a put that fails as a full disk makes it fail, an open refused as a private mode refuses it),
localStorage is really filled up, and garbage is written through the real APIs. Each test
writes its row of KIEM-THU-AN-TOAN.md (tests/hardening.py).
"""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from generator.loader import load_file
from scoring_py import codec, document
from testkit.server import Server
from testkit.site import ROOT, SUBPATH, build
from tests import hardening
from tests.hardening import Tally

from .conftest import Recorded
from .pages import READY_TIMEOUT_MS, ScoringForm
from .test_saving import (
    HOSTILE,
    NO_INDEXEDDB,
    RUBRIC,
    database,
    expect_typed,
    keys,
    open_saving,
    saved_records,
    type_some,
)

pytestmark = pytest.mark.browser

SECTION = "luu-tru"
RUBRIC_KEY = "hung-yen-2020@2022.2"
TRAP = "window.__pwned = undefined; window.__errors = [];"
FULL_INDEXEDDB = """
window.__storageFull = false;
const put = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function (...args) {
  if (window.__storageFull) {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  }
  return put.apply(this, args);
};
"""
BLOCKED = """
const refuse = () => { throw new DOMException("The operation is insecure.", "SecurityError"); };
IDBFactory.prototype.open = refuse;
for (const name of ["localStorage", "sessionStorage"]) {
  Object.defineProperty(window, name, { get: refuse, configurable: true });
}
"""
INDEXEDDB_REFUSED = """
IDBFactory.prototype.open = () => {
  throw new DOMException("A mutation operation was attempted.", "InvalidStateError");
};
"""
FILL_LOCALSTORAGE = """() => {
  let n = 0;
  for (let size = 1 << 20; size >= 1; size >>= 1) {
    for (;;) {
      try { localStorage.setItem(`rac:${n}`, "x".repeat(size)); n += 1; }
      catch (error) { if (error.name !== "QuotaExceededError") throw error; break; }
    }
  }
  return n;
}"""
STATUS = "[data-save-status]"
KEEP_IT = "Những gì đã nhập vẫn còn trên trang; hãy dùng “Xuất tệp JSON” để giữ lại"
FULL_ADVICE = (
    "Hãy “Xuất tệp JSON” ngay để giữ những gì đã nhập (vẫn còn trên trang), rồi giải phóng dung"
    " lượng ổ đĩa"
)
DISK_FULL = """
// A full disk as Chromium reports it (DataError), per tab: sessionStorage "test:disk" is "put"
// (writes refused) or "open" (IndexedDB refuses to open as well).
const disk = () => sessionStorage.getItem("test:disk");
const put = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function (...args) {
  if (disk()) throw new DOMException("Data error.", "DataError");
  return put.apply(this, args);
};
const open = IDBFactory.prototype.open;
IDBFactory.prototype.open = function (...args) {
  if (disk() === "open") throw new DOMException("Internal error.", "UnknownError");
  return open.apply(this, args);
};
"""


class Faults:
    """A page under faults: its uncaught errors are counted, and foreign code is trapped."""

    def __init__(self, recorded: Recorded, *scripts: str) -> None:
        self.errors: list[str] = []
        context = recorded.page.context
        context.add_init_script(TRAP)
        for script in scripts:
            context.add_init_script(script)
        recorded.page.on("pageerror", self._error)

    def _error(self, error: Exception) -> None:
        # Most tests refuse Pyodide's download (saving needs no Python): that fetch fails.
        if str(error) != "Failed to fetch":
            self.errors.append(str(error))

    def tally(self, kind: str, page: Page, tried: int, lost: int, told: bool = True) -> Tally:
        """The row: every fault was told about (or, not `told`, worked around), none crashed
        or ran foreign code."""
        ran = page.evaluate("() => window.__pwned") is not None
        assert self.errors == [], self.errors
        told_of = tried if told else 0
        return Tally(kind, tried, told_of, tried - told_of, len(self.errors), int(ran), lost)


def saved_once(recorded: Recorded, site_url: str, *scripts: str) -> tuple[Faults, Page]:
    """The scoring page under `scripts`, with the usual answers typed and saved."""
    faults = Faults(recorded, *scripts)
    page = open_saving(recorded, site_url)
    type_some(page)
    ScoringForm(page).save()
    return faults, page


def expect_error(page: Page, *parts: str) -> None:
    """The save status says each part, as an error, in a visible polite live region."""
    status = page.locator(STATUS)
    for part in parts:
        expect(status).to_contain_text(part)
    expect(status).to_be_visible()
    expect(status).to_have_attribute("data-kind", "error")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status.locator("*")).to_have_count(0)


def exported_answers(page: Page) -> dict[str, Any]:
    """Export the form; the file's self-assessment answers that are set."""
    _, text = ScoringForm(page).export()
    answers = json.loads(text)["stages"]["self"]["answers"]
    return {k: v for k, v in answers.items() if v is not None}


def local_records(page: Page) -> dict[str, str]:
    """The assessment and pending keys of localStorage, with their raw values."""
    found: dict[str, str] = page.evaluate(
        """(prefix) => Object.fromEntries(Object.keys(localStorage)
            .filter((k) => ["assessment:", "pending:"].some((p) => k.startsWith(prefix + p)))
            .map((k) => [k, localStorage.getItem(k)]))""",
        keys(page),
    )
    return found


def test_a_full_indexeddb(site_url: str, recorded: Recorded) -> None:
    """IndexedDB refuses to write (quota exceeded): the user is told, the last save stays as it
    was, the export holds what is on screen, and saving resumes once there is room."""
    faults, page = saved_once(recorded, site_url, FULL_INDEXEDDB)
    page.locator('[name="unit:name"]').fill(HOSTILE)
    ScoringForm(page).save()
    before = saved_records(page)
    page.evaluate("() => { window.__storageFull = true; }")
    tried = 0
    for value in ("1", "0,5"):
        page.locator('[name="self:1.2"]').fill(value)
        tried += 1
        expect_error(
            page,
            f"Không lưu được phiếu {HOSTILE}: bộ nhớ của trình duyệt dành cho trang này đã đầy.",
            FULL_ADVICE,
        )
        assert saved_records(page) == before
    assert exported_answers(page) == {"1.1": 1.5, "1.2": 0.5, "4.1": "4.1.2"}
    page.evaluate("() => { window.__storageFull = false; }")
    page.locator('[name="self:1.3"]').fill("1")
    expect(page.locator(STATUS)).to_contain_text("Đã tự lưu lúc")
    (after,) = saved_records(page)
    assert '"1.2":0.5,"1.3":1,' in str(after["document"])
    tally = faults.tally("Bộ nhớ đầy: IndexedDB từ chối ghi (QuotaExceededError)", page, tried, 0)
    hardening.check_row(SECTION, "indexeddb-day", tally)


def test_a_full_localstorage(site_url: str, recorded: Recorded) -> None:
    """Without IndexedDB, localStorage really filled to its quota: the same."""
    faults, page = saved_once(recorded, site_url, NO_INDEXEDDB)
    before = local_records(page)
    assert len(before) == 1
    assert page.evaluate(FILL_LOCALSTORAGE) > 0
    page.locator('[name="self:1.2"]').fill("1")
    page.locator('[name="evidence:1.2:documents"]').fill("Báo cáo số 12/BC-UBND")
    expect_error(
        page,
        "Không lưu được phiếu UBND xã A: bộ nhớ của trình duyệt dành cho trang này đã đầy.",
        FULL_ADVICE,
    )
    assert local_records(page) == before
    assert exported_answers(page) == {"1.1": 1.5, "1.2": 1, "4.1": "4.1.2"}
    _, text = ScoringForm(page).export()
    assert json.loads(text)["evidence"]["1.2"]["documents"] == "Báo cáo số 12/BC-UBND"
    # Leaving the page cannot keep a pending copy either: the next page still has the last save.
    page.reload()
    ScoringForm(page).wait_restored()
    expect_typed(page)
    assert local_records(page) == before
    page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.startsWith('rac:'))"
        ".forEach((k) => localStorage.removeItem(k))"
    )
    page.locator('[name="self:1.2"]').fill("1")
    expect(page.locator(STATUS)).to_contain_text("Đã tự lưu lúc")
    tally = faults.tally("Bộ nhớ đầy: localStorage đầy thật (không có IndexedDB)", page, 2, 0)
    hardening.check_row(SECTION, "localstorage-day", tally)


def test_blocked_storage(site_url: str, recorded: Recorded) -> None:
    """IndexedDB and localStorage refused (SecurityError, as some private modes do): the page
    says nothing can be saved, still scores, exports and imports, and the theme still works."""
    faults = Faults(recorded, BLOCKED)
    page = recorded.page
    page.goto(f"{site_url}{RUBRIC}/cham-diem/")
    expect(page.locator("html")).to_have_attribute("data-saving", "off")
    expect_error(
        page,
        "Không lưu được phiếu trong trình duyệt này: trình duyệt không cho trang này lưu dữ liệu"
        " (chế độ duyệt riêng tư hoặc cài đặt chặn lưu trữ).",
        "hãy dùng “Xuất tệp JSON” để giữ lại.",
    )
    expect(page.locator("[data-saved]")).to_be_hidden()
    ScoringForm(page).wait_ready()
    type_some(page)
    expect(page.locator('[data-total="self"]')).to_have_text("4,5")
    name, text = ScoringForm(page).export()
    assert json.loads(text)["unit"]["name"] == "UBND xã A"
    # The exported file comes back in (not saved: nowhere to save it).
    page.get_by_role("button", name="Phiếu mới").click()
    dialog = page.locator("dialog[data-confirm]")
    expect(dialog).to_contain_text("Trình duyệt này không lưu được phiếu")
    dialog.get_by_role("button", name="Tạo phiếu mới").click()
    expect(page.locator('[name="unit:name"]')).to_have_value("")
    page.get_by_label("Nhập tệp JSON").set_input_files(
        {"name": name, "mimeType": "application/json", "buffer": text.encode("utf-8")}
    )
    expect(page.locator(STATUS)).to_contain_text(f"Đã nhập tệp {name} thành một phiếu mới.")
    expect_typed(page)
    expect(page.locator(".md-search__input")).to_be_enabled()
    tally = faults.tally(
        "Bị chặn: IndexedDB và localStorage đều bị từ chối (SecurityError)", page, 1, 0
    )
    hardening.check_row(SECTION, "bi-chan", tally)


FELL_BACK = (
    "Không mở được kho lưu trữ chính của trình duyệt (IndexedDB): {}. Trang này tạm lưu phiếu"
    " vào localStorage"
)


def test_indexeddb_refused_falls_back_to_localstorage(site_url: str, recorded: Recorded) -> None:
    """IndexedDB refuses to open: the page says that it saves in localStorage instead (never a
    silent change of store), the form is saved there and comes back on reload."""
    faults, page = saved_once(recorded, site_url, INDEXEDDB_REFUSED)
    expect(page.locator("[data-store-warning]")).to_contain_text(
        FELL_BACK.format("kho lưu trữ của trình duyệt báo lỗi (InvalidStateError)")
    )
    expect(page.locator(STATUS)).to_contain_text("(tạm vào localStorage, vì IndexedDB không mở")
    page.reload()
    ScoringForm(page).wait_restored()
    expect_typed(page)
    expect(page.locator("[data-store-warning]")).to_be_visible()
    assert len(local_records(page)) == 1
    tally = faults.tally("Bị chặn: chỉ IndexedDB (lưu vào localStorage thay, có báo)", page, 1, 0)
    hardening.check_row(SECTION, "indexeddb-bi-chan", tally)


def test_a_full_disk_is_said_and_nothing_typed_is_lost(site_url: str, recorded: Recorded) -> None:
    """The disk fills up (DataError on write, then IndexedDB cannot even open): each time the
    page says the disk is full and to export now; after a reload it says it saves in
    localStorage, opens what was typed meanwhile (the copy kept on leaving), never says "Đã tự
    lưu" for a write that failed; once the disk has room, that record is listed beside the
    others and moved into IndexedDB."""
    faults, page = saved_once(recorded, site_url, DISK_FULL)
    (before,) = saved_records(page)
    page.evaluate("() => sessionStorage.setItem('test:disk', 'put')")
    page.locator('[name="self:1.2"]').fill("1")
    expect_error(
        page,
        "Không lưu được phiếu UBND xã A: bộ nhớ của trình duyệt đã đầy hoặc ổ đĩa hết chỗ"
        " (DataError).",
        FULL_ADVICE,
    )
    assert saved_records(page) == [before]
    # Reloaded with the disk still full: IndexedDB does not open.
    page.evaluate("() => sessionStorage.setItem('test:disk', 'open')")
    page.reload()
    ScoringForm(page).wait_restored()
    warning = page.locator("[data-store-warning]")
    expect(warning).to_contain_text(
        FELL_BACK.format("bộ nhớ của trình duyệt đã đầy hoặc ổ đĩa hết chỗ (UnknownError)")
    )
    expect(warning).to_contain_text(FULL_ADVICE)
    expect_typed(page)
    expect(page.locator('[name="self:1.2"]')).to_have_value("1")
    expect(page.locator(STATUS)).to_contain_text("Đã khôi phục phiếu UBND xã A")
    page.locator('[name="self:1.3"]').fill("1")
    expect(page.locator(STATUS)).to_contain_text(
        "(tạm vào localStorage, vì IndexedDB không mở được; nên “Xuất tệp JSON”)."
    )
    expect(page.locator(STATUS)).to_have_attribute("data-kind", "error")
    (kept,) = [json.loads(v) for k, v in local_records(page).items() if "assessment:" in k]
    assert '"1.2":1,"1.3":1,' in kept["document"]
    # Room again: another tab lists both records, the localStorage one marked as such.
    other = page.context.new_page()
    opened = json.dumps(f"{keys(page)}open:{RUBRIC}")
    other.add_init_script(f"sessionStorage.setItem({opened}, {json.dumps(before['id'])})")
    other.goto(page.url)
    ScoringForm(other).wait_restored()
    ScoringForm(other).show_saved()
    names = other.locator("[data-saved-list] li")
    expect(names).to_have_count(2)
    expect(other.locator("[data-saved-list]")).to_contain_text("(lưu tạm trong localStorage)")
    other.locator("[data-saved-list] li").filter(has_text="lưu tạm").get_by_role(
        "button", name="Mở phiếu UBND xã A"
    ).click()
    expect(other.locator('[name="self:1.3"]')).to_have_value("1")
    expect(other.locator("[data-saved-list]")).not_to_contain_text("lưu tạm trong localStorage")
    moved = saved_records(other)
    assert len(moved) == 2 and not [k for k in local_records(other) if "assessment:" in k]
    assert any('"1.2":1,"1.3":1,' in str(r["document"]) for r in moved)
    tally = faults.tally(
        "Ổ đĩa đầy: IndexedDB báo DataError khi ghi, UnknownError khi mở (lưu tạm vào"
        " localStorage, có báo)",
        page,
        3,
        0,
    )
    hardening.check_row(SECTION, "o-dia-day", tally)


PERSIST = """
// Count the requests to keep the site's storage; the answer is the real browser's.
window.__persist = 0;
const persist = StorageManager.prototype.persist;
StorageManager.prototype.persist = function () {
  window.__persist += 1;
  return persist.call(this);
};
"""


def test_the_browser_is_asked_to_keep_the_drafts(site_url: str, recorded: Recorded) -> None:
    """navigator.storage.persist() is asked once, at the first save; while the browser does not
    promise to keep the drafts, the saved list says that it may evict them."""
    faults = Faults(recorded, PERSIST)
    page = open_saving(recorded, site_url)
    assert page.evaluate("() => window.__persist") == 0
    type_some(page)
    ScoringForm(page).save()
    page.locator('[name="self:1.2"]').fill("1")
    ScoringForm(page).save()
    assert page.evaluate("() => window.__persist") == 1
    ScoringForm(page).show_saved()
    kept = page.evaluate("() => navigator.storage.persisted()")
    note = page.locator("[data-saved-evict]")
    if kept:
        expect(note).to_be_hidden()
    else:
        expect(note).to_have_text(
            "Trình duyệt chưa cam kết giữ lâu dài các phiếu lưu ở đây: khi ổ đĩa thiếu chỗ, nó"
            " có thể tự xóa chúng. Hãy “Xuất tệp JSON” để giữ chắc từng phiếu."
        )
    # Without the API (some browsers): the same warning, nothing breaks.
    page.context.add_init_script("delete StorageManager.prototype.persisted;")
    page.reload()
    ScoringForm(page).wait_restored()
    ScoringForm(page).show_saved()
    expect(note).to_be_visible()
    kind = "Trình duyệt có thể tự xóa phiếu (persist() chưa được chấp nhận)"
    tally = faults.tally(kind, page, 2, 0)
    hardening.check_row(SECTION, "persist", tally)


GARBAGE = [
    {
        "id": "hong-json",
        "rubric": RUBRIC_KEY,
        "unit": "X",
        "revision": 1,
        "updated": "2099-01-01T00:00:00.000Z",
        "document": "{không phải json",
    },
    {
        "id": "hong-format",
        "rubric": RUBRIC_KEY,
        "unit": HOSTILE,
        "revision": 1,
        "updated": "2098-01-01T00:00:00.000Z",
        "document": '{"format": "khac"}',
    },
    {
        "id": "hong-kieu",
        "rubric": RUBRIC_KEY,
        "unit": 5,
        "revision": "x",
        "updated": "hôm qua",
        "document": None,
    },
    {"id": 42, "rubric": RUBRIC_KEY, "unit": None},
    {"id": "thang-diem-khac", "rubric": "bac-kan-2017@1", "unit": None, "document": "{"},
]
"""Records that this code never writes, written through the real IndexedDB API."""
PUT_GARBAGE = """([name, records]) => new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
        const tx = open.result.transaction("assessments", "readwrite");
        for (const record of records) tx.objectStore("assessments").put(record);
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
    };
})"""
DAMAGED = re.compile(r"^Phiếu bị hỏng, không mở được \(.+\)$")


def test_damaged_records_in_indexeddb(site_url: str, recorded: Recorded) -> None:
    """Garbage records (newer than the good one) are listed as damaged, kept as they are and
    offered for download; the good record opens, lists and saves as before."""
    faults, page = saved_once(recorded, site_url)
    page.evaluate(PUT_GARBAGE, [database(page), GARBAGE])
    page.evaluate(
        """(prefix) => { localStorage.setItem(prefix + "pending:zz", "{{");
            localStorage.setItem(prefix + "pending:yy", JSON.stringify(
                {record: {rubric: "hung-yen-2020@2022.2", id: "yy"}, expected: "x"})); }""",
        keys(page),
    )
    stored = saved_records(page)
    pending = page.evaluate("() => Object.keys(localStorage).filter((k) => k.includes('pending'))")
    page.evaluate("() => sessionStorage.clear()")  # as a new tab: the most recent one opens
    page.reload()
    ScoringForm(page).wait_restored()
    expect_typed(page)
    ScoringForm(page).show_saved()
    names = page.locator("[data-saved-list] .td-saved-name")
    expect(names).to_have_count(5)
    expect(names.first).to_have_text("UBND xã A")
    for index in range(1, 5):
        expect(names.nth(index)).to_have_text(DAMAGED)
    expect(page.locator("[data-saved-list]")).to_contain_text("(JSON không hợp lệ")
    expect(page.locator("[data-saved-list]")).to_contain_text(
        "(nội dung không phải tài liệu chấm điểm)"
    )
    # Downloaded as stored.
    unreadable = page.locator(".td-saved-damaged").filter(has_text="JSON không hợp lệ")
    with page.expect_download() as info:
        unreadable.get_by_role("button", name="Tải về").click()
    assert json.loads(Path(info.value.path()).read_text(encoding="utf-8")) == GARBAGE[0]
    # Typing saves the good one; the garbage is untouched.
    page.locator('[name="self:1.2"]').fill("1")
    expect(page.locator(STATUS)).to_contain_text("Đã tự lưu lúc")
    after = saved_records(page)
    garbage = [r for r in stored if r["unit"] != "UBND xã A"]
    assert len(garbage) == len(GARBAGE)
    assert [r for r in after if r["unit"] != "UBND xã A"] == garbage
    assert (
        page.evaluate("() => Object.keys(localStorage).filter((k) => k.includes('pending'))")
        == pending
    )
    tally = faults.tally(
        "Dữ liệu lưu bị hỏng: bản ghi rác trong IndexedDB, bản sao chờ hỏng",
        page,
        len(GARBAGE) + 2,
        0,
    )
    hardening.check_row(SECTION, "indexeddb-hong", tally)


def test_damaged_records_in_localstorage(site_url: str, recorded: Recorded) -> None:
    """Without IndexedDB: a record that is not JSON stays where it is (unlisted), one of the
    wrong shape is listed as damaged; the good one opens and saves."""
    faults, page = saved_once(recorded, site_url, NO_INDEXEDDB)
    page.evaluate(
        """(prefix) => { localStorage.setItem(prefix + "assessment:rac", "không phải json");
            localStorage.setItem(prefix + "assessment:rac2", JSON.stringify(
                {id: "rac2", rubric: "hung-yen-2020@2022.2", unit: "<b>x</b>"})); }""",
        keys(page),
    )
    before = local_records(page)
    page.reload()
    ScoringForm(page).wait_restored()
    expect_typed(page)
    ScoringForm(page).show_saved()
    names = page.locator("[data-saved-list] .td-saved-name")
    expect(names).to_have_text(["UBND xã A", DAMAGED])
    page.locator('[name="self:1.2"]').fill("1")
    expect(page.locator(STATUS)).to_contain_text("Đã tự lưu lúc")
    after = local_records(page)
    assert {k: v for k, v in after.items() if "rac" in k} == {
        k: v for k, v in before.items() if "rac" in k
    }
    tally = faults.tally("Dữ liệu lưu bị hỏng: mục rác trong localStorage", page, 2, 0)
    hardening.check_row(SECTION, "localstorage-hong", tally)


DELETE_DATABASE = """(name) => new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
})"""


def test_the_database_deleted_by_another_tab(site_url: str, recorded: Recorded) -> None:
    """Another tab deletes the database; what this tab typed (the copy kept on leaving) opens
    again after a reload, with a message, and a save after the deletion is not lost either."""
    faults, page = saved_once(recorded, site_url)
    other = page.context.new_page()
    other.goto(page.url)
    ScoringForm(other).wait_restored()
    other.evaluate(DELETE_DATABASE, database(page))
    other.close()
    page.locator('[name="self:1.2"]').fill("1")
    page.reload()  # at once: the save may not have been written, the copy kept on leaving is
    ScoringForm(page).wait_restored()
    expect_typed(page)
    expect(page.locator('[name="self:1.2"]')).to_have_value("1")
    expect(page.locator(STATUS)).to_contain_text("Đã khôi phục phiếu UBND xã A")
    (record,) = saved_records(page)
    assert '"1.2":1,' in str(record["document"])
    # Deleted again while open: the next save says so and asks, then keeps this tab's version.
    page.evaluate(DELETE_DATABASE, database(page))
    page.locator('[name="self:1.3"]').fill("1")
    expect(page.locator("[data-conflict]")).to_contain_text("Phiếu này vừa bị xóa ở một thẻ khác")
    page.get_by_role("button", name="Giữ bản ở thẻ này thành phiếu riêng").click()
    expect(page.locator(STATUS)).to_contain_text("Đã lưu bản ở thẻ này thành một phiếu riêng.")
    (record,) = saved_records(page)
    assert '"1.2":1,"1.3":1,' in str(record["document"])
    tally = faults.tally("Cơ sở dữ liệu bị xóa ở một thẻ khác (hai lần)", page, 2, 0)
    hardening.check_row(SECTION, "indexeddb-bi-xoa", tally)


def test_a_clock_set_back_does_not_hide_the_latest(site_url: str, recorded: Recorded) -> None:
    """The computer's clock is set back a day between two saves: a new tab still opens the one
    saved last (the store's save counter decides), and the list shows it first."""
    faults, page = saved_once(recorded, site_url)
    ScoringForm(page).start_new()
    page.clock.install(time="2020-01-01T08:00:00Z")  # long before the first save
    type_some(page, "UBND xã B")
    ScoringForm(page).save()
    records = saved_records(page)
    assert [r["unit"] for r in sorted(records, key=lambda r: str(r["updated"]))] == [
        "UBND xã B",
        "UBND xã A",
    ]
    context = page.context
    page.close()
    again = context.new_page()
    again.goto(f"{site_url}{RUBRIC}/cham-diem/")
    ScoringForm(again).wait_restored()
    expect_typed(again, "UBND xã B")
    ScoringForm(again).show_saved()
    ScoringForm(again).expect_saved(["UBND xã B", "UBND xã A"])
    tally = faults.tally("Đồng hồ máy bị lùi một ngày giữa hai lần lưu", again, 1, 0, told=False)
    hardening.check_row(SECTION, "dong-ho-lui", tally)


TYPE_AND_LOOK = """() => {
    const field = document.querySelector('[name="self:1.2"]');
    field.value = "1";
    field.dispatchEvent(new Event("input", { bubbles: true }));
    return document.querySelector("[data-save-status]").textContent;
}"""


def test_the_status_says_saving_until_written(site_url: str, recorded: Recorded) -> None:
    """From a keystroke until its save is written the status says "Đang lưu…" (a browser killed
    meanwhile loses those keystrokes: the page never claimed them saved); then "Đã tự lưu"."""
    faults, page = saved_once(recorded, site_url, FULL_INDEXEDDB)
    expect(page.locator(STATUS)).to_contain_text("Đã tự lưu lúc")
    assert page.evaluate(TYPE_AND_LOOK) == "Đang lưu…"
    expect(page.locator(STATUS)).to_contain_text("Đã tự lưu lúc")
    (record,) = saved_records(page)
    assert '"1.2":1,' in str(record["document"])
    # A write that fails is never said to be saved.
    page.evaluate("() => { window.__storageFull = true; }")
    page.locator('[name="self:1.3"]').fill("1")
    expect(page.locator(STATUS)).to_contain_text("Không lưu được phiếu UBND xã A")
    page.wait_for_timeout(1000)
    expect(page.locator(STATUS)).not_to_contain_text("Đã tự lưu")
    tally = faults.tally("Gõ rồi trình duyệt bị tắt ngay (trong 0,3 giây chờ lưu)", page, 2, 0)
    hardening.check_row(SECTION, "dang-luu", tally)


# --------------------------------------------------------------------------------------------
# A new version of the rubric; two copies of the site on one origin

NEW_VERSION = "2023.1"
LEVEL_413 = re.compile(r'\n          - id: "4\.1\.3"\n.*?(?=\n        note:)', re.DOTALL)


def build_one_rubric(tmp: Path, rubric_text: str) -> Path:
    """A site of the Hưng Yên rubric only (the text given), built with the project's
    mkdocs.yml and hook under <folder>/thangdiem/; return <folder>."""
    rubrics = tmp / "rubrics"
    rubrics.mkdir(parents=True)
    shutil.copytree(ROOT / "rubrics" / "sources", rubrics / "sources")
    (rubrics / f"{RUBRIC}.yaml").write_text(rubric_text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:  # mkdocs.yml's extra.thangdiem.rubrics
        patch.setenv("THANGDIEM_RUBRICS", str(rubrics))
        build(tmp / "served" / SUBPATH)
    return tmp / "served"


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two deployments of a Hưng Yên site at /thangdiem/: the rubric as it is (2022.2), then
    version 2023.1 without level 4.1.3."""
    text = (ROOT / "rubrics" / f"{RUBRIC}.yaml").read_text(encoding="utf-8")
    newer, removed = LEVEL_413.subn("", text.replace('version: "2022.2"', 'version: "2023.1"'))
    assert removed == 1
    first = build_one_rubric(tmp_path_factory.mktemp("version-1"), text)
    second = build_one_rubric(tmp_path_factory.mktemp("version-2"), newer)
    return first, second


def downloaded(page: Page, button: Any) -> dict[str, Any]:
    """Click a button that downloads a file; the file's JSON."""
    with page.expect_download() as info:
        button.click()
    data: dict[str, Any] = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    return data


CARRIED = (
    "Phiếu này được chấm theo phiên bản '2022.2' của thang điểm hung-yen-2020; đã chuyển sang"
    " phiên bản hiện hành '2023.1'."
)
NOT_CARRIED = "Mục 4.1 (tự chấm): mức này không còn; câu trả lời '4.1.3' không được chuyển sang."


def test_a_new_rubric_version_keeps_every_draft(
    versions: tuple[Path, Path], recorded: Recorded
) -> None:
    """Drafts written on version 2022.2, then 2023.1 deployed at the same address: both drafts
    are listed; the one open comes back carried over, with a notice naming the answer that
    could not be carried (kept in the record, downloadable as the original); the other is
    listed under its version, downloadable as it is and opened on request; a 2022.2 file
    imports the same way; nothing is lost."""
    faults = Faults(recorded)
    first, second = versions
    with Server(first).start() as server:
        url = f"{server.url}{SUBPATH}/{RUBRIC}/cham-diem/"
        page = recorded.page
        page.goto(url)
        ScoringForm(page).wait_restored()
        type_some(page, "UBND xã C")
        ScoringForm(page).save()
        ScoringForm(page).start_new()
        type_some(page)
        page.locator('[name="self:4.1"][value="4.1.3"]').check()
        ScoringForm(page).save()
        _, old_file = ScoringForm(page).export()
        assert json.loads(old_file)["rubric"]["version"] == "2022.2"
        server.root = second  # the next deployment, same address
        page.reload()
        # Carrying the draft over needs Python: the draft is back once Python is up.
        expect(page.locator(STATUS)).to_contain_text(
            "Đang chuyển phiếu UBND xã A (phiên bản 2022.2) sang phiên bản hiện hành"
        )
        expect(page.locator("html")).to_have_attribute(
            "data-saving", "ready", timeout=READY_TIMEOUT_MS
        )
        notice = page.locator("[data-carry]")
        expect(notice).to_contain_text(CARRIED)
        expect(notice).to_contain_text(NOT_CARRIED)
        expect(page.locator(STATUS)).to_contain_text(CARRIED)
        expect(page.locator('[name="unit:name"]')).to_have_value("UBND xã A")
        expect(page.locator('[name="self:1.1"]')).to_have_value("1,5")
        expect(page.locator('[name="evidence:1.1:documents"]')).to_have_value("Kế hoạch số 5/KH")
        expect(page.locator('[name="self:4.1"][value="4.1.3"]')).to_have_count(0)
        original = downloaded(page, notice.get_by_role("button", name="Tải bản gốc"))
        assert original["rubric"]["version"] == "2022.2"
        assert original["stages"]["self"]["answers"]["4.1"] == "4.1.3"
        ScoringForm(page).save()
        records = {r["unit"]: r for r in saved_records(page)}
        carried = records["UBND xã A"]
        assert carried["rubric"] == f"{RUBRIC}@{NEW_VERSION}"
        carried_from = carried["carried"]
        assert isinstance(carried_from, dict)
        assert carried_from["from"] == RUBRIC_KEY
        assert '"4.1":"4.1.3"' in carried_from["document"]
        assert [d["code"] for d in carried_from["dropped"]] == ["level_removed"]
        assert records["UBND xã C"]["rubric"] == RUBRIC_KEY  # untouched until opened
        # Listed: the carried one, then the other version's group.
        ScoringForm(page).show_saved()
        listed = page.locator("[data-saved-list]")
        expect(listed).to_contain_text("(chuyển từ phiên bản 2022.2)")
        expect(listed).to_contain_text("Phiếu theo phiên bản 2022.2 của thang điểm (1)")
        expect(listed.locator(".td-saved-name")).to_have_text(["UBND xã A", "UBND xã C"])
        as_it_is = downloaded(page, listed.get_by_role("button", name="Tải về phiếu UBND xã C"))
        assert as_it_is["rubric"]["version"] == "2022.2"
        assert as_it_is["stages"]["self"]["answers"]["4.1"] == "4.1.2"
        _, exported = ScoringForm(page).export()
        assert json.loads(exported)["rubric"]["version"] == NEW_VERSION
        listed.get_by_role("button", name="Mở phiếu UBND xã C").click()
        expect(page.locator('[name="unit:name"]')).to_have_value("UBND xã C")
        expect(notice).to_contain_text("Mọi câu trả lời đều được chuyển sang")
        expect(page.locator('[name="self:4.1"][value="4.1.2"]')).to_be_checked()
        # The 2022.2 file imports as a new assessment, carried over the same way.
        ScoringForm(page).import_file("cu.json", old_file)
        expect(page.locator(STATUS)).to_contain_text(
            f"Đã nhập tệp cu.json thành một phiếu mới. {CARRIED}"
        )
        expect(notice).to_contain_text(NOT_CARRIED)
        expect(page.locator('[name="unit:name"]')).to_have_value("UBND xã A")
        ScoringForm(page).save()
        records = saved_records(page)
        assert len(records) == 3
        assert {r["rubric"] for r in records} == {f"{RUBRIC}@{NEW_VERSION}"}
        assert sum(1 for r in records if r.get("carried")) == 3
    tally = faults.tally(
        "Thang điểm có phiên bản mới: phiếu của phiên bản cũ (lưu trong trình duyệt, tệp xuất)",
        page,
        3,
        0,
    )
    hardening.check_row(SECTION, "phien-ban-moi", tally)


LEGACY_RECORD = """([record, local]) => new Promise((resolve, reject) => {
    // What an older version of the site kept, under the names every copy shared.
    localStorage.setItem("thangdiem:assessment:" + local.id, JSON.stringify(local));
    const open = indexedDB.open("thangdiem", 1);
    open.onupgradeneeded = () => {
        open.result.createObjectStore("assessments", { keyPath: "id" })
            .createIndex("rubric", "rubric");
    };
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
        const tx = open.result.transaction("assessments", "readwrite");
        tx.objectStore("assessments").put(record);
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
    };
})"""
DATABASES = "async () => (await indexedDB.databases()).map((d) => d.name).sort()"


def legacy(record_id: str, unit: str, updated: str) -> dict[str, Any]:
    """A record as the un-namespaced versions of the site wrote it."""
    doc = document.template(load_file(ROOT / "rubrics" / f"{RUBRIC}.yaml"), name=unit)
    doc["stages"]["self"]["answers"]["1.1"] = Decimal("1.5")
    return {
        "id": record_id,
        "rubric": RUBRIC_KEY,
        "unit": unit,
        "created": updated,
        "updated": updated,
        "revision": 1,
        "document": codec.dumps(doc),
    }


def test_two_copies_of_the_site_on_one_origin(
    versions: tuple[Path, Path], recorded: Recorded, tmp_path: Path
) -> None:
    """Production and staging served under two paths of one origin (as GitHub Pages project
    sites are): each adopts the drafts the un-namespaced versions left, once, then keeps its
    own; a save in one never reaches the other (database, keys, channel), and the old database
    is left as it was."""
    faults = Faults(recorded)
    for name in ("san-xuat", "thu-nghiem"):
        shutil.copytree(versions[0] / SUBPATH, tmp_path / name)
    old = legacy("cu", "UBND xã Cũ", "2026-01-01T00:00:00.000Z")
    old_local = legacy("cu-local", "UBND xã Cũ (localStorage)", "2025-01-01T00:00:00.000Z")
    with Server(tmp_path).start() as server:
        production = recorded.page
        production.context.route("**/pyodide.asm.wasm", lambda route: route.abort())
        production.goto(f"{server.url}san-xuat/")  # a page that saves nothing
        production.evaluate(LEGACY_RECORD, [old, old_local])
        production.goto(f"{server.url}san-xuat/{RUBRIC}/cham-diem/")
        ScoringForm(production).wait_restored()
        expect(production.locator('[name="unit:name"]')).to_have_value("UBND xã Cũ")
        staging = production.context.new_page()
        staging.goto(f"{server.url}thu-nghiem/{RUBRIC}/cham-diem/")
        ScoringForm(staging).wait_restored()
        expect(staging.locator('[name="unit:name"]')).to_have_value("UBND xã Cũ")
        ScoringForm(staging).show_saved()
        ScoringForm(staging).expect_saved(["UBND xã Cũ", "UBND xã Cũ (localStorage)"])
        assert production.evaluate(DATABASES) == [
            "thangdiem",
            "thangdiem:/san-xuat/",
            "thangdiem:/thu-nghiem/",
        ]
        # Staging saves the same record: production hears nothing and keeps its own.
        staging.locator('[name="unit:name"]').fill("Bản thử nghiệm")
        ScoringForm(staging).save()
        production.wait_for_timeout(500)
        expect(production.locator("[data-conflict]")).to_be_hidden()
        production.locator('[name="self:1.2"]').fill("1")
        expect(production.locator(STATUS)).to_contain_text("Đã tự lưu lúc")
        production.reload()
        ScoringForm(production).wait_restored()
        expect(production.locator('[name="unit:name"]')).to_have_value("UBND xã Cũ")
        expect(production.locator('[name="self:1.2"]')).to_have_value("1")
        assert [r["unit"] for r in saved_records(production)] == ["UBND xã Cũ"]
        assert [r["unit"] for r in saved_records(staging)] == ["Bản thử nghiệm"]
        # Adopted once: deleted in production, it does not come back from the old database.
        ScoringForm(production).show_saved()
        production.get_by_role("button", name="Xóa phiếu UBND xã Cũ", exact=True).click()
        production.locator("dialog[data-confirm]").get_by_role("button", name="Xóa phiếu").click()
        expect(production.locator(STATUS)).to_contain_text("Đã xóa phiếu UBND xã Cũ")
        production.reload()
        ScoringForm(production).wait_restored()
        ScoringForm(production).show_saved()
        ScoringForm(production).expect_saved(["UBND xã Cũ (localStorage)"])
        staging.reload()
        ScoringForm(staging).wait_restored()
        expect(staging.locator('[name="unit:name"]')).to_have_value("Bản thử nghiệm")
        left = production.evaluate(
            """() => new Promise((resolve) => {
                const open = indexedDB.open("thangdiem");
                open.onsuccess = () => {
                    const all = open.result.transaction("assessments")
                        .objectStore("assessments").getAll();
                    all.onsuccess = () => { open.result.close(); resolve(all.result); };
                };
            })"""
        )
        assert left == [old]
        found = production.evaluate("() => Object.keys(localStorage).sort()")
        assert [k for k in found if k.endswith(":assessment:cu-local")] == [
            "thangdiem:/san-xuat/:assessment:cu-local",
            "thangdiem:/thu-nghiem/:assessment:cu-local",
            "thangdiem:assessment:cu-local",
        ]
    tally = faults.tally(
        "Hai bản sao của trang trên cùng một origin (sản xuất, thử nghiệm) và phiếu của bản cũ",
        production,
        2,
        0,
    )
    hardening.check_row(SECTION, "hai-ban-sao", tally)
