"""Accessibility of the guide and the scoring pages in a real browser: no serious or critical
axe-core violation (guide, form in self and appraisal mode with results, print view), every
control labelled, and the whole Hưng Yên form completed with the keyboard alone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from generator.loader import load_file
from scoring_py import document, engine
from scoring_py.model import Item
from scoring_py.points import fmt
from testkit.site import ROOT

from .conftest import Recorded, inject_axe
from .pages import ScoringForm, items

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
HUNG_YEN = load_file(ROOT / "rubrics" / "hung-yen-2020.yaml")
MAX_TABS = 600
"""More Tab presses than the Hưng Yên page has stops (a bound, not a measure)."""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is: rule id, impact and the first targets."""
    inject_axe(page)
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document)).violations.map((v) => ({
          id: v.id, impact: v.impact,
          targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
        }))"""
    )
    return found


def expect_no_serious_violation(page: Page, where: str) -> None:
    """No serious or critical violation; lesser ones are printed (`pytest -rP`)."""
    found = axe_violations(page)
    for violation in found:
        print(f"{where}: {violation['impact']} {violation['id']} {violation['targets']}")
    serious = [v for v in found if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_the_guide_pages_pass_axe(site_url: str, recorded: Recorded) -> None:
    """The home page, a "Bắt đầu" page and a rubric's guide page have no serious or critical
    violation."""
    page = recorded.page
    for path in ("", "bat-dau/don-vi/", "hung-yen-2020/", "hung-yen-2020/tieu-chi-4/"):
        page.goto(f"{site_url}{path}")
        expect_no_serious_violation(page, path or "home")


def test_the_scoring_page_passes_axe_in_each_mode(site_url: str, recorded: Recorded) -> None:
    """The Bắc Kạn form (bands, a superior's item, a condition) with results and problems
    shown, in self mode, in appraisal mode and as printed: no serious or critical violation."""
    page = ScoringForm.open(recorded.page, site_url, "bac-kan-2017").page
    page.locator('[name="unit:name"]').fill("Sở Nội vụ")
    page.locator('[name="self:1.1"]').fill("95")  # above the maximum: a problem is shown
    expect(page.locator('[data-problems="1.1"] li')).not_to_have_count(0)
    page.locator('[name="self:1.1"]').fill("85")
    expect(page.locator('[data-band="self"]')).to_have_text("Tốt")
    expect_no_serious_violation(page, "tự chấm")
    page.get_by_label("Chế độ thẩm định").check()
    page.locator('[name="appraisal:2.1"]').fill("7")
    page.locator('[name="appraisal:1.1"]').fill("70,5")
    expect(page.locator('[data-total="final"]')).to_have_text("77,5")
    expect_no_serious_violation(page, "thẩm định")
    page.emulate_media(media="print")
    expect(page.locator('[data-printout="table"]')).to_be_visible()
    expect_no_serious_violation(page, "bản in")


def test_every_control_is_labelled(site_url: str, recorded: Recorded) -> None:
    """Each input, select, textarea and button of the scoring page has a non-empty name."""
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020").page
    page.get_by_label("Chế độ thẩm định").check()
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll(
            ".td-app input, .td-app select, .td-app textarea, .td-app button")]
          .filter((el) => {
            const byLabel = [...(el.labels ?? [])].some((l) => l.textContent.trim() !== "");
            const byAria = (el.getAttribute("aria-label") ?? "").trim() !== "";
            const byText = el.tagName === "BUTTON" && el.textContent.trim() !== "";
            return !(byLabel || byAria || byText);
          })
          .map((el) => el.outerHTML.slice(0, 120))"""
    )
    assert unnamed == []


# --------------------------------------------------------------------------------------------
# The keyboard alone


def focused(page: Page) -> dict[str, str]:
    """The focused element's name, type and value."""
    info: dict[str, str] = page.evaluate(
        """() => {
          const el = document.activeElement;
          return { name: el?.name ?? "", type: el?.type ?? "", value: el?.value ?? "",
                   id: el?.id ?? "" };
        }"""
    )
    return info


