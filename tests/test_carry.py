"""Carrying an assessment over to another version of its rubric (carry.carry_over and
api.carry_document): what still fits is kept, everything else is listed, never dropped silently."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import FULL, make_rubric, rubric_data
from scoring_py import api, carry, codec, document
from scoring_py.model import Rubric
from scoring_py.problems import DocumentError
from scoring_py.rubric import canonical_json, parse_rubric, rubric_hash


def second_version() -> Rubric:
    """Version "2" of the test rubric: level 1.2.3 gone, 1.3 scored freely instead of yes/no."""
    data = rubric_data(version="2")
    levels = data["criteria"][0]["items"][1]["levels"]
    levels.pop()
    levels[1]["points"] = 0
    data["criteria"][0]["items"][2]["kind"] = "score"
    return parse_rubric(data)


def old_document(rubric: Rubric) -> dict[str, Any]:
    doc = document.template(rubric, name="UBND xã <b>A</b>")
    answers = doc["stages"]["self"]["answers"]
    answers.update(FULL)
    answers["1.2"] = "1.2.3"
    doc["stages"]["appraisal"]["answers"]["1.1"] = 15
    doc["evidence"]["1.1"]["documents"] = "Kế hoạch số 5/KH"
    doc["report"]["1"]["done_well"] = "Đã làm tốt"
    return doc


def test_same_version_is_not_carried() -> None:
    """A document of this version and text comes back as validate() gives it, no report."""
    rubric = make_rubric()
    doc = old_document(rubric)
    carried, report = carry.carry_over(rubric, json.loads(codec.dumps(doc)))
    assert report is None
    assert carried == document.validate(rubric, json.loads(codec.dumps(doc)))


def test_what_fits_is_carried_and_the_rest_listed() -> None:
    """Answers of items that keep their id and kind move over; a removed level, a changed kind
    and a removed item are each listed with a Vietnamese message and dropped from the copy."""
    old, new = make_rubric(), second_version()
    doc = old_document(old)
    doc["stages"]["self"]["answers"]["9.9"] = 1.5
    doc["evidence"]["9.9"] = {"documents": "Biên bản", "explanation": ""}
    doc["report"]["7"] = {"done_well": "", "shortcomings": "Chưa tốt"}
    carried, report = carry.carry_over(new, json.loads(codec.dumps(doc)))
    assert report is not None
    assert carried["rubric"] == {"id": "thu-nghiem", "version": "2", "hash": rubric_hash(new)}
    answers = carried["stages"]["self"]["answers"]
    assert answers["1.1"] == 20 and answers["2.1"] == {"numerator": 1, "denominator": 1}
    assert answers["1.2"] is None and answers["1.3"] is None and answers["2.2"] == 4
    assert "9.9" not in answers
    assert carried["stages"]["appraisal"]["answers"]["1.1"] == 15
    assert carried["evidence"]["1.1"]["documents"] == "Kế hoạch số 5/KH"
    assert "9.9" not in carried["evidence"] and "7" not in carried["report"]
    assert carried["unit"]["name"] == "UBND xã <b>A</b>"
    assert report["from"] == {"version": "1", "hash": rubric_hash(old)}
    assert report["to"] == {"version": "2", "hash": rubric_hash(new)}
    assert report["message"] == (
        "Phiếu này được chấm theo phiên bản '1' của thang điểm thu-nghiem; đã chuyển sang"
        " phiên bản hiện hành '2'."
    )
    dropped = {tuple(entry["path"]): entry for entry in report["dropped"]}
    assert {path: entry["code"] for path, entry in dropped.items()} == {
        ("stages", "self", "answers", "1.2"): "level_removed",
        ("stages", "self", "answers", "1.3"): "kind_changed",
        ("stages", "self", "answers", "9.9"): "unknown_item",
        ("evidence", "9.9"): "evidence_removed",
        ("report", "7"): "report_removed",
    }
    assert dropped[("stages", "self", "answers", "1.2")]["message"] == (
        "Mục 1.2 (tự chấm): mức này không còn; câu trả lời '1.2.3' không được chuyển sang."
    )
    assert dropped[("stages", "self", "answers", "9.9")]["message"] == (
        "Mục 9.9 (tự chấm): mục này không còn trong phiên bản này; câu trả lời 1,5 không được"
        " chuyển sang."
    )
    assert report["added"] == []
    # The carried document is a valid document of the new version, and scores.
    assert document.validate(new, json.loads(codec.dumps(carried))) == carried


def test_new_items_unit_types_and_conditions() -> None:
    """Items the new version adds are named; a unit type or a condition it no longer has is
    listed (only when something was given) and not carried."""
    types = [{"id": "xa", "name": "Xã"}, {"id": "huyen", "name": "Huyện"}]
    cond = {"id": "vi-pham", "question": "Có vi phạm?", "effect": "unclassifiable"}
    old = make_rubric(unit_types=types, overrides=[{**cond, "reason": "Vi phạm"}])
    data = rubric_data(version="2", unit_types=types[:1])
    data["criteria"][1]["items"].append({"id": "2.4", "text": "Mục mới", "max": 5, "kind": "yesno"})
    data["criteria"][1]["items"][2]["max"] = 15
    new = parse_rubric(data)
    doc = document.template(old, unit_type="huyen")
    doc["stages"]["self"]["conditions"]["vi-pham"] = {"value": True, "note": "Một vụ"}
    doc["stages"]["appraisal"]["conditions"]["vi-pham"] = {"value": None, "note": ""}
    carried, report = carry.carry_over(new, json.loads(codec.dumps(doc)))
    assert report is not None
    assert report["added"] == ["2.4"]
    assert carried["unit"]["type"] is None
    assert carried["stages"]["self"]["conditions"] == {}
    codes = [(entry["code"], entry["path"]) for entry in report["dropped"]]
    assert codes == [
        ("unit_type_removed", ["unit", "type"]),
        ("condition_removed", ["stages", "self", "conditions", "vi-pham"]),
    ]


def test_another_text_of_the_same_version() -> None:
    """Same version, another hash: read as it is (not carried), and the API warns as
    validate_document does."""
    rubric = make_rubric()
    doc = old_document(rubric)
    doc["stages"]["self"]["answers"]["1.2"] = "1.2.1"
    doc["rubric"]["hash"] = "sha256:" + "0" * 64
    carried, report = carry.carry_over(rubric, json.loads(codec.dumps(doc)))
    assert report is None
    assert carried["rubric"]["hash"] == "sha256:" + "0" * 64
    answer = json.loads(api.carry_document(canonical_json(rubric), codec.dumps(doc)))
    checked = json.loads(api.validate_document(canonical_json(rubric), codec.dumps(doc)))
    assert answer["warnings"] == checked["warnings"] != []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"rubric": {"id": "khac", "version": "1"}}, "other_rubric"),
        ({"rubric": "thu-nghiem"}, "invalid_document"),
        ({"format": "khac"}, "foreign"),
        ({"unit": {"name": 5}}, "invalid_document"),
    ],
)
def test_what_cannot_be_carried_is_refused(change: dict[str, Any], code: str) -> None:
    """Another rubric id, or a document that is invalid apart from its version: refused."""
    doc = {**old_document(make_rubric()), **change}
    if isinstance(doc["rubric"], dict) and doc["rubric"].get("id") == "thu-nghiem":
        doc["rubric"]["version"] = "0"
    with pytest.raises(DocumentError) as raised:
        carry.carry_over(second_version(), json.loads(codec.dumps(doc)))
    assert raised.value.code == code


def test_the_api_answers_json() -> None:
    """api.carry_document: the carried document and the report, or an error answer."""
    old, new = make_rubric(), second_version()
    text = codec.dumps(old_document(old))
    answer = json.loads(api.carry_document(canonical_json(new), text))
    assert answer["ok"] and answer["document"]["rubric"]["version"] == "2"
    assert [e["code"] for e in answer["carry"]["dropped"]] == ["level_removed", "kind_changed"]
    same = json.loads(api.carry_document(canonical_json(old), text))
    assert same["ok"] and same["carry"] is None and same["warnings"] == []
    other = json.loads(api.carry_document(canonical_json(make_rubric(id="khac")), text))
    assert other == {
        "ok": False,
        "error": {"code": "other_rubric", "message": other["error"]["message"]},
    }
    assert json.loads(api.carry_document(canonical_json(new), "{"))["error"]["code"] == "not_json"
