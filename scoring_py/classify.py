"""A stage's band from its total: the rubric's bands, and the overrides that force, cap or
prevent a classification, asked as questions or holding by a rule on the scores (`when`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .model import Band, Override, Rubric, Trigger
from .points import fmt
from .problems import quoted
from .rubric import band_order, shared_range
from .shapes import CriterionResult, Note, Reason


def classify(
    rubric: Rubric,
    total: Decimal,
    conditions: dict[str, Any],
    criteria: list[CriterionResult] | None = None,
) -> tuple[Band | None, list[Reason], Note | None]:
    """Return (band, reasons, note) for a total, applying the overrides that hold: those
    asked as a question whose condition is answered "yes", and those whose rule on the scores
    (`when`) holds on the stage's `criteria`.

    `reasons` are the overrides that decided or lowered the band, each {"override", "text"};
    `note` says why there is no band when no override is the cause ({"code", "text"}: the
    rubric has no bands, the total is in a range whose threshold the source does not state).
    When several overrides hold, "unclassifiable" wins, then "force" (the first listed), and
    "cap" lowers the band to the lowest cap that holds.
    """
    held = [
        o
        for o in rubric.overrides
        if (o.when is None and _holds(conditions.get(o.id)))
        or (o.when is not None and triggered(o.when, criteria or []))
    ]
    reasons = [_reason(o, conditions) for o in held if o.effect == "unclassifiable"]
    if reasons:
        return None, reasons, None
    if not rubric.bands:
        text = rubric.bands_note or "Văn bản nguồn không quy định mức xếp loại."
        return None, [], {"code": "no_bands", "text": text}
    order = band_order(rubric)
    band = next(
        (b for b in reversed(order) if b.min <= total and (b.max is None or total < b.max)), None
    )
    if band is None:  # below every band: cannot happen with a checked rubric and 0 ≤ total
        return None, [], {"code": "outside_bands", "text": "Tổng điểm nằm ngoài các mức xếp loại."}
    for ovr in held:
        if ovr.effect == "force":
            forced = next(b for b in order if b.id == ovr.band)
            return forced, [_reason(ovr, conditions)], None
    rank = {b.id: i for i, b in enumerate(order)}
    for ovr in held:
        if ovr.effect == "cap" and ovr.band is not None and rank[ovr.band] < rank[band.id]:
            band = order[rank[ovr.band]]
            reasons.append(_reason(ovr, conditions))
    if not band.stated:
        return None, [], {"code": "band_unstated", "text": unstated_text(rubric, band)}
    return band, reasons, None


def unstated_text(rubric: Rubric, band: Band) -> str:
    """Why a total in the range of a band whose threshold is not stated gets no band."""
    shared = shared_range(rubric, band)
    if len(shared) < 2:
        return band.note or f"Ngưỡng của mức {quoted(band.name)} không được nêu."
    names = ", ".join(f"“{b.name}”" for b in shared)
    low = fmt(band.min)
    on_index = rubric.index is not None and rubric.index.bands
    unit, what = ("%", "Chỉ số") if on_index else ("điểm", "Tổng điểm")
    where = (
        f"từ {low} {unit} trở lên"
        if band.max is None
        else f"dưới {fmt(band.max)} {unit}"
        if band.min == 0
        else f"từ {low} đến dưới {fmt(band.max)} {unit}"
    )
    return (
        f"{what} {where} thuộc một trong các mức {names}; văn bản nguồn không nêu ngưỡng"
        f" {'' if on_index else 'điểm '}giữa các mức này, nên công cụ không tự xếp loại."
    )


def _holds(condition: Any) -> bool:
    return isinstance(condition, dict) and condition.get("value") is True


_SETTLED = frozenset({"answered", "not_applicable", "excluded"})
"""Item statuses that leave nothing to answer."""


def triggered(rule: Trigger, criteria: list[CriterionResult]) -> bool:
    """Whether a rule on the scores holds: once every item it looks at is answered (an
    unanswered or wrongly answered one, or one scored by someone else in this stage, leaves it
    undecided, which does not hold)."""
    for crit in criteria:
        if rule.criterion is not None and crit["id"] == rule.criterion:
            items = crit["items"]
            if not items or any(i["status"] not in _SETTLED for i in items):
                return False
            if all(i["status"] != "answered" for i in items):
                return False
            # The exact share, before any rescale's rounding (the same, rescaled or not).
            return _below(crit["raw_score"], crit["applicable_max"], rule)
        for item in crit["items"]:
            if rule.item is not None and item["id"] == rule.item:
                if item["status"] != "answered" or item["points"] is None:
                    return False
                if rule.at_most is not None:
                    return item["points"] <= rule.at_most
                return _below(item["points"], item["max"], rule)
    return False


def _below(score: Decimal, top: Decimal, rule: Trigger) -> bool:
    """score < below_percent % of top, exactly (compared as score × 100 < percent × top)."""
    assert rule.below_percent is not None
    return top > 0 and score * 100 < rule.below_percent * top


def _reason(override: Override, conditions: dict[str, Any]) -> Reason:
    """An override's reason, followed by the note the unit or the team typed with it."""
    condition = conditions.get(override.id)
    note = condition.get("note", "") if isinstance(condition, dict) else ""
    text = override.reason
    if isinstance(note, str) and note.strip():
        text = f"{text}: {note.strip()}"
    return {"override": override.id, "text": text}
