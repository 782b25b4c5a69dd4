"""Points by unit type (ItemVariant, CriterionVariant): the same item with another maximum or
other points for some unit types ("xã 2 điểm, phường 1 điểm").

Each case is computed by hand from the rule as a source would state it, and checked against
both the engine and the independent reference scorer (tests/reference.py).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import reference
from conftest import BASE, D, make_doc, rubric_data
from generator.pages.fragments import ByType
from generator.pages.words import max_words, variant_words
from scoring_py import codec, document, engine, summary
from scoring_py.model import Rubric
from scoring_py.problems import RubricError, format_path
from scoring_py.rubric import canonical_json, item_for, parse_rubric

TYPES = [{"id": "xa", "name": "UBND xã"}, {"id": "phuong", "name": "UBND phường"}]


def varied_data() -> dict[str, Any]:
    """The base rubric with other points for some unit types, every criterion still 50 points
    for each type: for "phuong", 1.1 out of 15 and 1.2 out of 15 (levels 15, 7,5, 0); for
    "xa", 2.2 out of 12 at 3 points a time and 2.3 out of 18; a bonus criterion 3 of 5 points,
    2 for "xa"."""
    data = copy.deepcopy(BASE)
    data["unit_types"] = copy.deepcopy(TYPES)
    one, two = data["criteria"][0]["items"], data["criteria"][1]["items"]
    one[0]["by_unit_type"] = [{"unit_types": ["phuong"], "max": 15}]
    one[1]["by_unit_type"] = [
        {
            "unit_types": ["phuong"],
            "max": 15,
            "levels": [
                {"id": "1.2.1", "points": 15},
                {"id": "1.2.2", "points": D("7.5")},
                {"id": "1.2.3", "points": 0},
            ],
        }
    ]
    one[2]["max"] = 20
    two[1]["by_unit_type"] = [{"unit_types": ["xa"], "max": 12, "per_unit": 3}]
    two[2]["by_unit_type"] = [{"unit_types": ["xa"], "max": 18}]
    data["criteria"].append(
        {
            "id": "3",
            "title": "Điểm thưởng",
            "section": "bonus",
            "max": 5,
            "by_unit_type": [{"unit_types": ["xa"], "max": 2}],
            "items": [
                {
                    "id": "3.1",
                    "text": "Mô hình hay",
                    "kind": "steps",
                    "per_unit": 1,
                    "max": 5,
                    "by_unit_type": [{"unit_types": ["xa"], "max": 2}],
                }
            ],
        }
    )
    data["bonus_above_total"] = True
    return data


@pytest.fixture(name="varied")
def varied_rubric() -> Rubric:
    return parse_rubric(varied_data())


def both(rubric: Rubric, answers: dict[str, Any], unit_type: str | None) -> dict[str, Any]:
    """The self stage by the engine, after checking the reference scorer agrees on every item,
    criterion and the total."""
    doc = make_doc(rubric, answers, unit_type=unit_type)
    result = engine.score_document(rubric, doc)["stages"]["self"]
    plain = codec.loads(canonical_json(rubric))
    ref = reference.score_stage(plain, doc["stages"]["self"]["answers"], {}, unit_type, "self")
    for crit in result["criteria"]:
        assert Fraction(crit["score"]) == ref["criteria"][crit["id"]], crit["id"]
        for item in crit["items"]:
            points, status = ref["items"][item["id"]]
            assert item["status"] == status, item["id"]
            assert (None if item["points"] is None else Fraction(item["points"])) == points
    assert Fraction(result["total"]) == ref["total"]
    return result


def items_of(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for c in result["criteria"] for i in c["items"]}


@pytest.mark.parametrize(
    ("unit_type", "answers", "points", "maxima"),
    [
        # Another maximum: 15 is full marks for a "phường", 20 for everyone else.
        ("phuong", {"1.1": 15}, {"1.1": "15"}, {"1.1": "15"}),
        ("xa", {"1.1": 20}, {"1.1": "20"}, {"1.1": "20"}),
        (None, {"1.1": 20}, {"1.1": "20"}, {"1.1": "20"}),
        # Other points of the levels: the first level gives a "phường" its 15 points.
        ("phuong", {"1.2": "1.2.1"}, {"1.2": "15"}, {"1.2": "15"}),
        ("phuong", {"1.2": "1.2.2"}, {"1.2": "7.5"}, {"1.2": "15"}),
        ("xa", {"1.2": "1.2.2"}, {"1.2": "5"}, {"1.2": "10"}),
        # Other points a time and another cap: 3 a time for a "xã", up to 12.
        ("xa", {"2.2": 3}, {"2.2": "9"}, {"2.2": "12"}),
        ("xa", {"2.2": 5}, {"2.2": "12"}, {"2.2": "12"}),
        ("phuong", {"2.2": 5}, {"2.2": "10"}, {"2.2": "10"}),
        # A deduction from another maximum: 18 − 5 for one breach by a "xã".
        ("xa", {"2.3": 1}, {"2.3": "13"}, {"2.3": "18"}),
        ("phuong", {"2.3": 1}, {"2.3": "15"}, {"2.3": "20"}),
    ],
)
def test_an_item_scores_with_the_points_of_the_units_type(
    varied: Rubric,
    unit_type: str | None,
    answers: dict[str, Any],
    points: dict[str, str],
    maxima: dict[str, str],
) -> None:
    got = items_of(both(varied, answers, unit_type))
    for item_id, want in points.items():
        assert got[item_id]["points"] == D(want)
        assert got[item_id]["max"] == D(maxima[item_id])


def test_a_score_above_the_types_maximum_is_refused(varied: Rubric) -> None:
    result = engine.score_document(varied, make_doc(varied, {"1.1": 20}, unit_type="phuong"))
    assert result["stages"]["self"]["criteria"][0]["items"][0]["status"] == "invalid"
    [problem] = [p for p in result["problems"] if p["item"] == "1.1"]
    assert "vượt quá điểm tối đa 15" in problem["message"]


def test_full_marks_are_the_total_for_every_type(varied: Rubric) -> None:
    full = {"1.1": 20, "1.2": "1.2.1", "1.3": True, "2.1": {"numerator": 1, "denominator": 1}}
    full |= {"2.2": 4, "2.3": 0, "3.1": 0}
    phuong = full | {"1.1": 15}
    xa = full | {"2.2": 4}
    for unit_type, answers in (("phuong", phuong), ("xa", xa), (None, full)):
        result = both(varied, answers, unit_type)
        assert result["base"] == 100, unit_type
        assert [c["max"] for c in result["criteria"][:2]] == [50, 50]


def test_a_bonus_criterion_caps_at_the_types_maximum(varied: Rubric) -> None:
    xa = both(varied, {"3.1": 4}, "xa")
    assert (xa["criteria"][2]["score"], xa["criteria"][2]["max"], xa["max"]) == (2, 2, 102)
    other = both(varied, {"3.1": 4}, "phuong")
    assert (other["criteria"][2]["score"], other["criteria"][2]["max"], other["max"]) == (4, 5, 105)


def test_the_summary_shares_count_each_unit_out_of_its_own_maximum(varied: Rubric) -> None:
    """A "xã" with its full 2 bonus points and a "phường" with its full 5 have 7 of 7: 100 %."""
    entries = []
    for name, unit_type, count in (("Xã A", "xa", 2), ("Phường B", "phuong", 5)):
        doc = document.template(varied, name=name, unit_type=unit_type)
        doc["stages"]["self"]["answers"]["3.1"] = count
        entries.append((f"{name}.json", doc))
    averages = summary.aggregate(varied, entries)["criterion_averages"]
    bonus = next(a for a in averages if a["id"] == "3")
    assert bonus["percent"] == 100


def test_a_rubric_without_variants_keeps_its_fingerprint() -> None:
    plain = parse_rubric(rubric_data())
    assert "by_unit_type" not in canonical_json(plain)
    assert "by_unit_type" in canonical_json(parse_rubric(varied_data()))


def test_the_guide_says_each_types_points(varied: Rubric) -> None:
    one = varied.criteria[0].items
    assert max_words(varied, one[0]) == "20 (UBND phường: 15)"
    assert max_words(varied, one[2]) == "20"
    assert max_words(varied, varied.criteria[2]) == "5 (UBND xã: 2)"
    [(names, text)] = variant_words(varied, one[1])
    assert names == "UBND phường"
    assert text.startswith("tối đa 15 điểm.")
    assert text.endswith("Điểm các mức: mức 1.2.1: 15; mức 1.2.2: 7,5; mức 1.2.3: 0.")
    [(names, text)] = variant_words(varied, varied.criteria[1].items[1])
    assert names == "UBND xã"
    assert "3 điểm" in text and "12" in text


def test_the_form_carries_each_types_text(varied: Rubric) -> None:
    by_type = ByType(varied)
    assert (
        by_type.item_max(varied.criteria[0].items[0])
        == ' data-by-type="{&#34;phuong&#34;:&#34;15&#34;}"'
    )
    assert by_type.item_max(varied.criteria[0].items[2]) == ""
    assert "phuong" in by_type.level(varied.criteria[0].items[1], 1)
    assert "7,5" in by_type.level(varied.criteria[0].items[1], 1)
    assert by_type.criterion_max(varied.criteria[2]) != ""
    assert ByType(parse_rubric(rubric_data())).types == []


def test_item_for_leaves_what_the_variant_does_not_set(varied: Rubric) -> None:
    item = varied.criteria[1].items[2]
    own = item_for(item, "xa")
    assert (own.max, own.per_unit, own.by_unit_type) == (18, item.per_unit, ())
    assert item_for(item, "phuong") is item
    assert item_for(item, None) is item


def changed(edit: Any) -> dict[str, Any]:
    data = varied_data()
    edit(data)
    return data


def _item(data: dict[str, Any], crit: int, item: int) -> dict[str, Any]:
    found: dict[str, Any] = data["criteria"][crit]["items"][item]
    return found


@pytest.mark.parametrize(
    ("edit", "place", "message"),
    [
        (
            lambda d: _item(d, 1, 2)["by_unit_type"][0].update(unit_types=["xaa"]),
            "criteria[1].items[2].by_unit_type[0].unit_types[0]",
            "có phải ý bạn là 'xa'",
        ),
        (
            lambda d: _item(d, 1, 2)["by_unit_type"][0].update(unit_types=[]),
            "criteria[1].items[2].by_unit_type[0].unit_types",
            "ít nhất một mã loại đơn vị",
        ),
        (
            lambda d: _item(d, 1, 2)["by_unit_type"].append({"unit_types": ["xa"], "max": 18}),
            "criteria[1].items[2].by_unit_type[1].unit_types[0]",
            "loại 'xa' đã có ở criteria[1].items[2].by_unit_type[0].unit_types[0]",
        ),
        (
            lambda d: _item(d, 1, 2)["by_unit_type"][0].update(max=17),
            "criteria[1].max",
            "với loại đơn vị 'xa': phải bằng tổng điểm tối đa của các mục = 49 (nhận được 50)",
        ),
        (
            lambda d: _item(d, 0, 1)["by_unit_type"][0]["levels"].pop(),
            "criteria[0].items[1].by_unit_type[0].levels",
            "phải nêu điểm của mọi mức, theo thứ tự của levels: 1.2.1, 1.2.2, 1.2.3",
        ),
        (
            lambda d: _item(d, 0, 1)["by_unit_type"][0]["levels"][0].update(points=16),
            "criteria[0].items[1].by_unit_type[0].levels[0].points",
            "phải nằm trong khoảng 0..15 (nhận được 16)",
        ),
        (
            # The levels' own points, left to the item, above the variant's maximum.
            lambda d: (
                _item(d, 0, 1)["by_unit_type"][0].update(levels=[], max=8)
                or _item(d, 0, 0)["by_unit_type"][0].update(max=22)
            ),
            "criteria[0].items[1].by_unit_type[0].max",
            "với điểm của biến thể này, levels[0].points của mục phải nằm trong khoảng 0..8",
        ),
        (
            lambda d: _item(d, 0, 2).update(
                by_unit_type=[{"unit_types": ["xa"], "max": 20, "per_unit": 1}]
            ),
            "criteria[0].items[2].by_unit_type[0].per_unit",
            "chỉ dùng với loại 'steps', 'deduction' (mục này có kind 'yesno')",
        ),
        (
            lambda d: _item(d, 1, 0).update(
                by_unit_type=[
                    {
                        "unit_types": ["xa"],
                        "max": 20,
                        "thresholds": [{"at_least": 50, "points": 20}],
                    }
                ]
            ),
            "criteria[1].items[0].by_unit_type[0].thresholds",
            "chỉ dùng khi mục cũng chấm theo thresholds",
        ),
        (
            lambda d: (
                _item(d, 0, 0).update(step=5, by_unit_type=[{"unit_types": ["phuong"], "max": 12}])
                or _item(d, 0, 2).update(max=23)
            ),
            "criteria[0].items[0].by_unit_type[0].max",
            "phải là bội số của bước chấm 5 (nhận được 12)",
        ),
        (
            lambda d: _item(d, 1, 2).update(applies_to=["phuong"]),
            "criteria[1].items[2].by_unit_type[0].unit_types",
            "mục không áp dụng cho loại 'xa' (applies_to)",
        ),
        (
            lambda d: d["criteria"][2]["by_unit_type"][0].update(max=3),
            "criteria[2].by_unit_type[0].max",
            "với loại đơn vị 'xa': phải ≤ tổng điểm tối đa của các mục = 2 (nhận được 3)",
        ),
        (
            lambda d: d["criteria"][0].update(by_unit_type=[{"unit_types": ["xa"], "max": 40}]),
            "criteria[0].by_unit_type[0].max",
            "với loại đơn vị 'xa': phải bằng tổng điểm tối đa của các mục = 50 (nhận được 40)",
        ),
    ],
)
def test_bad_variants_are_refused_with_their_place(edit: Any, place: str, message: str) -> None:
    with pytest.raises(RubricError) as caught:
        parse_rubric(changed(edit))
    found = [(format_path(p.path), p.message) for p in caught.value.problems]
    assert any(path == place and message in text for path, text in found), found


def test_the_total_is_checked_for_each_type() -> None:
    """A "xã" whose criteria add up to 96: the type's criteria must reach `total` too."""

    def edit(d: dict[str, Any]) -> None:
        d["criteria"][0]["by_unit_type"] = [{"unit_types": ["xa"], "max": 46}]
        _item(d, 0, 0)["by_unit_type"] = [
            {"unit_types": ["phuong"], "max": 15},
            {"unit_types": ["xa"], "max": 16},
        ]

    with pytest.raises(RubricError) as caught:
        parse_rubric(changed(edit))
    found = [(format_path(p.path), p.message) for p in caught.value.problems]
    assert found == [
        (
            "total",
            "với loại đơn vị 'xa': phải bằng tổng điểm tối đa của các tiêu chí = 96"
            " (nhận được 100)",
        )
    ]


def test_decimal_points_stay_exact() -> None:
    item = parse_rubric(varied_data()).criteria[0].items[1]
    assert [lv.points for lv in item_for(item, "phuong").levels] == [
        Decimal(15),
        Decimal("7.5"),
        Decimal(0),
    ]


def test_the_cli_table_prints_the_types_maxima(varied: Rubric) -> None:
    from generator.textout import result_table

    def row_of(text: str, label: str) -> list[str]:
        [line] = [line for line in text.splitlines() if label in line]
        return line.split()

    xa = result_table(varied, engine.score_document(varied, make_doc(varied, {}, unit_type="xa")))
    other = result_table(varied, engine.score_document(varied, make_doc(varied, {})))
    assert row_of(xa, "Mỗi hoạt động được cộng")[-4] == "12"  # item 2.2
    assert row_of(other, "Mỗi hoạt động được cộng")[-4] == "10"
    assert row_of(xa, "Điểm thưởng")[-4] == "2"  # criterion 3
