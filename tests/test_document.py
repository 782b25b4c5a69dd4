"""The assessment document: envelope checks, versions, normalisation and the JSON API."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from conftest import FULL, make_rubric
from scoring_py import api, codec, document, shapes
from scoring_py.model import Rubric
from scoring_py.problems import DocumentError
from scoring_py.rubric import canonical_json, rubric_hash


def filled(rubric: Rubric) -> dict[str, Any]:
    """A template with every answer given."""
    doc = document.template(rubric, name="Sở Tư pháp")
    doc["stages"]["self"]["answers"].update(FULL)
    return doc


def test_template_lists_every_item_unanswered(rubric: Rubric) -> None:
    """The template has each item, criterion and condition, nothing answered."""
    doc = document.template(rubric)
    assert list(doc["stages"]["self"]["answers"]) == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    assert set(doc["stages"]["self"]["answers"].values()) == {None}
    assert list(doc["report"]) == ["1", "2"]
    assert doc["rubric"] == {"id": "thu-nghiem", "version": "1", "hash": rubric_hash(rubric)}
    assert (doc["format"], doc["version"]) == ("thangdiem-assessment", 4)
    assert doc["paper"] == dict.fromkeys(
        ("superior", "number", "place", "date", "recipient", "authority", "title", "signer"),
        "",
    ) | {"copies": ""}


def test_round_trip_through_json(rubric: Rubric) -> None:
    """A document written as JSON and read back is the same document."""
    doc = filled(rubric)
    doc["report"]["1"]["done_well"] = "Đã ban hành kế hoạch <b>đúng hạn</b>"
    text = codec.dumps(doc)
    again = document.validate(rubric, codec.loads(text))
    assert codec.dumps(again) == text


def test_normalise_fills_absent_parts(rubric: Rubric) -> None:
    """A minimal document gets every part of the template."""
    doc = {
        "format": "thangdiem-assessment",
        "version": 1,
        "rubric": {"id": "thu-nghiem", "version": "1"},
        "stages": {"self": {"answers": {"1.1": 5}}},
    }
    out = document.validate(rubric, doc)
    assert out["stages"]["self"]["answers"]["1.1"] == 5
    assert out["stages"]["appraisal"]["answers"]["1.1"] is None
    assert out["unit"] == {"name": "", "type": None, "year": None}


def envelope(base: Rubric, **changes: Any) -> dict[str, Any]:
    """A valid document with top-level keys replaced."""
    doc = filled(base)
    doc.update(changes)
    return doc


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [
        (
            lambda r: [1, 2],
            "foreign",
            "Tệp không phải là tài liệu chấm điểm của thangdiem (nội dung không phải một đối"
            " tượng JSON).",
        ),
        (
            lambda r: {"hello": "world"},
            "foreign",
            "Tệp không phải là tài liệu chấm điểm của thangdiem (thiếu hoặc sai trường 'format',"
            " cần 'thangdiem-assessment').",
        ),
        (
            lambda r: envelope(r, version=5),
            "newer",
            "Tài liệu được tạo bởi phiên bản mới hơn (định dạng 5); phiên bản này chỉ đọc được"
            " đến định dạng 4. Hãy dùng bản thangdiem mới nhất.",
        ),
        (
            lambda r: envelope(r, version="1"),
            "bad_version",
            "Trường 'version' phải là một số nguyên ≥ 1 (nhận được '1').",
        ),
        (
            lambda r: envelope(r, rubric={"id": "hung-yen-2020", "version": "1"}),
            "other_rubric",
            "Tài liệu được chấm theo một thang điểm khác (mã trong tệp: 'hung-yen-2020'), không"
            " phải thang điểm Tỉnh thử nghiệm (01/2024/QĐ-UBND).",
        ),
        (
            lambda r: envelope(r, rubric={"id": "thu-nghiem", "version": "0"}),
            "other_version",
            "Tài liệu được chấm theo phiên bản '0' của thang điểm Tỉnh thử nghiệm"
            " (01/2024/QĐ-UBND); phiên bản hiện hành là '1'.",
        ),
        (
            lambda r: envelope(r, rubric="thu-nghiem"),
            "invalid_document",
            "rubric: phải là một đối tượng JSON (nhận được 'thu-nghiem')",
        ),
        (
            lambda r: envelope(r, unit={"name": 5}),
            "invalid_document",
            "unit.name: phải là một chuỗi (nhận được 5)",
        ),
        (
            lambda r: envelope(r, unit={"name": "A", "type": "xa"}),
            "invalid_document",
            "unit.type: phải là một trong (thang điểm không phân loại đơn vị) (nhận được 'xa')",
        ),
        (
            lambda r: envelope(r, unit={"name": "A", "year": 20225}),
            "invalid_document",
            "unit.year: phải là một năm từ 1945 đến 2200 (nhận được 20225)",
        ),
        (
            lambda r: envelope(r, comment="x"),
            "invalid_document",
            "comment: khóa không được phép",
        ),
        (
            lambda r: envelope(r, stage={}),
            "invalid_document",
            "stage: khóa không được phép; có phải ý bạn là 'stages'?",
        ),
        (
            lambda r: envelope(r, stages={"self": {"answers": []}}),
            "invalid_document",
            "stages.self.answers: phải là một đối tượng JSON (nhận được một danh sách)",
        ),
        (
            lambda r: envelope(r, stages={"self": {"answers": {"1.1": [1]}}}),
            "invalid_document",
            "stages.self.answers.1.1: không được là một danh sách",
        ),
        (
            lambda r: envelope(r, report={"1": {"done_well": "x" * 100_001}}),
            "invalid_document",
            "report.1.done_well: dài quá 100000 ký tự (100001)",
        ),
        (
            lambda r: envelope(r, evidence={"1.1": {"documents": None}}),
            "invalid_document",
            "evidence.1.1.documents: phải là một chuỗi (nhận được null)",
        ),
        (
            lambda r: envelope(r, stages={"self": {"conditions": {"x": {"value": "yes"}}}}),
            "invalid_document",
            "stages.self.conditions.x.value: phải là true, false hoặc null (nhận được 'yes')",
        ),
    ],
)
def test_bad_documents_get_a_clear_message(
    rubric: Rubric, make: Any, code: str, message: str
) -> None:
    """Each unusable document is refused with its own Vietnamese message."""
    with pytest.raises(DocumentError) as caught:
        document.validate(rubric, make(rubric))
    assert (caught.value.code, caught.value.message) == (code, message)


def test_older_documents_are_upgraded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document of an older version goes through each migration up to the current one."""

    def two_to_three(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "version": 3, "unit": {"name": data["unit_name"]}}

    monkeypatch.setattr(document, "VERSION", 3)
    monkeypatch.setitem(document.MIGRATIONS, 2, two_to_three)
    old = {"format": "thangdiem-assessment", "version": 1, "unit_name": "Phòng Nội vụ"}
    new = document.upgrade(old)
    assert (new["version"], new["unit"]) == (3, {"name": "Phòng Nội vụ"})
    assert new["paper"]["signer"] == ""