def tab_to(page: Page, name: str) -> int:
    """Press Tab until the control named `name` has the focus; return the presses."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused(page)["name"] == name:
            return presses
    raise AssertionError(f"{name} not reached with Tab")


def keyboard_answers() -> dict[str, Any]:
    """An answer to each Hưng Yên item: scores typed with a decimal comma, a level each."""
    answers: dict[str, Any] = {}
    for n, item in enumerate(items(HUNG_YEN)):
        if item.kind == "choice":
            answers[item.id] = item.levels[(n + 1) % len(item.levels)].id
        else:
            answers[item.id] = item.max - Decimal("0.5") * (n % 2)
    return answers


def answer_by_keyboard(page: Page, item: Item, answer: Any) -> None:
    """Answer the focused control of an item: type a score, or move to a level with arrows."""
    if item.kind == "choice":
        assert focused(page)["type"] == "radio" and focused(page)["value"] == ""
        for _ in range([level.id for level in item.levels].index(answer) + 1):
            page.keyboard.press("ArrowDown")
        assert focused(page)["value"] == answer
    else:
        page.keyboard.type(fmt(answer))


def test_the_whole_form_with_the_keyboard_alone(site_url: str, recorded: Recorded) -> None:
    """Tab, Shift+Tab, arrows, Space and typing fill the Hưng Yên form (unit, every item,
    evidence, report, proposed band) and give CPython's subtotals and total."""
    page = ScoringForm.open(recorded.page, site_url, "hung-yen-2020").page
    answers = keyboard_answers()
    by_name = {f"self:{i.id}": i for i in items(HUNG_YEN)}

    tab_to(page, "unit:name")
    page.keyboard.type("UBND xã Bàn Phím")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "unit:type"
    for _ in range(3):  # "", co-quan-chuyen-mon, don-vi-su-nghiep, xa
        page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "xa"
    page.keyboard.press("Tab")
    page.keyboard.type("2024")
    # Appraisal mode on and off again with Space.
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "td-appraisal-mode"
    page.keyboard.press("Space")
    expect(page.locator('[name="appraisal:1.1"]')).to_be_visible()
    page.keyboard.press("Space")
    expect(page.locator('[name="appraisal:1.1"]')).to_be_hidden()

    done: set[str] = set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["name"] == "proposed_band":
            break
        item = by_name.get(now["name"])
        if item is not None and item.id not in done:
            answer_by_keyboard(page, item, answers[item.id])
            done.add(item.id)
        elif now["name"] == "evidence:1.1:documents":
            page.keyboard.type("Kế hoạch số 5/KH-UBND")
        elif now["name"] == "report:8:shortcomings":
            page.keyboard.type("Còn chậm")
    else:
        raise AssertionError("the proposed band was not reached")
    assert done == set(answers)
    page.keyboard.type("Hoàn thành tốt")
    # Back with Shift+Tab to the report text of criterion 8 and correct it.
    while focused(page)["name"] != "report:8:shortcomings":
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    page.keyboard.type(" trong việc báo cáo")

    doc = document.template(HUNG_YEN, name="UBND xã Bàn Phím", unit_type="xa")
    doc["unit"]["year"] = 2024
    doc["stages"]["self"]["answers"].update(answers)
    expected = engine.score_document(HUNG_YEN, document.validate(HUNG_YEN, doc))
    for crit in expected["stages"]["self"]["criteria"]:
        expect(page.locator(f'[data-subtotal="self:{crit["id"]}"]')).to_have_text(
            fmt(crit["score"])
        )
    expect(page.locator('[data-total="self"]')).to_have_text(fmt(expected["total"]))
    expect(page.locator('[name="evidence:1.1:documents"]')).to_have_value("Kế hoạch số 5/KH-UBND")
    expect(page.locator('[name="report:8:shortcomings"]')).to_have_value(
        "Còn chậm trong việc báo cáo"
    )
    expect(page.locator('[name="proposed_band"]')).to_have_value("Hoàn thành tốt")
