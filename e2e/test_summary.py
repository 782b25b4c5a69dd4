"""The summary page (<rubric-id>/tong-hop/) in a real browser: many assessment files summarised
by scoring_py.api.aggregate in the scoring worker, exactly as `thangdiem aggregate` prints them,
with the page responsive all along and every file's text shown as text."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from generator.loader import load_file
from scoring_py import api, document, engine
from scoring_py.rubric import canonical_json
from tests import casegen

from .conftest import READY_TIMEOUT_MS, ROOT, Recorded, inject_axe

pytestmark = pytest.mark.browser

RUBRIC_ID = "bac-kan-2017"
RUBRIC = load_file(ROOT / "rubrics" / f"{RUBRIC_ID}.yaml")
OTHER = load_file(ROOT / "rubrics" / "hung-yen-2020.yaml")
SEED = 20261121
FILES = 500
SUMMARY_TIMEOUT_MS = 240_000
"""How long 500 files may take on a slow, shared machine (a few seconds on a quiet one)."""
LABEL = "Chọn các tệp đánh giá (JSON) của các đơn vị"
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
  new MutationObserver(() => window.__log.push({ text: text.textContent, frame: window.__frames }))
    .observe(text, { childList: true, characterData: true, subtree: true });
  new MutationObserver(() => window.__log.push({
    state: document.documentElement.dataset.summary, frame: window.__frames,
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
    return FileSet(folder, summary, csv)


def cli(folder: Path, *args: str) -> str:
    """Run `thangdiem aggregate` on every file of the folder (sorted names, as a shell lists
    them) from inside it; return what it prints."""
    names = sorted(p.name for p in folder.iterdir())
    rubric = str(ROOT / "rubrics" / f"{RUBRIC_ID}.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "aggregate", rubric, *names, *args],
        cwd=folder,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


def points(value: Any) -> str:
    """A number as the page writes it (12,25), or "—"."""
    return "—" if value is None else engine.fmt(Decimal(value))


def difference(value: Any) -> str:
    """The difference cell: "▲ +1,5", "▼ −2", "0" or "—"."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    return f"▲ +{points(value)}" if value > 0 else f"▼ −{points(-value)}"


def expected_unit_row(u: dict[str, Any]) -> list[str]:
    """The first 13 cells of a unit's row: the CSV's columns, written for a reader."""
    appraisal = u["appraisal"]
    return [
        str(u["rank"]),
        u["name"] or "(không ghi tên)",
        u["type_name"] or u["type"] or "",
        "" if u["year"] is None else str(u["year"]),
        points(u["self"]["total"]),
        u["self"]["band"] or "",
        points(appraisal["total"]) if appraisal else "—",
        (appraisal["band"] or "") if appraisal else "",
        difference(u["difference"]),
        points(u["final"]["total"]),
        u["final"]["band"] or "; ".join(u["final"]["reasons"]),
        u["proposed_band"],
        u["file"],
    ]


def table(page: Page, name: str) -> list[list[str]]:
    """The cells' texts of a table body, row by row."""
    rows: list[list[str]] = page.locator(f'[data-rows="{name}"] tr').evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
    )
    return rows


def open_summary(recorded: Recorded, site_url: str) -> Page:
    """The summary page with the watchers installed (Python may still be loading)."""
    page = recorded.page
    page.add_init_script(WATCH)
    page.goto(f"{site_url}{RUBRIC_ID}/tong-hop/")
    return page


