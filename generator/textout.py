"""Plain-text renderings of results for the terminal."""

from __future__ import annotations

from decimal import Decimal

from scoring_py.model import Rubric
from scoring_py.points import fmt
from scoring_py.rubric import criterion_max, field_max, item_for
from scoring_py.shapes import Result

ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)
TEXT_WIDTH = 46


def roman(number: int) -> str:
    """Return the Roman numeral the official tables use for criterion numbers."""
    out = ""
    for value, letters in ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def criterion_number(rubric: Rubric, number: int) -> str:
    """A criterion's number as shown: Roman as the dân vận tables print it, or, when fields
    (lĩnh vực) group the criteria and take the Roman numerals, Arabic as CCHC indexes print
    it (lĩnh vực I, tiêu chí 1, tiêu chí thành phần 1.1), so that field II is never confused
    with criterion II. Numbered in three levels (numbering: "fields"), a criterion's number is
    its id, "2.3" (criterion 3 of field 2)."""
    if rubric.numbering == "fields":
        return rubric.criteria[number - 1].id
    return str(number) if rubric.fields else roman(number)


def item_number(rubric: Rubric, crit_number: int, item_number: int) -> str:
    """An item's number as shown: its place in the criterion, or, numbered in three levels,
    its id ("2.3.1")."""
    if rubric.numbering == "fields":
        return rubric.criteria[crit_number - 1].items[item_number - 1].id
    return str(item_number)


def _cell(value: Decimal | None) -> str:
    return "—" if value is None else fmt(value)


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def result_table(rubric: Rubric, result: Result) -> str:
    """Render a score result as the official table's columns, for a terminal."""
    stages = result["stages"]
    own, appraisal, final = stages["self"], stages["appraisal"], stages["final"]
    unit = result["unit"]
    kind = unit.get("type")  # the maxima are those of the unit's type (ItemVariant)
    label_width = 8 if rubric.numbering == "fields" else 6  # "2.3.1" and a space
    lines = [
        rubric.title,
        f"Đơn vị: {unit.get('name') or '(chưa ghi tên)'}"
        + (f" — năm {unit['year']}" if unit.get("year") else ""),
        "",
        f"{'STT':<{label_width}}{'Nội dung tiêu chí':<{TEXT_WIDTH}}  {'Thang điểm':>10}"
        f"  {'Tự chấm':>8}  {'Thẩm định':>9}  {'Kết quả':>8}",
    ]

    def row(
        label: str, text: str, mx: Decimal, values: list[Decimal | None], mark: str = ""
    ) -> str:
        cells = [f"{_cell(v):>{w}}" for v, w in zip(values, (8, 9, 8), strict=True)]
        return (
            f"{label:<{label_width}}{_short(text):<{TEXT_WIDTH}}  {fmt(mx) + mark:>10}  "
            + "  ".join(cells)
        )

    # Imported here: generator.pages imports this module (for `roman`).
    from .pages.words import capped_words

    footnotes = []
    starts = {fld.criteria[0]: fi for fi, fld in enumerate(rubric.fields) if fld.criteria}
    for ci, crit in enumerate(rubric.criteria):
        if crit.id in starts:  # the field's row: its maximum and subtotal
            fi = starts[crit.id]
            fld = rubric.fields[fi]
            lines.append(
                row(
                    fld.id,
                    fld.title.upper(),
                    field_max(rubric, fld, kind),
                    [s["fields"][fi]["score"] if s else None for s in (own, appraisal, final)],
                )
            )
        parts = [s["criteria"][ci] if s else None for s in (own, appraisal, final)]
        cap = capped_words(crit)
        if cap is not None:
            footnotes.append(f"(*) Tiêu chí {criterion_number(rubric, ci + 1)} {cap}")
        lines.append(
            row(
                criterion_number(rubric, ci + 1),
                crit.title,
                criterion_max(crit, kind),
                [p["score"] if p else None for p in parts],
                "*" if cap is not None else "",
            )
        )
        for ii, item in enumerate(crit.items):
            cells = [p["items"][ii] if p else None for p in parts]
            lines.append(
                row(
                    f" {item_number(rubric, ci + 1, ii + 1)}",
                    item.text,
                    item_for(item, kind).max,
                    [c["points"] if c else None for c in cells],
                )
            )
    rescaled = [s if s and s["rescaled"] else None for s in (own, appraisal, final)]
    if any(rescaled):
        lines.append(
            row(
                "",
                "Cộng phần chính (các mục áp dụng)",
                final["applicable_max"],
                [s["raw_total"] if s else None for s in rescaled],
            )
        )
        lines.append(
            row(
                "",
                f"Quy đổi về thang {fmt(rubric.total)} điểm",
                rubric.total,
                [s["base"] if s else None for s in rescaled],
            )
        )
    lines.append(
        row(
            "",
            "Tổng điểm",
            final["max"],
            [s["total"] if s else None for s in (own, appraisal, final)],
        )
    )
    if rubric.index is not None:
        lines.append(
            row(
                "",
                "Chỉ số (%)",
                Decimal(100),
                [s["index"] if s else None for s in (own, appraisal, final)],
            )
        )
    for ci, part in enumerate(final["criteria"]):
        if part["rescaled"]:
            footnotes.append(
                f"Tiêu chí {criterion_number(rubric, ci + 1)}: {fmt(part['raw_score'])} điểm trên"
                f" {fmt(part['applicable_max'])} điểm của các mục áp dụng, quy đổi thành"
                f" {fmt(part['score'])} / {fmt(part['max'])} điểm."
            )
    for fld_part in final["fields"]:
        if fld_part["rescaled"]:
            footnotes.append(
                f"Lĩnh vực {fld_part['id']}: {fmt(fld_part['raw_score'])} điểm trên"
                f" {fmt(fld_part['applicable_max'])} điểm của các mục áp dụng, quy đổi thành"
                f" {fmt(fld_part['score'])} / {fmt(fld_part['max'])} điểm."
            )
    lines.extend(footnotes)
    arisen = [
        i["id"] for c in final["criteria"] for i in c["items"] if i["status"] == "not_applicable"
    ]
    if arisen:  # their rows show "—": say why
        lines.append(f"Không phát sinh (không tính vào điểm tối đa): mục {', '.join(arisen)}.")
    lines.append("")
    band = result["band"]
    if band:
        lines.append(f"Xếp loại: {band}")
    elif result["reasons"]:  # only a "không đủ điều kiện xếp loại" condition leaves reasons
        lines.append("Xếp loại: không đủ điều kiện xếp loại")
    else:
        lines.append("Xếp loại: chưa xếp loại")
    lines.extend(f"  – {reason['text']}" for reason in result["reasons"])
    if result["note"]:
        lines.append(f"  – {result['note']['text']}")
    if result.get("proposed_band"):
        lines.append(f"Mức xếp loại đề nghị: {result['proposed_band']}")
    lines.append(f"Mã nội dung của tệp (in trên bản in để đối chiếu): {result['code']}")
    problems = result["problems"]
    if problems:
        lines.append("")
        lines.append(f"Vấn đề ({len(problems)}):")
        lines.extend(f"  – {p['message']}" for p in problems)
    return "\n".join(lines) + "\n"
