"""Score an assessment document against a rubric: per item, per criterion, total and band.

Every number is a Decimal. A value that is out of range or of the wrong kind is reported as a
problem and scores nothing; it is never clamped into range.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

from .codec import format_decimal, to_decimal
from .document import NOT_APPLICABLE, STAGES
from .model import Band, Item, Rounding, Rubric
from .problems import describe, plain_number, quoted
from .rubric import band_order, rubric_hash

ZERO = Decimal(0)
MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}
STAGE_NAMES = {"self": "tự chấm", "appraisal": "thẩm định", "final": "kết quả cuối cùng"}
GIVER_NAMES = {"appraiser": "đoàn thẩm định", "superior": "cấp trên"}


def round_to(value: Decimal, rounding: Rounding) -> Decimal:
    """Round value to a multiple of rounding.step with the rounding mode."""
    units = (value / rounding.step).quantize(Decimal(1), rounding=MODES[rounding.mode])
    return units * rounding.step


def fmt(value: Decimal) -> str:
    """Write a number of points for a Vietnamese reader: comma decimals."""
    return format_decimal(value).replace(".", ",")


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one item fared in one stage."""

    points: Decimal | None
    """Points counted, or None when nothing counts (missing, invalid, reserved, not applicable)."""
    status: str
    """"answered", "missing", "invalid", "not_applicable", "excluded" or "reserved"."""
    code: str | None = None
    """Problem code when the answer is missing or invalid."""
    message: str | None = None
    """Problem message, in Vietnamese."""


def item_outcome(rubric: Rubric, item: Item, answer: Any, unit_type: str | None) -> Outcome:
    """Score one answer to one item."""
    if item.applies_to and unit_type is not None and unit_type not in item.applies_to:
        return Outcome(None, "excluded")
    if answer is None:
        return Outcome(None, "missing", "missing_answer", "chưa chấm điểm")
    if answer == NOT_APPLICABLE:
        if item.may_be_not_applicable:
            return Outcome(None, "not_applicable")
        return _invalid("not_applicable_forbidden", "mục này không được đánh dấu 'không phát sinh'")
    kind = item.kind
    if kind == "choice":
        if not isinstance(answer, str):
            return _invalid("wrong_type", f"phải chọn một mức (nhận được {_show(answer)})")
        for level in item.levels:
            if level.id == answer:
                return Outcome(level.points, "answered")
        ids = ", ".join(level.id for level in item.levels)
        return _invalid("unknown_level", f"mức {quoted(answer)} không có; các mức là {ids}")
    if kind == "yesno":
        if not isinstance(answer, bool):
            return _invalid("wrong_type", f"phải là có/không (nhận được {_show(answer)})")
        return Outcome(item.max if answer else ZERO, "answered")
    if kind == "ratio":
        return _ratio(item, answer)
    if kind in ("steps", "deduction"):
        if isinstance(answer, bool) or not isinstance(answer, int):
            number = to_decimal(answer)
            if number is None or number != number.to_integral_value():
                return _invalid(
                    "wrong_type", f"phải là số lần, số nguyên (nhận được {_show(answer)})"
                )
            answer = int(number)
        if answer < 0:
            return _invalid("below_zero", f"số lần phải ≥ 0 (nhận được {answer})")
        per = item.per_unit if item.per_unit is not None else ZERO
        if kind == "steps":
            return Outcome(min(per * answer, item.max), "answered")
        return Outcome(max(item.max - per * answer, ZERO), "answered")
    number = to_decimal(answer)
    if number is None:
        return _invalid("wrong_type", f"phải là một số điểm (nhận được {_show(answer)})")
    if number < 0:
        return _invalid("below_zero", f"điểm {fmt(number)} nhỏ hơn 0")
    if number > item.max:
        return _invalid("above_max", f"điểm {fmt(number)} vượt quá điểm tối đa {fmt(item.max)}")
    step = item.step if item.step is not None else rubric.default_step
    if number % step != 0:
        return _invalid(
            "off_step", f"điểm {fmt(number)} không phải bội số của bước chấm {fmt(step)}"
        )
    return Outcome(number, "answered")


def _ratio(item: Item, answer: Any) -> Outcome:
    if not isinstance(answer, dict):
        return _invalid("wrong_type", f"phải gồm tử số và mẫu số (nhận được {_show(answer)})")
    num = to_decimal(answer.get("numerator"))
    den = to_decimal(answer.get("denominator"))
    if num is None or den is None:
        return _invalid("wrong_type", "tử số và mẫu số phải là số")
    if den <= 0:
        return _invalid("ratio_invalid", f"mẫu số phải > 0 (nhận được {fmt(den)})")
    if num < 0 or num > den:
        return _invalid(
            "ratio_invalid", f"tử số phải từ 0 đến mẫu số {fmt(den)} (nhận được {fmt(num)})"
        )
    assert item.rounding is not None  # guaranteed by check_rubric
    return Outcome(round_to(num / den * item.max, item.rounding), "answered")


