"""The Word files of the scoring page ("Tải báo cáo (Word)", "Tải bảng chấm điểm (Word)"), in a
real browser: real WordprocessingML that python-docx (lxml) opens, with the text of the printout
the page would print, A4 with the printouts' margins, Times New Roman, the page number from the
second page and the content code at the foot of every page."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from playwright.sync_api import Page, expect

from scoring_py import codec, document

from .conftest import Recorded
from .pages import ScoringForm
from .pdf import squeeze
from .test_print import HOSTILE, PAPER, RUBRICS, fill_form, filled_document

pytestmark = pytest.mark.browser

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def body_texts(word: WordDocument) -> list[str]:
    """The body's paragraphs in reading order, those of tables cell by cell."""
    texts: list[str] = []
    for element in word.element.body.iterchildren():
        if element.tag == f"{W}p":
            texts.append(Paragraph(element, word).text)
        elif element.tag == f"{W}tbl":
            for row in Table(element, word).rows:
                for cell in row.cells:
                    texts.extend(p.text for p in cell.paragraphs)
    return texts


def download_word(page: Page, button: str, tmp_path: Path) -> tuple[str, Path]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    expect(page.locator("[data-word-status]")).to_have_text(
        f"Đã tạo tệp {download.suggested_filename}."
    )
    return download.suggested_filename, path


def printout_text(page: Page, kind: str) -> str:
    """The printout as the browser lays it out for print (what is hidden left out)."""
    page.emulate_media(media="print")
    page.evaluate(f"() => document.documentElement.dataset.print = {kind!r}")
    text: str = page.locator(f'[data-printout="{kind}"]').inner_text()
    page.evaluate("() => delete document.documentElement.dataset.print")
    page.emulate_media(media="screen")
    return text


@pytest.mark.parametrize(
    ("kind", "button", "prefix"),
    [
        ("report", "Tải báo cáo (Word)", "bao-cao-"),
        ("table", "Tải bảng chấm điểm (Word)", "bang-cham-diem-"),
    ],
)
def test_the_word_file_says_what_the_printout_says(
    site_url: str, recorded: Recorded, tmp_path: Path, kind: str, button: str, prefix: str
) -> None:
    """The downloaded .docx opens (python-docx, lxml), holds the printout's text in the same
    order (the header, the title, every row and cell, the signature), hostile text as text,
    and is laid out as the paper: A4, margins 20/15/20/30 mm, Times New Roman, the page number
    at the top from page 2 (not on the first), the content code at the foot of each page."""
    rubric = RUBRICS["hung-yen-2020"]
    form = ScoringForm.open(recorded.page, site_url, rubric.id)
    page = form.page
    doc = filled_document(rubric)
    doc["unit"]["name"] = "UBND xã Nghĩa Trụ " + HOSTILE
    doc["paper"] = dict(PAPER)
    fill_form(page, rubric, doc)
    name, path = download_word(page, button, tmp_path)
    assert name.startswith(prefix) and name.endswith(".docx")
    exported = codec.loads(form.export()[1])
    code = document.content_code(document.validate(rubric, exported))

    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert "word/document.xml" in archive.namelist()
        types = archive.read("[Content_Types].xml").decode()
        assert "wordprocessingml.document.main+xml" in types
    word = docx.Document(str(path))
    assert squeeze("".join(body_texts(word))) == squeeze(printout_text(page, kind))
    assert HOSTILE in "".join(body_texts(word))
    assert page.evaluate("() => window.pwned") is None

    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.right_margin, section.bottom_margin)
    assert [round(m.mm) for m in (*margins, section.left_margin)] == [20, 15, 20, 30]
    assert section.different_first_page_header_footer
    header = section.header._element.xml
    assert "PAGE" in header  # the page number field
    assert not any(p.text for p in section.first_page_header.paragraphs)
    assert "PAGE" not in section.first_page_header._element.xml
    for footer in (section.footer, section.first_page_footer):
        assert [p.text for p in footer.paragraphs] == [f"Mã nội dung: {code}"]
    assert 'w:ascii="Times New Roman"' in word.styles.element.xml  # the default font
    assert word.core_properties.author == doc["unit"]["name"]
    if kind == "table":
        # The scoring table: its header row repeats on each page.
        tables = [t for t in word.tables if len(t.columns) == 6]
        assert len(tables) == 1
        assert tables[0].rows[0]._tr.xml.count("tblHeader") == 1
        assert (
            len(tables[0].rows)
            == page.locator('[data-printout="table"] .td-doc-table tr:not([hidden])').count()
        )
