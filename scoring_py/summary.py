"""Summarise many assessments of one rubric (tổng hợp): one row per unit, bands, ranking, averages.

Files arrive one by one (`Batch.add`), so that neither the command line nor the browser ever
holds every file's text at once. A unit is its name (see `unit_key`) and year: of several files
of one unit, the one that counts is the most advanced (a finished appraisal, then one under way,
then a self-assessment; then the latest `updated`), unless the caller prefers another; the
others are listed as superseded. A unit whose counting file has invalid entries, no name, or a
name mixing scripts is listed for review and not ranked; a unit under appraisal is listed
without a rank and kept out of the appraisal, final and difference averages until the
appraisal is finished.

`tables.py` turns a summary into the tables that the page, its printout, and the CSV show.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .document import validate
from .engine import score_document
from .model import Rounding, Rubric
from .points import fmt, round_to
from .problems import DocumentError
from .rubric import band_order, criterion_max, field_max, rubric_hash
from .shapes import SUMMARY_FORMAT, StageResult
from .summary_shapes import StageBrief

AVERAGE = Rounding(step=Decimal("0.01"), mode="half_up")
PERCENT = Rounding(step=Decimal("0.1"), mode="half_up")
"""A share of a maximum, in percent, for the summary's charts."""
BINS = 10
"""Bins of the distribution of final totals."""
"""Averages are rounded once, to hundredths, half up."""
UNCLASSIFIED = "khong-xep-loai"
"""Band id under which units without a band are counted."""
APPRAISING = "dang-tham-dinh"
"""Count id of units whose appraisal is under way."""
REVIEW = "can-xem-lai"
"""Count id of units listed for review."""
MAX_BATCH_BYTES = 1024 * 1024 * 1024
"""Most bytes of file text summarised at once; later files are refused with a message."""
SCRIPT_NAMES = {
    "LATIN": "chữ Latinh",
    "CYRILLIC": "chữ Kirin",
    "GREEK": "chữ Hy Lạp",
    "ARMENIAN": "chữ Armenia",
    "HEBREW": "chữ Do Thái",
    "ARABIC": "chữ Ả Rập",
    "CJK": "chữ Hán",
}
"""The writing systems a look-alike name most often mixes, in words."""
ADVANCEMENT = {"appraised": 2, "appraising": 1, "self": 0}
"""Which file of a unit counts: the more advanced stage first."""
STATUS_TEXT = {
    "self": "Tự chấm",
    "appraising": "Đang thẩm định",
    "appraised": "Đã thẩm định",
    "review": "Cần xem lại",
}
"""The status of a unit's counting file, in words."""


def _average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return round_to(Fraction(sum(values, Decimal(0))) / len(values), AVERAGE)


def _brief(stage: StageResult | None) -> StageBrief | None:
    if stage is None:
        return None
    band = stage["band"]
    return {
        "total": stage["total"],
        "index": stage["index"],
        "band": band["name"] if band else None,
        "band_id": band["id"] if band else None,
        "classified": stage["classified"],
        "reasons": stage["reasons"],
        "note": stage["note"],
        "criteria": {c["id"]: c["score"] for c in stage["criteria"]},
        "fields": {f["id"]: f["score"] for f in stage["fields"]},
    }


# Characters that show nothing but make two names differ: format characters (zero-width
# space and joiners, the byte order mark, the soft hyphen, bidi controls) are in category Cf.
def _visible(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def unit_key(name: str) -> str:
    """What makes two unit names the same unit: Unicode form, spacing and case do not count.

    Vietnamese text arrives composed (NFC) from most keyboards and decomposed (NFD) from others,
    so "Hòa" typed on two machines can differ byte for byte while reading the same. Invisible
    format characters are dropped and compatibility forms folded (full-width "ＵＢＮＤ" is
    "UBND"), so a name cannot be made to look the same and count twice.
    """
    folded = unicodedata.normalize("NFKC", _visible(name))
    return " ".join(folded.split()).casefold()


def scripts(name: str) -> set[str]:
    """The writing systems of a name's letters ("LATIN", "CYRILLIC", "GREEK"…)."""
    found = set()
    for ch in unicodedata.normalize("NFC", name):
        if ch.isalpha():
            found.add(unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0])
    return found


