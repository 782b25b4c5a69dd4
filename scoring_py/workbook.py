"""The summary as an Excel workbook (.xlsx): what `thangdiem aggregate --xlsx` writes and what
the summary page's "Tải bảng Excel" downloads, from this one function.

One sheet per table of the summary: the ranking, the counts per band, the averages by unit
type, every criterion's score per unit (self, appraisal, final) and the files to look at again.
The columns are tables.py's (the one owner of the summary's columns); the cells hold the
values, not the texts written for a reader: numbers are numeric cells shown with two
decimals (the spreadsheet writes them with the reader's decimal comma), an absent figure is an
empty cell, a text is always a text (never read as a formula).

XlsxWriter (pure Python; pinned in pyproject.toml, its wheel shipped in the site) is imported
only when a workbook is asked for: the rest of scoring_py uses the standard library alone, and
the scoring page never loads it. The same summary gives the same bytes wherever this runs, on
the command line and in the browser: the document's properties and dates are fixed, and
XlsxWriter's in-memory mode gives every part of the zip the same time.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal
from typing import Any

from .tables import (
    BAND_COLUMNS,
    REJECTED_COLUMNS,
    REVIEW_COLUMNS,
    TYPE_COLUMNS,
    Column,
    criterion_columns,
    overview,
    quota_columns,
    type_rows,
    unit_columns,
    unit_rows,
)

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
"""The workbook's media type."""
CREATED = datetime(2000, 1, 1)
"""The creation date written in every workbook: a fixed one, so the same summary gives the
same bytes (the summary's files carry their own dates)."""
DECIMALS = "0.00"
"""Points and averages: two decimals shown."""
WHOLE = "0"
"""Ranks, counts and years."""
SIGNED = "+0.00;-0.00;0.00"
"""Differences (appraisal less self), with their sign."""
MAX_WIDTH = 60
"""Widest column, in characters (longer texts wrap)."""
SURROGATE = re.compile("[\ud800-\udfff]")
"""A half of a character, which a JSON file may spell ("\\ud800") but UTF-8 cannot hold."""


def sheets(summary: dict[str, Any]) -> list[tuple[str, tuple[Column, ...], list[dict[str, Any]]]]:
    """The workbook's sheets in order: name, columns and rows (the limit on a band only when
    the rubric sets one)."""
    quota = summary.get("quota")
    limit = [("Hạn mức xếp loại", quota_columns(quota), quota["groups"])] if quota else []
    return [
        ("Xếp hạng", unit_columns(summary), unit_rows(summary)),
        ("Theo xếp loại", BAND_COLUMNS, summary["band_counts"]),
        *limit,
        ("Theo loại đơn vị", TYPE_COLUMNS, type_rows(summary)),
        ("Điểm từng tiêu chí", criterion_columns(summary), unit_rows(summary)),
        ("Tệp cần xem lại", REVIEW_COLUMNS, summary["review"]),
        ("Tệp không tổng hợp được", REJECTED_COLUMNS, summary["rejected"]),
    ]


def properties(summary: dict[str, Any]) -> dict[str, Any]:
    """The document's properties: fixed but for the rubric's name and the overview."""
    rubric = summary["rubric"]
    return {
        "title": "Tổng hợp kết quả đánh giá, xếp loại",
        "subject": f"Thang điểm {rubric['id']}, phiên bản {rubric['version']}",
        "author": "thangdiem",
        "comments": f"{overview(summary)}. Mã thang điểm (SHA-256): {rubric['hash']}.",
        "created": CREATED,
    }


def workbook(summary: dict[str, Any]) -> bytes:
    """Write a summary (summary.Batch.summary's) as an .xlsx workbook; return its bytes."""
    import xlsxwriter  # only here: see the module's docstring

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties(properties(summary))
    book.set_size(1600, 1000)
    style = _Styles(book)
    for name, columns, rows in sheets(summary):
        _sheet(book.add_worksheet(name), style, columns, rows)
    book.close()
    return out.getvalue()


class _Styles:
    """The cell formats of one workbook."""

    def __init__(self, book: Any) -> None:
        self.head = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#E7E6E6"}
        )
        self.group = book.add_format(
            {"bold": True, "text_wrap": True, "align": "center", "valign": "top", "border": 1}
        )
        self.text = book.add_format({"valign": "top", "text_wrap": True})
        self.name = book.add_format({"valign": "top", "text_wrap": True, "bold": True})
        self.numbers = {
            kind: book.add_format({"valign": "top", "num_format": code})
            for kind, code in (("decimal", DECIMALS), ("whole", WHOLE), ("difference", SIGNED))
        }


def _width(column: Column, texts: list[str]) -> float:
    """A column's width in characters: its longest line of text, or a number's room."""
    if column.kind != "text":
        return max(10, min(len(column.title), 16))
    longest = max((len(line) for text in texts for line in text.split("\n")), default=0)
    return min(MAX_WIDTH, max(10, longest + 2))


def _sheet(
    sheet: Any, style: _Styles, columns: tuple[Column, ...], rows: list[dict[str, Any]]
) -> None:
    grouped = any(c.group for c in columns)
    top = 2 if grouped else 1
    for x, column in enumerate(columns):
        if not grouped:
            sheet.write_string(0, x, column.title, style.head)
        elif not column.group:
            sheet.merge_range(0, x, 1, x, column.title, style.head)
        else:
            sheet.write_string(1, x, column.title, style.head)
    if grouped:
        _group_heights(sheet, columns)
        _group_headings(sheet, style, columns)
    for x, column in enumerate(columns):
        texts: list[str] = []
        for y, row in enumerate(rows, start=top):
            value = column.value(row)
            if value is None or value == "":
                continue
            if column.kind == "text":
                text = SURROGATE.sub("\ufffd", str(value))
                texts.append(text)
                sheet.write_string(y, x, text, style.name if column.header else style.text)
            else:
                sheet.write_number(y, x, _number(value), style.numbers[_format(column, value)])
        sheet.set_column(x, x, _width(column, texts))
    header = next((x for x, c in enumerate(columns) if c.header), -1)
    sheet.freeze_panes(top, header + 1)
    sheet.autofilter(top - 1, 0, top - 1 + len(rows), len(columns) - 1)
    sheet.repeat_rows(0, top - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)


def _group_headings(sheet: Any, style: _Styles, columns: tuple[Column, ...]) -> None:
    """Write each group's heading above its columns (merged across them)."""
    start = 0
    for x in range(1, len(columns) + 1):
        group = columns[start].group
        if x < len(columns) and columns[x].group == group:
            continue
        if group and x - 1 > start:
            sheet.merge_range(0, start, 0, x - 1, group, style.group)
        elif group:
            sheet.write_string(0, start, group, style.group)
        start = x


def _group_heights(sheet: Any, columns: tuple[Column, ...]) -> None:
    """Give the groups' row the height of its longest heading: a spreadsheet fits the height
    of a row to wrapped text, but not of merged cells."""
    lines = 1
    for group in {c.group for c in columns if c.group}:
        room = sum(_width(c, []) for c in columns if c.group == group)
        lines = max(lines, -(-len(group) // int(room)))
    sheet.set_row(0, 15 * min(lines, 12))


def _format(column: Column, value: Any) -> str:
    if column.kind == "difference":
        return "difference"
    return "whole" if isinstance(value, int) else "decimal"


def _number(value: Decimal | int) -> float:
    """A cell's number. A spreadsheet cell holds a binary double: the exact Decimal is
    converted here, at the last step, and a figure of at most 15 significant digits (every
    score) reads back as the same decimal text."""
    return float(value)
