"""Scoring rules: every item kind, stages, bands, overrides, rescaling and problems."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conftest import FULL, D, make_doc, make_rubric, rubric_data, score
from scoring_py import codec, engine
from scoring_py.model import Rubric


def item_result(result: dict[str, Any], item_id: str, stage: str = "self") -> dict[str, Any]:
    """Find one item's outcome in a stage result."""
    for crit in result["stages"][stage]["criteria"]:
        for item in crit["items"]:
            if item["id"] == item_id:
                return dict(item)
    raise KeyError(item_id)


def codes(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """List (stage, item, code) of every problem."""
    return [(p["stage"], p["item"], p["code"]) for p in result["problems"]]


def test_full_marks_reach_the_maximum(rubric: Rubric) -> None:
    """Every item at its best gives 100 and the top band."""
    result = score(rubric, FULL)
    assert result["total"] == 100
    assert result["max"] == 100
    assert result["band"] == "Hoàn thành xuất sắc"
    assert [c["score"] for c in result["criteria"]] == [50, 50]
    assert result["problems"] == []
    assert result["stages"]["appraisal"] is None


@pytest.mark.parametrize(
    ("answer", "points", "code"),
    [
        (20, D(20), None),
        (0, D(0), None),
        (D("12.5"), D("12.5"), None),
        (D("20.5"), None, "above_max"),
        (-1, None, "below_zero"),
        (D("12.25"), None, "off_step"),
        ("12", None, "wrong_type"),
        (True, None, "wrong_type"),
        (None, None, "missing_answer"),
    ],
)
def test_free_score(rubric: Rubric, answer: Any, points: Decimal | None, code: str | None) -> None:
    """A free score is taken as is within 0..max in steps, otherwise reported, never clamped."""
    result = score(rubric, {"1.1": answer})
    assert item_result(result, "1.1")["points"] == points
    item_codes = [c for s, i, c in codes(result) if i == "1.1"]
    assert item_codes == ([code] if code else [])


def test_value_out_of_range_is_not_clamped(rubric: Rubric) -> None:
    """An answer above the maximum counts nothing and says why."""
    result = score(rubric, {**FULL, "1.1": 25})
    assert result["total"] == 80
    (problem,) = result["problems"]
    assert problem["message"] == "Tự chấm, mục 1.1: điểm 25 vượt quá điểm tối đa 20"
    assert problem["severity"] == "error"


def test_quarter_point_step() -> None:
    """An item with step 0.25 accepts quarter points and refuses finer ones."""
    data = rubric_data()
    data["criteria"][0]["items"][0]["step"] = D("0.25")
    rubric = make_rubric(criteria=data["criteria"])
    assert item_result(score(rubric, {"1.1": D("3.75")}), "1.1")["points"] == D("3.75")
    result = score(rubric, {"1.1": D("3.1")})
    assert codes(result)[0] == ("self", "1.1", "off_step")


@pytest.mark.parametrize(
    ("answer", "points", "code"),
    [
        ("1.2.1", D(10), None),
        ("1.2.2", D(5), None),
        ("1.2.3", D(0), None),
        ("1.2.4", None, "unknown_level"),
        (5, None, "wrong_type"),
    ],
)
def test_choice_levels(
    rubric: Rubric, answer: Any, points: Decimal | None, code: str | None
) -> None:
    """A choose-one item scores the chosen level's fixed points."""
    result = score(rubric, {"1.2": answer})
    assert item_result(result, "1.2")["points"] == points
    assert [c for _, i, c in codes(result) if i == "1.2"] == ([code] if code else [])


def test_unknown_level_message(rubric: Rubric) -> None:
    """An unknown level names the levels that exist."""
    result = score(rubric, {"1.2": "1.2.9"})
    message = next(p["message"] for p in result["problems"] if p["item"] == "1.2")
    assert message == "Tự chấm, mục 1.2: mức '1.2.9' không có; các mức là 1.2.1, 1.2.2, 1.2.3"


@pytest.mark.parametrize(("answer", "points"), [(True, D(20)), (False, D(0)), ("có", None)])
def test_yes_no(rubric: Rubric, answer: Any, points: Decimal | None) -> None:
    """A yes/no item gives its maximum or nothing."""
    assert item_result(score(rubric, {"1.3": answer}), "1.3")["points"] == points


@pytest.mark.parametrize(
    ("numerator", "denominator", "points", "code"),
    [
        (3, 4, D(15), None),
        (2, 3, D("13.33"), None),
        (1, 3, D("6.67"), None),
        (0, 5, D(0), None),
        (5, 4, None, "ratio_invalid"),
        (1, 0, None, "ratio_invalid"),
        (-1, 4, None, "ratio_invalid"),
        ("1", 4, None, "wrong_type"),
    ],
)
def test_ratio(
    rubric: Rubric, numerator: Any, denominator: Any, points: Decimal | None, code: str | None
) -> None:
    """A ratio item gives numerator/denominator × max, rounded as the rubric says."""
    answer = {"numerator": numerator, "denominator": denominator}
    result = score(rubric, {"2.1": answer})
    assert item_result(result, "2.1")["points"] == points
    assert [c for _, i, c in codes(result) if i == "2.1"] == ([code] if code else [])


def test_ratio_rounding_mode_down() -> None:
    """Rounding down truncates the ratio's points to the step."""
    data = rubric_data()
    data["criteria"][1]["items"][0]["rounding"] = {"step": D("0.5"), "mode": "down"}
    rubric = make_rubric(criteria=data["criteria"])
    answer = {"numerator": 2, "denominator": 3}
    assert item_result(score(rubric, {"2.1": answer}), "2.1")["points"] == D("13")


def ratio_rubric(top: str, step: str, mode: str) -> Rubric:
    """One ratio item worth `top` and a free item making up 100."""
    rest = D(100) - D(top)
    criteria = [
        {
            "id": "1",
            "title": "Tỷ lệ",
            "max": 100,
            "items": [
                {
                    "id": "1.1",
                    "text": "Tỷ lệ hồ sơ đúng hạn",
                    "kind": "ratio",
                    "max": D(top),
                    "denominator": "hồ sơ",
                    "counts": "hồ sơ đúng hạn",
                    "rounding": {"step": D(step), "mode": mode},
                },
                {"id": "1.2", "text": "Phần còn lại", "max": rest, "step": D("0.01")},
            ],
        }
    ]
    return make_rubric(criteria=criteria)


@pytest.mark.parametrize(
    ("numerator", "denominator", "top", "step", "mode", "points"),
    [
        # 125/600 × 3 = 0,625 exactly: half up gives 0,63 (the quotient cut to 28 digits first
        # gave 0,6249…, so 0,62).
        (125, 600, "3", "0.01", "half_up", "0.63"),
        (7, 48, "6", "0.01", "half_up", "0.88"),  # 0,875 exactly
        (1, 3, "3", "0.01", "down", "1"),  # 1 exactly, not 0,99
        (1, 3, "3", "0.5", "up", "1"),
        (2, 3, "3", "1", "up", "2"),
        (1, 8, "1", "0.25", "half_even", "0"),  # 0,125 → ½ step: tie to the even 0
        (3, 8, "1", "0.25", "half_even", "0.5"),  # 0,375 → 1½ steps: tie to the even 2
        (3, 8, "1", "0.25", "half_up", "0.5"),
        (1, 8, "1", "0.25", "half_up", "0.25"),
    ],
)
def test_ratio_is_exact_before_its_one_rounding(
    numerator: int, denominator: int, top: str, step: str, mode: str, points: str
) -> None:
    """numerator × max / denominator is computed exactly, then rounded once, in every mode."""
    rubric = ratio_rubric(top, step, mode)
    answer = {"numerator": numerator, "denominator": denominator}
    assert item_result(score(rubric, {"1.1": answer}), "1.1")["points"] == D(points)


def test_reserved_item_counts_only_the_appraisal() -> None:
    """With an appraisal under way that leaves an item reserved to the superior empty, the
    unit's own value for it is not counted (failing before: the final total took it)."""
    rubric = reserved_rubric()
    result = score(rubric, {"1.1": 85, "2.1": 10}, appraisal={"1.1": 80})
    assert item_result(result, "2.1", "final")["status"] == "missing"
    assert result["total"] == 80
    result = score(rubric, {"1.1": 85, "2.1": 10}, appraisal={"1.1": 80, "2.1": 4})
    assert (result["total"], result["status"]) == (84, "appraised")


@pytest.mark.parametrize(
    ("count", "points"), [(0, D(0)), (1, D("2.5")), (3, D("7.5")), (4, D(10)), (9, D(10))]
)
def test_steps_increment_up_to_the_cap(rubric: Rubric, count: int, points: Decimal) -> None:
    """Each occurrence adds per_unit points, capped at the item's maximum."""
    assert item_result(score(rubric, {"2.2": count}), "2.2")["points"] == points


@pytest.mark.parametrize(("count", "points"), [(0, D(20)), (1, D(15)), (4, D(0)), (7, D(0))])
def test_deduction_floors_at_zero(rubric: Rubric, count: int, points: Decimal) -> None:
    """Each occurrence takes per_unit points off the maximum, never below zero."""
    assert item_result(score(rubric, {"2.3": count}), "2.3")["points"] == points


@pytest.mark.parametrize(("count", "code"), [(-1, "below_zero"), (D("1.5"), "wrong_type")])
def test_counts_must_be_whole_and_positive(rubric: Rubric, count: Any, code: str) -> None:
    """A count that is negative or fractional is reported."""
    assert ("self", "2.3", code) in codes(score(rubric, {"2.3": count}))


def test_unknown_item_is_reported(rubric: Rubric) -> None:
    """An answer for an id the rubric lacks is a problem naming that id."""
    result = score(rubric, {**FULL, "9.9": 3})
    assert codes(result) == [("self", "9.9", "unknown_item")]
    assert result["total"] == 100


def test_missing_answers_are_warnings(rubric: Rubric) -> None:
    """Unanswered items count zero and are listed as warnings."""
    result = score(rubric, {"1.1": 10})
    stage = result["stages"]["self"]
    assert stage["missing"] == 5
    assert stage["answered"] == 1
    assert not stage["complete"]
    assert {p["severity"] for p in result["problems"]} == {"warning"}


@pytest.mark.parametrize(
    ("total_answers", "band"),
    [
        ({"1.1": 20, "1.3": True, "2.1": {"numerator": 1, "denominator": 1}, "2.3": 0}, "tot"),
        ({"1.1": 10, "1.3": True, "2.3": 0}, "hoan-thanh"),
        ({"1.1": D("19.5"), "1.3": False, "2.3": 0, "2.2": 0}, "khong"),
    ],
)
def test_bands_by_total(rubric: Rubric, total_answers: dict[str, Any], band: str) -> None:
    """The band is the one whose [min, max) holds the total."""
    assert score(rubric, total_answers)["band_id"] == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (D(0), "khong"),
        (D("49.5"), "khong"),
        (D(50), "hoan-thanh"),
        (D("74.5"), "hoan-thanh"),
        (D(75), "tot"),
        (D("89.5"), "tot"),
        (D(90), "xuat-sac"),
        (D(100), "xuat-sac"),
    ],
)
def test_band_bounds(total: Decimal, band: str) -> None:
    """Lower bounds are inclusive, upper bounds exclusive, the top band includes the maximum."""
    rubric = single_item_rubric()
    assert score(rubric, {"1.1": total})["band_id"] == band