def _moment(value: Any) -> datetime | None:
    """A document's `updated` time, comparable across time zones (None when unreadable)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


@dataclass(slots=True)
class _File:
    """One usable file: its unit, its scores, and what a reviewer must know."""

    entry: dict[str, Any]
    key: tuple[str, int | None]
    status: str
    updated: datetime | None
    order: int


class Batch:
    """Files of one rubric, added one by one, summarised as often as asked."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.files: list[_File] = []
        self.rejected: list[tuple[int, dict[str, Any]]] = []
        self.bytes = 0
        self.next = 0
        """The place of the next file among all the files (see `at`)."""

    def at(self, order: int) -> None:
        """Say where the next file stands among all the files, when this batch holds a part of
        them (the browser's second worker summarises the second half): ties between a unit's
        files and the refused files' list follow that order once the parts are merged."""
        self.next = order

    def _place(self) -> int:
        order = self.next
        self.next += 1
        return order

    def refuse(self, name: str, error: DocumentError) -> None:
        """List a file that cannot be used, with the reason, in the order it came."""
        entry = {"file": name, "code": error.code, "reason": error.message}
        self.rejected.append((self._place(), entry))

    def reserve(self, name: str, size: int) -> bool:
        """Count a file's size against MAX_BATCH_BYTES; refuse it (False) past the limit."""
        if self.bytes + size > MAX_BATCH_BYTES:
            limit = MAX_BATCH_BYTES // (1024 * 1024)
            self.refuse(
                name,
                DocumentError(
                    f"Vượt quá tổng dung lượng một lần tổng hợp ({limit} MB): hãy tổng hợp các"
                    " tệp còn lại trong một lần khác.",
                    "batch_too_large",
                ),
            )
            return False
        self.bytes += size
        return True

    def add(self, name: str, data: Any) -> None:
        """Score one parsed document (or list it as refused, when it is a DocumentError)."""
        if isinstance(data, DocumentError):
            self.refuse(name, data)
            return
        try:
            doc = validate(self.rubric, data)
            result = score_document(self.rubric, doc)
        except DocumentError as exc:
            self.refuse(name, exc)
            return
        except Exception as exc:  # one hostile file must never stop a province's summary
            message = f"Không tổng hợp được tệp này: lỗi không lường trước ({type(exc).__name__})."
            self.refuse(name, DocumentError(message, "internal"))
            return
        stages = result["stages"]
        own, appraisal, final = stages["self"], stages["appraisal"], stages["final"]
        errors = [p["message"] for p in result["problems"] if p["severity"] == "error"]
        warnings = [p["message"] for p in result["problems"] if p["code"] == "rubric_changed"]
        unit = doc["unit"]
        name_key = unit_key(unit["name"])
        review = list(errors)
        if not name_key:
            review.insert(0, "Tệp không ghi tên cơ quan, đơn vị.")
        mixed = scripts(unit["name"])
        if len(mixed) > 1:
            named = ", ".join(sorted(SCRIPT_NAMES.get(s, s) for s in mixed))
            review.insert(
                0,
                f"Tên đơn vị trộn chữ của nhiều hệ chữ viết ({named}): có thể là tên giả trông"
                " giống tên thật.",
            )
        finished = result["status"] != "appraising"
        # Items scored without the evidence the rubric requires or expects (engine's problems).
        lacking = {
            p["item"]
            for p in result["problems"]
            if p["code"] in ("evidence_required", "missing_evidence")
        }
        entry = {
            "file": name,
            "code": result["code"],
            "name": unit["name"],
            "type": unit["type"],
            "year": unit["year"],
            "updated": doc["updated"],
            "status": result["status"],
            "progress": result["appraisal_progress"],
            "self": _brief(own),
            "appraisal": _brief(appraisal),
            "final": _brief(final),
            "difference": (
                appraisal["total"] - own["total"] if appraisal is not None and finished else None
            ),
            "errors": len(errors),
            "review": review,
            "warnings": warnings,
            "complete": final["complete"] and not errors,
            "proposed_band": doc["proposed_band"],
            "missing_evidence": len(lacking),
            "review_state": result["review_state"],
            "disputed": result["disputed"],
        }
        key = (name_key or f"\0{name}", unit["year"])
        self.files.append(
            _File(entry, key, result["status"], _moment(doc["updated"]), self._place())
        )

    def part(self) -> tuple[list[_File], list[tuple[int, dict[str, Any]]], int]:
        """What this batch holds, for another batch of the same rubric to `merge`."""
        return self.files, self.rejected, self.bytes

    def merge(self, part: tuple[list[_File], list[tuple[int, dict[str, Any]]], int]) -> None:
        """Take in another batch's files (its `part`), in their places among all the files."""
        files, rejected, size = part
        self.files = sorted([*self.files, *files], key=lambda f: f.order)
        self.rejected = sorted([*self.rejected, *rejected], key=lambda r: r[0])
        self.bytes += size

    def summary(self, prefer: Iterable[str] = ()) -> dict[str, Any]:
        """The summary of every file added so far; `prefer` names files chosen by hand."""
        rejected = [entry for _, entry in sorted(self.rejected, key=lambda r: r[0])]
        return _summarise(self.rubric, self.files, rejected, set(prefer))


