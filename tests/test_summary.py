"""The summary of many assessments (tổng hợp): duplicates and files that could not be read."""

from __future__ import annotations

import decimal
import json
import random
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from casegen import valid_answer
from conftest import FULL, D, make_rubric
from generator.loader import load_file
from scoring_py import api, codec, document, summary, tables
from scoring_py.model import Rubric
from scoring_py.problems import RubricError
from scoring_py.rubric import canonical_json


def unit(rubric: Rubric, name: str, year: int | None = 2024) -> dict[str, Any]:
    """A fully answered document of a named unit."""
    doc = document.template(rubric, name=name)
    doc["unit"]["year"] = year
    doc["stages"]["self"]["answers"].update(FULL)
    return doc


def test_duplicates_ignore_unicode_form_spacing_and_case(rubric: Rubric) -> None:
    """ "Hòa" typed composed or decomposed, with extra spaces or capitals, is the same unit."""
    composed = "UBND xã Đông Hòa"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    entries: list[tuple[str, Any]] = [
        ("a.json", unit(rubric, composed)),
        ("b.json", unit(rubric, decomposed)),
        ("c.json", unit(rubric, "  ubnd XÃ  đông hòa ")),
        ("d.json", unit(rubric, composed, year=2023)),
        ("e.json", unit(rubric, "UBND xã Đông Hải")),
    ]
    result = summary.aggregate(rubric, entries)
    [duplicate] = result["duplicates"]
    assert duplicate["count"] == 3
    assert duplicate["year"] == 2024
    assert [f["file"] for f in duplicate["files"]] == ["a.json", "b.json", "c.json"]
    assert summary.unit_key(duplicate["name"]) == summary.unit_key(composed)
    assert len(result["units"]) == 3  # Đông Hòa 2024, Đông Hòa 2023, Đông Hải


def test_no_duplicates_for_distinct_units(rubric: Rubric) -> None:
    """Different names, or one name in different years, are not duplicates."""
    entries: list[tuple[str, Any]] = [
        ("a.json", unit(rubric, "Sở A")),
        ("b.json", unit(rubric, "Sở B")),
        ("c.json", unit(rubric, "Sở A", year=2023)),
    ]
    assert summary.aggregate(rubric, entries)["duplicates"] == []


def test_api_aggregate_keeps_a_callers_read_error_in_place(rubric: Rubric) -> None:
    """An entry with an error (a file the browser could not read) is rejected with that
    reason, between the files around it."""
    good = codec.dumps(unit(rubric, "Sở A"))
    files = [
        {"name": "hong.json", "text": "{"},
        {"name": "lon.json", "error": {"code": "too_large", "message": "Tệp lớn quá 50 MB."}},
        {"name": "a.json", "text": good},
        {"name": "ma.json", "error": {"message": "Tệp phải được mã hóa UTF-8."}},
        {"name": "x.json", "error": "không phải bảng"},
    ]
    answer = json.loads(api.aggregate(canonical_json(rubric), json.dumps(files)))
    rejected = [(r["file"], r["code"], r["reason"]) for r in answer["summary"]["rejected"]]
    assert rejected == [
        ("hong.json", "not_json", "Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng 1."),
        ("lon.json", "too_large", "Tệp lớn quá 50 MB."),
        ("ma.json", "unreadable", "Tệp phải được mã hóa UTF-8."),
        ("x.json", "invalid_document", "Không đọc được nội dung tệp."),
    ]
    assert [u["file"] for u in answer["summary"]["units"]] == ["a.json"]


def appraised(rubric: Rubric, name: str, answers: dict[str, Any], when: str) -> dict[str, Any]:
    """The unit's file after a finished appraisal with the given answers."""
    doc = unit(rubric, name)
    doc["stages"]["appraisal"]["answers"].update({**FULL, **answers})
    doc["updated"] = when
    return doc