def single_item_rubric(**changes: Any) -> Rubric:
    """A rubric with one free item worth 100, the base bands, and the given changes."""
    criteria = [
        {
            "id": "1",
            "title": "Tổng",
            "max": 100,
            "items": [
                {"id": "1.1", "text": "Tổng điểm", "max": 100, "may_be_not_applicable": False}
            ],
        }
    ]
    return make_rubric(criteria=criteria, **changes)


def test_unstated_band_leaves_the_unit_unclassified() -> None:
    """A total in a range whose band the source does not state is not classified."""
    bands = [
        {"id": "tot", "name": "Tốt", "min": 80},
        {"id": "kha", "name": "Khá", "min": 75, "max": 80},
        {
            "id": "chua-ro",
            "name": "Trung bình hoặc Yếu",
            "min": 0,
            "max": 75,
            "stated": False,
            "note": "Ngưỡng không được nêu.",
        },
    ]
    rubric = single_item_rubric(bands=bands)
    low = score(rubric, {"1.1": 70})
    assert (low["band"], low["classified"], low["reasons"]) == (None, False, [])
    assert low["note"] == {"code": "band_unstated", "text": "Ngưỡng không được nêu."}
    assert score(rubric, {"1.1": 78})["band"] == "Khá"


def test_bands_sharing_an_unstated_range_leave_the_unit_unclassified() -> None:
    """Two named bands whose threshold between them is not stated share one range: a total
    there gets no band, and the note names both; totals above are classified as usual."""
    bands = [
        {"id": "tot", "name": "Tốt", "min": 80},
        {"id": "kha", "name": "Khá", "min": 75, "max": 80},
        {"id": "trung-binh", "name": "Trung bình", "min": 0, "max": 75, "stated": False},
        {"id": "yeu", "name": "Yếu", "min": 0, "max": 75, "stated": False},
    ]
    rubric = single_item_rubric(bands=bands)
    for total in (0, 50, Decimal("74.5")):
        low = score(rubric, {"1.1": total})
        assert (low["band"], low["classified"], low["reasons"]) == (None, False, [])
        assert low["note"] == {
            "code": "band_unstated",
            "text": "Tổng điểm dưới 75 điểm thuộc một trong các mức “Trung bình”, “Yếu”; văn bản"
            " nguồn không nêu ngưỡng điểm giữa các mức này, nên công cụ không tự xếp loại.",
        }
    assert score(rubric, {"1.1": 75})["band"] == "Khá"
    assert score(rubric, {"1.1": 80})["band"] == "Tốt"


