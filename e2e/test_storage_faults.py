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
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests import hardening
from tests.hardening import Tally

from .conftest import Recorded
from .test_saving import (
    HOSTILE,
    NO_INDEXEDDB,
    RUBRIC,
    database,
    expect_typed,
    export,
    keys,
    open_saving,
    save_now,
    saved_records,
    show_saved,
    type_some,
    wait_ready,
    wait_scoring,
)

pytestmark = pytest.mark.browser

SECTION = "luu-tru"
RUBRIC_KEY = "hung-yen-2020@2022.1"
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
    save_now(page)
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
    _, text = export(page)
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
    save_now(page)
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
    _, text = export(page)
    assert json.loads(text)["evidence"]["1.2"]["documents"] == "Báo cáo số 12/BC-UBND"
    # Leaving the page cannot keep a pending copy either: the next page still has the last save.
    page.reload()
    wait_ready(page)
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
    wait_scoring(page)
    type_some(page)
    expect(page.locator('[data-total="self"]')).to_have_text("4,5")
    name, text = export(page)
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
    wait_ready(page)
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
    wait_ready(page)
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
    wait_ready(other)
    show_saved(other)
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
    save_now(page)
    page.locator('[name="self:1.2"]').fill("1")
    save_now(page)
    assert page.evaluate("() => window.__persist") == 1
    show_saved(page)
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
    wait_ready(page)
    show_saved(page)
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
                {record: {rubric: "hung-yen-2020@2022.1", id: "yy"}, expected: "x"})); }""",
        keys(page),
    )
    stored = saved_records(page)
    pending = page.evaluate("() => Object.keys(localStorage).filter((k) => k.includes('pending'))")
    page.evaluate("() => sessionStorage.clear()")  # as a new tab: the most recent one opens
    page.reload()
    wait_ready(page)
    expect_typed(page)
    show_saved(page)
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
                {id: "rac2", rubric: "hung-yen-2020@2022.1", unit: "<b>x</b>"})); }""",
        keys(page),
    )
    before = local_records(page)
    page.reload()
    wait_ready(page)
    expect_typed(page)
    show_saved(page)
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