def test_one_unit_is_one_row_with_its_most_advanced_file(rubric: Rubric) -> None:
    """A unit's self file and its appraised file give one row, the appraised total, one count;
    a file with an invalid entry is listed for review and not ranked (failing before: the unit
    was ranked twice and the bad file ranked as if its bad item were 0)."""
    own = unit(rubric, "UBND xã A")
    own["updated"] = "2026-11-20T08:00:00Z"
    later = appraised(rubric, "UBND xã A", {"1.1": 10}, "2026-11-25T08:00:00Z")
    bad = unit(rubric, "UBND xã B")
    bad["stages"]["self"]["answers"]["1.1"] = 25
    other = unit(rubric, "UBND xã C")
    result = summary.aggregate(
        rubric,
        [("a-tu-cham.json", own), ("a-tham-dinh.json", later), ("b.json", bad), ("c.json", other)],
    )
    assert [(u["name"], u["file"], u["rank"]) for u in result["units"]] == [
        ("UBND xã C", "c.json", 1),
        ("UBND xã A", "a-tham-dinh.json", 2),
    ]
    chosen = result["units"][1]
    assert chosen["final"]["total"] == 90 and chosen["difference"] == -10
    assert chosen["superseded"] == ["a-tu-cham.json"]
    assert chosen["chosen_because"] == "giai đoạn xa nhất (đã thẩm định xong)"
    [review] = result["review"]
    assert review["file"] == "b.json" and review["rank"] is None
    assert review["review"] == ["Tự chấm, mục 1.1: điểm 25 vượt quá điểm tối đa 20"]
    counts = {b["id"]: b["count"] for b in result["band_counts"]}
    assert counts["xuat-sac"] == 2 and counts[summary.REVIEW] == 1
    assert sum(counts.values()) == 3
    assert result["overall"]["count"] == 2 and result["overall"]["final"] == 95
    table = tables.tables(result)["units"]
    assert [row[1] for row in table["rows"]] == ["UBND xã C", "UBND xã A", "UBND xã B"]
    assert table["rows"][2][:5] == ["—", "UBND xã B", "—", "", "Cần xem lại"]


def test_a_file_chosen_by_hand_counts_for_its_unit(rubric: Rubric) -> None:
    """`prefer` makes another of a unit's files count, and says so."""
    own = unit(rubric, "Sở A")
    later = appraised(rubric, "Sở A", {"1.1": 10}, "2026-11-25T08:00:00Z")
    result = summary.aggregate(rubric, [("1.json", own), ("2.json", later)], prefer=["1.json"])
    [chosen] = result["units"]
    assert (chosen["file"], chosen["final"]["total"]) == ("1.json", 100)
    assert chosen["chosen_because"] == "chọn trên trang tổng hợp"


def test_the_latest_file_counts_among_files_of_one_stage(rubric: Rubric) -> None:
    """Of two self-assessments, the one saved last counts, whatever the time zone written."""
    first = unit(rubric, "Sở A")
    first["updated"] = "2026-11-25T09:00:00+07:00"  # 02:00 UTC
    second = unit(rubric, "Sở A")
    second["stages"]["self"]["answers"]["1.1"] = 10
    second["updated"] = "2026-11-25T03:00:00Z"
    result = summary.aggregate(rubric, [("1.json", first), ("2.json", second)])
    assert [(u["file"], u["chosen_because"]) for u in result["units"]] == [
        ("2.json", "lưu gần nhất")
    ]


def test_an_unfinished_appraisal_is_kept_out_of_results(rubric: Rubric) -> None:
    """A unit under appraisal is listed without rank, band or final total and does not enter
    the appraisal, final and difference averages (failing before: ranked with a partial total)."""
    doc = unit(rubric, "Sở A")
    doc["stages"]["appraisal"]["answers"]["1.1"] = 5
    result = summary.aggregate(rubric, [("a.json", doc), ("b.json", unit(rubric, "Sở B"))])
    pending = next(u for u in result["units"] if u["file"] == "a.json")
    assert (pending["rank"], pending["state"], pending["difference"]) == (None, "appraising", None)
    overall = result["overall"]
    assert (overall["final"], overall["appraisal"], overall["difference"]) == (100, None, None)
    assert overall["appraising"] == 1 and overall["self"] == 100
    row = tables.tables(result)["units"]["rows"][1]
    assert row[:5] == ["—", "Sở A", "—", "Đang thẩm định: 1/6 mục", "Đang thẩm định (1/6 mục)"]