def test_a_cap_over_an_unstated_range_does_not_classify() -> None:
    """A cap at "Khá" of a total below 75 leaves it unclassified: no band is guessed."""
    bands = [
        {"id": "tot", "name": "Tốt", "min": 80},
        {"id": "kha", "name": "Khá", "min": 75, "max": 80},
        {"id": "trung-binh", "name": "Trung bình", "min": 0, "max": 75, "stated": False},
        {"id": "yeu", "name": "Yếu", "min": 0, "max": 75, "stated": False},
    ]
    overrides = [
        {
            "id": "tran",
            "question": "Có vi phạm không?",
            "effect": "cap",
            "band": "kha",
            "reason": "Vi phạm",
        },
    ]
    rubric = single_item_rubric(bands=bands, overrides=overrides)
    held = {"tran": True}
    assert score(rubric, {"1.1": 90}, conditions=held)["band"] == "Khá"
    assert score(rubric, {"1.1": 60}, conditions=held)["band"] is None


def test_no_bands_gives_the_note_and_the_proposed_band() -> None:
    """Without bands the result has no band, the source's note, and the proposed text."""
    rubric = single_item_rubric(bands=[], bands_note="Nguồn không nêu mức xếp loại.")
    result = score(rubric, {"1.1": 95})
    assert result["band"] is None
    assert result["reasons"] == []
    assert result["note"] == {"code": "no_bands", "text": "Nguồn không nêu mức xếp loại."}


