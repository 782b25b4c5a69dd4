"""Rescaling where items do not apply, per criterion or field (NotApplicableRule.scope), and the
result as an index in percent of what applies (IndexRule), with bands on the index.

Each case is computed by hand from the rule as a source states it, and checked against both the
engine and the independent reference scorer (tests/reference.py).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import reference
from conftest import D, make_doc
from generator.pages.words import band_range, index_words, not_applicable_rule
from generator.textout import result_table
from scoring_py import codec, document, engine, summary, tables
from scoring_py.model import Rubric
from scoring_py.problems import RubricError, format_path
from scoring_py.rubric import canonical_json, parse_rubric

NA = "na"


def item(item_id: str, top: Any, na: bool = False, step: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item_id, "text": f"Mục {item_id}", "max": top}
    if na:
        out["may_be_not_applicable"] = True
    if step is not None:
        out["step"] = step
    return out


def data(scope: str | None = "criterion", step: Any = "0.01", **changes: Any) -> dict[str, Any]:
    """100 points: criterion 1 of 60 (1.1 of 20 may not arise, 1.2 of 40), criterion 2 of 40
    (2.1 of 20 may not arise, 2.2 of 20), and a proportional rule of the given scope."""
    rule: dict[str, Any] = {
        "method": "proportional",
        "text": "Quy đổi theo tỷ lệ",
        "rounding": {"step": D(step), "mode": "half_up"},
    }
    if scope is not None:
        rule["scope"] = scope
    out: dict[str, Any] = {
        "format": 1,
        "id": "chi-so-thu",
        "version": "1",
        "title": "Chỉ số thử",
        "province": "Tỉnh thử",
        "legal": {
            "number": "01/2025/QĐ-UBND",
            "title": "Bộ chỉ số thử",
            "issuer": "UBND tỉnh thử",
            "status": "in_force",
            "source": "tests",
        },
        "scope": "Các xã",
        "total": 100,
        "default_step": D("0.25"),
        "criteria": [
            {
                "id": "1",
                "title": "Một",
                "max": 60,
                "items": [item("1.1", 20, na=True), item("1.2", 40)],
            },
            {
                "id": "2",
                "title": "Hai",
                "max": 40,
                "items": [item("2.1", 20, na=True), item("2.2", 20)],
            },
        ],
        "bands_note": "Văn bản không quy định mức xếp loại.",
        "not_applicable": rule,
    }
    out.update(changes)
    return out


def both(rubric_data: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The self stage by the engine, after checking the reference scorer agrees on every
    criterion (as shown), field, total and index."""
    rubric = parse_rubric(rubric_data)
    doc = make_doc(rubric, answers)
    result = engine.score_document(rubric, doc)["stages"]["self"]
    plain = codec.loads(canonical_json(rubric))
    ref = reference.score_stage(plain, doc["stages"]["self"]["answers"], {}, None, "self")
    for crit in result["criteria"]:
        assert Fraction(crit["score"]) == ref["criteria"][crit["id"]], crit["id"]
    fields = {f["id"]: (Fraction(f["score"]), Fraction(f["max"])) for f in result["fields"]}
    assert fields == ref["fields"]
    assert Fraction(result["total"]) == ref["total"]
    index = result["index"]
    assert (None if index is None else Fraction(index)) == ref["index"]
    return result


def scores(result: dict[str, Any]) -> list[tuple[Decimal, Decimal, bool]]:
    return [(c["score"], c["max"], c["rescaled"]) for c in result["criteria"]]


def test_a_criterion_rescales_on_its_own_items() -> None:
    """1.1 does not arise: criterion 1 is 30 of its 40 applicable points, × 60 ÷ 40 = 45;
    criterion 2 stands at 20: 65 in all (the total scope gives 50 × 100 ÷ 80 = 62,5)."""
    answers = {"1.1": NA, "1.2": 30, "2.1": 10, "2.2": 10}
    by_criterion = both(data("criterion"), answers)
    assert scores(by_criterion) == [(45, 60, True), (20, 40, False)]
    assert by_criterion["total"] == 65 and by_criterion["rescaled"]
    crit = by_criterion["criteria"][0]
    assert (crit["raw_score"], crit["applicable_max"]) == (30, 40)
    assert both(data("total"), answers)["total"] == D("62.5")
    assert both(data(None), answers)["total"] == D("62.5")  # "total" is the default


def test_a_criterion_with_nothing_applicable_is_left_out() -> None:
    """Criterion 2 has nothing that applies (2.1 does not arise, 2.2 cannot: a rubric where
    2.2 may not arise either): the total is 40 of criterion 1's 60, × 100 ÷ 60 = 66,67."""
    rubric = data("criterion")
    rubric["criteria"][1]["items"][1]["may_be_not_applicable"] = True
    result = both(rubric, {"1.1": 10, "1.2": 30, "2.1": NA, "2.2": NA})
    assert scores(result) == [(40, 60, False), (0, 0, False)]
    assert result["total"] == D("66.67")


