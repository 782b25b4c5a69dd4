"""Hostile and broken assessment files, shared by the command-line tests (tests/test_hostile.py)
and the form's import tests (e2e/test_hostile.py), so that both try the same files.

A case is a file's bytes and a fragment of the message that must name its problem: the
refusal's message, or, for a file that is read (a wrong value is reported, never corrected),
a fragment of the problems that scoring lists. Huge files are made on disk by `materialise`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from generator.loader import load_file
from scoring_py import codec, document

ROOT = Path(__file__).resolve().parent.parent
HUNG_YEN = load_file(ROOT / "rubrics" / "hung-yen-2020.yaml")
BAC_KAN = load_file(ROOT / "rubrics" / "bac-kan-2017.yaml")
MB = 1024 * 1024
LIMIT = 50 * MB
"""Largest assessment file accepted, by the command line and the form (files.mjs)."""
LONG_KEY = 12_000_000
"""Characters of the keys that overflowed the form's JSON reader (a regular expression)."""
RUBRIC_CHANGED = (
    "Tài liệu được lập theo một nội dung khác của thang điểm Hưng Yên (02/2020/QĐ-UBND)"
)
"""What a document made with another text of the rubric's version is told."""
HOSTILE = "<img src=x onerror=window.__pwned=1>"
SCRIPT = "<script>window.__pwned=1</script>"


@dataclass(frozen=True)
class Case:
    """One file to try."""

    kind: str
    """The row of the table it counts in."""
    name: str
    """The file's name."""
    data: bytes
    """Its content (empty for a file made by `materialise`)."""
    says: str
    """A fragment of the message (or of the listed problems) that must name the problem."""
    refused: bool = True
    """Refused as a whole (else read, with the problem listed)."""
    size: int = 0
    """For a huge file: its size in bytes (made on disk, see materialise)."""
    cli_says: str | None = None
    """What the command line says instead, when it reads the bytes differently (it wants
    UTF-8; the browser reads any bytes as UTF-8 text) or checks the size in other words."""
    browser_refused: bool | None = None
    """Whether the form's import refuses it, when not as `refused` (a file of another version
    of the rubric is carried over to the page's version there)."""
    browser_says: str | None = None
    """What the form's import says instead: with browser_refused, or (the whole message) for
    a file of another of the site's rubrics, which the page names."""


def base() -> dict[str, Any]:
    """A valid, empty Hưng Yên assessment of "UBND xã A"."""
    return document.template(HUNG_YEN, name="UBND xã A")


def text(doc: Any) -> bytes:
    """A document as a file's bytes."""
    return codec.dumps(doc, indent=2).encode("utf-8")


def answer(value: Any, item: str = "1.1") -> dict[str, Any]:
    """The base document with one self-assessment answer."""
    doc = base()
    doc["stages"]["self"]["answers"][item] = value
    return doc


def with_raw_answer(raw: str) -> bytes:
    """The base document with an answer written as raw JSON text (NaN, huge numbers …)."""
    return codec.dumps(answer(0)).replace('"1.1":0', f'"1.1":{raw}', 1).encode("utf-8")


def nested(depth: int) -> Any:
    """A value nested `depth` lists deep."""
    value: Any = "đáy"
    for _ in range(depth):
        value = [value]
    return value