def test_a_version_1_file_reads_with_blank_papers(rubric: Rubric) -> None:
    """A file written before the papers' texts existed reads as it was, its papers blank, the
    new part placed after the unit as the template places it."""
    old = filled(rubric)
    del old["paper"]
    old["version"] = 1
    del old["attachments"], old["review"]
    doc = document.validate(rubric, codec.loads(codec.dumps(old)))
    assert doc["version"] == shapes.VERSION
    assert list(doc)[:5] == ["format", "version", "rubric", "unit", "paper"]
    assert set(doc["paper"].values()) == {""}
    assert doc["stages"] == old["stages"]
    assert doc["unit"] == old["unit"]


def test_the_papers_texts_are_kept(rubric: Rubric) -> None:
    """What the office types for its papers comes back as typed."""
    doc = filled(rubric)
    doc["paper"].update(
        superior="UBND HUYỆN VĂN GIANG",
        number="25/BC-UBND",
        date="2026-12-04",
        signer="Nguyễn Văn <An>",
        copies="Như trên;\nLưu: VT.",
    )
    again = document.validate(rubric, codec.loads(codec.dumps(doc)))
    assert again["paper"] == doc["paper"]


@pytest.mark.parametrize(
    ("paper", "message"),
    [
        ({"date": "4/12/2026"}, "paper.date: phải là ngày dạng YYYY-MM-DD, hoặc để trống"),
        ({"date": "2026-02-30"}, "paper.date: phải là ngày dạng YYYY-MM-DD, hoặc để trống"),
        ({"date": "1800-01-01"}, "paper.date: phải là ngày dạng YYYY-MM-DD, hoặc để trống"),
        ({"signer": 5}, "paper.signer: phải là một chuỗi (nhận được 5)"),
        ({"signr": ""}, "paper.signr: khóa không được phép"),
    ],
)
def test_bad_papers_texts_are_refused(rubric: Rubric, paper: dict[str, Any], message: str) -> None:
    """A paper text of the wrong kind, or an impossible date, names its place."""
    doc = filled(rubric)
    doc["paper"].update(paper)
    with pytest.raises(DocumentError) as caught:
        document.validate(rubric, doc)
    assert caught.value.message.startswith(message)


