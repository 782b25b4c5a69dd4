"""The appraisal round trip in the document (version 4, `review`): its state and history, the
team's comment and the unit's explanation per item; the items the team scored otherwise, and
the reason a different score needs."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import FULL
from scoring_py import codec, document, engine, summary, tables
from scoring_py.model import Rubric
from scoring_py.problems import DocumentError


def doc_with(rubric: Rubric, **review: Any) -> dict[str, Any]:
    doc = codec.loads(codec.dumps(document.template(rubric, name="UBND xã A")))
    doc["stages"]["self"]["answers"].update(FULL)
    doc["review"].update(review)
    return doc


def test_a_different_score_needs_the_teams_reason(rubric: Rubric) -> None:
    doc = doc_with(rubric)
    doc["stages"]["appraisal"]["answers"].update({"1.1": 15, "1.2": "1.2.1", "2.2": 2})
    result = engine.score_document(rubric, document.validate(rubric, doc))
    # 1.2 was scored the same; 1.1 and 2.2 otherwise.
    assert result["disputed"] == ["1.1", "2.2"]
    reasons = [p for p in result["problems"] if p["code"] == "reason_required"]
    assert [(p["item"], p["stage"], p["severity"]) for p in reasons] == [
        ("1.1", "appraisal", "warning"),
        ("2.2", "appraisal", "warning"),
    ]
    doc["review"]["items"]["1.1"]["comment"] = "Kế hoạch ban hành chậm hai tháng"
    result = engine.score_document(rubric, document.validate(rubric, doc))
    assert [p["item"] for p in result["problems"] if p["code"] == "reason_required"] == ["2.2"]


def test_the_state_is_the_last_steps(rubric: Rubric) -> None:
    step = {"state": "sent", "by": "Nguyễn Văn A", "at": "2026-12-04T08:00:00Z", "note": ""}
    doc = document.validate(rubric, doc_with(rubric, state="sent", history=[step]))
    assert doc["review"]["state"] == "sent"
    result = engine.score_document(rubric, doc)
    assert result["review_state"] == "sent"
    with pytest.raises(DocumentError, match="bước cuối cùng trong history"):
        document.validate(rubric, doc_with(rubric, state="final", history=[step]))


@pytest.mark.parametrize(
    ("review", "message"),
    [
        ({"state": "da-xong"}, "review.state: phải là một trong"),
        ({"state": {"x": 1}}, "review.state: phải là một trong"),
        ({"history": "nhiều"}, "review.history: phải là danh sách"),
        (
            {"state": "sent", "history": [{"state": "sent", "by": "A", "at": "x"}]},
            "review.history[0].note: thiếu khóa bắt buộc",
        ),
        (
            {"state": "sent", "history": [{"state": "sent", "by": 1, "at": "x", "note": ""}]},
            "review.history[0].by",
        ),
        ({"items": {"9.9": {"comment": "", "explanation": ""}}}, "mã mục không có"),
        ({"items": {"1.1": {"comment": 3, "explanation": ""}}}, "review.items.1.1.comment"),
        ({"extra": 1}, "review.extra: khóa không được phép"),
    ],
)
def test_a_bad_round_trip_is_refused_with_its_place(
    rubric: Rubric, review: dict[str, Any], message: str
) -> None:
    with pytest.raises(DocumentError) as caught:
        document.validate(rubric, doc_with(rubric, **review))
    assert message in caught.value.message


def test_a_version_3_file_reads_not_begun(rubric: Rubric) -> None:
    old = doc_with(rubric)
    del old["review"]
    old["version"] = 3
    doc = document.validate(rubric, old)
    assert doc["version"] == 4
    assert list(doc).index("review") == list(doc).index("attachments") + 1
    assert (doc["review"]["state"], doc["review"]["history"]) == ("self", [])
    assert set(doc["review"]["items"]) == {i.id for c in rubric.criteria for i in c.items}


def test_the_summary_shows_each_units_state_and_disputed_items(rubric: Rubric) -> None:
    step = {"state": "sent", "by": "A", "at": "2026-12-04T08:00:00Z", "note": ""}
    doc = doc_with(rubric, state="sent", history=[step])
    doc["stages"]["appraisal"]["answers"].update({"1.1": 15})
    result = summary.aggregate(rubric, [("a.json", doc)])
    [unit] = result["units"]
    assert (unit["review_state"], unit["disputed"]) == ("sent", ["1.1"])
    table = tables.tables(result)["units"]
    keys = [c["key"] for c in table["columns"]]
    row = table["rows"][0]
    assert (row[keys.index("review_state")], row[keys.index("disputed")]) == ("Đã gửi", "1.1")