def aggregate(
    rubric: Rubric, entries: list[tuple[str, Any]], prefer: Iterable[str] = ()
) -> dict[str, Any]:
    """Summarise (file name, parsed document) pairs; unusable files are listed with the reason."""
    batch = Batch(rubric)
    for name, data in entries:
        batch.add(name, data)
    return batch.summary(prefer)


def _choose(files: list[_File], prefer: set[str]) -> tuple[_File, str]:
    """The file that counts for one unit, and why."""
    chosen = [f for f in files if f.entry["file"] in prefer]
    if chosen:
        return chosen[0], "chọn trên trang tổng hợp"

    def rank(f: _File) -> tuple[int, float, int]:
        moment = f.updated.timestamp() if f.updated else float("-inf")
        return (ADVANCEMENT[f.status], moment, -f.order)

    best = max(files, key=rank)
    if len(files) == 1:
        return best, ""
    if any(ADVANCEMENT[f.status] < ADVANCEMENT[best.status] for f in files):
        why = {
            "appraised": "đã thẩm định xong",
            "appraising": "đang thẩm định",
            "self": "tự chấm",
        }[best.status]
        return best, f"giai đoạn xa nhất ({why})"
    if best.updated is not None:
        return best, "lưu gần nhất"
    return best, "tệp đầu tiên (các tệp không ghi thời điểm lưu)"


