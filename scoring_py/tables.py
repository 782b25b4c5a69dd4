"""The tables of a summary, as a reader sees them: the page, its printout and the CSV show these.

Each table is {"columns": [{"key", "title", "kind", "main", "header"}], "rows": [[text, …]]}:
cells are already written for a Vietnamese reader (comma decimals, a sign on differences, "—"
where there is no figure), so the page only lays them out and never formats a number. The CSV
is written from the same columns, with the values a spreadsheet reads as numbers.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .codec import format_decimal
from .points import fmt
from .shapes import RESULT_STAGES, REVIEW_STATES, STAGE_LABELS
from .summary import STATUS_TEXT


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table."""

    key: str
    """A stable name for scripts and tests."""
    title: str
    """The column's heading."""
    kind: str
    """"number", "difference" (a signed number) or "text"."""
    value: Callable[[dict[str, Any]], Any]
    """The cell's value for a row: a Decimal or int for numbers, text otherwise, None if none."""
    main: bool = False
    """One of the columns a reader needs first (kept on screen without scrolling)."""
    header: bool = False
    """The cell that names its row (a row header)."""
    group: str = ""
    """The heading above this column and its neighbours of the same group ("" for none)."""


def _band_cell(stage: dict[str, Any] | None, unit: dict[str, Any]) -> str:
    """A stage's band; the override that decided it otherwise; what the unit waits for."""
    if stage is None or unit["state"] == "review":
        return ""
    if stage["band"]:
        return str(stage["band"])
    if stage["reasons"]:
        return "; ".join(r["text"] for r in stage["reasons"])
    note = stage["note"]
    if note is not None and note["code"] == "appraising":
        return str(note["text"])
    # The rubric's own note (no bands, a threshold not stated) is said once above the table.
    return "Chưa xếp loại"


def _status_cell(unit: dict[str, Any]) -> str:
    progress = unit["progress"]
    if unit["state"] == "appraising" and progress:
        return f"Đang thẩm định ({progress['done']}/{progress['of']} mục)"
    return STATUS_TEXT[unit["state"]]


def _notes_cell(unit: dict[str, Any]) -> str:
    out = list(unit["warnings"])
    if unit["review"]:
        out.extend(unit["review"])
    elif not unit["complete"]:
        out.append("Chưa chấm đủ các mục")
    appraisal = unit["appraisal"]
    if unit["state"] == "appraised" and appraisal["band_id"] != unit["self"]["band_id"]:
        out.append("Xếp loại thẩm định khác tự chấm")
    final = unit["final"]
    if final is not None and any(r["override"] == "quota" for r in final["reasons"]):
        out.append(next(r["text"] for r in final["reasons"] if r["override"] == "quota"))
    if unit["superseded"]:
        count = len(unit["superseded"])
        out.append(f"Thay cho {count} tệp khác của đơn vị ({unit['chosen_because']})")
    return "; ".join(out)


def _total(stage: dict[str, Any] | None, unit: dict[str, Any]) -> Decimal | None:
    """A stage's total as the table shows it: none for a unit under review (a bad entry would
    count as 0), nor for an appraisal under way or the final result it has not reached."""
    if stage is None or unit["state"] == "review":
        return None
    if unit["state"] == "appraising" and stage is not unit["self"]:
        return None
    total: Decimal = stage["total"]
    return total


