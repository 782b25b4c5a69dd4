"""Phones: the scoring form and the summary fit a 360-pixel-wide screen (no sideways scrolling
of the page; a wide table scrolls inside its own frame), and nothing floats over the fields."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .pages import ScoringForm, SummaryPage
from .test_summary import appraised_pair

pytestmark = pytest.mark.browser

PHONES = [(360, 740), (390, 844)]
RUBRICS = ["hung-yen-2020", "hau-giang-2022", "bac-kan-2017"]

OVERFLOW = """() => {
  // The innermost elements that stick out to the right, each with its ancestors, to say why.
  const width = document.documentElement.clientWidth;
  const out = (element) => element.getBoundingClientRect().right > width + 0.5;
  const wide = [...document.querySelectorAll("body *")]
    .filter((element) => element.getClientRects().length > 0 && out(element))
    .filter((element) => ![...element.children].some(out))
    .slice(0, 8)
    .map((element) => {
      const chain = [];
      for (let at = element; at && chain.length < 6; at = at.parentElement) {
        chain.push(`${at.tagName.toLowerCase()}.${[...at.classList].join(".")}`);
      }
      return chain.join(" < ");
    });
  return { scroll: document.scrollingElement.scrollWidth, width, wide };
}"""


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page the size of a phone's screen, with touch."""
    width, height = request.param
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="vi-VN",
        service_workers="block",
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def assert_fits(page: Page) -> None:
    """Nothing sticks out of the screen's width, and the page does not scroll sideways."""
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], found


@pytest.mark.parametrize("phone", PHONES, indirect=True, ids=lambda size: f"{size[0]}px")
@pytest.mark.parametrize("rubric", RUBRICS)
def test_the_scoring_form_fits_a_phone(phone: Page, site_url: str, rubric: str) -> None:
    """The form, its unit fieldset and its result table fit; the result table scrolls in its
    own frame if it must."""
    ScoringForm.open(phone, site_url, rubric)
    assert_fits(phone)
    phone.locator('.td-stage[data-stage-part="self"] input[type="text"]').first.fill("0")
    result = phone.locator(".td-table-frame")
    result.scroll_into_view_if_needed()
    expect(result.locator("output[data-total]").first).not_to_have_text("—")
    assert_fits(phone)
    frame = result.evaluate("frame => [frame.clientWidth, frame.scrollWidth]")
    assert frame[0] <= phone.viewport_size["width"], frame


@pytest.mark.parametrize("phone", PHONES[:1], indirect=True, ids=lambda size: f"{size[0]}px")
def test_no_button_floats_over_the_fields(phone: Page, site_url: str) -> None:
    """Scrolling back up a long form shows no floating button over the fields."""
    ScoringForm.open(phone, site_url, "hung-yen-2020", python=False)
    phone.mouse.wheel(0, 6000)
    phone.wait_for_timeout(300)
    phone.mouse.wheel(0, -400)
    expect(phone.locator(".md-top")).to_be_hidden()


@pytest.mark.parametrize("phone", PHONES, indirect=True, ids=lambda size: f"{size[0]}px")
def test_the_summary_fits_a_phone(phone: Page, site_url: str, tmp_path: Path) -> None:
    """The summary page, before and after files are chosen, fits."""
    summary = SummaryPage.open(phone, site_url, "bac-kan-2017")
    assert_fits(phone)
    summary.summarise(appraised_pair(tmp_path))
    assert_fits(phone)