def _summarise(
    rubric: Rubric, files: list[_File], rejected: list[dict[str, Any]], prefer: set[str]
) -> dict[str, Any]:
    groups: dict[tuple[str, int | None], list[_File]] = {}
    for f in files:
        groups.setdefault(f.key, []).append(f)
    units: list[dict[str, Any]] = []
    several: list[dict[str, Any]] = []
    for group in groups.values():
        best, why = _choose(group, prefer)
        others = [f for f in group if f is not best]
        unit = dict(best.entry)
        unit["chosen_because"] = why
        unit["superseded"] = [f.entry["file"] for f in sorted(others, key=lambda f: f.order)]
        unit["state"] = "review" if unit["review"] else best.status
        units.append(unit)
        if others:
            several.append(
                {
                    "name": unit["name"],
                    "year": unit["year"],
                    "count": len(group),
                    "chosen": unit["file"],
                    "because": why,
                    "files": [
                        {
                            "file": f.entry["file"],
                            "status": STATUS_TEXT[f.status],
                            "updated": f.entry["updated"],
                            "chosen": f is best,
                        }
                        for f in sorted(group, key=lambda f: f.order)
                    ],
                }
            )
    ranked = [u for u in units if u["state"] in ("self", "appraised")]
    ranked.sort(key=lambda u: (*_standing(rubric, u), unit_key(u["name"]), u["file"]))
    previous: tuple[Decimal, ...] | None = None
    rank = 0
    for position, unit in enumerate(ranked, start=1):
        if _standing(rubric, unit) != previous:
            rank = position
            previous = _standing(rubric, unit)
        unit["rank"] = rank
    pending = sorted(
        (u for u in units if u["state"] == "appraising"),
        key=lambda u: (unit_key(u["name"]), u["file"]),
    )
    review = sorted(
        (u for u in units if u["state"] == "review"),
        key=lambda u: (unit_key(u["name"]), u["file"]),
    )
    for unit in (*pending, *review):
        unit["rank"] = None
    quota = _apply_quota(rubric, ranked)
    counted = Counter(u["final"]["band_id"] or UNCLASSIFIED for u in ranked)
    band_counts = [
        {"id": b.id, "name": b.name, "count": counted.get(b.id, 0)}
        for b in reversed(band_order(rubric))
        if b.stated
    ]
    band_counts += [
        {"id": UNCLASSIFIED, "name": "Chưa/không xếp loại", "count": counted.get(UNCLASSIFIED, 0)},
        {"id": APPRAISING, "name": "Đang thẩm định (chưa có kết quả)", "count": len(pending)},
        {"id": REVIEW, "name": "Cần xem lại (không xếp hạng)", "count": len(review)},
    ]
    type_names = {t.id: t.name for t in rubric.unit_types}
    listed = ranked + pending
    type_groups: list[tuple[str | None, str]] = [(t.id, t.name) for t in rubric.unit_types]
    if any(u["type"] is None for u in listed) or not type_groups:
        type_groups.append((None, "Chưa ghi loại đơn vị"))
    by_type = []
    for type_id, type_name in type_groups:
        members = [u for u in listed if u["type"] == type_id]
        if members:
            by_type.append(_averages(members) | {"type": type_id, "name": type_name})
    notes = Counter(
        u["final"]["note"]["text"]
        for u in ranked
        if u["final"]["note"] is not None and u["final"]["note"]["code"] != "appraising"
    )
    several.sort(key=lambda d: (unit_key(d["name"]), d["year"] or 0, d["name"]))
    return {
        "format": SUMMARY_FORMAT,
        "rubric": {"id": rubric.id, "version": rubric.version, "hash": rubric_hash(rubric)},
        "index": rubric.index is not None,
        "criteria": [
            {"id": c.id, "title": c.title, "section": c.section, "max": c.max}
            for c in rubric.criteria
        ],
        "fields": [
            {
                "id": f.id,
                "title": f.title,
                "max": field_max(rubric, f),
                "criteria": list(f.criteria),
            }
            for f in rubric.fields
        ],
        "files": len(files) + len(rejected),
        "units": [u | {"type_name": type_names.get(u["type"] or "")} for u in listed],
        "review": [u | {"type_name": type_names.get(u["type"] or "")} for u in review],
        "band_counts": band_counts,
        "by_type": by_type,
        "overall": _averages(listed),
        "distribution": _distribution(rubric, ranked),
        "criterion_averages": _criterion_averages(rubric, ranked),
        "differences": _differences(units),
        "notes": [{"text": text, "count": count} for text, count in notes.items()],
        "quota": quota,
        "rejected": rejected,
        "duplicates": several,
    }


def _standing(rubric: Rubric, unit: dict[str, Any]) -> tuple[Decimal, ...]:
    """What a unit is ranked by, best first when sorted: its final index (Rubric.index; a unit
    to which nothing applies, without one, last) then total; or its final total."""
    final = unit["final"]
    if rubric.index is None:
        return (-final["total"],)
    index = final["index"]
    return (Decimal(1) if index is None else -index, -final["total"])