OVERRIDES = [
    {
        "id": "vi-pham",
        "question": "Có cán bộ bị kỷ luật?",
        "effect": "cap",
        "band": "hoan-thanh",
        "reason": "Có cán bộ bị kỷ luật: tối đa Hoàn thành",
    },
    {
        "id": "diem-nong",
        "question": "Có điểm nóng?",
        "effect": "force",
        "band": "khong",
        "reason": "Để xảy ra điểm nóng",
    },
    {
        "id": "khong-du",
        "question": "Không đủ điều kiện xếp loại?",
        "effect": "unclassifiable",
        "reason": "Không đủ điều kiện xếp loại",
    },
]


@pytest.mark.parametrize(
    ("total", "held", "band", "reasons"),
    [
        (D(95), [], "xuat-sac", []),
        (D(95), ["vi-pham"], "hoan-thanh", ["Có cán bộ bị kỷ luật: tối đa Hoàn thành"]),
        (D(40), ["vi-pham"], "khong", []),
        (D(95), ["diem-nong"], "khong", ["Để xảy ra điểm nóng"]),
        (D(95), ["diem-nong", "vi-pham"], "khong", ["Để xảy ra điểm nóng"]),
        (D(95), ["khong-du", "diem-nong"], None, ["Không đủ điều kiện xếp loại"]),
    ],
)
def test_overrides(total: Decimal, held: list[str], band: str | None, reasons: list[str]) -> None:
    """Force sets the band, cap only lowers it, unclassifiable wins over both."""
    rubric = single_item_rubric(overrides=OVERRIDES)
    result = score(rubric, {"1.1": total}, conditions={k: True for k in held})
    assert (result["band_id"], [r["text"] for r in result["reasons"]]) == (band, reasons)
    by_text = {o["reason"]: o["id"] for o in OVERRIDES}
    assert [r["override"] for r in result["reasons"]] == [by_text[r] for r in reasons]
    assert result["classified"] is (band is not None)
    assert result["total"] == total


