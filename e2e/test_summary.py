"""The summary page (<rubric-id>/tong-hop/) in a real browser: many assessment files summarised
by scoring_py.api.aggregate in the scoring worker, exactly as `thangdiem aggregate` prints them,
with the page responsive all along and every file's text shown as text."""

from __future__ import annotations

import copy
import json
import random
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from generator.loader import load_file
from scoring_py import api, codec, document, tables
from scoring_py.rubric import canonical_json
from testkit.cli import aggregate
from testkit.site import ROOT
from tests import casegen, hardening
from tests.hardening import Tally

from .conftest import Recorded, inject_axe
from .pages import READY_TIMEOUT_MS, SummaryPage
from .pdf import pdf_pages, squeeze

pytestmark = pytest.mark.browser

RUBRIC_ID = "bac-kan-2017"
RUBRIC = load_file(ROOT / "rubrics" / f"{RUBRIC_ID}.yaml")
OTHER = load_file(ROOT / "rubrics" / "hung-yen-2020.yaml")
SEED = 20261121
FILES = 500
HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">UBND xã <b>A</b>'
HOSTILE_FILE = '<img src=x onerror="window.__pwned=2">.json'
BOM = b"\xef\xbb\xbf"

# Before any page script: count animation frames, record long tasks, and log each change of
# the progress text and of <html data-summary> with the frame count at that moment.
WATCH = """
window.__frames = 0;
(function tick() { window.__frames++; requestAnimationFrame(tick); })();
window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__longtasks.push([Math.round(entry.startTime), Math.round(entry.duration)]);
  }
}).observe({ type: "longtask", buffered: true });
window.__log = [];
document.addEventListener("DOMContentLoaded", () => {
  const text = document.querySelector("[data-progress-text]");
  new MutationObserver(() => window.__log.push({
    text: text.textContent, frame: window.__frames, time: performance.now(),
  }))
    .observe(text, { childList: true, characterData: true, subtree: true });
  new MutationObserver(() => window.__log.push({
    state: document.documentElement.dataset.summary, frame: window.__frames,
    time: performance.now(),
  })).observe(document.documentElement, { attributes: true, attributeFilter: ["data-summary"] });
});
"""


def write(folder: Path, name: str, data: bytes | str) -> None:
    """Write one file of the set."""
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def unit_doc(rng: random.Random, name: str) -> dict[str, Any]:
    """A random document of the rubric (valid, missing and invalid answers) for a named unit."""
    doc = casegen.random_document(rng, RUBRIC)
    if doc["unit"]["name"] in casegen.TEXTS:  # the envelope is intact: name the unit
        doc["unit"]["name"] = name
    return doc


def make_files(folder: Path, count: int) -> None:
    """`count` files: random units of the rubric, duplicates, hostile texts, and files that
    must be refused (broken, truncated, not UTF-8, huge, another rubric or version)."""
    rng = random.Random(SEED)
    specials: dict[str, bytes | str] = {
        "khong-phai-json.json": "đây không phải JSON",
        "rong.json": "",
        "cat-ngang.json": casegen.to_json(document.template(RUBRIC))[:300],
        "mang.json": "[]",
        "bom.json": BOM + casegen.to_json(document.template(RUBRIC, name="Có BOM")).encode(),
        "windows-1258.json": b'{"format": "thangdiem-assessment", "name": "x\xe0\xff"}',
        "thang-diem-khac.json": casegen.to_json(document.template(OTHER, name="Xã khác")),
        "long-sau.json": "[" * 5000 + "]" * 5000,
        HOSTILE_FILE: "<b>không phải JSON</b>",
    }
    old = document.template(RUBRIC, name="Phiên bản cũ")
    old["rubric"]["version"] = "2017.1"
    specials["phien-ban-cu.json"] = casegen.to_json(old)
    hostile = document.template(RUBRIC, name=HOSTILE_NAME)
    hostile["stages"]["self"]["answers"]["1.1"] = Decimal(5)
    hostile["proposed_band"] = "<script>window.__pwned=3</script>"
    specials["don-vi-doc-hai.json"] = casegen.to_json(hostile)
    same = "UBND huyện Ba Bể"
    for n, name in enumerate((same, unicodedata.normalize("NFD", same), "  ubnd HUYỆN ba bể")):
        doc = unit_doc(rng, name)
        doc["unit"].update(name=name, year=2024)
        doc["rubric"].update(version=RUBRIC.version)  # keep these three valid
        doc.pop("extra", None)
        specials[f"trung-{n}.json"] = casegen.to_json(doc)
    for name, data in specials.items():
        write(folder, name, data)
    with (folder / "qua-lon.json").open("wb") as huge:  # sparse: 51 MB without the disk
        huge.truncate(51 * 1024 * 1024)
    for n in range(count - len(specials) - 1):
        doc = unit_doc(rng, f"Đơn vị số {n:03d}")
        write(folder, f"don-vi-{n:03d}.json", casegen.to_json(doc))