UNIT_COLUMNS: tuple[Column, ...] = (
    Column("rank", "Hạng", "number", lambda u: u["rank"], main=True),
    Column(
        "name", "Đơn vị", "text", lambda u: u["name"] or "(không ghi tên)", main=True, header=True
    ),
    Column("final", "Kết quả cuối cùng", "number", lambda u: _total(u["final"], u), main=True),
    Column("band", "Xếp loại", "text", lambda u: _band_cell(u["final"], u), main=True),
    Column("status", "Trạng thái", "text", _status_cell, main=True),
    Column(
        "review_state",
        "Trạng thái hồ sơ",
        "text",
        lambda u: REVIEW_STATES.get(u["review_state"], u["review_state"]),
    ),
    Column(
        "disputed",
        "Mục thẩm định chấm khác",
        "text",
        lambda u: ", ".join(u["disputed"]),
    ),
    Column("self", "Tự chấm", "number", lambda u: _total(u["self"], u)),
    Column("self_band", "Xếp loại tự chấm", "text", lambda u: _band_cell(u["self"], u)),
    Column("appraisal", "Thẩm định", "number", lambda u: _total(u["appraisal"], u)),
    Column("appraisal_band", "Xếp loại thẩm định", "text", lambda u: _band_cell(u["appraisal"], u)),
    Column(
        "difference",
        "Chênh lệch",
        "difference",
        lambda u: None if u["state"] == "review" else u["difference"],
    ),
    Column("type", "Loại đơn vị", "text", lambda u: u["type_name"] or u["type"] or ""),
    Column("year", "Năm", "number", lambda u: u["year"]),
    Column("proposed", "Mức đề nghị", "text", lambda u: u["proposed_band"]),
    Column(
        "missing_evidence",
        "Mục thiếu tài liệu kiểm chứng",
        "number",
        lambda u: u["missing_evidence"],
    ),
    Column("file", "Tệp", "text", lambda u: u["file"]),
    Column("code", "Mã nội dung", "text", lambda u: u["code"]),
    Column("notes", "Ghi chú", "text", _notes_cell),
)
"""The units' table, in reading order: the ranked units, then those under appraisal, then those
to review (the CSV's columns); with an index (Rubric.index), unit_columns adds its column."""


def _index(stage: dict[str, Any] | None, unit: dict[str, Any]) -> Decimal | None:
    """A stage's index in percent, where its total is shown (see _total)."""
    if _total(stage, unit) is None or stage is None:
        return None
    index: Decimal | None = stage["index"]
    return index


INDEX_COLUMN = Column("index", "Chỉ số (%)", "number", lambda u: _index(u["final"], u), main=True)


def unit_columns(summary: dict[str, Any]) -> tuple[Column, ...]:
    """The units' table's columns: with the rubric's index, its column after the final total."""
    if not summary.get("index"):
        return UNIT_COLUMNS
    at = [c.key for c in UNIT_COLUMNS].index("final") + 1
    return (*UNIT_COLUMNS[:at], INDEX_COLUMN, *UNIT_COLUMNS[at:])


BAND_COLUMNS: tuple[Column, ...] = (
    Column("band", "Xếp loại (kết quả cuối cùng)", "text", lambda b: b["name"], header=True),
    Column("count", "Số đơn vị", "number", lambda b: b["count"]),
)

TYPE_COLUMNS: tuple[Column, ...] = (
    Column("type", "Loại đơn vị", "text", lambda g: g["name"], header=True),
    Column("count", "Số đơn vị", "number", lambda g: g["count"]),
    Column("appraised", "Đã thẩm định", "number", lambda g: g["appraised"]),
    Column("appraising", "Đang thẩm định", "number", lambda g: g["appraising"]),
    Column("self", "Tự chấm", "number", lambda g: g["self"]),
    Column("appraisal", "Thẩm định", "number", lambda g: g["appraisal"]),
    Column("final", "Kết quả cuối cùng", "number", lambda g: g["final"]),
    Column("difference", "Chênh lệch", "difference", lambda g: g["difference"]),
)
"""Averages by unit type (each stage over the units that have its result)."""

REVIEW_COLUMNS: tuple[Column, ...] = (
    Column("name", "Đơn vị", "text", lambda u: u["name"] or "(không ghi tên)", header=True),
    Column("file", "Tệp", "text", lambda u: u["file"]),
    Column("problems", "Vấn đề", "text", lambda u: "\n".join(u["review"])),
)

REJECTED_COLUMNS: tuple[Column, ...] = (
    Column("file", "Tệp", "text", lambda r: r["file"], header=True),
    Column("reason", "Lý do", "text", lambda r: r["reason"]),
)