def test_override_reason_carries_the_units_note() -> None:
    """The note typed with a condition is shown after the reason."""
    rubric = single_item_rubric(overrides=OVERRIDES)
    doc_conditions = {"khong-du": True}
    result = score(rubric, {"1.1": 90}, conditions=doc_conditions)
    assert result["reasons"] == [{"override": "khong-du", "text": "Không đủ điều kiện xếp loại"}]
    doc = make_doc(rubric, {"1.1": 90})
    doc["stages"]["self"]["conditions"]["khong-du"] = {"value": True, "note": "mới thành lập"}
    result = engine.score_document(rubric, doc)
    assert [r["text"] for r in result["reasons"]] == ["Không đủ điều kiện xếp loại: mới thành lập"]


def test_appraisal_is_final_item_by_item(rubric: Rubric) -> None:
    """The appraised answer replaces the self-score where given; elsewhere the self-score stays."""
    appraisal = {**FULL, "1.1": 15, "1.2": "1.2.2"}
    result = score(rubric, FULL, appraisal=appraisal)
    assert result["stages"]["self"]["total"] == 100
    assert result["stages"]["appraisal"]["total"] == 90
    assert result["total"] == 90
    assert result["band_id"] == "xuat-sac"
    assert result["status"] == "appraised"
    assert item_result(result, "1.1", "final")["points"] == 15
    assert item_result(result, "1.3", "final")["points"] == 20


def test_unfinished_appraisal_is_not_a_result(rubric: Rubric) -> None:
    """An appraisal with items left to score keeps its running total but gets no band: the
    final result says how far the appraisal has got (failing before: "Xếp loại" at 90)."""
    result = score(rubric, FULL, appraisal={"1.1": 15, "1.2": "1.2.2"})
    assert result["status"] == "appraising"
    assert result["appraisal_progress"] == {"done": 2, "of": 6}
    assert result["total"] == 90  # the running total: appraised where given, else self
    assert (result["band"], result["classified"]) == (None, False)
    assert result["note"] == {"code": "appraising", "text": "Đang thẩm định: 2/6 mục"}
    appraisal = result["stages"]["appraisal"]
    assert (appraisal["total"], appraisal["band"], appraisal["note"]) == (20, None, result["note"])
    assert result["stages"]["self"]["band"]["id"] == "xuat-sac"


def test_a_condition_note_alone_starts_the_appraisal(rubric: Rubric) -> None:
    """A note typed by the team on a condition begins the appraisal (as the form shows it)."""
    rubric = single_item_rubric(overrides=OVERRIDES)
    result = score(rubric, {"1.1": 95}, appraisal_conditions={"vi-pham": None})
    assert result["status"] == "self"
    doc = make_doc(rubric, {"1.1": 95})
    doc["stages"]["appraisal"]["conditions"]["vi-pham"] = {"value": None, "note": "Đang xác minh"}
    assert engine.score_document(rubric, doc)["status"] == "appraising"


