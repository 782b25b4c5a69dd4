"""The summary's Excel workbook (scoring_py.workbook): read back with openpyxl, its cells are
`thangdiem aggregate`'s figures; the command and the API write the same bytes every time."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter

import casegen
from conftest import ROOT
from generator import assets
from generator.loader import load_file
from scoring_py import api, document, tables, workbook
from scoring_py.rubric import canonical_json
from scoring_py.shapes import STAGE_LABELS
from scoring_py.summary import STATUS_TEXT
from testkit.cli import aggregate

FILE = [c.key for c in tables.UNIT_COLUMNS].index("file")
"""The ranking sheet's column of the file's name."""
RUBRIC_ID = "hung-yen-2020"
RUBRIC = load_file(ROOT / "rubrics" / f"{RUBRIC_ID}.yaml")
SEED = 20261203
SHEETS = [
    "Xếp hạng",
    "Theo xếp loại",
    "Theo loại đơn vị",
    "Điểm từng tiêu chí",
    "Tệp cần xem lại",
    "Tệp không tổng hợp được",
]


def unit_doc(rng: random.Random, n: int, count: int) -> dict[str, Any]:
    """A unit's file: valid answers throughout, and by turns no appraisal, a finished one,
    one under way, or an invalid answer (to review); now and then a second file of a unit."""
    types = [t.id for t in RUBRIC.unit_types]
    name = f"Đơn vị số {n % (count - 2):03d}"
    doc = document.template(RUBRIC, name=name, unit_type=rng.choice([None, *types]))
    doc["unit"]["year"] = 2024
    items = [i for c in RUBRIC.criteria for i in c.items]
    own, appraisal = doc["stages"]["self"]["answers"], doc["stages"]["appraisal"]["answers"]
    own.update({i.id: casegen.valid_answer(rng, RUBRIC, i) for i in items})
    kind = n % 4
    if kind == 1:
        appraisal.update({i.id: casegen.valid_answer(rng, RUBRIC, i) for i in items})
    elif kind == 2:
        appraisal.update({i.id: casegen.valid_answer(rng, RUBRIC, i) for i in items[:5]})
    elif kind == 3 and rng.random() < 0.4:
        own[items[0].id] = "mười"
    if rng.random() < 0.2:
        doc["proposed_band"] = '=HYPERLINK("http://x")'
    if n == 7:
        doc["unit"]["name"] = ""  # listed for review, as "(không ghi tên)"
    return doc


def make_files(folder: Path, count: int, seed: int = SEED) -> list[str]:
    """`count` units' files (see unit_doc) and a file that is not JSON."""
    rng = random.Random(seed)
    names = []
    for n in range(count):
        name = f"don-vi-{n:03d}.json"
        (folder / name).write_text(casegen.to_json(unit_doc(rng, n, count)), encoding="utf-8")
        names.append(name)
    (folder / "hong.json").write_text('=HYPERLINK("x")', encoding="utf-8")
    return [*names, "hong.json"]