def _criterion_score(
    stage: str, criterion: str, part: str = "criteria"
) -> Callable[[dict[str, Any]], Any]:
    """A unit's score on one criterion (or, with part "fields", one field's subtotal) in one
    stage, shown where the stage's total is."""

    def value(unit: dict[str, Any]) -> Decimal | None:
        brief = unit[stage]
        if _total(brief, unit) is None:
            return None
        score: Decimal = brief[part][criterion]
        return score

    return value


def criterion_columns(summary: dict[str, Any]) -> tuple[Column, ...]:
    """The per-criterion table: each unit's score on every criterion, per stage (self,
    appraisal, final), after the columns that name the unit; a field (lĩnh vực) has its
    subtotal's columns before its first criterion. A figure is left out where the units' table
    leaves out the stage's total."""
    named = tuple(c for c in UNIT_COLUMNS if c.key in ("rank", "name", "status"))
    starts = {f["criteria"][0]: f for f in summary.get("fields", []) if f["criteria"]}
    scores: list[Column] = []
    for criterion in summary["criteria"]:
        fld = starts.get(criterion["id"])
        if fld is not None:
            scores.extend(
                Column(
                    f"field-{fld['id']}:{stage}",
                    STAGE_LABELS[stage],
                    "number",
                    _criterion_score(stage, fld["id"], "fields"),
                    group=f"Lĩnh vực {fld['id']}. {fld['title']} (tối đa {fmt(fld['max'])} điểm)",
                )
                for stage in RESULT_STAGES
            )
        scores.extend(
            Column(
                f"{criterion['id']}:{stage}",
                STAGE_LABELS[stage],
                "number",
                _criterion_score(stage, criterion["id"]),
                group=f"Tiêu chí {criterion['id']}. {criterion['title']}"
                f" (tối đa {fmt(criterion['max'])} điểm)",
            )
            for stage in RESULT_STAGES
        )
    return named + tuple(scores)


def type_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The averages' rows: each unit type, then all of them when there are several."""
    groups = list(summary["by_type"])
    if len(groups) != 1:
        groups.append(summary["overall"] | {"name": "Tất cả"})
    return groups


def shown(value: Any, kind: str) -> str:
    """A cell as a reader sees it: comma decimals, a sign on differences, "—" for no figure."""
    if value is None:
        return "" if kind == "text" else "—"
    if kind == "difference":
        if value == 0:
            return "0"
        return ("+" if value > 0 else "−") + fmt(Decimal(abs(value)))
    if isinstance(value, Decimal):
        return fmt(value)
    return str(value)


def _table(columns: tuple[Column, ...], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "columns": [
            {"key": c.key, "title": c.title, "kind": c.kind, "main": c.main, "header": c.header}
            for c in columns
        ],
        "rows": [[shown(c.value(row), c.kind) for c in columns] for row in rows],
    }


def unit_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Every unit, in the units' table's order."""
    return [*summary["units"], *summary["review"]]


def quota_columns(quota: dict[str, Any] | None) -> tuple[Column, ...]:
    """The columns of the limit on a band, per group, named with the rubric's bands."""
    if quota is None:
        return ()
    band, of, to = quota["band"], quota["of"], quota["to"]
    return (
        Column("group", "Nhóm đơn vị", "text", lambda g: g["name"], header=True),
        Column("counted", f"Số đơn vị từ mức “{of}” trở lên", "number", lambda g: g["counted"]),
        Column("limit", f"Tối đa mức “{band}”", "number", lambda g: g["limit"]),
        Column("rated", f"Được mức “{band}” theo điểm", "number", lambda g: g["rated"]),
        Column(
            "moved",
            f"Chuyển xuống mức “{to}”",
            "text",
            lambda g: "; ".join(m["name"] or m["file"] for m in g["moved"]),
        ),
    )