def _invalid(code: str, message: str) -> Outcome:
    return Outcome(None, "invalid", code, message)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dict):
        return "một đối tượng"
    if isinstance(value, int | Decimal):
        return plain_number(value).replace(".", ",")  # as the form shows numbers
    return describe(value)


def classify(
    rubric: Rubric, total: Decimal, conditions: dict[str, Any]
) -> tuple[Band | None, bool, list[str]]:
    """Return (band, classified, reasons) for a total, applying the overrides that hold."""
    held = [o for o in rubric.overrides if _holds(conditions.get(o.id))]
    reasons: list[str] = []
    for ovr in held:
        if ovr.effect == "unclassifiable":
            reasons.append(_with_note(ovr.reason, conditions.get(ovr.id)))
    if reasons:
        return None, False, reasons
    if not rubric.bands:
        return None, False, [rubric.bands_note or "Văn bản nguồn không quy định mức xếp loại."]
    order = band_order(rubric)
    band = next(
        (b for b in reversed(order) if b.min <= total and (b.max is None or total < b.max)), None
    )
    if band is None:  # below every band: cannot happen with a checked rubric and 0 ≤ total
        return None, False, ["Tổng điểm nằm ngoài các mức xếp loại."]
    for ovr in held:
        if ovr.effect == "force":
            forced = next(b for b in order if b.id == ovr.band)
            return forced, True, [_with_note(ovr.reason, conditions.get(ovr.id))]
    rank = {b.id: i for i, b in enumerate(order)}
    for ovr in held:
        if ovr.effect == "cap" and ovr.band is not None and rank[ovr.band] < rank[band.id]:
            band = order[rank[ovr.band]]
            reasons.append(_with_note(ovr.reason, conditions.get(ovr.id)))
    if not band.stated:
        return None, False, [band.note or f"Ngưỡng của mức {quoted(band.name)} không được nêu."]
    return band, True, reasons


def _holds(condition: Any) -> bool:
    return isinstance(condition, dict) and condition.get("value") is True


def _with_note(reason: str, condition: Any) -> str:
    note = condition.get("note", "") if isinstance(condition, dict) else ""
    return f"{reason}: {note.strip()}" if isinstance(note, str) and note.strip() else reason


