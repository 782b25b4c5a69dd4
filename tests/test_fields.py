"""Three-level numbering (lĩnh vực → tiêu chí → tiêu chí thành phần, ids like "2.1.1") and
a maximum and a subtotal per field.

Each subtotal is worked out by hand and checked against the engine and the independent
reference scorer (tests/reference.py).
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import reference
from conftest import D, make_rubric, rubric_data, score
from generator.textout import result_table
from scoring_py import codec
from scoring_py.rubric import canonical, field_max


def nested_data() -> dict[str, Any]:
    """Two fields of 60 and 40 points; field 2 holds a bonus criterion too."""
    criteria = [
        {
            "id": "1.1",
            "title": "Ban hành kế hoạch",
            "max": 20,
            "items": [
                {"id": "1.1.1", "text": "Kế hoạch năm", "max": 10},
                {"id": "1.1.2", "text": "Báo cáo", "max": 10, "may_be_not_applicable": True},
            ],
        },
        {
            "id": "1.2",
            "title": "Kiểm tra",
            "max": 40,
            "items": [{"id": "1.2.1", "text": "Kiểm tra", "max": 40}],
        },
        {
            "id": "2.1",
            "title": "Thủ tục hành chính",
            "max": 40,
            "items": [{"id": "2.1.1", "text": "Đúng hạn", "max": 40}],
        },
        {
            "id": "2.2",
            "title": "Sáng kiến",
            "max": 5,
            "section": "bonus",
            "items": [{"id": "2.2.1", "text": "Sáng kiến", "max": 5}],
        },
    ]
    fields = [
        {"id": "1", "title": "Chỉ đạo, điều hành", "max": 60, "criteria": ["1.1", "1.2"]},
        {"id": "2", "title": "Thủ tục hành chính", "criteria": ["2.1", "2.2"]},
    ]
    rule = {"method": "proportional", "text": "Quy đổi", "rounding": {"step": D("0.01")}}
    return rubric_data(
        criteria=criteria, fields=fields, numbering="fields", not_applicable=rule, overrides=[]
    )


def both(own: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], Any]:
    data = nested_data()
    rubric = make_rubric(
        **{k: data[k] for k in ("criteria", "fields", "numbering")}
        | {"not_applicable": data["not_applicable"], "overrides": []}
    )
    result = score(rubric, own)
    plain = json.loads(codec.dumps(data), parse_float=Decimal)
    theirs = reference.score_stage(plain, own, {}, None, "final")
    return result, theirs, rubric


def test_field_maxima_derived_or_declared() -> None:
    """Field 1 declares 60 = 20 + 40; field 2 takes 40 from its base criterion (the bonus
    criterion does not count in it)."""
    _, _, rubric = both({})
    assert [field_max(rubric, f) for f in rubric.fields] == [D(60), D(40)]


def test_field_subtotals_add_their_criteria() -> None:
    """Field 1: 7 + 30 = 37 of 60; field 2: 25 of 40, the bonus 3 counts in the total only."""
    own = {"1.1.1": 7, "1.1.2": 0, "1.2.1": 30, "2.1.1": 25, "2.2.1": 3}
    result, theirs, _ = both(own)
    fields = [(f["id"], f["score"], f["max"]) for f in result["fields"]]
    assert fields == [("1", D(37), D(60)), ("2", D(25), D(40))]
    assert result["stages"]["final"]["fields"] == result["fields"]
    assert result["total"] == D(65)
    assert theirs["fields"] == {
        "1": (Fraction(37), Fraction(60)),
        "2": (Fraction(25), Fraction(40)),
    }


def test_field_subtotal_out_of_what_applies() -> None:
    """With 1.1.2 "không phát sinh", field 1 is out of 50; the total is rescaled, the field's
    subtotal is not: 45 of 50, and 45 + 40 = 85 of 90 → 94,44."""
    result, theirs, _ = both({"1.1.1": 10, "1.1.2": "na", "1.2.1": 35, "2.1.1": 40})
    assert [(f["score"], f["max"]) for f in result["fields"]] == [(D(45), D(50)), (D(40), D(40))]
    assert result["total"] == D("94.44")
    assert theirs["fields"]["1"] == (Fraction(45), Fraction(50))


def test_three_levels_in_the_cli_table() -> None:
    """The terminal table prints each field with its maximum and subtotal, and the ids."""
    result, _, rubric = both({"1.1.1": 7, "1.1.2": 0, "1.2.1": 30, "2.1.1": 25})
    table = result_table(rubric, result)
    lines = table.splitlines()
    field_line = next(line for line in lines if "CHỈ ĐẠO, ĐIỀU HÀNH" in line)
    assert field_line.startswith("1 ") and "60" in field_line and field_line.rstrip().endswith("37")
    assert any(line.startswith("1.1 ") and "Ban hành kế hoạch" in line for line in lines)
    assert any(line.startswith(" 1.1.2") for line in lines)


def test_unused_keys_stay_out_of_the_canonical_json() -> None:
    """A rubric without numbering or a field maximum keeps its canonical form (and hash)."""
    plain = canonical(make_rubric())
    assert "numbering" not in plain
    data = nested_data()
    data["fields"][0].pop("max")
    rubric = make_rubric(
        **{k: data[k] for k in ("criteria", "fields", "numbering")}
        | {"not_applicable": data["not_applicable"], "overrides": []}
    )
    written = canonical(rubric)
    assert written["numbering"] == "fields"
    assert all("max" not in f for f in written["fields"])


def test_the_summary_gives_each_unit_its_field_subtotals() -> None:
    """The summary keeps each unit's field subtotals, and the per-criterion sheet of the
    workbook puts a field's columns before its first criterion, headed with its maximum."""
    from conftest import make_doc
    from scoring_py import summary, tables

    _, _, rubric = both({})
    own = {"1.1.1": 7, "1.1.2": 0, "1.2.1": 30, "2.1.1": 25, "2.2.1": 3}
    doc = json.loads(codec.dumps(make_doc(rubric, own)))
    made = summary.aggregate(rubric, [("a.json", doc)])
    [unit] = made["units"]
    assert unit["final"]["fields"] == {"1": D(37), "2": D(25)}
    assert [(f["id"], f["max"]) for f in made["fields"]] == [("1", D(60)), ("2", D(40))]
    columns = tables.criterion_columns(made)
    keys = [c.key for c in columns]
    assert keys.index("field-1:final") < keys.index("1.1:self")
    assert keys.index("1.2:final") < keys.index("field-2:self") < keys.index("2.1:self")
    column = next(c for c in columns if c.key == "field-1:final")
    assert column.group == "Lĩnh vực 1. Chỉ đạo, điều hành (tối đa 60 điểm)"
    assert column.value(unit) == D(37)