def summarise(page: Page, paths: list[Path]) -> None:
    """Choose files with the labelled file input and wait for the summary."""
    page.get_by_label(LABEL).set_input_files(paths)
    expect(page.locator("html")).to_have_attribute(
        "data-summary", "done", timeout=SUMMARY_TIMEOUT_MS
    )


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
    summarise(page, paths)
    expected = files.summary

    # The page kept drawing while the worker read and summarised: its progress text moved on
    # in steps, and animation frames ran between the steps and while Python worked.
    log: list[dict[str, Any]] = page.evaluate("window.__log")
    reads = [
        int(m.group(1)) for e in log if (m := re.match(r"Đang đọc tệp: (\d+)/", e.get("text", "")))
    ]
    assert reads == sorted(reads) and len(set(reads)) >= 5, log
    summing = next(e for e in log if e.get("text", "").startswith(f"Đã đọc {FILES} tệp"))
    assert log[-1]["state"] == "done", log
    assert log[-1]["frame"] > summing["frame"], log

    units = expected["units"]
    assert len(units) + len(expected["rejected"]) == FILES
    assert len(expected["rejected"]) >= 13
    rows = table(page, "units")
    assert [r[:13] for r in rows] == [expected_unit_row(u) for u in units]
    assert table(page, "bands") == [[b["name"], str(b["count"])] for b in expected["band_counts"]]
    assert sum(int(r[1]) for r in table(page, "bands")) == len(units)
    groups = [*expected["by_type"], {**expected["overall"], "name": "Tất cả"}]
    assert table(page, "types") == [
        [
            g["name"],
            str(g["count"]),
            str(g["appraised"]),
            points(g["self"]),
            points(g["appraisal"]),
            points(g["final"]),
            difference(g["difference"]),
        ]
        for g in groups
    ]
    assert table(page, "rejected") == [[r["file"], r["reason"]] for r in expected["rejected"]]
    assert table(page, "duplicates") == [
        [d["name"], str(d["year"]), str(d["count"]), "; ".join(d["files"])]
        for d in expected["duplicates"]
    ]
    assert ["trung-0.json", "trung-1.json", "trung-2.json"] in [
        d["files"] for d in expected["duplicates"]
    ]
    reasons = {r["file"]: r["reason"] for r in expected["rejected"]}
    assert reasons["qua-lon.json"] == "Tệp lớn quá 50 MB."
    assert reasons["windows-1258.json"] == "Tệp phải được mã hóa UTF-8."
    assert reasons["thang-diem-khac.json"].startswith("Tài liệu thuộc thang điểm 'hung-yen-2020'")
    assert "phiên bản hiện hành" in reasons["phien-ban-cu.json"]
    overview = page.locator("[data-overview]")
    expect(overview).to_contain_text(f"Đã tổng hợp {len(units)} đơn vị từ {FILES} tệp")

    # Hostile texts are text: shown literally, nothing ran.
    hostile = page.locator('[data-rows="units"] tr', has_text="UBND xã <b>A</b>")
    expect(hostile.locator("th")).to_have_text(HOSTILE_NAME)
    expect(hostile.locator("td").nth(10)).to_have_text("<script>window.__pwned=3</script>")
    expect(page.locator('[data-rows="rejected"] th', has_text="onerror")).to_have_text(HOSTILE_FILE)
    assert page.locator("[data-rows] img, [data-rows] script, [data-rows] b").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []

    # The difference is marked by an arrow and a sign, not by colour alone.
    changed = [u for u in units if u["difference"]]
    assert changed
    marked = page.locator('[data-rows="units"] td.th-diff')
    expect(marked).to_have_count(len(changed))

    # The CSV download is the command's CSV, after a byte-order mark for Excel.
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải bảng CSV").click()
    download = info.value
    assert re.fullmatch(
        rf"tong-hop-{RUBRIC_ID}-\d{{4}}-\d\d-\d\d\.csv", download.suggested_filename
    )
    assert Path(download.path()).read_bytes() == BOM + files.csv

    seconds = page.locator("[data-result]").get_attribute("data-seconds")
    tasks = [d for start, d in page.evaluate("window.__longtasks") if start >= chosen]
    print(f"\n{FILES} files: {seconds} s; main-thread long tasks after choosing (ms): {tasks}")


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
    assert [r[:2] for r in table(page, "units")] == ranks
    expect(page.locator('[data-rows="rejected"] tr')).to_have_count(1)
    inject_axe(page)
    # The theme's red buttons are the whole site's palette, not this page's to change.
    violations = page.evaluate(
        """() => axe.run(".th-app", {rules: {"color-contrast": {enabled: false}}})
            .then(r => r.violations.map(v => `${v.id}: ${v.nodes[0].html}`))"""
    )
    assert violations == []


def test_the_summary_prints_on_landscape_a4(
    recorded: Recorded, site_url: str, tmp_path: Path
) -> None:
    """Printed, the summary is the tables on landscape A4, without the file picker."""
    page = open_summary(recorded, site_url)
    doc = document.template(RUBRIC, name="Sở Nội vụ")
    path = tmp_path / "so-noi-vu.json"
    path.write_text(casegen.to_json(doc), encoding="utf-8")
    summarise(page, [path])
    page.emulate_media(media="print")
    expect(page.locator(".th-pick")).to_be_hidden()
    expect(page.get_by_role("button", name="Tải bảng CSV")).to_be_hidden()
    expect(page.locator('[data-rows="units"] tr')).to_have_count(1)
    pdf = page.pdf(prefer_css_page_size=True)
    width, height = map(float, re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)[0])
    assert width > height and round(width) == 842 and round(height) == 595