def cli(folder: Path, names: list[str], *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run `thangdiem aggregate` on files of a folder, from inside it."""
    return aggregate(RUBRIC_ID, folder, names, *args)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], bytes, Path]:
    """60 files: the command's JSON summary (exact numbers) and its workbook."""
    folder = tmp_path_factory.mktemp("don-vi")
    names = make_files(folder, 60)
    done = cli(folder, names)
    assert done.returncode == 0, done.stderr.decode()
    summary = json.loads(done.stdout, parse_float=Decimal)
    out = folder.parent / "tong-hop.xlsx"
    done = cli(folder, names, "--xlsx", str(out))
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b""
    assert done.stderr.decode().startswith("Đã ghi bảng Excel:")
    return summary, out.read_bytes(), folder


def read(data: bytes) -> Any:
    """The workbook, read back."""
    return openpyxl.load_workbook(io.BytesIO(data))


def values(sheet: Any, skip: int = 1) -> list[list[Any]]:
    """The sheet's cells below its header rows."""
    return [list(row) for row in sheet.iter_rows(min_row=skip + 1, values_only=True)]


def number(value: Decimal | int | None) -> float | int | None:
    """A figure of the JSON as the spreadsheet cell holds it."""
    return None if value is None else float(value) if isinstance(value, Decimal) else value


def test_the_mix_is_varied(made: tuple[dict[str, Any], bytes, Path]) -> None:
    """The files hold ranked, appraised, appraising and review units and a refused file."""
    summary, _, _ = made
    states = {u["state"] for u in [*summary["units"], *summary["review"]]}
    assert states == {"self", "appraising", "appraised", "review"}
    assert summary["rejected"] and summary["duplicates"] and len(summary["by_type"]) > 1


def test_ranking_sheet_holds_the_units_figures(made: tuple[dict[str, Any], bytes, Path]) -> None:
    """One row per unit in the summary's order: rank, total and difference as numbers with two
    decimals shown, the status and file as text, nothing where the JSON has no figure."""
    summary, data, _ = made
    book = read(data)
    assert book.sheetnames == SHEETS
    sheet = book["Xếp hạng"]
    head = [c.value for c in sheet[1]]
    assert head[:5] == ["Hạng", "Đơn vị", "Kết quả cuối cùng", "Xếp loại", "Trạng thái"]
    assert head == [c.title for c in tables.UNIT_COLUMNS]
    col = {title: n for n, title in enumerate(head)}
    units = [*summary["units"], *summary["review"]]
    rows = values(sheet)
    assert len(rows) == len(units)
    for row, unit in zip(rows, units, strict=True):
        shown = unit["state"] != "review"
        finished = unit["state"] != "appraising"
        assert row[col["Hạng"]] == unit["rank"]
        assert row[col["Đơn vị"]] == (unit["name"] or "(không ghi tên)")
        assert row[col["Tự chấm"]] == (number(unit["self"]["total"]) if shown else None)
        final = number(unit["final"]["total"]) if shown and finished else None
        assert row[col["Kết quả cuối cùng"]] == final
        difference = number(unit["difference"]) if shown else None
        assert row[col["Chênh lệch"]] == difference
        assert row[col["Tệp"]] == unit["file"]
        assert row[col["Năm"]] == unit["year"]
        assert row[col["Trạng thái"]].startswith(STATUS_TEXT[unit["state"]])
    cells = {c.column_letter: c for c in sheet[2]}
    assert cells["C"].number_format == "0.00" and cells["A"].number_format == "0"
    differences = [row[col["Chênh lệch"]] for row in sheet.iter_rows(min_row=2)]
    signed = {c.number_format for c in differences if c.value is not None}
    assert signed == {"+0.00;-0.00;0.00"}


def test_other_sheets_hold_the_counts_averages_and_files(
    made: tuple[dict[str, Any], bytes, Path],
) -> None:
    """Counts per band, averages per unit type (and of all), the files to look at again and
    the refused files, each as the JSON has them."""
    summary, data, _ = made
    book = read(data)
    bands = [(b["name"], b["count"]) for b in summary["band_counts"]]
    assert [tuple(r) for r in values(book["Theo xếp loại"])] == bands
    groups = [*summary["by_type"], summary["overall"] | {"name": "Tất cả"}]
    keys = ("count", "appraised", "appraising", "self", "appraisal", "final", "difference")
    expected = [[g["name"], *(number(g[k]) for k in keys)] for g in groups]
    assert values(book["Theo loại đơn vị"]) == expected
    review = [
        [u["name"] or "(không ghi tên)", u["file"], "\n".join(u["review"])]
        for u in summary["review"]
    ]
    assert values(book["Tệp cần xem lại"]) == review
    rejected = [[r["file"], r["reason"]] for r in summary["rejected"]]
    assert values(book["Tệp không tổng hợp được"]) == rejected


def test_criteria_sheet_holds_every_criterion_per_stage(
    made: tuple[dict[str, Any], bytes, Path],
) -> None:
    """Under each criterion's heading, the self, appraisal and final scores of every unit:
    none for a unit to review, nor an appraisal's or final score still under way."""
    summary, data, _ = made
    sheet = read(data)["Điểm từng tiêu chí"]
    groups = [c.value for c in sheet[1]][3:]
    criteria = summary["criteria"]
    assert groups[::3] == [
        f"Tiêu chí {c['id']}. {c['title']} (tối đa {c['max']} điểm)" for c in criteria
    ]
    labels = [STAGE_LABELS[s] for s in ("self", "appraisal", "final")]
    assert [c.value for c in sheet[2]][3:] == labels * len(criteria)
    for row, unit in zip(values(sheet, 2), [*summary["units"], *summary["review"]], strict=True):
        assert row[:2] == [unit["rank"], unit["name"] or "(không ghi tên)"]
        expected = []
        for criterion in criteria:
            for stage in ("self", "appraisal", "final"):
                brief = unit[stage]
                hidden = unit["state"] == "review" or (
                    unit["state"] == "appraising" and stage != "self"
                )
                score = None if brief is None or hidden else brief["criteria"][criterion["id"]]
                expected.append(number(score))
        assert row[3:] == expected


def test_texts_stay_texts(tmp_path: Path) -> None:
    """A unit named like a formula is written as a text cell, never run as a formula."""
    doc = document.template(RUBRIC, name='=HYPERLINK("http://x")')
    batch = api.open_batch(canonical_json(RUBRIC))
    batch.add("@a.json", casegen.to_json(doc))
    sheet = read(batch.xlsx())["Xếp hạng"]
    assert sheet["B2"].value == '=HYPERLINK("http://x")' and sheet["B2"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(batch.xlsx())) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_same_bytes_from_the_command_and_the_api(
    made: tuple[dict[str, Any], bytes, Path],
) -> None:
    """The page's call (api.SummaryBatch.xlsx, files added one by one) writes the command's
    bytes, every time: fixed properties and dates, every zip entry of 1980."""
    _, data, folder = made
    batch = api.open_batch(canonical_json(RUBRIC))
    for path in sorted(folder.iterdir()):
        batch.add(path.name, path.read_text(encoding="utf-8"))
    assert batch.xlsx() == data
    assert batch.xlsx() == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z' in core
    props = read(data).properties
    assert props.title == "Tổng hợp kết quả đánh giá, xếp loại"
    assert props.subject == f"Thang điểm {RUBRIC_ID}, phiên bản {RUBRIC.version}"


def test_prefer_changes_the_workbook(made: tuple[dict[str, Any], bytes, Path]) -> None:
    """A file chosen by hand on the page counts in the workbook as in the command's
    `--prefer`."""
    summary, _, folder = made
    [several, *_] = summary["duplicates"]
    other = next(f["file"] for f in several["files"] if not f["chosen"])
    names = sorted(p.name for p in folder.iterdir())
    out = folder.parent / "chon.xlsx"
    done = cli(folder, names, "--prefer", other, "--xlsx", str(out))
    assert done.returncode == 0, done.stderr.decode()
    batch = api.open_batch(canonical_json(RUBRIC))
    for name in names:
        batch.add(name, (folder / name).read_text(encoding="utf-8"))
    assert batch.xlsx(json.dumps([other])) == out.read_bytes()
    files = [r[FILE] for r in values(read(out.read_bytes())["Xếp hạng"])]
    assert other in files


def test_command_says_when_it_cannot_write(tmp_path: Path) -> None:
    """A workbook that cannot be written is a message and exit code 1; `--csv` and `--xlsx`
    do not go together."""
    names = make_files(tmp_path, 3)
    done = cli(tmp_path, names, "--xlsx", str(tmp_path / "khong-co" / "x.xlsx"))
    assert done.returncode == 1
    assert done.stderr.decode().startswith("Không ghi được tệp ")
    done = cli(tmp_path, names, "--csv", "--xlsx", "x.xlsx")
    assert done.returncode == 2 and b"--xlsx" in done.stderr


def test_the_site_ships_the_pinned_xlsxwriter_wheel(built: Path) -> None:
    """The built site serves XlsxWriter's pure wheel, of the version pyproject.toml pins and
    the command line runs, and precaches it for offline use; no page loads it up front."""
    name, version = assets.pinned_python(assets.XLSX_EXTRA)
    assert name == "XlsxWriter" and version == xlsxwriter.__version__
    wheel = built / "assets" / f"xlsxwriter-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = archive.read(f"xlsxwriter-{version}.dist-info/WHEEL").decode()
    assert "Tag: py3-none-any" in meta.splitlines()
    assert "xlsxwriter/workbook.py" in names
    assert f'"url": "assets/{wheel.name}"' in (built / "sw.js").read_text(encoding="utf-8")
    page = (built / RUBRIC_ID / "tong-hop" / "index.html").read_text(encoding="utf-8")
    assert f'data-xlsxwriter="../../assets/{wheel.name}"' in page
    assert page.count(wheel.name) == 1  # named for the worker, not fetched by the page


def test_workbook_module_names_its_media_type() -> None:
    """The media type the page downloads the workbook as."""
    assert workbook.MEDIA_TYPE.endswith("spreadsheetml.sheet")


@pytest.mark.pyodide
def test_pyodide_writes_the_same_bytes(tmp_path: Path) -> None:
    """Pyodide (CPython 3.14 in WebAssembly, under Node.js) with the site's XlsxWriter wheel
    writes the command line's bytes for 500 units; both times are reported."""
    node = shutil.which("node")
    assert node is not None, "the Pyodide tests need `node` on PATH"
    names = make_files(tmp_path, 500)
    texts = [(name, (tmp_path / name).read_text(encoding="utf-8")) for name in names]
    started = time.perf_counter()
    batch = api.open_batch(canonical_json(RUBRIC))
    for name, text in texts:
        batch.add(name, text)
    scored = time.perf_counter() - started
    result = batch.batch.summary()
    started = time.perf_counter()
    ours = workbook.workbook(result)
    built = time.perf_counter() - started
    _, wheel = assets.xlsx_wheel()
    (tmp_path / "xlsxwriter.whl").write_bytes(wheel)
    payload = {
        "rubric": canonical_json(RUBRIC),
        "files": [{"name": n, "text": t} for n, t in texts],
    }
    (tmp_path / "in.json").write_text(json.dumps(payload), encoding="utf-8")
    script = ROOT / "tests" / "pyodide_workbook.mjs"
    args = [str(tmp_path / "xlsxwriter.whl"), str(tmp_path / "in.json"), str(tmp_path / "p.xlsx")]
    done = subprocess.run(
        [node, str(script), *args], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["python"].startswith("3.14")
    assert (tmp_path / "p.xlsx").read_bytes() == ours
    units = len(result["units"]) + len(result["review"])
    print(
        f"\n{units} units, {len(ours)} bytes; CPython: summary {scored * 1000:.0f} ms,"
        f" workbook {built * 1000:.0f} ms; Pyodide: {report}; wheel {len(wheel)} bytes"
    )


def test_no_usable_file_still_gives_every_sheet() -> None:
    """Only a refused file: every sheet with its headings, the refusal listed."""
    batch = api.open_batch(canonical_json(RUBRIC))
    batch.add("x.json", "{")
    book = read(batch.xlsx())
    assert book.sheetnames == SHEETS
    assert values(book["Xếp hạng"]) == []
    assert [r[0] for r in values(book["Tệp không tổng hợp được"])] == ["x.json"]


@pytest.mark.parametrize(
    ("pins", "found"),
    [
        ('["XlsxWriter>=3.2"]', '(nhận được ["XlsxWriter>=3.2"])'),
        ("[]", "(nhận được [])"),
        ('["a==1", "b==2"]', '(nhận được ["a==1", "b==2"])'),
    ],
)
def test_the_wheel_needs_one_exact_pin(tmp_path: Path, pins: str, found: str) -> None:
    """The build refuses an xlsx extra that does not pin one package with "==", and says so."""
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\nversion = "1"\n[project.optional-dependencies]\nxlsx = {pins}\n',
        encoding="utf-8",
    )
    with pytest.raises(assets.RuntimeFilesError) as caught:
        assets.xlsx_wheel(tmp_path)
    message = str(caught.value)
    assert "nhóm phụ thuộc 'xlsx' phải ghim đúng một gói bằng '=='" in message
    assert message.endswith(found)


def test_hostile_texts_are_written_safely() -> None:
    """A name with markup, and a file name with half a character (an undecodable byte of a
    file name on the command line), are written as text (the half as U+FFFD); the workbook
    still opens, and the refusal of a name with half a character is listed."""
    doc = document.template(RUBRIC, name="UBND <b>xã</b> & A")
    text = json.dumps(doc, ensure_ascii=True)
    batch = api.open_batch(canonical_json(RUBRIC))
    batch.add("\udc80.json", text)
    book = read(batch.xlsx())
    [row] = values(book["Xếp hạng"])
    assert (row[1], row[FILE]) == ("UBND <b>xã</b> & A", "\ufffd.json")
    doc["unit"]["name"] = "\ud800 A"
    batch.add("b.json", json.dumps(doc, ensure_ascii=True))
    [refused] = values(read(batch.xlsx())["Tệp không tổng hợp được"])
    assert refused[0] == "b.json" and "\\ud800" in refused[1]
