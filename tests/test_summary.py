"""The summary of many assessments (tổng hợp): duplicates and files that could not be read."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from conftest import FULL
from scoring_py import api, codec, document, summary
from scoring_py.model import Rubric
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
    assert duplicate["files"] == ["a.json", "b.json", "c.json"]
    assert summary.unit_key(duplicate["name"]) == summary.unit_key(composed)


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