def test_appraisal_can_raise_the_score(rubric: Rubric) -> None:
    """An appraised score higher than the self-score is final too."""
    own = {**FULL, "1.1": 10}
    result = score(rubric, own, appraisal={"1.1": 20})
    assert (result["stages"]["self"]["total"], result["total"]) == (90, 100)


def test_appraisal_conditions_override_self(rubric: Rubric) -> None:
    """A condition answered by the appraisal team replaces the unit's answer."""
    rubric = single_item_rubric(overrides=OVERRIDES)
    result = score(
        rubric,
        {"1.1": 95},
        appraisal={"1.1": 95},
        conditions={"vi-pham": True},
        appraisal_conditions={"vi-pham": False},
    )
    assert result["stages"]["self"]["band"]["id"] == "hoan-thanh"
    assert result["band_id"] == "xuat-sac"


def reserved_rubric() -> Rubric:
    """90 points self-scored, 10 given only by the superior."""
    criteria = [
        {
            "id": "1",
            "title": "Tự chấm",
            "max": 90,
            "items": [{"id": "1.1", "text": "A", "max": 90}],
        },
        {
            "id": "2",
            "title": "Cấp trên",
            "max": 10,
            "items": [{"id": "2.1", "text": "B", "max": 10, "given_by": "superior"}],
        },
    ]
    return make_rubric(criteria=criteria)


def test_reserved_items_wait_for_the_appraisal() -> None:
    """Items reserved to the superior are not scored by the unit and count once appraised."""
    rubric = reserved_rubric()
    own_only = score(rubric, {"1.1": 85})
    assert item_result(own_only, "2.1")["status"] == "reserved"
    assert own_only["total"] == 85
    assert own_only["problems"] == []
    result = score(rubric, {"1.1": 85}, appraisal={"2.1": 8})
    assert result["total"] == 93
    assert result["stages"]["appraisal"]["total"] == 8


def test_unit_cannot_score_a_reserved_item() -> None:
    """A self-score for a reserved item is refused with the reason."""
    result = score(reserved_rubric(), {"1.1": 85, "2.1": 10})
    (problem,) = result["problems"]
    assert problem["message"] == "Tự chấm, mục 2.1: mục này do cấp trên chấm"
    assert result["total"] == 85


def na_rubric(method: str) -> Rubric:
    """Two items of 50, the second 'không phát sinh'-able, the first for communes only."""
    criteria = [
        {
            "id": "1",
            "title": "Tiêu chí",
            "max": 100,
            "items": [
                {"id": "1.1", "text": "A", "max": 40, "applies_to": ["xa"]},
                {"id": "1.2", "text": "B", "max": 50, "may_be_not_applicable": True},
                {"id": "1.3", "text": "C", "max": 10},
            ],
        }
    ]
    rule: dict[str, Any] = {"method": method, "text": "Quy tắc thử nghiệm"}
    if method == "proportional":
        rule["rounding"] = {"step": D("0.01")}
    return make_rubric(
        criteria=criteria,
        unit_types=[{"id": "xa", "name": "Xã"}, {"id": "so", "name": "Sở"}],
        not_applicable=rule,
    )


def test_not_applicable_rescales_proportionally() -> None:
    """Without the 'không phát sinh' item, the total is rescaled to 100 and rounded."""
    result = score(na_rubric("proportional"), {"1.1": 35, "1.2": "na", "1.3": 10}, unit_type="xa")
    final = result["stages"]["final"]
    assert (final["raw_total"], final["applicable_max"], final["rescaled"]) == (45, 50, True)
    assert result["total"] == 90
    assert result["criteria"][0]["max"] == 50


def test_not_applicable_rounding() -> None:
    """A rescaled total is rounded to the rule's step."""
    rubric = na_rubric("proportional")
    result = score(rubric, {"1.2": D("33.5"), "1.3": 7}, unit_type="so")
    assert result["stages"]["final"]["applicable_max"] == 60
    assert result["total"] == D("67.5")
    result = score(rubric, {"1.2": "na", "1.3": 7}, unit_type="so")
    assert result["total"] == 70
    result = score(rubric, {"1.1": 1, "1.2": "na", "1.3": 0}, unit_type="xa")
    assert result["total"] == D("2")