def test_the_total_is_rounded_once_from_the_exact_criteria() -> None:
    """Rounded to whole points: criterion 1 is 25 × 60 ÷ 40 = 37,5 and criterion 2 is
    6,25 × 40 ÷ 20 = 12,5; each shows rounded (38, 13), but the total is 50, not 51."""
    result = both(data("criterion", step="1"), {"1.1": NA, "1.2": 25, "2.1": NA, "2.2": D("6.25")})
    assert scores(result) == [(38, 60, True), (13, 40, True)]
    assert result["total"] == 50


def fields_data(scope: str) -> dict[str, Any]:
    """Field 1 holds criterion 1; field 2 holds criteria 2 (2.1 of 20, may not arise) and 3
    (3.1 of 20)."""
    rubric = data(scope)
    rubric["criteria"][1] = {
        "id": "2",
        "title": "Hai",
        "max": 20,
        "items": [item("2.1", 20, na=True)],
    }
    rubric["criteria"].append({"id": "3", "title": "Ba", "max": 20, "items": [item("3.1", 20)]})
    rubric["fields"] = [
        {"id": "A", "title": "Lĩnh vực A", "criteria": ["1"]},
        {"id": "B", "title": "Lĩnh vực B", "criteria": ["2", "3"]},
    ]
    return rubric


@pytest.mark.parametrize(
    ("scope", "total", "field_b"),
    [
        # Field B is 10 of its 20 applicable points, × 40 ÷ 20 = 20: 60 + 20.
        ("field", D(80), (D(20), D(40), True)),
        # Criterion 2 is left out, criterion 3 stands at 10: (60 + 10) × 100 ÷ 80.
        ("criterion", D("87.5"), (D(10), D(20), False)),
        ("total", D("87.5"), (D(10), D(20), False)),
    ],
)
def test_a_field_rescales_on_its_own_criteria(
    scope: str, total: Decimal, field_b: tuple[Decimal, Decimal, bool]
) -> None:
    result = both(fields_data(scope), {"1.1": 20, "1.2": 40, "2.1": NA, "3.1": 10})
    assert result["total"] == total
    fld = result["fields"][1]
    assert (fld["score"], fld["max"], fld["rescaled"]) == field_b


INDEX = {"rounding": {"step": D("0.01"), "mode": "half_up"}}
NONE_RULE = {"method": "none", "text": "Mục không phát sinh không tính vào điểm tối đa"}


@pytest.mark.parametrize(
    ("rule", "answers", "total", "index"),
    [
        # Nothing rescaled: 50 of the 80 points that apply is 62,5 %.
        (NONE_RULE, {"1.1": NA, "1.2": 30, "2.1": 10, "2.2": 10}, D(50), D("62.5")),
        # Rescaled onto 100 (62,5), the index is the same share.
        (None, {"1.1": NA, "1.2": 30, "2.1": 10, "2.2": 10}, D("62.5"), D("62.5")),
        # Everything applies: 73 of 100.
        (NONE_RULE, {"1.1": 13, "1.2": 30, "2.1": 10, "2.2": 20}, D(73), D(73)),
        # 40 of the 60 points that apply is 66,666… %: rounded once, to 66,67.
        (NONE_RULE, {"1.1": NA, "1.2": 30, "2.1": NA, "2.2": 10}, D(40), D("66.67")),
    ],
)
def test_the_index_is_the_share_of_what_applies(
    rule: dict[str, Any] | None, answers: dict[str, Any], total: Decimal, index: Decimal
) -> None:
    rubric = data("total", index=copy.deepcopy(INDEX))
    if rule is not None:
        rubric["not_applicable"] = rule
    result = both(rubric, answers)
    assert (result["total"], result["index"]) == (total, index)


def test_no_index_when_nothing_applies() -> None:
    rubric = data("total", index=copy.deepcopy(INDEX), not_applicable=NONE_RULE)
    for crit in rubric["criteria"]:
        for entry in crit["items"]:
            entry["may_be_not_applicable"] = True
    result = both(rubric, {"1.1": NA, "1.2": NA, "2.1": NA, "2.2": NA})
    assert result["index"] is None


def test_bands_may_be_set_on_the_index() -> None:
    """A rubric of 200 points whose bands are indexes: 120 points of 200 is 60 %, "khá"
    (50 to under 80 %), where the same bands read as points would give the top band."""
    bands = [
        {"id": "tot", "name": "Tốt", "min": 80},
        {"id": "kha", "name": "Khá", "min": 50, "max": 80},
        {"id": "yeu", "name": "Yếu", "min": 0, "max": 50},
    ]
    rubric = data("total", index=copy.deepcopy(INDEX) | {"bands": True}, bands=bands)
    rubric.pop("bands_note")
    rubric["total"] = 200
    for crit in rubric["criteria"]:
        crit["max"] *= 2
        for entry in crit["items"]:
            entry["max"] *= 2
    model = parse_rubric(rubric)
    result = engine.score_document(
        model, make_doc(model, {"1.1": 40, "1.2": 40, "2.1": 20, "2.2": 20})
    )
    assert (result["total"], result["index"], result["band_id"]) == (120, 60, "kha")
    points_bands = copy.deepcopy(rubric)
    points_bands["index"] = copy.deepcopy(INDEX)
    points_bands["bands"][0]["min"] = 100
    points_bands["bands"][1]["max"] = 100
    on_points = parse_rubric(points_bands)
    doc = make_doc(on_points, {"1.1": 40, "1.2": 40, "2.1": 20, "2.2": 20})
    assert engine.score_document(on_points, doc)["band_id"] == "tot"
    assert band_range(model.bands[1], "%") == "Từ 50 đến dưới 80 %"
    too_high = copy.deepcopy(rubric)
    too_high["bands"] = [
        {"id": "tot", "name": "Tốt", "min": 150},
        {"id": "yeu", "name": "Yếu", "min": 0, "max": 150},
    ]
    with pytest.raises(RubricError) as caught:
        parse_rubric(too_high)
    assert [(format_path(p.path), p.message) for p in caught.value.problems] == [
        ("bands[0].min", "phải ≤ chỉ số 100 % 100 (nhận được 150)")
    ]