def cases() -> list[Case]:
    """Every hostile assessment file, by kind."""
    good = text(base())
    out: list[Case] = []

    def add(
        kind: str, name: str, data: bytes, says: str, refused: bool = True, **more: Any
    ) -> None:
        out.append(Case(kind, name, data, says, refused, **more))

    not_utf8 = "Tệp phải được mã hóa UTF-8."

    kind = "Tệp đánh giá: không phải JSON"
    add(kind, "chu.json", "Xin chào".encode(), "Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng 1.")
    add(kind, "rong.json", b"", "Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng 1.")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    add(kind, "anh.json", png, not_utf8)
    legacy = text(base() | {"unit": base()["unit"] | {"name": "UBND xã Đông"}}).decode()
    add(kind, "latin1.json", legacy.encode("latin-1", "replace"), not_utf8)
    yaml = (ROOT / "rubrics" / "hung-yen-2020.yaml").read_bytes()
    add(kind, "thang-diem.yaml", yaml, "Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng 1.")
    add(kind, "mang.json", b"[1, 2]", "nội dung không phải một đối tượng JSON")

    kind = "Tệp đánh giá: mã hóa khác (UTF-16, dấu BOM)"
    add(kind, "utf16.json", good.decode().encode("utf-16"), "", refused=False)
    add(kind, "utf16-be.json", b"\xfe\xff" + good.decode().encode("utf-16-be"), "", refused=False)
    add(kind, "bom.json", b"\xef\xbb\xbf" + good, "", refused=False)

    kind = "Tệp đánh giá: bị cắt cụt"
    for share in (10, 50, 99):
        cut = good[: len(good) * share // 100]
        add(kind, f"cut-{share}.json", cut, "Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng")

    kind = "Tệp đánh giá: quá lớn"
    too_large = "tệp quá lớn (50,0 MB; tệp chấm điểm không quá 50,0 MB)"
    out.append(
        Case(kind, "50mb.json", b"", too_large, size=LIMIT + 1, cli_says="Tệp lớn quá 50 MB.")
    )
    long_text = base()
    long_text["evidence"]["1.1"]["documents"] = "a" * (45 * MB)
    add(kind, "45mb.json", text(long_text), "evidence.1.1.documents: dài quá 100000 ký tự")

    kind = "Tệp đánh giá: lồng nhau quá sâu"
    add(kind, "ngoac.json", b"[" * 100_000, "lồng nhau quá sâu (quá 64 cấp)")
    deep = base()
    deep["evidence"]["1.1"]["documents"] = nested(70)
    add(kind, "sau-trong.json", text(deep), "lồng nhau quá sâu (quá 64 cấp)")

    kind = "Tệp đánh giá: khóa lạ hoặc thiếu"
    unknown = base() | {"ghi_chu": "x"}
    add(kind, "khoa-la.json", text(unknown), "ghi_chu: khóa không được phép")
    no_format = {k: v for k, v in base().items() if k != "format"}
    add(kind, "thieu-format.json", text(no_format), "thiếu hoặc sai trường 'format'")
    no_rubric = {k: v for k, v in base().items() if k != "rubric"}
    add(kind, "thieu-rubric.json", text(no_rubric), "rubric")
    stage = base()
    stage["stages"]["tu-cham"] = stage["stages"]["self"]
    add(kind, "giai-doan-la.json", text(stage), "stages.tu-cham")
    proto = '{"__proto__":{"x":1},' + codec.dumps(base())[1:]  # the first key of the top
    add(kind, "proto.json", proto.encode(), "__proto__: khóa không được phép")
    add(kind, "muc-la.json", text(answer(1, "99.9")), "99.9", refused=False)

    kind = "Tệp đánh giá: số viết thành chuỗi"
    add(kind, "chuoi-so.json", text(answer("1,5")), "1.1", refused=False)
    add(kind, "chuoi-cham.json", text(answer("1.5")), "1.1", refused=False)
    year = base()
    year["unit"]["year"] = "2026"
    add(kind, "nam-chuoi.json", text(year), "unit.year: phải là một năm từ 1945 đến 2200")

    kind = "Tệp đánh giá: NaN, Infinity"
    for raw in ("NaN", "Infinity", "-Infinity"):
        add(kind, f"{raw}.json", with_raw_answer(raw), f"giá trị {raw} không được phép")

    kind = "Tệp đánh giá: giá trị âm hoặc phi lý"
    add(kind, "am.json", text(answer(Decimal(-5))), "1.1", refused=False)
    add(kind, "qua-lon.json", text(answer(10**30)), "1.1", refused=False)
    add(kind, "dung-sai.json", text(answer(True)), "1.1", refused=False)
    add(kind, "mu-lon.json", with_raw_answer("1e999999"), "có số quá lớn hoặc quá nhỏ")
    add(kind, "mu-nho.json", with_raw_answer("1e-99999"), "có số quá lớn hoặc quá nhỏ")
    add(kind, "so-dai.json", with_raw_answer("9" * 5000), "có số hoặc giá trị không đọc được")
    add(kind, "nam-1.json", text(base() | {"unit": base()["unit"] | {"year": 1}}), "unit.year")

    kind = "Tệp đánh giá: của thang điểm khác"
    other = text(document.template(BAC_KAN, name="Xã B"))
    add(
        kind,
        "bac-kan.json",
        other,
        "một thang điểm khác (mã trong tệp: 'bac-kan-2017')",
        browser_says="tệp là phiếu chấm theo thang điểm Bắc Kạn (1878-QĐ/TU), không phải thang"
        " điểm của trang này. Hãy nhập tệp ở trang “Phiếu chấm điểm” của thang điểm Bắc Kạn"
        " (1878-QĐ/TU).",
    )
    foreign_ids = base()
    foreign_ids["stages"]["self"]["answers"] = {"I.1": 2, "II.3": 1}
    add(kind, "ma-khac.json", text(foreign_ids), "I.1", refused=False)

    kind = "Tệp đánh giá: phiên bản khác"
    old = base()
    old["rubric"]["version"] = "2019.1"
    add(
        kind,
        "ban-cu.json",
        text(old),
        "phiên bản hiện hành là '2022.2'",
        browser_refused=False,
        browser_says="đã chuyển sang phiên bản hiện hành '2022.2'",
    )
    add(kind, "dinh-dang-99.json", text(base() | {"version": 99}), "Hãy dùng bản thangdiem mới")
    add(kind, "dinh-dang-0.json", text(base() | {"version": 0}), "Trường 'version' phải là")
    add(kind, "dinh-dang-chuoi.json", text(base() | {"version": "1"}), "Trường 'version' phải")

    kind = "Tệp đánh giá: văn bản có HTML, mã lệnh"
    html = base()
    html["unit"]["name"] = HOSTILE
    html["evidence"]["1.1"]["documents"] = SCRIPT
    html["report"]["1"]["done_well"] = f'"</textarea>{SCRIPT}'
    html["proposed_band"] = "<b onmouseover=window.__pwned=1>Tốt</b>"
    add(kind, "html.json", text(html), "", refused=False)
    add(kind, "html-diem.json", text(answer(HOSTILE)), HOSTILE, refused=False)
    add(kind, "html-khoa.json", text(base() | {HOSTILE: SCRIPT}), f"{HOSTILE}: khóa không được")
    add(kind, f"{HOSTILE}.json", b"{", "Tệp không phải JSON hợp lệ")

    kind = "Tệp đánh giá: ký tự hỏng (nửa ký tự UTF-16)"
    plain = codec.dumps(base())
    half = plain.replace('"UBND xã A"', '"UBND xã A\\ud800"', 1)
    add(kind, "nua-ten.json", half.encode(), "unit.name: có ký tự hỏng (\\ud800")
    band = plain.replace('"proposed_band":""', '"proposed_band":"Tốt\\udfff"', 1)
    add(kind, "nua-muc.json", band.encode(), "proposed_band: có ký tự hỏng (\\udfff")
    key = plain.replace('"evidence":{', '"evidence":{"\\udc80":{},', 1)
    add(kind, "nua-khoa.json", key.encode(), "evidence.\\udc80: có ký tự hỏng (\\udc80")
    add(kind, "nua-diem.json", with_raw_answer('"1\\ud83d"'), "1.1: có ký tự hỏng (\\ud83d")

    kind = "Tệp đánh giá: khóa lặp lại"
    twice = '{"format":"khac",' + plain[1:]
    add(kind, "format-lap.json", twice.encode(), "khóa 'format' xuất hiện hai lần")
    name_twice = plain.replace('"name":"UBND xã A"', '"name":"UBND xã A","name":"Xã B"', 1)
    add(kind, "ten-lap.json", name_twice.encode(), "khóa 'name' xuất hiện hai lần")

    kind = "Tệp đánh giá: khóa dài hàng triệu ký tự"
    long_key = "k" * LONG_KEY
    add(kind, "khoa-dai.json", text(base() | {long_key: 1}), "k" * 37 + "…: khóa không được")
    long_item = base()
    long_item["evidence"][long_key] = {"documents": "x"}
    add(kind, "muc-dai.json", text(long_item), "", refused=False)

    kind = "Tệp đánh giá: thang điểm cùng phiên bản, nội dung khác"
    changed = base()
    changed["rubric"]["hash"] = "0" * 64
    add(kind, "noi-dung-khac.json", text(changed), RUBRIC_CHANGED, refused=False)

    kind = "Tệp đánh giá: tên tệp có ký tự đảo chiều chữ"
    add(kind, "bao-cao-\u202enosj.exe.json", b"{", "Tệp không phải JSON hợp lệ")
    add(kind, "\u05e9\u05dc\u05d5\u05dd-\u202bx.json", b"[]", "không phải một đối tượng JSON")
    return out


def decode(data: bytes) -> str | None:
    """A file's text as the command line and the form read it (files.mjs decodeText): UTF-16
    after its byte order mark, else UTF-8 without it; None when the bytes are not such text."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def materialise(case: Case, folder: Path) -> Path:
    """Write a case's file (a huge one sparse: its size, no real bytes); return its path."""
    path = folder / case.name.replace("/", "_")
    if case.size:
        with path.open("wb") as handle:
            handle.truncate(case.size)
    else:
        path.write_bytes(case.data)
    return path


# --------------------------------------------------------------------------------------------
# Seeded mutations (fuzzing)


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    """A few random byte edits: flip, insert, delete, duplicate a chunk, truncate."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(out) or 1)
        action = rng.randrange(5)
        if action == 0 and out:
            out[at] ^= 1 << rng.randrange(8)
        elif action == 1:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif action == 2:
            del out[at : at + rng.randint(1, 40)]
        elif action == 3:
            out[at:at] = out[at : at + rng.randint(1, 200)]
        else:
            del out[at:]
    return bytes(out)


ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    Decimal("-0.5"),
    Decimal("1E+30"),
    10**40,
    "",
    "1,5",
    "abc",
    HOSTILE,
    SCRIPT,
    [],
    {},
    [1, [2, [3]]],
    {"a": {"b": None}},
    "\u0000\u202e",
]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*path, index))
    return found


def mutate_json(rng: random.Random, doc: dict[str, Any]) -> dict[str, Any]:
    """A few random structural edits of a document: replace, delete or add a value."""
    doc = codec.loads(codec.dumps(doc))
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_paths(doc)[1:])
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        action = rng.randrange(3)
        if action == 0:
            parent[path[-1]] = rng.choice(ODD_VALUES)
        elif action == 1 and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[rng.choice(["x", "__proto__", "1.1", "self", HOSTILE])] = rng.choice(ODD_VALUES)
    return doc
