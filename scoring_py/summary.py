"""Summarise many assessments of one rubric (tổng hợp): totals, bands, ranking, averages."""

from __future__ import annotations

import io
import unicodedata
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .codec import format_decimal
from .document import validate
from .engine import round_to, score_document
from .model import Rounding, Rubric
from .problems import DocumentError
from .rubric import band_order, rubric_hash

AVERAGE = Rounding(step=Decimal("0.01"), mode="half_up")
UNCLASSIFIED = "khong-xep-loai"


def _average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return round_to(sum(values, Decimal(0)) / len(values), AVERAGE)


def _brief(stage: dict[str, Any] | None) -> dict[str, Any] | None:
    if stage is None:
        return None
    band = stage["band"]
    return {
        "total": stage["total"],
        "band": band["name"] if band else None,
        "band_id": band["id"] if band else None,
        "classified": stage["classified"],
        "reasons": stage["reasons"],
    }


def unit_key(name: str) -> str:
    """What makes two unit names the same unit: Unicode form, spacing and case do not count.

    Vietnamese text arrives composed (NFC) from most keyboards and decomposed (NFD) from others,
    so "Hòa" typed on two machines can differ byte for byte while reading the same.
    """
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def aggregate(rubric: Rubric, entries: list[tuple[str, Any]]) -> dict[str, Any]:
    """Summarise (file name, parsed document) pairs; unusable files are listed with the reason."""
    units: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for name, data in entries:
        try:
            if isinstance(data, DocumentError):
                raise data
            doc = validate(rubric, data)
        except DocumentError as exc:
            rejected.append({"file": name, "code": exc.code, "reason": exc.message})
            continue
        result = score_document(rubric, doc)
        stages = result["stages"]
        own, appraisal, final = stages["self"], stages["appraisal"], stages["final"]
        errors = sum(1 for p in result["problems"] if p["severity"] == "error")
        units.append(
            {
                "file": name,
                "name": doc["unit"]["name"],
                "type": doc["unit"]["type"],
                "year": doc["unit"]["year"],
                "self": _brief(own),
                "appraisal": _brief(appraisal),
                "final": _brief(final),
                "difference": None if appraisal is None else appraisal["total"] - own["total"],
                "errors": errors,
                "complete": final["complete"] and errors == 0,
                "proposed_band": doc["proposed_band"],
            }
        )
    units.sort(key=lambda u: (-u["final"]["total"], u["name"], u["file"]))
    previous: Decimal | None = None
    rank = 0
    for position, unit in enumerate(units, start=1):
        if unit["final"]["total"] != previous:
            rank = position
            previous = unit["final"]["total"]
        unit["rank"] = rank
    counted = Counter(u["final"]["band_id"] or UNCLASSIFIED for u in units)
    band_counts = [
        {"id": b.id, "name": b.name, "count": counted.get(b.id, 0)}
        for b in reversed(band_order(rubric))
        if b.stated
    ]
    band_counts.append(
        {"id": UNCLASSIFIED, "name": "Chưa/không xếp loại", "count": counted.get(UNCLASSIFIED, 0)}
    )
    type_names = {t.id: t.name for t in rubric.unit_types}
    groups: list[tuple[str | None, str]] = [(t.id, t.name) for t in rubric.unit_types]
    if any(u["type"] is None for u in units) or not groups:
        groups.append((None, "Chưa ghi loại đơn vị"))
    by_type = []
    for type_id, type_name in groups:
        members = [u for u in units if u["type"] == type_id]
        if members:
            by_type.append(_averages(members) | {"type": type_id, "name": type_name})
    same: dict[tuple[str, int | None], list[dict[str, Any]]] = {}
    for unit in units:
        same.setdefault((unit_key(unit["name"]), unit["year"]), []).append(unit)
    duplicates = [
        {
            "name": group[0]["name"],
            "year": group[0]["year"],
            "count": len(group),
            "files": sorted(u["file"] for u in group),
        }
        for group in same.values()
        if len(group) > 1
    ]
    duplicates.sort(key=lambda d: (unit_key(d["name"]), d["year"] or 0, d["name"]))
    return {
        "format": "thangdiem-summary",
        "rubric": {"id": rubric.id, "version": rubric.version, "hash": rubric_hash(rubric)},
        "units": [u | {"type_name": type_names.get(u["type"] or "")} for u in units],
        "band_counts": band_counts,
        "by_type": by_type,
        "overall": _averages(units),
        "rejected": rejected,
        "duplicates": duplicates,
    }


def _averages(units: list[dict[str, Any]]) -> dict[str, Any]:
    appraised = [u for u in units if u["appraisal"] is not None]
    return {
        "count": len(units),
        "appraised": len(appraised),
        "self": _average([u["self"]["total"] for u in units]),
        "appraisal": _average([u["appraisal"]["total"] for u in appraised]),
        "final": _average([u["final"]["total"] for u in units]),
        "difference": _average([u["difference"] for u in appraised]),
    }


CSV_COLUMNS: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...] = (
    ("Hạng", lambda u: u["rank"]),
    ("Đơn vị", lambda u: u["name"]),
    ("Loại đơn vị", lambda u: u["type_name"] or u["type"] or ""),
    ("Năm", lambda u: u["year"] if u["year"] is not None else ""),
    ("Tự chấm", lambda u: u["self"]["total"]),
    ("Xếp loại tự chấm", lambda u: u["self"]["band"] or ""),
    ("Thẩm định", lambda u: u["appraisal"]["total"] if u["appraisal"] else ""),
    ("Xếp loại thẩm định", lambda u: (u["appraisal"]["band"] or "") if u["appraisal"] else ""),
    ("Chênh lệch", lambda u: u["difference"] if u["difference"] is not None else ""),
    ("Kết quả cuối cùng", lambda u: u["final"]["total"]),
    ("Xếp loại", lambda u: u["final"]["band"] or "; ".join(u["final"]["reasons"])),
    ("Mức đề nghị", lambda u: u["proposed_band"]),
    ("Tệp", lambda u: u["file"]),
)


def to_csv(summary: dict[str, Any]) -> str:
    """Write the per-unit table as CSV (comma decimals are left to the spreadsheet's locale)."""
    # Imported here: only the summary needs it, and the scoring page imports this module in
    # the browser before its first score.
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title for title, _ in CSV_COLUMNS])
    for unit in summary["units"]:
        writer.writerow([_cell(get(unit)) for _, get in CSV_COLUMNS])
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, Decimal):
        return format_decimal(value)
    text = str(value)
    # A cell starting with these is run as a formula by spreadsheets: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
