"""The rubric features of the CCHC indexes: a ratio scored by thresholds, a ratio scored
stepwise from a starting threshold, and a criterion capped below the sum of its items.

Each case is computed by hand from the rule as a source states it, and checked against both
the engine and the independent reference scorer (tests/reference.py).
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

import reference
from conftest import D, make_rubric, rubric_data, score
from scoring_py import codec
from scoring_py.rubric import canonical, canonical_json, load_rubric_json, rubric_hash

# "Tỷ lệ 100 % được 2 điểm; từ 80 % đến dưới 100 % được 1 điểm; dưới 80 % không có điểm."
THRESHOLDS = [{"at_least": 100, "points": 2}, {"at_least": 80, "points": 1}]
# "Từ 10 % đến 20 % được 1 điểm; mỗi 5 % tiếp theo cộng 0,25 điểm, tối đa 2 điểm."
STEPS = {"start": 10, "flat_until": 20, "points": 1, "every": 5, "add": D("0.25")}


def ratio_item(item_id: str, top: Any, **rule: Any) -> dict[str, Any]:
    """A ratio item of `top` points scored by the given rule."""
    item = {"id": item_id, "text": f"Tỷ lệ {item_id}", "kind": "ratio", "max": top}
    return item | {"counts": "hồ sơ đúng hạn", "denominator": "hồ sơ tiếp nhận"} | rule


def features_data(cap_items: tuple[Any, Any] = (6, 6), cap: Any = 10) -> dict[str, Any]:
    """A rubric of 100 points: the two ratio rules, and a criterion capped below its items."""
    criteria = [
        {
            "id": "1",
            "title": "Tỷ lệ",
            "max": 4,
            "items": [
                ratio_item("1.1", 2, thresholds=THRESHOLDS),
                ratio_item("1.2", 2, ratio_steps=STEPS),
            ],
        },
        {
            "id": "2",
            "title": "Tiêu chí có trần",
            "max": cap,
            "capped": True,
            "items": [
                {"id": "2.1", "text": "A", "max": cap_items[0], "may_be_not_applicable": True},
                {"id": "2.2", "text": "B", "max": cap_items[1]},
            ],
        },
        {
            "id": "3",
            "title": "Phần còn lại",
            "max": 86,
            "items": [{"id": "3.1", "text": "C", "max": 86}],
        },
    ]
    rule = {"method": "proportional", "text": "Quy đổi", "rounding": {"step": D("0.01")}}
    return rubric_data(criteria=criteria, not_applicable=rule)


def ratio(num: int, den: int) -> dict[str, int]:
    return {"numerator": num, "denominator": den}


def both(own: dict[str, Any], data: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """The engine's final stage and the reference's, for the same answers."""
    data = data or features_data()
    rubric = make_rubric(**{k: v for k, v in data.items() if k in ("criteria", "not_applicable")})
    result = score(rubric, own)
    plain = json.loads(codec.dumps(data), parse_float=Decimal)
    theirs = reference.score_stage(plain, own, {}, None, "final")
    return result["stages"]["final"], theirs


def points_of(stage: dict[str, Any], item_id: str) -> Decimal | None:
    return next(i["points"] for c in stage["criteria"] for i in c["items"] if i["id"] == item_id)


@pytest.mark.parametrize(
    ("answer", "points"),
    [
        (ratio(10, 10), "2"),
        (ratio(48, 48), "2"),
        (ratio(99, 100), "1"),  # just under 100 %
        (ratio(999, 1000), "1"),
        (ratio(8, 10), "1"),  # 80 % exactly: the lower bound counts
        (ratio(4, 5), "1"),
        (ratio(79, 100), "0"),
        (ratio(799, 1000), "0"),
        (ratio(0, 7), "0"),
    ],
)
def test_ratio_by_thresholds(answer: dict[str, int], points: str) -> None:
    """100 % gives 2 points, 80 % to under 100 % gives 1, below 80 % gives 0."""
    ours, theirs = both({"1.1": answer})
    assert points_of(ours, "1.1") == D(points)
    assert theirs["items"]["1.1"] == (Fraction(D(points)), "answered")


@pytest.mark.parametrize(
    ("answer", "points"),
    [
        (ratio(9, 100), "0"),  # below the starting threshold
        (ratio(999, 10000), "0"),
        (ratio(10, 100), "1"),  # from 10 %
        (ratio(20, 100), "1"),  # to 20 % inclusive
        (ratio(249, 1000), "1"),  # 24,9 %: the next 5 % is not complete
        (ratio(25, 100), "1.25"),
        (ratio(12, 48), "1.25"),  # 25 % exactly with an awkward denominator
        (ratio(1, 3), "1.5"),  # 33,3 %: two full steps
        (ratio(7, 20), "1.75"),  # 35 %
        (ratio(40, 100), "2"),  # reaches the maximum
        (ratio(45, 100), "2"),  # capped at the maximum
        (ratio(1, 1), "2"),
        (ratio(7, 48), "1"),  # 14,58 %
    ],
)
def test_ratio_stepwise_from_a_starting_threshold(answer: dict[str, int], points: str) -> None:
    """From 10 % to 20 %: 1 point; each further full 5 % adds 0,25; at most 2 points."""
    ours, theirs = both({"1.2": answer})
    assert points_of(ours, "1.2") == D(points)
    assert theirs["items"]["1.2"] == (Fraction(D(points)), "answered")


def test_ratio_steps_count_from_the_start_without_flat_until() -> None:
    """With no `flat_until`, the steps count from `start`: 10 % → 1, 15 % → 1,25."""
    steps = {"start": 10, "points": 1, "every": 5, "add": D("0.25")}
    data = features_data()
    data["criteria"][0]["items"][1] = ratio_item("1.2", 2, ratio_steps=steps)
    for answer, points in ((ratio(14, 100), "1"), (ratio(15, 100), "1.25"), (ratio(3, 10), "2")):
        ours, theirs = both({"1.2": answer}, data)
        assert points_of(ours, "1.2") == D(points)
        assert theirs["items"]["1.2"][0] == Fraction(D(points))


@pytest.mark.parametrize("answer", [ratio(11, 10), ratio(1, 0), ratio(-1, 4), {"numerator": 1}])
def test_threshold_ratios_refuse_what_a_proportional_ratio_refuses(answer: Any) -> None:
    """A numerator above the denominator, a zero denominator or a missing part is an error."""
    ours, theirs = both({"1.1": answer, "1.2": answer})
    for item_id in ("1.1", "1.2"):
        assert points_of(ours, item_id) is None
        assert theirs["items"][item_id] == (None, "invalid")


@pytest.mark.parametrize(
    ("a", "b", "score_", "crit_max"),
    [
        (6, 6, "10", "10"),  # 12 is capped at 10
        (6, 4, "10", "10"),
        (4, D("5.5"), "9.5", "10"),  # under the cap: the plain sum
        ("na", 6, "6", "6"),  # one item does not apply: the cap is above what is left
    ],
)
def test_criterion_capped_below_its_items(a: Any, b: Any, score_: str, crit_max: str) -> None:
    """A criterion of items 6 + 6 capped at 10 scores min(sum, 10); its maximum is the smaller
    of the cap and the items that apply."""
    ours, theirs = both({"2.1": a, "2.2": b})
    crit = ours["criteria"][1]
    assert (crit["score"], crit["max"]) == (D(score_), D(crit_max))
    assert theirs["criteria"]["2"] == Fraction(D(score_))


def test_capped_criterion_with_an_item_out_rescales_on_what_is_left() -> None:
    """Without item 2.1 the applicable maximum is 96 (6 + 4 + 86), not 100 − 6: the total is
    rescaled from it."""
    ours, theirs = both({"1.1": ratio(1, 1), "1.2": ratio(1, 1), "2.1": "na", "2.2": 6, "3.1": 86})
    assert ours["applicable_max"] == 96
    assert ours["raw_total"] == 96
    assert ours["total"] == 100 == theirs["total"]
    ours, theirs = both({"1.1": ratio(0, 1), "1.2": ratio(0, 1), "2.1": "na", "2.2": 3, "3.1": 40})
    assert ours["total"] == D("44.79")  # 43 × 100 / 96 = 44,791…
    assert Fraction(ours["total"]) == theirs["total"]


def test_new_keys_stay_out_of_the_canonical_json_until_used() -> None:
    """A rubric that does not use the new keys keeps its canonical JSON (and hash); one that
    does writes them and reads back equal."""
    plain = make_rubric()
    for crit in canonical(plain)["criteria"]:
        assert "capped" not in crit
        for item in crit["items"]:
            assert "thresholds" not in item and "ratio_steps" not in item
    data = features_data()
    rubric = make_rubric(criteria=data["criteria"], not_applicable=data["not_applicable"])
    text = canonical_json(rubric)
    assert '"capped":true' in text and '"thresholds":[' in text and '"ratio_steps":{' in text
    again = load_rubric_json(text)
    assert again == rubric
    assert rubric_hash(again) == rubric_hash(rubric)


def test_zero_over_zero_may_mean_not_arisen() -> None:
    """With zero_denominator "not_applicable", 0 out of 0 is "không phát sinh": the item leaves
    the maximum and the total is rescaled; a numerator over 0 is still an error; without the
    key, 0 out of 0 is an error as before."""
    data = features_data()
    data["criteria"][0]["items"][0]["zero_denominator"] = "not_applicable"
    answers = {"1.1": ratio(0, 0), "1.2": ratio(1, 1), "2.1": 6, "2.2": 4, "3.1": 86}
    ours, theirs = both(answers, data)
    item = ours["criteria"][0]["items"][0]
    assert (item["points"], item["status"]) == (None, "not_applicable")
    assert theirs["items"]["1.1"] == (None, "not_applicable")
    assert ours["applicable_max"] == 98
    assert ours["total"] == D("100")  # 98 of 98
    assert Fraction(ours["total"]) == theirs["total"]
    ours, theirs = both(answers | {"1.1": ratio(3, 0)}, data)
    assert ours["criteria"][0]["items"][0]["status"] == "invalid"
    assert theirs["items"]["1.1"] == (None, "invalid")
    ours, theirs = both(answers)
    assert ours["criteria"][0]["items"][0]["status"] == "invalid"
    assert theirs["items"]["1.1"] == (None, "invalid")


def test_zero_denominator_is_worded_and_stays_out_of_old_fingerprints() -> None:
    """The guide and the form say what 0 out of 0 means; a rubric without the key keeps its
    canonical JSON."""
    from generator.pages.words import ZERO_DENOMINATOR_WORDS, how_scored

    data = features_data()
    data["criteria"][0]["items"][0]["zero_denominator"] = "not_applicable"
    rubric = make_rubric(criteria=data["criteria"], not_applicable=data["not_applicable"])
    assert how_scored(rubric, rubric.criteria[0].items[0]).endswith(ZERO_DENOMINATOR_WORDS)
    assert ZERO_DENOMINATOR_WORDS not in how_scored(rubric, rubric.criteria[0].items[1])
    assert '"zero_denominator":"not_applicable"' in canonical_json(rubric)
    plain = features_data()
    old = make_rubric(criteria=plain["criteria"], not_applicable=plain["not_applicable"])
    assert "zero_denominator" not in canonical_json(old)