def test_api_scores_json_text(rubric: Rubric) -> None:
    """The JSON API answers ok with the result for a good document."""
    answer = json.loads(api.score(canonical_json(rubric), codec.dumps(filled(rubric))))
    assert answer["ok"] is True
    assert answer["result"]["total"] == 100
    assert answer["result"]["band"] == "Hoàn thành xuất sắc"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "not_json"),
        ("{", "not_json"),
        ("NaN", "not_json"),
        ('{"a": Infinity}', "not_json"),
        ("[" * 100_000 + "]" * 100_000, "not_json"),
        ("null", "foreign"),
        ('"thangdiem"', "foreign"),
        ("[]", "foreign"),
    ],
)
def test_api_never_raises_on_junk(rubric: Rubric, text: str, code: str) -> None:
    """Junk text gives an error answer, never an exception."""
    answer = json.loads(api.score(canonical_json(rubric), text))
    assert answer["ok"] is False
    assert answer["error"]["code"] == code


def test_api_reports_a_bad_rubric() -> None:
    """A rubric JSON that fails its checks is answered with every problem."""
    answer = json.loads(api.template('{"format": 1}'))
    assert answer["ok"] is False
    assert answer["error"]["code"] == "invalid_rubric"
    assert "id: thiếu khóa bắt buộc 'id'" in answer["error"]["problems"]


def test_api_aggregate_lists_bad_files(rubric: Rubric) -> None:
    """Aggregation through the API takes file texts and lists the unusable ones."""
    good = codec.dumps(filled(rubric))
    files = [{"name": "a.json", "text": good}, {"name": "b.json", "text": "{"}, {"name": 3}]
    answer = json.loads(api.aggregate(canonical_json(rubric), json.dumps(files)))
    summary = answer["summary"]
    assert [u["file"] for u in summary["units"]] == ["a.json"]
    assert [r["file"] for r in summary["rejected"]] == ["b.json", "tệp 3"]
    assert answer["csv"].splitlines()[0].startswith("\ufeffHạng;Đơn vị;")


def test_rubric_canonical_json_round_trips() -> None:
    """Canonical JSON read back gives the same rubric and the same hash."""
    rubric = make_rubric()
    again = api.load_rubric(canonical_json(rubric))
    assert again == rubric
    assert rubric_hash(again) == rubric_hash(rubric)


def test_the_content_code_follows_what_the_document_says(rubric: Rubric) -> None:
    """The code is the start of the SHA-256 of the content, the times left out: the same
    content, exported at another time or with its keys in another order, has the same code;
    any change of an answer or a text changes it."""
    doc = document.validate(rubric, filled(rubric))
    code = document.content_code(doc)
    assert len(code) == 9 and code[4] == "-" and set(code) <= set("0123456789ABCDEF-")
    again = dict(reversed(list(doc.items())))
    again |= {"created": "2026-01-01T00:00:00Z", "updated": "2026-12-04T08:00:00Z"}
    assert document.content_code(again) == code
    # A number is the same number however the file writes it.
    written = codec.loads(codec.dumps(doc))
    first = written["stages"]["self"]["answers"]["1.1"]
    written["stages"]["self"]["answers"]["1.1"] = Decimal(first) + Decimal("0.00")
    assert document.content_code(written) == code
    changed = codec.loads(codec.dumps(doc))
    changed["stages"]["self"]["answers"]["1.1"] = 4
    assert document.content_code(changed) != code
    typed = codec.loads(codec.dumps(doc))
    typed["paper"]["signer"] = "Nguyễn Văn An"
    assert document.content_code(typed) != code
    # The result of the document carries the code of the document scored.
    answer = json.loads(api.score(canonical_json(rubric), codec.dumps(doc)))
    assert answer["result"]["code"] == code
