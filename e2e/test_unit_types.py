"""Points by unit type in a real browser: the annotated example gives a "xã" other maxima and
points for some items and criteria. The form, its results and the printed table show the
unit's own, follow a change of type, and come back with a reloaded draft."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from generator.loader import load_file
from scoring_py import document, engine
from scoring_py.rubric import item_for
from testkit.site import ROOT

from .conftest import EXAMPLE, Recorded
from .pages import ScoringForm, points

pytestmark = pytest.mark.browser

RUBRIC = load_file(ROOT / "site_src" / EXAMPLE)
ITEMS = {i.id: i for c in RUBRIC.criteria for i in c.items}


def shown_maxima(page: Page, unit_type: str | None) -> None:
    """Each varied text reads the unit type's points, as the rubric gives them."""
    steps = item_for(ITEMS["2.1.1"], unit_type)
    expect(page.locator('[id="td-how-2.1.1"]')).to_contain_text(f"Tối đa {points(steps.max)} điểm.")
    choice = item_for(ITEMS["1.1.2"], unit_type)
    first = page.locator('label:has([name="self:1.1.2"][value="1.1.2.1"])')
    expect(first).to_have_text(f"Mức 1 ({points(choice.levels[0].points)} điểm)")
    table = page.locator('[data-printout="table"]')
    for item_id in ("2.1.1", "2.1.2", "2.2.1"):
        cell = table.locator(f'[data-print-row="item:{item_id}"] [data-print-max]')
        expect(cell).to_have_text(points(item_for(ITEMS[item_id], unit_type).max))
    level = table.locator('[data-print-row="level:1.1.2.2"] [data-print-max]')
    expect(level).to_have_text(points(choice.levels[1].points))


def test_the_form_and_the_table_show_the_units_own_points(
    example_site_url: str, recorded: Recorded
) -> None:
    page = ScoringForm.open(recorded.page, example_site_url, RUBRIC.id).page
    shown_maxima(page, None)
    page.locator('[name="unit:name"]').fill("UBND xã Nghĩa Trụ")
    page.locator('[name="unit:type"]').select_option("xa")
    shown_maxima(page, "xa")
    # 4 dialogues at 3 points each for a "xã": 12, its own maximum (2 each, 8, for others).
    page.locator('[name="self:2.1.1"]').fill("4")
    page.locator('[name="self:2.2.1"]').fill("2")
    doc = document.template(RUBRIC, name="UBND xã Nghĩa Trụ", unit_type="xa")
    doc["stages"]["self"]["answers"].update({"2.1.1": 4, "2.2.1": 2})
    result = engine.score_document(RUBRIC, document.validate(RUBRIC, doc))["stages"]["self"]
    bonus = next(c for c in result["criteria"] if c["id"] == "2.2")
    assert (bonus["score"], bonus["max"]) == (3, 3)  # 2 × 2,5 capped at the type's 3
    expect(page.locator('[data-subtotal="self:2.2"]')).to_have_text(points(bonus["score"]))
    expect(page.locator('[data-subtotal-max="self:2.2"]')).to_have_text(points(bonus["max"]))
    page.emulate_media(media="print")
    table = page.locator('[data-printout="table"]')
    expect(table.locator('[data-print-points="self:2.1.1"]')).to_have_text("12")
    expect(table.locator('[data-print-row="criterion:2.2"] [data-print-max]')).to_have_text("3")
    page.emulate_media(media="screen")
    # Back to another type: the rubric's own points again.
    page.locator('[name="unit:type"]').select_option("so-nganh")
    shown_maxima(page, "so-nganh")
    page.locator('[name="unit:type"]').select_option("xa")
    ScoringForm(page).save()
    # The draft comes back after a reload with the type's points shown.
    page.reload()
    ScoringForm(page).wait_restored()
    expect(page.locator('[name="unit:type"]')).to_have_value("xa")
    shown_maxima(page, "xa")