def score_stage(
    rubric: Rubric,
    stage: str,
    answers: dict[str, Any],
    conditions: dict[str, Any],
    unit_type: str | None,
    evidence: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Score one stage's answers; return the stage result and its problems."""
    problems: list[dict[str, Any]] = []
    known = {i.id for c in rubric.criteria for i in c.items}
    for key in answers:
        if key not in known:
            problems.append(
                _problem(stage, key, "unknown_item", "mã mục không có trong thang điểm")
            )
    override_ids = {o.id for o in rubric.overrides}
    for key in conditions:
        if key not in override_ids:
            problems.append(
                _problem(stage, key, "unknown_condition", "mã điều kiện không có trong thang điểm")
            )
    criteria = []
    counts = {"answered": 0, "missing": 0, "invalid": 0}
    applicable_max = ZERO
    sections = {"base": ZERO, "bonus": ZERO, "penalty": ZERO}
    for crit in rubric.criteria:
        items = []
        crit_points = ZERO
        crit_max = ZERO
        for item in crit.items:
            answer = answers.get(item.id)
            if stage == "self" and item.given_by != "unit":
                outcome = Outcome(None, "reserved")
                if answer is not None:
                    who = GIVER_NAMES[item.given_by]
                    problems.append(
                        _problem(stage, item.id, "reserved_item", f"mục này do {who} chấm")
                    )
            else:
                outcome = item_outcome(rubric, item, answer, unit_type)
            if outcome.status in counts:
                counts[outcome.status] += 1
            if outcome.code is not None and outcome.message is not None:
                problems.append(_problem(stage, item.id, outcome.code, outcome.message))
            if outcome.status not in ("not_applicable", "excluded"):
                crit_max += item.max
            if outcome.points is not None:
                crit_points += outcome.points
                if stage == "self" and outcome.points > 0 and evidence is not None:
                    missing = _missing_evidence(rubric, item, evidence.get(item.id))
                    if missing:
                        problems.append(missing)
            items.append(
                {
                    "id": item.id,
                    "points": outcome.points,
                    "max": item.max,
                    "status": outcome.status,
                }
            )
        if crit.section == "base":
            applicable_max += crit_max
            score = crit_points
            shown_max = crit_max
        else:
            score = min(crit_points, crit.max)
            shown_max = crit.max
        sections[crit.section] += score
        criteria.append(
            {
                "id": crit.id,
                "title": crit.title,
                "section": crit.section,
                "score": score,
                "max": shown_max,
                "items": items,
            }
        )
    raw = sections["base"]
    base, rescaled = _rescale(rubric, raw, applicable_max)
    total = base + sections["bonus"] - sections["penalty"]
    top = rubric.total + (
        sum((c.max for c in rubric.criteria if c.section == "bonus"), ZERO)
        if rubric.bonus_above_total
        else ZERO
    )
    total = min(max(total, ZERO), top)
    band, classified, reasons = classify(rubric, total, conditions)
    result = {
        "stage": stage,
        "total": total,
        "max": top,
        "raw_total": raw,
        "applicable_max": applicable_max,
        "rescaled": rescaled,
        "bonus": sections["bonus"],
        "penalty": sections["penalty"],
        "band": None if band is None else {"id": band.id, "name": band.name},
        "classified": classified,
        "reasons": reasons,
        "criteria": criteria,
        **counts,
        "complete": counts["missing"] == 0 and counts["invalid"] == 0,
    }
    return result, problems


def _rescale(rubric: Rubric, raw: Decimal, applicable_max: Decimal) -> tuple[Decimal, bool]:
    rule = rubric.not_applicable
    if rule is None or rule.method != "proportional" or applicable_max == rubric.total:
        return raw, False
    if applicable_max == 0:
        return ZERO, True
    assert rule.rounding is not None  # guaranteed by check_rubric
    return round_to(raw * rubric.total / applicable_max, rule.rounding), True


def _missing_evidence(rubric: Rubric, item: Item, given: Any) -> dict[str, Any] | None:
    required = item.evidence.required if item.evidence is not None else rubric.evidence_required
    if not required:
        return None
    if isinstance(given, dict) and any(
        isinstance(given.get(k), str) and given[k].strip() for k in ("documents", "explanation")
    ):
        return None
    return _problem(
        "self",
        item.id,
        "missing_evidence",
        "có điểm nhưng chưa có tài liệu kiểm chứng hoặc giải trình",
        "warning",
    )


def _problem(
    stage: str, item: str, code: str, message: str, severity: str | None = None
) -> dict[str, Any]:
    if severity is None:
        severity = "warning" if code == "missing_answer" else "error"
    return {
        "stage": stage,
        "item": item,
        "code": code,
        "severity": severity,
        "message": f"{STAGE_NAMES[stage].capitalize()}, mục {item}: {message}",
    }


def rubric_changed(rubric: Rubric, doc: dict[str, Any]) -> dict[str, Any] | None:
    """A warning when the document was made with another text of the same rubric version
    (its `rubric.hash` differs): the answers may not mean what they meant. Not a refusal:
    the user must still be able to open and correct their own work."""
    given = doc["rubric"].get("hash")
    if not isinstance(given, str) or given == rubric_hash(rubric):
        return None
    return {
        "stage": None,
        "item": None,
        "code": "rubric_changed",
        "severity": "warning",
        "message": (
            f"Tài liệu được lập theo một nội dung khác của thang điểm {quoted(rubric.id)}"
            f" phiên bản {quoted(rubric.version)} (mã kiểm tra khác): thang điểm đã được sửa"
            " mà không đổi phiên bản. Hãy kiểm tra lại từng câu trả lời trước khi dùng kết quả."
        ),
    }


def final_answers(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Merge the stages: the appraisal's answer where given, else the self-score."""
    own = doc["stages"]["self"]
    appraisal = doc["stages"]["appraisal"]
    answers = dict(own["answers"])
    answers.update({k: v for k, v in appraisal["answers"].items() if v is not None})
    conditions = dict(own["conditions"])
    conditions.update(
        {k: v for k, v in appraisal["conditions"].items() if v.get("value") is not None}
    )
    return answers, conditions


def has_appraisal(doc: dict[str, Any]) -> bool:
    """Whether the appraisal team has entered anything."""
    appraisal = doc["stages"]["appraisal"]
    return any(v is not None for v in appraisal["answers"].values()) or any(
        v.get("value") is not None for v in appraisal["conditions"].values()
    )


def score_document(rubric: Rubric, doc: dict[str, Any]) -> dict[str, Any]:
    """Score a validated, normalised document: every stage, the final result and problems."""
    unit_type = doc["unit"].get("type")
    stages: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for stage in STAGES:
        if stage == "appraisal" and not has_appraisal(doc):
            stages[stage] = None
            continue
        body = doc["stages"][stage]
        result, found = score_stage(
            rubric,
            stage,
            body["answers"],
            body["conditions"],
            unit_type,
            doc["evidence"] if stage == "self" else None,
        )
        stages[stage] = result
        problems.extend(found)
    if stages["appraisal"] is None:
        final = dict(stages["self"], stage="final")
    else:
        answers, conditions = final_answers(doc)
        final, _ = score_stage(rubric, "final", answers, conditions, unit_type)
    stages["final"] = final
    changed = rubric_changed(rubric, doc)
    if changed is not None:
        problems.insert(0, changed)
    return {
        "format": "thangdiem-result",
        "rubric": {"id": rubric.id, "version": rubric.version, "hash": rubric_hash(rubric)},
        "unit": dict(doc["unit"]),
        "total": final["total"],
        "max": final["max"],
        "band": final["band"]["name"] if final["band"] else None,
        "band_id": final["band"]["id"] if final["band"] else None,
        "classified": final["classified"],
        "reasons": final["reasons"],
        "proposed_band": doc.get("proposed_band", ""),
        "criteria": [
            {"id": c["id"], "title": c["title"], "score": c["score"], "max": c["max"]}
            for c in final["criteria"]
        ],
        "stages": stages,
        "problems": problems,
    }