def test_look_alike_names_are_one_unit_and_mixed_scripts_are_flagged(rubric: Rubric) -> None:
    """Invisible characters and full-width letters do not make another unit; a Cyrillic "а"
    inside a Vietnamese name is listed for review (failing before: three units)."""
    names = ["UBND xã An", "UBND\u200b xã\u00ad An\ufeff", "ＵＢＮＤ xã An", "UBND xã \u0410n"]
    entries: list[tuple[str, Any]] = [(f"{i}.json", unit(rubric, n)) for i, n in enumerate(names)]
    result = summary.aggregate(rubric, entries)
    assert [u["file"] for u in result["units"]] == ["0.json"]
    assert result["duplicates"][0]["count"] == 3
    [flagged] = result["review"]
    assert flagged["file"] == "3.json"
    assert "(chữ Kirin, chữ Latinh)" in flagged["review"][0]


def test_the_rubrics_note_is_said_once(rubric: Rubric) -> None:
    """A rubric without bands says its note once, above the table; no cell carries it."""
    plain = make_rubric(bands=[], bands_note="Các mức xếp loại không có trong tài liệu nguồn.")
    entries: list[tuple[str, Any]] = [(f"{n}.json", unit(plain, f"Sở {n}")) for n in "ABC"]
    result = summary.aggregate(plain, entries)
    assert result["notes"] == [
        {"text": "Các mức xếp loại không có trong tài liệu nguồn.", "count": 3}
    ]
    cells = [cell for row in tables.tables(result)["units"]["rows"] for cell in row]
    assert not any("tài liệu nguồn" in cell for cell in cells)
    assert "tài liệu nguồn" not in tables.to_csv(result)


def test_one_broken_file_never_stops_the_summary(rubric: Rubric, monkeypatch: Any) -> None:
    """An unexpected failure on one file lists that file, and the others are summarised."""
    real = summary.score_document

    def fragile(r: Rubric, doc: dict[str, Any]) -> dict[str, Any]:
        if doc["unit"]["name"] == "Sở hỏng":
            raise UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates not allowed")
        return real(r, doc)

    monkeypatch.setattr(summary, "score_document", fragile)
    result = summary.aggregate(
        rubric, [("a.json", unit(rubric, "Sở hỏng")), ("b.json", unit(rubric, "Sở B"))]
    )
    assert [u["file"] for u in result["units"]] == ["b.json"]
    assert result["rejected"][0]["code"] == "internal"


