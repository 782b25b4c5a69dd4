"""Tests of the guide's wording of the rules: numbering, penalties, overrides, rounding, and
the command line's table with its rescale line."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from conftest import ROOT
from generator import textout
from generator.loader import load_file
from generator.pages import words
from scoring_py import classify, document, engine, points
from scoring_py.model import Rounding

EXAMPLE = load_file(ROOT / "site_src" / "huong-dan-soan-thang-diem" / "vi-du-thang-diem.yaml")
HUNG_YEN = load_file(ROOT / "rubrics" / "hung-yen-2020.yaml")


def test_criteria_take_arabic_numbers_when_fields_take_the_roman_ones() -> None:
    """With fields (lĩnh vực), criterion 2 is "2", never "II"; without, "II" as the tables;
    numbered in three levels, its id "2.1" (criterion 1 of field 2)."""
    grouped = dataclasses.replace(EXAMPLE, numbering="criteria")
    assert grouped.fields
    assert textout.criterion_number(grouped, 2) == "2"
    assert textout.criterion_number(HUNG_YEN, 2) == "II"
    assert textout.criterion_number(EXAMPLE, 2) == "2.1"
    assert textout.item_number(EXAMPLE, 2, 3) == "2.1.3"
    assert textout.item_number(HUNG_YEN, 2, 3) == "3"


def test_penalty_items_say_they_take_points_off() -> None:
    """A "steps" item of a penalty criterion says "Trừ", never "Cộng"."""
    [penalty] = [c for c in EXAMPLE.criteria if c.section == "penalty"]
    text = words.how_scored(EXAMPLE, penalty.items[0])
    assert text.startswith("Trừ 5 điểm cho mỗi ")
    assert "Cộng" not in text
    [bonus] = [c for c in EXAMPLE.criteria if c.section == "bonus"]
    steps = [i for i in bonus.items if i.kind == "steps"]
    assert all(words.how_scored(EXAMPLE, i).startswith("Cộng") for i in steps)


def test_half_even_is_shown_with_an_example_at_its_step() -> None:
    """At a step of 0,5, the example says 1,25 → 1 and 1,75 → 2 (hand-computed)."""
    text = words.rounding_words(Rounding(Decimal("0.5"), "half_even"))
    assert text.endswith("ví dụ với bước 0,5: 1,25 → 1; 1,75 → 2")
    assert words.rounding_words(Rounding(Decimal("0.5"), "half_up")) == words.ROUNDING_VI["half_up"]


def test_the_override_order_is_the_engines() -> None:
    """Unclassifiable beats force, force beats cap, as the wording says."""
    assert "“không đủ điều kiện xếp loại” thắng" in words.OVERRIDE_ORDER_VI
    held = {o.id: {"value": True, "note": ""} for o in EXAMPLE.overrides}
    band, reasons, _ = classify.classify(EXAMPLE, Decimal(95), held)
    assert band is None and [r["override"] for r in reasons] == ["khong-nop-bao-cao"]
    del held["khong-nop-bao-cao"]
    band, _, _ = classify.classify(EXAMPLE, Decimal(95), held)
    assert band is not None and band.id == "hoan-thanh"


def test_the_text_table_shows_the_rescale_and_not_classifiable() -> None:
    """A rescaled total shows its two lines (applicable sum, rescaled); an unclassifiable unit
    reads "không đủ điều kiện xếp loại", not "chưa xếp loại"."""
    doc = document.template(EXAMPLE, name="Sở A", unit_type="so-nganh")
    for crit in EXAMPLE.criteria:
        for item in crit.items:
            if item.kind == "score" and item.given_by == "unit":
                doc["stages"]["self"]["answers"][item.id] = item.max
    doc["stages"]["self"]["conditions"]["khong-nop-bao-cao"]["value"] = True
    result = engine.score_document(EXAMPLE, document.validate(EXAMPLE, doc))
    final = result["stages"]["final"]
    assert final["rescaled"]
    table = textout.result_table(EXAMPLE, result)
    assert "Cộng phần chính (các mục áp dụng)" in table
    assert f"Quy đổi về thang {points.fmt(EXAMPLE.total)} điểm" in table
    assert "Xếp loại: không đủ điều kiện xếp loại" in table
    assert "chưa xếp loại" not in table