def test_not_applicable_rule_none_keeps_the_raw_total() -> None:
    """With method 'none' the excluded items simply score nothing."""
    result = score(na_rubric("none"), {"1.1": 35, "1.2": "na", "1.3": 10}, unit_type="xa")
    assert result["total"] == 45


def test_item_for_another_unit_type_is_excluded() -> None:
    """An item that applies to communes only is excluded for a department, not missing."""
    result = score(na_rubric("proportional"), {"1.2": 50, "1.3": 10}, unit_type="so")
    assert item_result(result, "1.1")["status"] == "excluded"
    assert result["problems"] == []
    assert result["total"] == 100


def test_not_applicable_refused_where_not_allowed() -> None:
    """'không phát sinh' on an item that does not allow it is a problem."""
    result = score(na_rubric("proportional"), {"1.3": "na"}, unit_type="xa")
    assert ("self", "1.3", "not_applicable_forbidden") in codes(result)


def bonus_rubric(above: bool) -> Rubric:
    """Base 100, a bonus section capped at 5, a penalty section capped at 10."""
    criteria = [
        {
            "id": "1",
            "title": "Cơ bản",
            "max": 100,
            "items": [{"id": "1.1", "text": "A", "max": 100}],
        },
        {
            "id": "2",
            "title": "Điểm thưởng",
            "max": 5,
            "section": "bonus",
            "items": [
                {"id": "2.1", "text": "Sáng kiến", "kind": "steps", "max": 6, "per_unit": 2},
                {"id": "2.2", "text": "Khen thưởng", "kind": "yesno", "max": 2},
            ],
        },
        {
            "id": "3",
            "title": "Điểm trừ",
            "max": 10,
            "section": "penalty",
            "items": [{"id": "3.1", "text": "Vi phạm", "kind": "steps", "max": 20, "per_unit": 3}],
        },
    ]
    return make_rubric(criteria=criteria, bonus_above_total=above)


@pytest.mark.parametrize(
    ("above", "base", "bonus", "penalty", "total", "top"),
    [
        (False, 80, 2, 0, D(85), D(100)),
        (False, 80, 0, 0, D(82), D(100)),
        (False, 98, 3, 0, D(100), D(100)),
        (True, 98, 3, 0, D(103), D(105)),
        (False, 80, 0, 2, D(76), D(100)),
        (False, 5, 0, 5, D(0), D(100)),
        (False, 80, 0, 6, D(72), D(100)),
    ],
)
def test_bonus_and_penalty_sections(
    above: bool, base: int, bonus: int, penalty: int, total: Decimal, top: Decimal
) -> None:
    """Bonus adds and penalty subtracts, each capped; the total stays within 0..max."""
    own = {"1.1": base, "2.1": bonus, "2.2": True, "3.1": penalty}
    result = score(bonus_rubric(above), own)
    assert (result["total"], result["max"]) == (total, top)


def test_evidence_required_is_checked() -> None:
    """A positive score without evidence or explanation warns; either one satisfies it."""
    rubric = make_rubric(evidence_required=True)
    result = score(rubric, {"1.1": 5})
    assert ("self", "1.1", "missing_evidence") in codes(result)
    for part in ("documents", "explanation"):
        evidence = {"1.1": {"documents": "", "explanation": "", part: "Biên bản"}}
        result = score(rubric, {"1.1": 5}, evidence=evidence)
        assert ("self", "1.1", "missing_evidence") not in codes(result)
    assert ("self", "1.1", "missing_evidence") not in codes(score(rubric, {"1.1": 0}))


def evidence_rubric(strength: str) -> Rubric:
    """The base rubric with item 1.1 under the given evidence strength."""
    data = rubric_data()
    data["criteria"][0]["items"][0]["evidence"] = {"strength": strength}
    return make_rubric(criteria=data["criteria"])