def test_batch_bounds_the_total_it_reads(rubric: Rubric, monkeypatch: Any) -> None:
    """Past MAX_BATCH_BYTES of text, later files are refused with a message saying why."""
    text = codec.dumps(unit(rubric, "Sở A"))
    monkeypatch.setattr(summary, "MAX_BATCH_BYTES", len(text.encode()) * 3 // 2)
    batch = api.SummaryBatch(canonical_json(rubric))
    for n in range(3):
        batch.add(f"{n}.json", text.replace("Sở A", f"Sở {n}"))
    answer = json.loads(batch.result())
    assert len(answer["summary"]["units"]) == 1
    assert [r["code"] for r in answer["summary"]["rejected"]] == ["batch_too_large"] * 2
    assert answer["summary"]["rejected"][0]["reason"].startswith("Vượt quá tổng dung lượng")


def test_two_halves_merged_give_the_whole_summary(rubric: Rubric) -> None:
    """Two batches, each given half of the files and told where its half starts, merged,
    summarise exactly as one batch of all the files (the browser's two workers)."""
    docs = [unit(rubric, f"Sở {n % 7}") for n in range(20)]
    for n, doc in enumerate(docs):
        doc["stages"]["self"]["answers"]["1.1"] = n
        doc["updated"] = f"2026-11-{10 + n % 5:02d}T08:00:00Z"
    texts = [(f"{n:02d}.json", codec.dumps(d)) for n, d in enumerate(docs)]
    texts.insert(5, ("hong.json", "{"))
    texts.insert(15, ("hong-2.json", "[]"))
    whole = api.SummaryBatch(canonical_json(rubric))
    for name, text in texts:
        whole.add(name, text)
    first, second = (
        api.SummaryBatch(canonical_json(rubric)),
        api.SummaryBatch(canonical_json(rubric)),
    )
    cut = 11
    for name, text in texts[:cut]:
        first.add(name, text)
    second.at(cut)
    for name, text in texts[cut:]:
        second.add(name, text)
    first.adopt(second.export())
    assert first.result() == whole.result()
    assert json.loads(first.result())["summary"]["rejected"][0]["file"] == "hong.json"


def test_a_part_carries_no_other_type(rubric: Rubric) -> None:
    """Adopting a part that holds anything but a summary's own types is refused."""
    import base64
    import pickle

    batch = api.SummaryBatch(canonical_json(rubric))
    hostile = base64.b64encode(pickle.dumps(([], [], print))).decode()
    try:
        batch.adopt(hostile)
    except pickle.UnpicklingError as exc:
        assert "builtins.print" in str(exc)
    else:
        raise AssertionError("a foreign type was unpickled")


def test_the_page_answer_holds_no_exact_number(rubric: Rubric) -> None:
    """The summary page's answer is written by the C JSON writer: it must hold only texts,
    whole numbers, flags and lists, whatever the files (Decimals would make it fail)."""
    batch = api.SummaryBatch(canonical_json(rubric))
    doc = unit(rubric, "Sở A")
    doc["stages"]["self"]["answers"]["1.1"] = D("12.5")
    doc["stages"]["appraisal"]["answers"].update({**FULL, "1.1": D("7.5")})
    batch.add("a.json", codec.dumps(doc))
    batch.add("b.json", codec.dumps(unit(rubric, "Sở A")))
    batch.add("c.json", "{")
    answer = json.loads(batch.page())
    assert answer["ok"] and answer["tables"]["units"]["rows"][0][2] == "87,5"


def test_the_charts_figures_match_an_independent_count() -> None:
    """The summary's figures under its charts (the distribution of final totals, each
    criterion's average share of its maximum, the appraised units by difference) agree with a
    count made here from the units' own rows, with decimal arithmetic at 50 digits."""
    rubric = load_file(Path(__file__).resolve().parent.parent / "rubrics" / "bac-kan-2017.yaml")
    rng = random.Random(7)
    entries: list[tuple[str, Any]] = []
    items = [i for c in rubric.criteria for i in c.items]
    for n in range(60):
        doc = document.template(rubric, name=f"Đơn vị {n}")
        doc["unit"]["year"] = 2024
        stages = ("self", "appraisal") if n % 3 else ("self",)
        for stage in stages:
            for item in items:
                if stage == "appraisal" or item.given_by == "unit":
                    doc["stages"][stage]["answers"][item.id] = valid_answer(rng, rubric, item)
        entries.append((f"{n}.json", doc))
    result = summary.aggregate(rubric, entries)
    ranked = [u for u in result["units"] if u["state"] in ("self", "appraised")]
    assert len(ranked) >= 10

    edges = [rubric.total * k / 10 for k in range(11)]
    expected_bins = []
    for k in range(10):
        low, high = edges[k], edges[k + 1]
        inside = [
            u
            for u in ranked
            if (low <= u["final"]["total"] or k == 0) and (u["final"]["total"] < high or k == 9)
        ]
        expected_bins.append({"low": low, "high": high, "count": len(inside)})
    assert result["distribution"] == expected_bins
    assert sum(b["count"] for b in result["distribution"]) == len(ranked)

    context = decimal.Context(prec=50, rounding=decimal.ROUND_HALF_UP)
    for criterion, row in zip(rubric.criteria, result["criterion_averages"], strict=True):
        scores = [u["final"]["criteria"][criterion.id] for u in ranked]
        assert row["id"] == criterion.id and row["max"] == criterion.max
        mean = context.divide(sum(scores, D(0)), len(scores))
        assert row["average"] == mean.quantize(D("0.01"), rounding=decimal.ROUND_HALF_UP)
        if criterion.max > 0:
            share = context.divide(sum(scores, D(0)) * 100, len(scores) * criterion.max)
            assert row["percent"] == share.quantize(D("0.1"), rounding=decimal.ROUND_HALF_UP)
        else:
            assert row["percent"] is None

    appraised_units = [u for u in result["units"] if u["state"] == "appraised"]
    assert len(appraised_units) >= 10
    assert len(result["differences"]) == len(appraised_units)
    differences = [d["difference"] for d in result["differences"]]
    assert differences == sorted(differences)
    for row in result["differences"]:
        assert row["difference"] == row["appraisal"] - row["self"]


def test_each_unit_shows_the_content_code_its_papers_print(rubric: Rubric) -> None:
    """The summary names each file's content code, the one `score` gives for the file (and
    its papers print), in the table and the CSV."""
    texts = {name: codec.dumps(unit(rubric, name)) for name in ("Sở A", "Sở B")}
    files = [{"name": f"{name}.json", "text": text} for name, text in texts.items()]
    answer = json.loads(api.aggregate(canonical_json(rubric), json.dumps(files)))
    codes = {u["name"]: u["code"] for u in answer["summary"]["units"]}
    for name, text in texts.items():
        scored = json.loads(api.score(canonical_json(rubric), text))
        assert codes[name] == scored["result"]["code"]
    assert codes["Sở A"] != codes["Sở B"]
    entries = [(f["name"], codec.loads(f["text"])) for f in files]
    table = tables.tables(summary.aggregate(rubric, entries))["units"]
    column = [c["key"] for c in table["columns"]].index("code")
    assert sorted(row[column] for row in table["rows"]) == sorted(codes.values())


# --------------------------------------------------------------------------------------------
# A limit on the top band across units (model.BandQuota)

QUOTA = {
    "band": "xuat-sac",
    "percent": 20,
    "of": "tot",
    "text": "Không quá 20% số đơn vị xếp loại hoàn thành tốt (quy định thử)",
}
TYPES = [{"id": "so", "name": "Sở, ngành"}, {"id": "huyen", "name": "UBND huyện"}]


def totalled(rubric: Rubric, name: str, unit_type: str, total: int) -> dict[str, Any]:
    """A unit's document whose self total is `total` (base rubric: 1.1 is a free score of 20,
    1.3 yes/no of 20, 1.2 a choice of 10, 2.2 steps of 10)."""
    doc = document.template(rubric, name=name, unit_type=unit_type)
    doc["unit"]["year"] = 2024
    answers = dict(FULL)
    rest = total
    if rest < 80:
        answers["1.3"] = False
        rest += 20
    if rest < 80:
        answers |= {"1.2": "1.2.3", "2.2": 0}
        rest += 20
    answers["1.1"] = rest - 80
    doc["stages"]["self"]["answers"].update(answers)
    return doc


def test_the_top_band_is_limited_in_each_group() -> None:
    """Sở: 8 units from "tốt" up allow 1 "xuất sắc" (20 % of 8, rounded down): of the five the
    scores rate so, the four lowest move to "tốt". Huyện: 5 units allow 1; the two at 95 are
    tied at the limit, so both move. The summary names them and counts the bands after."""
    rubric = make_rubric(unit_types=TYPES, quota=QUOTA)
    so = [100, 98, 95, 95, 91, 85, 80, 78, 60, 40]
    huyen = [95, 95, 80, 80, 80]
    entries = [
        (f"so-{n}.json", totalled(rubric, f"Sở {n}", "so", total)) for n, total in enumerate(so)
    ] + [
        (f"huyen-{n}.json", totalled(rubric, f"Huyện {n}", "huyen", total))
        for n, total in enumerate(huyen)
    ]
    result = summary.aggregate(rubric, entries)
    bands = {u["name"]: (u["final"]["total"], u["final"]["band_id"]) for u in result["units"]}
    assert bands["Sở 0"] == (100, "xuat-sac")
    for n in (1, 2, 3, 4):  # 98, 95, 95, 91
        assert bands[f"Sở {n}"][1] == "tot"
    assert [bands[f"Huyện {n}"][1] for n in range(5)] == ["tot"] * 5
    quota = result["quota"]
    assert [(g["name"], g["counted"], g["limit"], g["rated"]) for g in quota["groups"]] == [
        ("Sở, ngành", 8, 1, 5),
        ("UBND huyện", 5, 1, 2),
    ]
    assert [m["name"] for m in quota["groups"][0]["moved"]] == ["Sở 1", "Sở 2", "Sở 3", "Sở 4"]
    assert [m["name"] for m in quota["groups"][1]["moved"]] == ["Huyện 0", "Huyện 1"]
    counts = {b["id"]: b["count"] for b in result["band_counts"]}
    assert (counts["xuat-sac"], counts["tot"]) == (1, 12)
    moved = next(u for u in result["units"] if u["name"] == "Sở 1")
    assert moved["final"]["reasons"][-1]["text"] == (
        "Vượt hạn mức 20 % của mức “Hoàn thành xuất sắc”: chuyển xuống mức “Hoàn thành tốt”"
    )
    built = tables.tables(result)
    assert built["quota"]["rows"][1] == ["UBND huyện", "5", "1", "2", "Huyện 0; Huyện 1"]
    notes = built["units"]["columns"].index(
        next(c for c in built["units"]["columns"] if c["key"] == "notes")
    )
    row = next(r for r in built["units"]["rows"] if "Sở 1" in r)
    assert "Vượt hạn mức 20 %" in row[notes]
    # The workbook has the same table, after the counts per band.
    import io

    import openpyxl

    from scoring_py import workbook

    book = openpyxl.load_workbook(io.BytesIO(workbook.workbook(result)))
    assert book.sheetnames[:3] == ["Xếp hạng", "Theo xếp loại", "Hạn mức xếp loại"]
    cells = [[c.value for c in r] for r in book["Hạn mức xếp loại"].iter_rows(min_row=2)]
    assert cells[1] == ["UBND huyện", 5, 1, 2, "Huyện 0; Huyện 1"]


def test_a_limit_over_all_units_and_none_when_not_set(rubric: Rubric) -> None:
    """by_type false counts every unit together; a rubric without a limit reports none and
    its summary has no quota rows."""
    together = make_rubric(unit_types=TYPES, quota=QUOTA | {"by_type": False})
    entries = [
        (f"{n}.json", totalled(together, f"Đơn vị {n}", kind, total))
        for n, (kind, total) in enumerate([("so", 99), ("huyen", 97), ("so", 80), ("huyen", 80)])
    ]
    result = summary.aggregate(together, entries)
    # 4 units from "tốt" up: 20 % is 0.8, rounded down to 0: both "xuất sắc" move.
    assert [(g["name"], g["limit"], len(g["moved"])) for g in result["quota"]["groups"]] == [
        ("Tất cả các đơn vị", 0, 2)
    ]
    plain = summary.aggregate(rubric, [("a.json", unit(rubric, "Sở A"))])
    assert plain["quota"] is None
    assert tables.tables(plain)["quota"] == {"columns": [], "rows": []}


@pytest.mark.parametrize(
    ("quota", "message"),
    [
        (QUOTA | {"band": "xuat_sac"}, "quota.band: phải là mã một mức xếp loại có ngưỡng"),
        (QUOTA | {"of": "xuat-sac"}, "quota.band: phải là mức cao hơn mức 'xuat-sac' (of)"),
        (QUOTA | {"percent": 120}, "quota.percent: phải từ 0 đến 100 (nhận được 120)"),
    ],
)
def test_bad_limits_are_refused(quota: dict[str, Any], message: str) -> None:
    with pytest.raises(RubricError) as caught:
        make_rubric(unit_types=TYPES, quota=quota)
    assert message in str(caught.value), str(caught.value)


def test_each_unit_counts_the_items_scored_without_their_evidence() -> None:
    """Where the rubric expects evidence, the summary counts per unit the items scored above 0
    with neither documents nor an explanation (the engine's warnings), in its own column."""
    rubric = make_rubric(evidence="expected")
    bare = unit(rubric, "Sở A")  # six items scored, no evidence at all
    some = unit(rubric, "Sở B")
    some["evidence"]["1.1"]["documents"] = "Kế hoạch số 1/KH"
    some["evidence"]["1.2"]["explanation"] = "Đã nộp bản giấy"
    result = summary.aggregate(rubric, [("a.json", bare), ("b.json", some)])
    counts = {u["name"]: u["missing_evidence"] for u in result["units"]}
    assert counts == {"Sở A": 6, "Sở B": 4}
    table = tables.tables(result)["units"]
    column = [c["key"] for c in table["columns"]].index("missing_evidence")
    assert sorted(row[column] for row in table["rows"]) == ["4", "6"]
    plain = summary.aggregate(make_rubric(), [("a.json", unit(make_rubric(), "Sở A"))])
    assert plain["units"][0]["missing_evidence"] == 0