def test_the_summary_ranks_by_the_index() -> None:
    """Unit A has 50 of the 80 points that apply (62,5 %), unit B 55 of 100 (55 %): ranked by
    the index, A comes first though its total is lower."""
    rubric = parse_rubric(data("total", index=copy.deepcopy(INDEX), not_applicable=NONE_RULE))
    entries = []
    for name, answers in (
        ("Xã A", {"1.1": NA, "1.2": 30, "2.1": 10, "2.2": 10}),
        ("Xã B", {"1.1": 10, "1.2": 25, "2.1": 10, "2.2": 10}),
    ):
        doc = document.template(rubric, name=name)
        doc["stages"]["self"]["answers"].update(answers)
        entries.append((f"{name}.json", doc))
    result = summary.aggregate(rubric, entries)
    assert result["index"] is True
    assert [(u["name"], u["rank"], u["final"]["index"]) for u in result["units"]] == [
        ("Xã A", 1, D("62.5")),
        ("Xã B", 2, D(55)),
    ]
    table = tables.tables(result)["units"]
    keys = [c["key"] for c in table["columns"]]
    assert keys[keys.index("final") + 1] == "index"
    assert table["rows"][0][keys.index("index")] == "62,5"
    assert "Chỉ số (%)" in tables.to_csv(result).splitlines()[0]


def test_a_rubric_without_the_new_keys_keeps_its_fingerprint() -> None:
    old = data(None)
    assert '"scope":"total"' not in canonical_json(parse_rubric(old))
    assert '"index"' not in canonical_json(parse_rubric(old))
    assert '"scope":"criterion"' in canonical_json(parse_rubric(data("criterion")))


@pytest.mark.parametrize(
    ("changes", "place", "message"),
    [
        (
            {"not_applicable": NONE_RULE | {"scope": "criterion"}},
            "not_applicable.scope",
            "chỉ dùng với method 'proportional'",
        ),
        (
            {"not_applicable": data("field")["not_applicable"]},
            "not_applicable.scope",
            "quy đổi theo lĩnh vực ('field') cần khai báo 'fields'",
        ),
        (
            {"index": {"rounding": {"step": 0, "mode": "half_up"}}},
            "index.rounding.step",
            "phải là một số > 0",
        ),
    ],
)
def test_bad_rules_are_refused_with_their_place(
    changes: dict[str, Any], place: str, message: str
) -> None:
    with pytest.raises(RubricError) as caught:
        parse_rubric(data("criterion", **changes))
    found = [(format_path(p.path), p.message) for p in caught.value.problems]
    assert any(path == place and message in text for path, text in found), found


def test_the_guide_says_where_it_rescales_and_what_the_index_is() -> None:
    by_criterion = parse_rubric(data("criterion", index=copy.deepcopy(INDEX)))
    words = not_applicable_rule(by_criterion) or ""
    assert words.startswith("Điểm được quy đổi theo tỷ lệ trong từng tiêu chí:")
    assert "một lần ở tổng điểm" in words
    by_total = parse_rubric(data("total"))
    assert (not_applicable_rule(by_total) or "").startswith("Tổng điểm được quy đổi theo tỷ lệ")
    index = index_words(by_criterion) or ""
    assert index.startswith("Kết quả còn được tính thành chỉ số (%): tổng điểm (đã quy đổi) ÷ 100")
    assert index_words(by_total) is None


def test_the_cli_table_shows_the_index_and_each_rescaled_criterion() -> None:
    rubric: Rubric = parse_rubric(data("criterion", index=copy.deepcopy(INDEX)))
    doc = make_doc(rubric, {"1.1": NA, "1.2": 30, "2.1": 10, "2.2": 10})
    text = result_table(rubric, engine.score_document(rubric, doc))
    [index] = [line for line in text.splitlines() if line.strip().startswith("Chỉ số (%)")]
    assert index.split()[-4:] == ["100", "65", "—", "65"]
    assert (
        "Tiêu chí I: 30 điểm trên 40 điểm của các mục áp dụng, quy đổi thành 45 / 60 điểm." in text
    )
