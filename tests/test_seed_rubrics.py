"""The bundled rubrics against their sources: structure, every figure, what is left unstated."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT
from generator.loader import load_file
from scoring_py.model import Rubric
from scoring_py.rubric import evidence_strength, rubric_hash

SOURCES = ROOT / "rubrics" / "sources"
ROW = re.compile(r"^(?P<stt>[IVX]+|\d+(?:\.\d+)?)\t(?P<text>[^\t]*)\t(?P<points>\d+)\t", re.M)


def load(rubric_id: str) -> Rubric:
    """Load a bundled rubric by id."""
    return load_file(ROOT / "rubrics" / f"{rubric_id}.yaml")


def test_every_bundled_rubric_cites_a_bundled_source() -> None:
    """Each rubric names the source file it was transcribed from, kept in rubrics/sources/."""
    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        rubric = load_file(path)
        assert (SOURCES / rubric.legal.source).is_file(), rubric.legal.source


def source_rows() -> list[tuple[str, str, Decimal]]:
    """Rows of seed 001's BẢNG CHẤM ĐIỂM: (STT, start of the text, points)."""
    text = (SOURCES / "001_2905d9845fe8b394.txt").read_text(encoding="utf-8")
    rows = []
    for match in ROW.finditer(text):
        cell = re.sub(r"</?i>", "", match["text"]).strip()
        rows.append((match["stt"], cell, Decimal(match["points"])))
    return rows


def rubric_rows(rubric: Rubric) -> list[tuple[str, str, Decimal]]:
    """The same rows as the rubric file gives them, in the table's order and numbering."""
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    rows = []
    for ci, crit in enumerate(rubric.criteria):
        rows.append((roman[ci], f"Tiêu chí số {crit.id}: {crit.title}", crit.max))
        for ii, item in enumerate(crit.items, start=1):
            rows.append((str(ii), item.text, item.max))
            for li, level in enumerate(item.levels, start=1):
                rows.append((f"{ii}.{li}", level.text, level.points))
    return rows


def test_hung_yen_matches_the_scoring_table_row_by_row() -> None:
    """Every criterion, item and level of Hưng Yên has the table's number, text and points."""
    source = source_rows()
    ours = rubric_rows(load("hung-yen-2020"))
    assert len(source) == len(ours) == 8 + 28 + 12
    for (stt, cell, points), (our_stt, our_text, our_points) in zip(source, ours, strict=True):
        assert (our_stt, our_points) == (stt, points), cell
        start = cell.split("(Ch")[0].strip().rstrip(".")[:30]
        assert our_text.startswith(start), (stt, cell, our_text)


def test_hung_yen_structure() -> None:
    """Hưng Yên: 8 criteria, 28 items, 100 points, four choose-one items, no invented bands."""
    rubric = load("hung-yen-2020")
    assert rubric.total == 100
    assert [c.max for c in rubric.criteria] == [14, 10, 15, 23, 8, 10, 10, 10]
    assert [len(c.items) for c in rubric.criteria] == [5, 2, 8, 4, 2, 2, 3, 2]
    choices = [i.id for c in rubric.criteria for i in c.items if i.kind == "choice"]
    assert choices == ["4.1", "4.4", "5.2", "8.2"]
    levels = {i.id: [lv.points for lv in i.levels] for c in rubric.criteria for i in c.items}
    assert (levels["4.1"], levels["4.4"], levels["5.2"], levels["8.2"]) == (
        [7, 3, 0],
        [6, 3, 0],
        [5, 2, 0],
        [5, 3, 0],
    )
    assert rubric.bands == ()
    assert rubric.bands_note
    assert all(c.guidance for c in rubric.criteria)
    assert rubric.legal.status == "replaced"