def evidence_of(documents: str = "", explanation: str = "") -> dict[str, Any]:
    """Item 1.1's evidence texts."""
    return {"1.1": {"documents": documents, "explanation": explanation}}


def test_required_evidence_no_evidence_no_points() -> None:
    """Strength "required": a self-score without documents counts 0, with an error; an
    explanation does not stand in; with documents the points count."""
    rubric = evidence_rubric("required")
    bare = score(rubric, {"1.1": 5}, evidence=evidence_of(explanation="Chưa có văn bản"))
    assert item_result(bare, "1.1")["points"] == 0
    assert item_result(bare, "1.1", "final")["points"] == 0
    assert ("self", "1.1", "evidence_required") in codes(bare)
    [problem] = [p for p in bare["problems"] if p["code"] == "evidence_required"]
    assert problem["severity"] == "error"
    backed = score(rubric, {"1.1": 5}, evidence=evidence_of(documents="Kế hoạch số 12/KH"))
    assert item_result(backed, "1.1")["points"] == 5
    assert bare["total"] == backed["total"] - 5


def test_required_evidence_leaves_the_appraisal_score_alone() -> None:
    """The appraisal team's score stands without documents; an item it did not score takes
    the self-score under the same rule."""
    rubric = evidence_rubric("required")
    appraised = score(rubric, {"1.1": 5}, appraisal={"1.1": 4})
    assert item_result(appraised, "1.1", "appraisal")["points"] == 4
    assert item_result(appraised, "1.1", "final")["points"] == 4
    other = score(rubric, {"1.1": 5}, appraisal={"1.2": "1.2.1"})
    assert item_result(other, "1.1", "final")["points"] == 0


def test_expected_evidence_warns_and_asks_for_an_explanation() -> None:
    """Strength "expected": the points count; without documents a warning asks for an
    explanation, and stays until one is written."""
    rubric = evidence_rubric("expected")
    bare = score(rubric, {"1.1": 5})
    assert item_result(bare, "1.1")["points"] == 5
    [problem] = [p for p in bare["problems"] if p["code"] == "missing_evidence"]
    assert problem["severity"] == "warning"
    assert "phải ghi giải trình" in problem["message"]
    for given in (evidence_of(documents="Biên bản"), evidence_of(explanation="Không phát sinh")):
        assert ("self", "1.1", "missing_evidence") not in codes(
            score(rubric, {"1.1": 5}, evidence=given)
        )


def test_no_evidence_rule_asks_nothing() -> None:
    """Strength "none": no problem, whatever the evidence."""
    result = score(evidence_rubric("none"), {"1.1": 5})
    assert not [p for p in result["problems"] if "evidence" in p["code"]]


def test_the_older_evidence_keys_read_as_expected_and_none() -> None:
    """`required: true` and `evidence_required: true` behave as "expected", as they always did."""
    data = rubric_data()
    data["criteria"][0]["items"][0]["evidence"] = {"required": True}
    rubric = make_rubric(criteria=data["criteria"])
    assert ("self", "1.1", "missing_evidence") in codes(score(rubric, {"1.1": 5}))
    assert item_result(score(rubric, {"1.1": 5}), "1.1")["points"] == 5
    data["criteria"][0]["items"][0]["evidence"] = {"required": False}
    rubric = make_rubric(criteria=data["criteria"], evidence_required=True)
    assert ("self", "1.1", "missing_evidence") not in codes(score(rubric, {"1.1": 5}))


def test_decimal_sums_are_exact() -> None:
    """Tenths and quarters add up exactly: no float drift in a government report."""
    criteria = [
        {
            "id": "1",
            "title": "T",
            "max": 100,
            "items": [
                {"id": f"1.{k}", "text": "x", "max": D("10"), "step": D("0.1")}
                for k in range(1, 11)
            ],
        }
    ]
    rubric = make_rubric(criteria=criteria)
    result = score(rubric, {f"1.{k}": D("0.1") for k in range(1, 11)})
    assert sum([0.1] * 10) != 1  # what floats would have printed
    assert result["total"] == 1
    assert codec.dumps(result["total"]) == "1"