def tables(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every table of a summary, by name: units, bands, types, review, rejected, and the limit
    on a band (quota: no columns nor rows when the rubric sets none)."""
    quota = summary.get("quota")
    return {
        "units": _table(unit_columns(summary), unit_rows(summary)),
        "bands": _table(BAND_COLUMNS, summary["band_counts"]),
        "types": _table(TYPE_COLUMNS, type_rows(summary)),
        "review": _table(REVIEW_COLUMNS, summary["review"]),
        "rejected": _table(REJECTED_COLUMNS, summary["rejected"]),
        "quota": _table(quota_columns(quota), quota["groups"] if quota else []),
    }


def overview(summary: dict[str, Any]) -> str:
    """The one-line overview: units, files, and what needs a look."""
    units = len(summary["units"]) + len(summary["review"])
    parts = [f"Đã tổng hợp {units} đơn vị từ {summary['files']} tệp"]
    appraising = sum(1 for u in summary["units"] if u["state"] == "appraising")
    if appraising:
        parts.append(f"{appraising} đơn vị đang thẩm định")
    if summary["review"]:
        parts.append(f"{len(summary['review'])} đơn vị cần xem lại")
    if summary["duplicates"]:
        parts.append(f"{len(summary['duplicates'])} đơn vị có nhiều tệp")
    if summary["rejected"]:
        parts.append(f"{len(summary['rejected'])} tệp không tổng hợp được")
    return "; ".join(parts)


CSV_BOM = "\ufeff"
"""Excel on Windows reads a CSV without this mark in the machine's legacy code page."""


def to_csv(summary: dict[str, Any]) -> str:
    """Write the units' table as CSV for a Vietnamese spreadsheet.

    Fields are separated by ";" and numbers written with a decimal comma, as Excel reads them
    under Vietnamese regional settings; the text starts with a UTF-8 byte order mark.
    """
    # Imported here: only the summary needs it, and the scoring page imports this module in
    # the browser before its first score.
    import csv

    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    columns = unit_columns(summary)
    writer.writerow([c.title for c in columns])
    for unit in unit_rows(summary):
        writer.writerow([_csv_cell(c.value(unit)) for c in columns])
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_decimal(value).replace(".", ",")
    text = str(value)
    # A cell starting with these is run as a formula by spreadsheets: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CHART_UNITS = 30
"""Appraised units drawn in the chart of own against appraised totals (the most over-scored
first); the chart says how many there are in all."""


def charts(summary: dict[str, Any]) -> dict[str, Any]:
    """What the summary page's charts draw, from the summary's own figures: per bar a label, a
    value (exact decimal text, for the bar's length only) and the text a reader sees."""

    def num(value: Any) -> str:
        return fmt(Decimal(value))

    def bar(label: str, value: Any, text: str | None = None) -> dict[str, str]:
        return {"label": label, "value": format_decimal(Decimal(value)), "text": text or ""}

    bins = summary["distribution"]
    last = len(bins) - 1
    differences = summary["differences"]
    return {
        "bands": [
            bar(b["name"], b["count"], f"{b['count']} đơn vị") for b in summary["band_counts"]
        ],
        "distribution": [
            bar(
                f"{num(b['low'])}–{num(b['high'])}",
                b["count"],
                f"từ {num(b['low'])} đến {'' if n == last else 'dưới '}{num(b['high'])} điểm:"
                f" {b['count']} đơn vị",
            )
            for n, b in enumerate(bins)
        ],
        "criteria": [
            bar(
                f"{c['id']}. {c['title']}",
                c["percent"],
                f"trung bình {num(c['average'])}/{num(c['max'])} điểm ({num(c['percent'])} %)",
            )
            for c in summary["criterion_averages"]
            if c["percent"] is not None and c["average"] is not None
        ],
        "differences": [
            {
                "label": d["name"],
                "self": format_decimal(Decimal(d["self"])),
                "appraisal": format_decimal(Decimal(d["appraisal"])),
                "text": f"tự chấm {num(d['self'])}, thẩm định {num(d['appraisal'])}"
                f" ({shown(d['difference'], 'difference')})",
            }
            for d in differences[:CHART_UNITS]
        ],
        "appraised": len(differences),
    }
