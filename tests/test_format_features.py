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
from conftest import FULL, D, make_rubric, rubric_data, score
from scoring_py import codec
from scoring_py.problems import RubricError
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


# --------------------------------------------------------------------------------------------
# Overrides triggered by the scores (`when`), band conditions beyond the total

# "Xếp loại xuất sắc còn phải đạt tiêu chí 1 từ 90 % trở lên": a cap at the band below when
# criterion 1 is under 90 %; and an item at 0 caps at "hoàn thành".
TRIGGERS = [
    {
        "id": "tieu-chi-1-duoi-90",
        "when": {"criterion": "1", "below_percent": 90},
        "effect": "cap",
        "band": "tot",
        "reason": "Tiêu chí 1 dưới 90 %",
    },
    {
        "id": "muc-1-3-khong-diem",
        "when": {"item": "1.3", "at_most": 0},
        "effect": "cap",
        "band": "hoan-thanh",
        "reason": "Mục 1.3 không có điểm",
    },
]


def trigger_case(own: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The engine's self stage and the reference's band, for the base rubric with TRIGGERS."""
    data = rubric_data(overrides=TRIGGERS)
    result = score(make_rubric(overrides=TRIGGERS), own)
    plain = json.loads(codec.dumps(canonical(parse(data))), parse_float=Decimal)
    theirs = reference.score_stage(plain, own, {}, None, "self")
    return result["stages"]["self"], theirs["band"]


def parse(data: dict[str, Any]) -> Any:
    return load_rubric_json(codec.dumps(data))


@pytest.mark.parametrize(
    ("changes", "band", "reasons"),
    [
        ({}, "xuat-sac", []),  # criterion 1 at 50/50, item 1.3 at 20
        # 1.1 at 15: criterion 1 at 45/50 = 90 %, not under it: the total 95 keeps xuất sắc.
        ({"1.1": 15}, "xuat-sac", []),
        # 1.1 at 14.5: 44.5/50 = 89 % is under 90 %: the total 94.5 is capped at "tốt".
        ({"1.1": D("14.5")}, "tot", ["Tiêu chí 1 dưới 90 %"]),
        # 1.2 at level 2 (5 points): 45/50 = 90 %; total 95: xuất sắc.
        ({"1.2": "1.2.2"}, "xuat-sac", []),
        # 1.3 "no": 0 points, total 80 ("tốt": the criterion's cap lowers nothing, so it is
        # not a reason); the item's rule caps at hoàn thành.
        ({"1.3": False}, "hoan-thanh", ["Mục 1.3 không có điểm"]),
    ],
)
def test_overrides_triggered_by_the_scores(
    changes: dict[str, Any], band: str, reasons: list[str]
) -> None:
    """A criterion under a share of its maximum, or an item at 0, lowers the band by itself,
    with its reason; the reference scorer agrees."""
    own = {**FULL, **changes}
    stage, theirs = trigger_case(own)
    assert stage["band"]["id"] == band == theirs
    assert [r["text"] for r in stage["reasons"]] == reasons


def test_a_rule_waits_for_every_item_it_looks_at() -> None:
    """Until each item of the criterion is answered, its rule does not hold; an unanswered
    item does not hold either."""
    own = {**FULL, "1.1": None, "1.3": None}
    stage, theirs = trigger_case(own)
    assert stage["reasons"] == []
    assert theirs == (stage["band"]["id"] if stage["band"] else None)


def test_nobody_answers_a_rule() -> None:
    """A rule has no question: the template has no condition for it, and a condition given
    for it in a file is reported and ignored."""
    rubric = make_rubric(overrides=TRIGGERS)
    from scoring_py import document, engine

    assert document.template(rubric)["stages"]["self"]["conditions"] == {}
    doc = document.template(rubric)
    doc["stages"]["self"]["answers"].update(FULL)
    doc["stages"]["self"]["conditions"]["tieu-chi-1-duoi-90"] = {"value": True, "note": ""}
    result = engine.score_document(rubric, doc)
    assert result["band"] == "Hoàn thành xuất sắc"
    codes = [p["code"] for p in result["problems"]]
    assert "unknown_condition" in codes


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            {"question": "Có?", "when": {"criterion": "1", "below_percent": 80}},
            "overrides[0]: chỉ được có một trong 'question' (câu hỏi có/không) hoặc 'when'",
        ),
        ({}, "overrides[0]: phải có 'question' (câu hỏi có/không) hoặc 'when'"),
        (
            {"when": {"criterion": "3", "below_percent": 80}},
            "overrides[0].when.criterion: không có tiêu chí '3'",
        ),
        (
            {"when": {"item": "1.4", "at_most": 0}},
            "overrides[0].when.item: không có mục '1.4'; có phải ý bạn là '1.3'?",
        ),
        (
            {"when": {"criterion": "1", "at_most": 0}},
            "overrides[0].when.at_most: chỉ dùng với 'item'",
        ),
        (
            {"when": {"criterion": "1", "below_percent": 150}},
            "overrides[0].when.below_percent: phải lớn hơn 0 và không quá 100 (nhận được 150)",
        ),
        (
            {"when": {"item": "1.3", "at_most": 20}},
            "overrides[0].when.at_most: phải ≥ 0 và nhỏ hơn điểm tối đa 20 của mục",
        ),
        (
            {"when": {"item": "1.3"}},
            "overrides[0].when: phải có đúng một trong 'below_percent'",
        ),
        (
            {"when": {"criterion": "1", "item": "1.3", "at_most": 0}},
            "overrides[0].when: phải có đúng một trong 'criterion' (mã tiêu chí) hoặc 'item'",
        ),
    ],
)
def test_bad_rules_are_refused_with_their_place(override: dict[str, Any], message: str) -> None:
    """Each mistake in a rule names its place, with a close match where one exists."""
    base = {"id": "dk", "effect": "cap", "band": "tot", "reason": "Lý do"}
    with pytest.raises(RubricError) as caught:
        make_rubric(overrides=[base | override])
    assert message in str(caught.value), str(caught.value)


def test_rules_stay_out_of_old_fingerprints_and_are_worded() -> None:
    """A rubric of questions only keeps its canonical JSON; a rule is worded in the guide as
    an official reads it."""
    from generator.pages.words import override_condition

    asked = [{"id": "dk", "question": "Có vi phạm?", "effect": "cap", "band": "tot", "reason": "x"}]
    assert '"when"' not in canonical_json(make_rubric(overrides=asked))
    rubric = make_rubric(overrides=TRIGGERS)
    assert [override_condition(rubric, o) for o in rubric.overrides] == [
        "tiêu chí I đạt dưới 90 % điểm tối đa",
        "mục 1.3 được 0 điểm",
    ]
    assert (
        override_condition(make_rubric(overrides=asked), make_rubric(overrides=asked).overrides[0])
        == "“Có vi phạm?”"
    )


def test_the_form_shows_a_rule_and_asks_nothing() -> None:
    """The scoring form says each rule in words, without a question to answer."""
    from conftest import ROOT
    from generator.loader import load_file
    from generator.pages import fragments

    example = load_file(ROOT / "site_src" / "huong-dan-soan-thang-diem" / "vi-du-thang-diem.yaml")
    html = str(
        fragments.scoring_form(
            fragments.environment(ROOT / "site_src/overrides/fragments"), example
        )
    )
    assert '<div class="td-condition" data-condition-rule="tieu-chi-1-1-duoi-80">' in html
    assert "Khi tiêu chí 1.1 đạt dưới 80 % điểm tối đa: xếp loại cao nhất là" in html
    assert 'name="self:condition:tieu-chi-1-1-duoi-80"' not in html
    assert "Khi mục 2.3.1 được 0 điểm: xếp loại cao nhất là" in html