def _apply_quota(rubric: Rubric, ranked: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Apply the rubric's limit on a band (model.BandQuota) to the ranked units, in each
    group: the units over it, the lowest totals first (all those tied at the limit), move to
    the next band below, with the reason. Return what was done per group, or None when the
    rubric sets no limit."""
    quota = rubric.quota
    if quota is None:
        return None
    order = [b for b in band_order(rubric) if b.stated]  # lowest first
    rank = {b.id: i for i, b in enumerate(order)}
    limited = order[rank[quota.band]]
    moved_to = order[rank[quota.band] - 1]
    counted_on = order[rank[quota.of]]
    groups: list[tuple[str | None, str]] = [(None, "Tất cả các đơn vị")]
    by_type = quota.by_type and bool(rubric.unit_types)
    if by_type:
        groups = [(t.id, t.name) for t in rubric.unit_types] + [(None, "Chưa ghi loại đơn vị")]
    reason = (
        f"Vượt hạn mức {fmt(quota.percent)} % của mức “{limited.name}”: chuyển xuống mức"
        f" “{moved_to.name}”"
    )
    report = []
    for type_id, type_name in groups:
        members = [u for u in ranked if not by_type or u["type"] == type_id]
        pool = [
            u
            for u in members
            if u["final"]["band_id"] in rank and rank[u["final"]["band_id"]] >= rank[quota.of]
        ]
        top = [u for u in members if u["final"]["band_id"] == quota.band]  # ranked: highest first
        limit = int(Fraction(len(pool)) * Fraction(quota.percent) / 100)  # rounded down
        moved: list[dict[str, Any]] = []
        if len(top) > limit:
            cut = top[limit]["final"]["total"]
            moved = [u for u in top if u["final"]["total"] <= cut]
        for unit in moved:
            final = unit["final"] = dict(unit["final"])
            final["band"], final["band_id"] = moved_to.name, moved_to.id
            final["reasons"] = [*final["reasons"], {"override": "quota", "text": reason}]
        if members:
            report.append(
                {
                    "type": type_id,
                    "name": type_name,
                    "counted": len(pool),
                    "limit": limit,
                    "rated": len(top),
                    "moved": [{"name": u["name"], "file": u["file"]} for u in moved],
                }
            )
    return {
        "band": limited.name,
        "of": counted_on.name,
        "to": moved_to.name,
        "percent": quota.percent,
        "text": quota.text,
        "groups": report,
    }


def _distribution(rubric: Rubric, ranked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ten equal bins of the ranked units' final totals, from 0 to the rubric's total."""
    width = rubric.total / BINS
    counts = [0] * BINS
    for unit in ranked:
        index = int(Fraction(unit["final"]["total"]) / Fraction(width)) if width > 0 else 0
        counts[min(max(index, 0), BINS - 1)] += 1
    return [{"low": width * k, "high": width * (k + 1), "count": counts[k]} for k in range(BINS)]


def _criterion_averages(rubric: Rubric, ranked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each criterion's average final score over the ranked units and its share of the
    maximum (one rounding, of the exact quotient)."""
    out = []
    for criterion in rubric.criteria:
        scores = [u["final"]["criteria"][criterion.id] for u in ranked]
        total = Fraction(sum(scores, Decimal(0)))
        # Each unit out of the criterion's maximum for its type (CriterionVariant).
        maxima = sum((criterion_max(criterion, u["type"]) for u in ranked), Decimal(0))
        percent = (
            round_to(total * 100 / Fraction(maxima), PERCENT) if scores and maxima > 0 else None
        )
        out.append(
            {
                "id": criterion.id,
                "title": criterion.title,
                "max": criterion.max,
                "average": _average(scores),
                "percent": percent,
            }
        )
    return out


def _differences(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The appraised units' own and appraised totals, the lowest difference first."""
    appraised = [u for u in units if u["state"] == "appraised"]
    appraised.sort(key=lambda u: (u["difference"], unit_key(u["name"]), u["file"]))
    return [
        {
            "name": u["name"],
            "file": u["file"],
            "self": u["self"]["total"],
            "appraisal": u["appraisal"]["total"],
            "difference": u["difference"],
        }
        for u in appraised
    ]


def _averages(units: list[dict[str, Any]]) -> dict[str, Any]:
    """Averages of units in the ranking and under appraisal: each stage over the units that
    have a result for it (an appraisal under way has none yet)."""
    appraised = [u for u in units if u["state"] == "appraised"]
    final = [u for u in units if u["state"] != "appraising"]
    return {
        "count": len(units),
        "appraised": len(appraised),
        "appraising": len(units) - len(final),
        "self": _average([u["self"]["total"] for u in units]),
        "appraisal": _average([u["appraisal"]["total"] for u in appraised]),
        "final": _average([u["final"]["total"] for u in final]),
        "difference": _average([u["difference"] for u in appraised]),
    }
