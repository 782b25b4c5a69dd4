"""The built guide in a real browser: it loads from this host only, search works unaccented,
and it prints without the site's chrome."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, expect

from generator.search import fold
from testkit.site import ROOT

from .conftest import Recorded

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "hung-yen-2020/",
    "hung-yen-2020/tieu-chi-4/",
    "hau-giang-2022/cach-tinh-diem/",
    "bac-kan-2017/van-ban-nguon/",
    "huong-dan-soan-thang-diem/",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_guide_page_loads_from_this_host_only(
    site_url: str, recorded: Recorded, path: str
) -> None:
    """The page shows its heading and requests nothing from another host, and no Pyodide."""
    page = recorded.page
    page.goto(site_url + path)
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator(".md-search__input")).to_be_enabled()
    page.wait_for_load_state("networkidle")
    assert recorded.site_paths(site_url), "no request recorded"
    for url in recorded.requests:
        assert "pyodide" not in url.lower(), url


def search(recorded: Recorded, site_url: str, query: str) -> None:
    """Type a query into the theme's search box on the home page."""
    page = recorded.page
    page.goto(site_url)
    box = page.locator(".md-search__input")
    box.click()
    box.press_sequentially(query)


@pytest.mark.parametrize(
    ("query", "path", "title"),
    [
        ("tiep cong dan", "hung-yen-2020/tieu-chi-4/", "tiếp công dân"),
        ("hau giang", "hau-giang-2022/", "Hậu Giang"),
        ("cach tinh diem", "[a-z0-9-]+/cach-tinh-diem/", "Cách tính điểm"),
        ("huong dan soan thang diem", "huong-dan-soan-thang-diem/", "Hướng dẫn soạn"),
    ],
)
def test_an_unaccented_query_finds_the_page(
    site_url: str, recorded: Recorded, query: str, path: str, title: str
) -> None:
    """A query typed without accents finds the accented page first; results show accents."""
    search(recorded, site_url, query)
    first = recorded.page.locator(".md-search-result__item").first
    expect(first).to_be_visible()
    link = first.locator("a.md-search-result__link").first
    expect(link).to_have_attribute(
        "href", re.compile("^" + re.escape(site_url) + path + r"(\?[^#]*)?(#.*)?$")
    )
    expect(link.locator("h1")).to_contain_text(title, ignore_case=True)


def test_dan_van_finds_pages_about_dan_van(site_url: str, recorded: Recorded) -> None:
    """'dan van' finds the rubrics' pages, whose titles say 'dân vận'."""
    search(recorded, site_url, "dan van")
    results = recorded.page.locator(".md-search-result__item > a.md-search-result__link")
    expect(results.first).to_be_visible()
    for rubric in ("hung-yen-2020", "hau-giang-2022"):
        overview = results.filter(
            has=recorded.page.locator("h1", has_text=re.compile("dân vận", re.IGNORECASE))
        ).and_(recorded.page.locator(f'a[href^="{site_url}{rubric}/?"]'))
        expect(overview).to_have_count(1)
    expect(recorded.page.locator(".md-search-result__meta")).to_contain_text("tài liệu liên quan")


def result_locations(recorded: Recorded) -> set[str]:
    """The pages (without anchors or query) of the search results shown."""
    links = recorded.page.locator(".md-search-result__item > a.md-search-result__link")
    expect(links.first).to_be_visible()
    return {
        href.split("?")[0].split("#")[0]
        for href in links.evaluate_all("links => links.map(link => link.href)")
    }


def test_a_word_in_brackets_is_found_alone(site_url: str, recorded: Recorded) -> None:
    """'SIPAS' (written "(SIPAS)" in the rubrics) finds the pages that "(SIPAS)" finds."""
    search(recorded, site_url, "SIPAS")
    alone = result_locations(recorded)
    search(recorded, site_url, "(SIPAS)")
    bracketed = result_locations(recorded)
    assert alone == bracketed


def marks(locator: Locator) -> set[str]:
    """The texts of the marks under a locator, folded and lower-cased."""
    texts = locator.locator("mark").evaluate_all("marks => marks.map(mark => mark.textContent)")
    return {fold(text).lower() for text in texts}


def test_an_unaccented_query_marks_the_accented_words(site_url: str, recorded: Recorded) -> None:
    """'tiep cong dan' marks "tiếp", "công" and "dân" in the results and, once a result is
    followed, on the page; only whole words, never the "dan" of "danh"."""
    search(recorded, site_url, "tiep cong dan")
    page = recorded.page
    first = page.locator(".md-search-result__item").first
    expect(first.locator("mark[data-td-fold]").first).to_be_visible()
    expect(first.locator("mark")).to_contain_text(["Tiếp", "công", "dân"], ignore_case=True)
    assert marks(page.locator(".md-search-result__list")) == {"tiep", "cong", "dan"}
    first.locator("a.md-search-result__link").first.click()
    article = page.locator("article.md-content__inner")
    expect(article.locator("mark[data-td-fold]").first).to_be_visible()
    expect(article.locator("mark:not([data-td-fold])")).to_have_count(0)
    expect(article.locator("h1 mark")).to_contain_text(["tiếp", "công", "dân"], ignore_case=True)
    assert marks(article) == {"tiep", "cong", "dan"}


def test_a_page_prints_without_the_sites_chrome(site_url: str, recorded: Recorded) -> None:
    """In print, navigation, header, search and footer are hidden and tables fit the page."""
    page = recorded.page
    page.goto(site_url + "hung-yen-2020/")
    expect(page.locator("article h1")).to_be_visible()
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        expect(page.locator(selector)).to_be_hidden()
    expect(page.locator("article table").first).to_be_visible()
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('article table')]
            .filter(t => t.getBoundingClientRect().right >
                         document.querySelector('article').getBoundingClientRect().right + 1)
            .length"""
    )
    assert overflowing == 0
    pdf = page.pdf(prefer_css_page_size=True)
    sizes = {
        (round(float(w)), round(float(h)))
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    }
    assert sizes == {(595, 842)}, sizes


RUBRICS = sorted(path.stem for path in (ROOT / "rubrics").glob("*.yaml"))


def test_the_home_page_leads_to_each_rubrics_form_and_summary(
    site_url: str, recorded: Recorded
) -> None:
    """Under each rubric's heading on the home page, two buttons open its scoring form and its
    summary page."""
    page = recorded.page
    page.goto(site_url)
    buttons = page.locator("article a.md-button")
    expect(buttons).to_have_count(2 * len(RUBRICS))
    for rubric in RUBRICS:
        form = page.locator(f'a.md-button[href="{rubric}/cham-diem/"]')
        summary = page.locator(f'a.md-button[href="{rubric}/tong-hop/"]')
        expect(form).to_have_text("Phiếu chấm điểm")
        expect(summary).to_have_text("Tổng hợp kết quả")
    page.locator(f'a.md-button[href="{RUBRICS[0]}/cham-diem/"]').click()
    expect(page).to_have_url(f"{site_url}{RUBRICS[0]}/cham-diem/")
    expect(page.locator("article h1").first).to_contain_text("Phiếu chấm điểm")