def test_hung_yen_report_outline_is_quoted_as_the_source_words_it() -> None:
    """Every đề cương point of Hưng Yên is a paragraph of the source, word for word: the
    parenthesis "(Những kết quả đạt được…)" kept, no line of ours added, none merged."""
    rubric = load("hung-yen-2020")
    source = (ROOT / "rubrics" / "sources" / rubric.legal.source).read_text(encoding="utf-8")
    paragraphs = {
        re.sub(r"^- ", "", " ".join(p.split()))
        for p in re.split(r"\n\s*\n", source.replace("về tài\n\nchính", "về tài chính"))
    }
    points = [p for c in rubric.criteria for p in c.guidance]
    assert [p for p in points if p not in paragraphs] == []
    assert not any(p.startswith("Với mỗi nội dung") for p in points)
    assert sum("(Những kết quả đạt được, những hạn chế" in p for p in points) == 19
    assert rubric.criteria[2].guidance[:2] == (
        "1. Đánh giá kết quả thực hiện công tác cải cách hành chính",
        "Theo nội dung tại Quy định ban hành kèm theo Quyết định số 2216/QĐ-UBND ngày 28/9/2022"
        " của UBND tỉnh về việc ban hành quy định về xác định chỉ số cải cách hành chính và bộ"
        " chỉ số đánh giá kết quả thực hiện cải cách hành chính.",
    )
    assert all(c.report_help is None for c in rubric.criteria)


def test_hung_yen_expects_evidence_for_every_item() -> None:
    """The letter asks for "đầy đủ tài liệu, minh chứng theo các nội dung tự đánh giá":
    evidence expected (a warning, an explanation) for every item, not "no points"."""
    rubric = load("hung-yen-2020")
    source = (ROOT / "rubrics" / "sources" / rubric.legal.source).read_text(encoding="utf-8")
    assert "cung cấp đầy đủ tài liệu, minh chứng theo các nội dung tự đánh giá" in source
    strengths = {evidence_strength(rubric, i) for c in rubric.criteria for i in c.items}
    assert (rubric.evidence, strengths) == ("expected", {"expected"})


def test_hau_giang_bands() -> None:
    """Hậu Giang: the four bands of Quyết định 1329 and a plain note that points are missing."""
    rubric = load("hau-giang-2022")
    bands = sorted(rubric.bands, key=lambda b: b.min, reverse=True)
    assert [(b.name, b.min, b.max) for b in bands] == [
        ("Hoàn thành xuất sắc", 90, None),
        ("Hoàn thành tốt", 75, 90),
        ("Hoàn thành", 50, 75),
        ("Không hoàn thành", 0, 50),
    ]
    assert rubric.source_gaps


def test_bac_kan_split_bands_and_override() -> None:
    """Bắc Kạn: 90 self-scored + 10 by the superior, tốt ≥ 80, khá 75–80, and the source's two
    lower bands, trung bình and yếu, kept apart with their thresholds marked as not stated."""
    rubric = load("bac-kan-2017")
    assert [(c.max, c.items[0].given_by) for c in rubric.criteria] == [
        (90, "unit"),
        (10, "superior"),
    ]
    assert rubric.evidence_required
    stated = sorted(((b.min, b.max) for b in rubric.bands if b.stated), reverse=True)
    assert stated == [(80, None), (75, 80)]
    assert [(b.name, b.min, b.max, b.stated) for b in rubric.bands if b.min == 0] == [
        ("Trung bình", 0, 75, False),
        ("Yếu", 0, 75, False),
    ]
    assert [o.effect for o in rubric.overrides] == ["unclassifiable"]


@pytest.mark.parametrize("path", sorted((ROOT / "rubrics").glob("*.yaml")), ids=lambda p: p.stem)
def test_rubric_says_what_the_source_leaves_out(path: Path) -> None:
    """Every bundled rubric lists what its source does not state."""
    assert load_file(path).source_gaps


def test_an_unchanged_rubric_keeps_its_fingerprint() -> None:
    """Hậu Giang's content did not change when the format gained later fields (evidence
    strength, report help, printout titles): its hash is the one its assessments carry."""
    assert rubric_hash(load("hau-giang-2022")) == (
        "sha256:42431ad1ac05ade40c925e1b4238793be970f652a41bc742e91386d566c2190e"
    )