@dataclass(frozen=True)
class FileSet:
    """A folder of assessment files and what the command line says of them."""

    folder: Path
    summary: dict[str, Any]
    csv: bytes


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> FileSet:
    """500 files and `thangdiem aggregate`'s JSON and CSV for them."""
    folder = tmp_path_factory.mktemp("don-vi")
    make_files(folder, FILES)
    assert len(list(folder.iterdir())) == FILES
    summary = json.loads(cli(folder), parse_float=Decimal)
    csv = cli(folder, "--csv").encode("utf-8")
    assert summary["files"] == FILES
    return FileSet(folder, summary, csv)


def cli(folder: Path, *args: str) -> str:
    """Run `thangdiem aggregate` on every file of the folder (sorted names, as a shell lists
    them) from inside it; return what it prints."""
    names = sorted(p.name for p in folder.iterdir())
    done = aggregate(RUBRIC_ID, folder, names, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


def expected_tables(summary: dict[str, Any]) -> dict[str, list[list[str]]]:
    """The cells each table of the page must show for the command's summary: scoring_py.tables
    writes them; the page adds only the arrow before a difference."""
    out = {}
    for name, drawn in tables.tables(summary).items():
        kinds = [c["kind"] for c in drawn["columns"]]
        out[name] = [
            [
                _arrow(cell) if kind == "difference" else cell
                for cell, kind in zip(row, kinds, strict=True)
            ]
            for row in drawn["rows"]
        ]
    return out


def _arrow(cell: str) -> str:
    return f"↑ {cell}" if cell.startswith("+") else f"↓ {cell}" if cell.startswith("−") else cell


def api_summary(paths: list[Path]) -> dict[str, Any]:
    """scoring_py.api.aggregate's summary of the files, as the page's worker makes it."""
    entries = [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in paths]
    answer = api.aggregate(canonical_json(RUBRIC), json.dumps(entries))
    summary: dict[str, Any] = json.loads(answer, parse_float=Decimal)["summary"]
    return summary


def open_summary(recorded: Recorded, site_url: str) -> Page:
    """The summary page with the watchers installed (Python may still be loading)."""
    return SummaryPage.open(recorded.page, site_url, RUBRIC_ID, init_script=WATCH).page


def test_500_files_give_what_the_command_prints(
    recorded: Recorded, site_url: str, files: FileSet
) -> None:
    """500 files chosen at once (while Python loads) are summarised with the command's figures,
    row by row; the page draws frames all along; hostile texts show as text."""
    page = open_summary(recorded, site_url)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    paths = sorted(files.folder.iterdir())
    random.Random(SEED).shuffle(paths)  # the page sorts them as the shell does
    chosen = page.evaluate("performance.now()")
    SummaryPage(page).summarise(paths)
    expected = files.summary

    # The page kept drawing while the worker read and summarised: its progress text moved on
    # in steps, and animation frames ran between the steps and while Python worked.
    log: list[dict[str, Any]] = page.evaluate("window.__log")
    reads = [
        int(m.group(1)) for e in log if (m := re.match(r"Đang tổng hợp: (\d+)/", e.get("text", "")))
    ]
    assert reads == sorted(reads) and len(set(reads)) >= 5, log
    summing = next(e for e in log if e.get("text", "").startswith(f"Đã đọc {FILES} tệp"))
    assert log[-1]["state"] == "done", log
    # Summing all the files is one step of the worker's: if it lasts long enough for the
    # page to owe a few frames (100 ms), they were drawn meanwhile.
    if log[-1]["time"] - summing["time"] > 100:
        assert log[-1]["frame"] > summing["frame"], log

    units = [*expected["units"], *expected["review"]]
    superseded = sum(len(u["superseded"]) for u in units)
    assert len(units) + superseded + len(expected["rejected"]) == FILES
    assert len(expected["rejected"]) >= 13 and expected["review"] and superseded >= 2
    cells = expected_tables(expected)
    # The first rows at once, more as the reader scrolls, all with "Hiện tất cả".
    expect(page.locator('[data-rows="units"] tr')).to_have_count(200)
    page.locator('[data-rows="units"] tr').last.scroll_into_view_if_needed()
    expect(page.locator('[data-rows="units"] tr')).to_have_count(min(700, len(units)))
    expect(page.locator('[data-more-box="units"]')).to_be_hidden()
    assert SummaryPage(page).table("units") == cells["units"]
    if len(cells["review"]) > 200:
        SummaryPage(page).show_all("Hiện tất cả các tệp")
    expect(page.locator('[data-rows="review"] tr')).to_have_count(len(cells["review"]))
    headers = page.locator("[data-units-head] th").all_text_contents()
    assert headers == [c.title for c in tables.UNIT_COLUMNS]
    assert SummaryPage(page).table("bands") == cells["bands"]
    assert sum(int(r[1]) for r in SummaryPage(page).table("bands")) == len(units)
    assert SummaryPage(page).table("types") == cells["types"]
    assert SummaryPage(page).table("review") == cells["review"]
    assert SummaryPage(page).table("rejected") == cells["rejected"]
    groups = page.locator('[data-rows="duplicates"] fieldset')
    expect(groups).to_have_count(len(expected["duplicates"]))
    ba_be = next(
        d for d in expected["duplicates"] if "trung-0.json" in [f["file"] for f in d["files"]]
    )
    assert [f["file"] for f in ba_be["files"]] == ["trung-0.json", "trung-1.json", "trung-2.json"]
    overview = page.locator("[data-overview]")
    expect(overview).to_contain_text(tables.overview(expected))

    # Hostile texts are text: shown literally, nothing ran.
    hostile = page.locator('[data-rows="units"] tr', has_text="UBND xã <b>A</b>")
    expect(hostile.locator("th")).to_have_text(HOSTILE_NAME)
    proposed = [c.key for c in tables.UNIT_COLUMNS if not c.header].index("proposed")
    expect(hostile.locator("td").nth(proposed)).to_have_text("<script>window.__pwned=3</script>")
    expect(page.locator('[data-rows="rejected"] th', has_text="onerror")).to_have_text(HOSTILE_FILE)
    assert page.locator("[data-rows] img, [data-rows] script, [data-rows] b").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []

    # The difference is marked by an arrow and a sign, not by colour alone.
    changed = [u for u in expected["units"] if u["difference"]]
    assert changed
    marked = page.locator('[data-rows="units"] td.th-diff')
    expect(marked).to_have_count(len(changed))

    # The CSV download is the command's CSV, byte for byte (its byte order mark included).
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bảng CSV").click()
    download = info.value
    assert re.fullmatch(
        rf"tong-hop-{RUBRIC_ID}-\d{{4}}-\d\d-\d\d\.csv", download.suggested_filename
    )
    assert Path(download.path()).read_bytes() == files.csv
    assert files.csv.startswith(BOM)

    seconds = page.evaluate(
        "performance.getEntriesByName('thangdiem:summary').at(-1).duration / 1000"
    )
    tasks = [d for start, d in page.evaluate("window.__longtasks") if start >= chosen]
    print(f"\n{FILES} files: {seconds} s; main-thread long tasks after choosing (ms): {tasks}")


def test_the_excel_workbook_is_the_commands(
    recorded: Recorded, site_url: str, files: FileSet, tmp_path: Path
) -> None:
    """ "Tải bảng Excel" downloads the bytes `thangdiem aggregate --xlsx` writes for the same
    500 files; XlsxWriter's wheel is fetched on the press, not before."""
    page = open_summary(recorded, site_url)
    summary = SummaryPage(page)
    summary.summarise(sorted(files.folder.iterdir()))
    assert not [url for url in recorded.requests if "xlsxwriter" in url]
    name, data = summary.download_xlsx()
    assert re.fullmatch(rf"tong-hop-{RUBRIC_ID}-\d{{4}}-\d{{2}}-\d{{2}}\.xlsx", name), name
    out = tmp_path / "tong-hop.xlsx"
    assert cli(files.folder, "--xlsx", str(out)) == ""
    assert data == out.read_bytes()
    assert [url for url in recorded.requests if "xlsxwriter" in url]
    assert summary.download_xlsx()[1] == data  # again, without fetching the wheel again
    assert len([url for url in recorded.requests if "xlsxwriter" in url]) == 1


def test_files_dropped_on_the_box_are_summarised(recorded: Recorded, site_url: str) -> None:
    """Files dropped on the box are summarised, ties sharing a rank; axe finds no fault."""
    page = open_summary(recorded, site_url)
    expect(page.locator("html")).to_have_attribute(
        "data-scoring", "ready", timeout=READY_TIMEOUT_MS
    )
    docs = []
    for n, total in enumerate((7, 9, 9)):
        doc = document.template(RUBRIC, name=f"Sở {n}")
        doc["stages"]["self"]["answers"]["1.1"] = total
        docs.append(casegen.to_json(doc))
    entries = [{"name": f"so-{n}.json", "text": t} for n, t in enumerate(docs)]
    entries.append({"name": "hong.json", "text": "{"})
    answer = json.loads(api.aggregate(canonical_json(RUBRIC), json.dumps(entries)))
    ranks = [[str(u["rank"]), u["name"]] for u in answer["summary"]["units"]]
    assert [r[0] for r in ranks] == ["1", "1", "3"]
    page.evaluate(
        """(texts) => {
            const data = new DataTransfer();
            texts.forEach((t, i) => data.items.add(new File([t], `so-${i}.json`)));
            data.items.add(new File(["{"], "hong.json"));
            const box = document.querySelector("[data-drop]");
            box.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true}));
            box.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
        }""",
        docs,
    )
    expect(page.locator("html")).to_have_attribute("data-summary", "done")
    assert [r[:2] for r in SummaryPage(page).table("units")] == ranks
    expect(page.locator('[data-rows="rejected"] tr')).to_have_count(1)
    inject_axe(page)
    # The theme's red buttons are the whole site's palette, not this page's to change.
    violations = page.evaluate(
        """() => axe.run(".th-app", {rules: {"color-contrast": {enabled: false}}})
            .then(r => r.violations.map(v => `${v.id}: ${v.nodes[0].html}`))"""
    )
    assert violations == []


def appraised_pair(folder: Path) -> list[Path]:
    """A unit's self file and its appraised file, another unit, and a file with a bad entry."""
    items = [i for c in RUBRIC.criteria for i in c.items]
    own = document.template(RUBRIC, name="UBND huyện Pác Nặm")
    own["unit"]["year"] = 2024
    own["updated"] = "2024-11-10T08:00:00Z"
    for item in items:
        if item.given_by == "unit":
            own["stages"]["self"]["answers"][item.id] = casegen.full_marks(RUBRIC, item)
    team = copy.deepcopy(own)
    for item in items:
        team["stages"]["appraisal"]["answers"][item.id] = casegen.full_marks(RUBRIC, item)
    team["stages"]["appraisal"]["answers"][items[0].id] = Decimal(1)
    team["updated"] = "2024-12-01T08:00:00Z"
    other = document.template(RUBRIC, name="UBND huyện Na Rì")
    other["stages"]["self"]["answers"][items[0].id] = Decimal(5)
    bad = document.template(RUBRIC, name="UBND huyện Chợ Mới")
    bad["stages"]["self"]["answers"][items[0].id] = Decimal(500)
    files = {
        "pac-nam-tu-cham.json": own,
        "pac-nam-tham-dinh.json": team,
        "na-ri.json": other,
        "cho-moi.json": bad,
    }
    for name, doc in files.items():
        (folder / name).write_text(casegen.to_json(doc), encoding="utf-8")
    return [folder / name for name in files]


def test_a_unit_counts_once_and_the_summary_prints(
    recorded: Recorded, site_url: str, tmp_path: Path
) -> None:
    """A unit's self file plus its appraised file rank once, with the appraised total; the
    file with a bad entry is listed for review, not ranked; printed on landscape A4, the
    summary carries every unit's name (failing before: one blank page)."""
    page = open_summary(recorded, site_url)
    paths = appraised_pair(tmp_path)
    summary = api_summary(paths)
    [pac_nam] = [u for u in summary["units"] if u["name"] == "UBND huyện Pác Nặm"]
    assert pac_nam["file"] == "pac-nam-tham-dinh.json" and pac_nam["state"] == "appraised"
    SummaryPage(page).summarise(paths)
    rows = SummaryPage(page).table("units")
    assert [r[1] for r in rows] == ["UBND huyện Pác Nặm", "UBND huyện Na Rì", "UBND huyện Chợ Mới"]
    assert rows[0][:3] == [
        "1",
        "UBND huyện Pác Nặm",
        tables.shown(pac_nam["final"]["total"], "number"),
    ]
    assert rows[2][0] == "—" and rows[2][4] == "Cần xem lại"
    # Each file's content code, as its papers print it (and `thangdiem score --text` says).
    assert pac_nam["code"] in rows[0]
    review = SummaryPage(page).table("review")
    assert review == [
        ["UBND huyện Chợ Mới", "cho-moi.json", "Tự chấm, mục 1.1: điểm 500 vượt quá điểm tối đa 5"]
    ] or review[0][:2] == ["UBND huyện Chợ Mới", "cho-moi.json"]
    expect(page.locator('[data-rows="duplicates"] input:checked')).to_have_value(
        "pac-nam-tham-dinh.json"
    )

    # What the print button waits for: the printouts' one font.
    page.evaluate(
        "async (url) => (await import(url)).fontsReady()", f"{site_url}javascripts/lib/fonts.mjs"
    )
    page.emulate_media(media="print")
    expect(page.locator(".th-pick")).to_be_hidden()
    expect(page.get_by_role("button", name="Tải bảng CSV")).to_be_hidden()
    expect(page.locator("[data-result]")).to_be_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    (tmp_path / "tong-hop.pdf").write_bytes(pdf)
    pages = pdf_pages(pdf)
    for size, _ in pages:
        assert size[0] > size[1] and round(size[0]) == 842 and round(size[1]) == 595
    text = squeeze("".join(t for _, t in pages))
    for name in ("UBND huyện Pác Nặm", "UBND huyện Na Rì", "UBND huyện Chợ Mới"):
        assert squeeze(name) in text, name
    assert squeeze("Bảng xếp hạng các đơn vị") in text
    fonts = set(re.findall(rb"/BaseFont\s*/([^\s/>\]]+)", pdf))
    families = {re.sub(r"MT$", "", f.decode().split("+")[-1].split("-")[0]) for f in fonts}
    assert len(families) == 1, fonts


def test_the_printed_summary_carries_the_heading_and_the_signature_typed(
    recorded: Recorded, site_url: str, tmp_path: Path
) -> None:
    """The province types its papers' texts once: they come back on the next visit (kept in
    this browser) and print above and below the summary as Nghị định 30 lays them out (the
    issuer under its superior, the number, the date line; the signer), as text only."""
    page = open_summary(recorded, site_url)
    SummaryPage(page).summarise(appraised_pair(tmp_path))
    typed = {
        "unit:name": "SỞ NỘI VỤ",
        "paper:superior": "UBND TỈNH BẮC KẠN",
        "paper:number": "12/BC-SNV",
        "paper:place": "Bắc Kạn",
        "paper:date": "2026-03-09",
        "paper:title": "GIÁM ĐỐC",
        "paper:signer": "Trần Thị Bình " + HOSTILE_NAME,
    }
    for name, text in typed.items():
        page.locator(f'[data-paper-form] [name="{name}"]').fill(text)
    page.reload()
    SummaryPage(page).summarise(appraised_pair(tmp_path))
    for name, text in typed.items():
        expect(page.locator(f'[data-paper-form] [name="{name}"]')).to_have_value(text)
    page.emulate_media(media="print")
    expect(page.locator("[data-paper-form]")).to_be_hidden()
    head = page.locator(".th-doc .td-doc-header")
    expect(head).to_be_visible()
    expect(head.locator(".td-doc-superior")).to_have_text("UBND TỈNH BẮC KẠN")
    expect(head.locator(".td-doc-unit")).to_have_text("SỞ NỘI VỤ")
    expect(head).to_contain_text("Số: 12/BC-SNV")
    expect(head.locator(".td-doc-date")).to_have_text("Bắc Kạn, ngày 09 tháng 3 năm 2026")
    signer = page.locator(".th-doc .td-doc-signer")
    expect(signer).to_contain_text("GIÁM ĐỐC")
    expect(signer.locator(".td-doc-signer-name")).to_have_text("Trần Thị Bình " + HOSTILE_NAME)
    assert page.evaluate("() => window.__pwned") is None
    text = squeeze("".join(t for _, t in pdf_pages(page.pdf(prefer_css_page_size=True))))
    assert squeeze("SỞ NỘI VỤ") in text and squeeze("Trần Thị Bình") in text
    assert text.index(squeeze("SỞ NỘI VỤ")) < text.index(squeeze("Bảng xếp hạng các đơn vị"))


def test_choosing_another_file_summarises_again(
    recorded: Recorded, site_url: str, tmp_path: Path
) -> None:
    """Picking the self file for a unit makes it count, at once, without choosing files again."""
    page = open_summary(recorded, site_url)
    paths = appraised_pair(tmp_path)
    SummaryPage(page).summarise(paths)
    before = SummaryPage(page).table("units")[0]
    assert "Đã thẩm định" in before
    page.get_by_label(re.compile("pac-nam-tu-cham.json")).check()
    expect(page.locator('[data-rows="units"] tr').first).to_contain_text("Tự chấm")
    expect(page.locator("html")).to_have_attribute("data-summary", "done")
    row = next(r for r in SummaryPage(page).table("units") if r[1] == "UBND huyện Pác Nặm")
    assert row[4] == "Tự chấm" and "chọn trên trang tổng hợp" in row[-1]
    expect(page.locator('[data-rows="duplicates"] input:checked')).to_have_value(
        "pac-nam-tu-cham.json"
    )


def test_the_main_columns_fit_a_1280_pixel_screen(
    recorded: Recorded, site_url: str, tmp_path: Path
) -> None:
    """Unit, final result, band and status are on screen at 1280 px without scrolling."""
    page = open_summary(recorded, site_url)
    page.set_viewport_size({"width": 1280, "height": 800})
    SummaryPage(page).summarise(appraised_pair(tmp_path))
    for key in ("rank", "name", "final", "band", "status"):
        box = page.locator(f'[data-units-head] th[data-column="{key}"]').bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, key
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_thirteen_large_files_are_summarised_one_by_one(
    recorded: Recorded, site_url: str, tmp_path: Path
) -> None:
    """13 valid files of 45 MB and a small one (585 MB of text, more than a JavaScript string
    can hold) are summarised: the worker hands Python one file at a time (failing before:
    "Không tổng hợp được: Invalid string length" and nothing shown)."""
    page = open_summary(recorded, site_url)
    long_text = "Bien ban so 12/BB-UBND, trang 3. " * (document.MAX_TEXT // 34)  # one byte each
    paths = []
    for n in range(13):
        doc = document.template(RUBRIC, name=f"UBND huyện số {n}")
        doc["evidence"] = {f"kem-theo-{k}": {"documents": long_text} for k in range(480)}
        path = tmp_path / f"lon-{n:02d}.json"
        path.write_text(casegen.to_json(doc), encoding="utf-8")
        assert 44 * 1024 * 1024 < path.stat().st_size < 50 * 1024 * 1024
        paths.append(path)
    small = tmp_path / "nho.json"
    small.write_text(casegen.to_json(document.template(RUBRIC, name="UBND huyện nhỏ")), "utf-8")
    paths.append(small)
    assert sum(p.stat().st_size for p in paths) > 2**29  # V8's longest string, in characters
    before = [p.stat().st_mtime_ns for p in paths]
    SummaryPage(page).summarise(paths)
    expect(page.locator("[data-summary-error]")).to_be_hidden()
    expect(page.locator('[data-rows="units"] tr')).to_have_count(14)
    expect(page.locator('[data-rows="rejected"] tr')).to_have_count(0)
    tally = Tally("Trang tổng hợp: 13 tệp hợp lệ 45 MB và một tệp nhỏ (585 MB văn bản)", scripts=0)
    for _ in paths:
        tally.add(refused=False)
    tally.lost = sum(p.stat().st_mtime_ns != t for p, t in zip(paths, before, strict=True))
    hardening.check_row("tong-hop-nhieu-tep", "tep-lon", tally)


def test_a_large_choice_is_shared_by_two_workers(
    recorded: Recorded, site_url: str, tmp_path: Path
) -> None:
    """1,200 files (the 500-file mix, more of the random units) are summarised by two
    workers, each with a part, merged into exactly the command's tables and CSV."""
    folder = tmp_path / "don-vi"
    folder.mkdir()
    make_files(folder, 1200)
    expected = json.loads(cli(folder), parse_float=Decimal)
    csv = cli(folder, "--csv").encode("utf-8")
    page = recorded.page
    page.add_init_script(
        """window.__files = [];
        const PageWorker = window.Worker;
        window.Worker = class extends PageWorker {
          constructor(...args) {
            super(...args);
            if (!String(args[0]).includes("python/worker.mjs")) return;  // the theme's search
            const mine = window.__files.push(0) - 1;
            const post = this.postMessage.bind(this);
            this.postMessage = (message, ...rest) => {
              if (message?.type === "call" && message.fn === "aggregate") {
                window.__files[mine] += message.args.total;  // sent on the call's own port
              }
              post(message, ...rest);
            };
          }
        };"""
    )
    page.goto(f"{site_url}{RUBRIC_ID}/tong-hop/")
    page.wait_for_function(
        "() => performance.getEntriesByName('thangdiem:second-worker-ready').length === 1",
        timeout=READY_TIMEOUT_MS,
    )
    SummaryPage(page).summarise(sorted(folder.iterdir()))
    assert page.evaluate("window.__files") == [540, 660]
    cells = expected_tables(expected)
    SummaryPage(page).show_all("Hiện tất cả các đơn vị")
    assert SummaryPage(page).table("units") == cells["units"]
    assert SummaryPage(page).table("rejected") == cells["rejected"]
    assert SummaryPage(page).table("bands") == cells["bands"]
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bảng CSV").click()
    assert Path(info.value.path()).read_bytes() == csv


def test_technical_words_are_folded_away(recorded: Recorded, site_url: str) -> None:
    """The command line's name, which means nothing to an official, is only in "Chi tiết kỹ
    thuật", closed."""
    page = open_summary(recorded, site_url)
    details = page.locator("details.td-tech", has_text="thangdiem aggregate")
    expect(details).to_have_count(1)
    expect(details.locator("code")).to_be_hidden()
    visible = page.locator("article").inner_text()  # the text shown, closed details aside
    assert "thangdiem aggregate" not in visible and "Chi tiết kỹ thuật" in visible


def chart_files(folder: Path) -> list[Path]:
    """Twelve units of the rubric with valid answers, eight of them appraised."""
    rng = random.Random(SEED)
    items = [i for c in RUBRIC.criteria for i in c.items]
    paths = []
    for n in range(12):
        doc = document.template(RUBRIC, name=f"UBND xã số {n}")
        doc["unit"]["year"] = 2024
        for stage in ("self", "appraisal") if n % 3 else ("self",):
            for item in items:
                if stage == "appraisal" or item.given_by == "unit":
                    answer = casegen.valid_answer(rng, RUBRIC, item)
                    doc["stages"][stage]["answers"][item.id] = answer
        path = folder / f"xa-{n}.json"
        path.write_text(casegen.to_json(doc), encoding="utf-8")
        paths.append(path)
    return paths


def test_the_charts_draw_scoring_pys_figures(
    recorded: Recorded, site_url: str, tmp_path: Path
) -> None:
    """Four charts (bands, distribution of totals, criteria's shares, own against appraised
    totals): one bar per figure of scoring_py's, and the same figures in each chart's table
    for screen readers; they print with the summary."""
    paths = chart_files(tmp_path)
    page = open_summary(recorded, site_url)
    SummaryPage(page).summarise(paths)
    result = api_summary(paths)
    charts = tables.charts(result)
    assert charts["appraised"] == 8
    for kind in ("bands", "distribution", "criteria"):
        figure = page.locator(f'figure[data-chart="{kind}"]')
        expect(figure.locator("svg rect")).to_have_count(len(charts[kind]))
        rows = figure.locator("table tbody tr").evaluate_all(
            "rows => rows.map((row) => [...row.cells].map((cell) => cell.textContent))"
        )
        assert rows == [[bar["label"], bar["text"]] for bar in charts[kind]]
    assert len(charts["distribution"]) == 10
    pairs = page.locator('figure[data-chart="differences"]')
    expect(pairs.locator("svg rect")).to_have_count(2 * len(charts["differences"]))
    expect(pairs.locator("table tbody tr")).to_have_count(8)
    # The longest bar is that of the largest figure.
    widths = page.locator('figure[data-chart="distribution"] svg rect').evaluate_all(
        "rects => rects.map((rect) => Number(rect.getAttribute('width')))"
    )
    counts = [int(bar["value"]) for bar in charts["distribution"]]
    assert widths.index(max(widths)) == counts.index(max(counts))
    page.emulate_media(media="print")
    expect(page.locator('figure[data-chart="bands"] svg')).to_be_visible()


EXAMPLE_RUBRIC = load_file(
    ROOT / "site_src" / "huong-dan-soan-thang-diem" / "vi-du-thang-diem.yaml"
)


def test_the_limit_on_the_top_band_is_applied_and_shown(
    recorded: Recorded, example_site_url: str, tmp_path: Path
) -> None:
    """The authors' example limits "xuất sắc" to 20 % of the units from "tốt" up, per unit
    type: three units of one type appraised at full marks allow none (20 % of 3, rounded
    down), so all three, tied, move to "tốt". The page shows the limit's table and the notes
    exactly as scoring_py writes them."""
    rubric = EXAMPLE_RUBRIC
    items = [i for c in rubric.criteria for i in c.items]
    paths = []
    for n, name in enumerate(("Sở Tư pháp", "Sở Y tế", "Sở Xây dựng")):
        doc = document.template(rubric, name=name, unit_type="so-nganh")
        doc["unit"]["year"] = 2024
        for item in items:
            full = casegen.full_marks(rubric, item)
            if item.given_by == "unit":
                doc["stages"]["self"]["answers"][item.id] = full
                doc["evidence"][item.id]["documents"] = "Kế hoạch số 1/KH"
            doc["stages"]["appraisal"]["answers"][item.id] = full
        paths.append(tmp_path / f"don-vi-{n}.json")
        paths[-1].write_text(codec.dumps(doc), encoding="utf-8")
    entries = [{"name": p.name, "text": p.read_text(encoding="utf-8")} for p in paths]
    answer = json.loads(
        api.aggregate(canonical_json(rubric), json.dumps(entries)), parse_float=Decimal
    )
    expected = tables.tables(answer["summary"])
    quota = answer["summary"]["quota"]
    assert [(g["counted"], g["limit"], len(g["moved"])) for g in quota["groups"]] == [(3, 0, 3)]

    page = SummaryPage.open(recorded.page, example_site_url, rubric.id).page
    SummaryPage(page).summarise(paths)
    expect(page.locator("#th-quota-title")).to_be_visible()
    assert SummaryPage(page).table("quota") == expected["quota"]["rows"]
    assert expected["quota"]["rows"][0][-1] == "Sở Tư pháp; Sở Xây dựng; Sở Y tế"
    heads = page.locator('[data-rows="quota"]').locator("xpath=..").locator("thead th")
    expect(heads).to_have_text([c["title"] for c in expected["quota"]["columns"]])
    units = SummaryPage(page).table("units")
    assert all("Hoàn thành tốt" in row for row in units), units
    assert all(any("Vượt hạn mức 20 %" in cell for cell in row) for row in units), units
