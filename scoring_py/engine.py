"""Score an assessment document against a rubric: per item, per criterion, total and band.

Every number is a Decimal. A value that is out of range or of the wrong kind is reported as a
problem and scores nothing; it is never clamped into range.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .classify import classify
from .codec import to_decimal
from .document import content_code
from .model import Item, Rubric
from .points import fmt, round_to
from .problems import describe, plain_number, quoted
from .rescale import index_of, rescale_stage
from .rubric import (
    criterion_max,
    evidence_strength,
    item_for,
    item_step,
    rubric_hash,
    top_total,
)
from .shapes import (
    EVIDENCE_KEYS,
    NOT_APPLICABLE,
    RESULT_FORMAT,
    STAGE_LABELS,
    CriterionResult,
    ItemResult,
    ItemStatus,
    Problem,
    Progress,
    Result,
    ResultStages,
    StageResult,
    Status,
)

ZERO = Decimal(0)
STAGE_NAMES = {stage: label.lower() for stage, label in STAGE_LABELS.items()}
GIVER_NAMES = {
    "appraiser": "đoàn thẩm định",
    "superior": "cấp trên",
    "survey": "cấp tỉnh (theo kết quả điều tra xã hội học)",
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one item fared in one stage."""

    points: Decimal | None
    """Points counted, or None when nothing counts (missing, invalid, reserved, not applicable)."""
    status: ItemStatus
    code: str | None = None
    """Problem code when the answer is missing or invalid."""
    message: str | None = None
    """Problem message, in Vietnamese."""


def item_outcome(rubric: Rubric, item: Item, answer: Any, unit_type: str | None) -> Outcome:
    """Score one answer to one item (with its maximum and points for the unit's type)."""
    item = item_for(item, unit_type)
    if _excluded(item, unit_type):
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
    step = item_step(rubric, item)
    if number % step != 0:
        return _invalid(
            "off_step", f"điểm {fmt(number)} không phải bội số của bước chấm {fmt(step)}"
        )
    return Outcome(number, "answered")


def _excluded(item: Item, unit_type: str | None) -> bool:
    """Whether an item does not apply to the unit's type (left out of the maximum)."""
    return bool(item.applies_to) and unit_type is not None and unit_type not in item.applies_to


def _ratio(item: Item, answer: Any) -> Outcome:
    if not isinstance(answer, dict):
        return _invalid("wrong_type", f"phải gồm tử số và mẫu số (nhận được {_show(answer)})")
    num = to_decimal(answer.get("numerator"))
    den = to_decimal(answer.get("denominator"))
    if num is None or den is None:
        return _invalid("wrong_type", "tử số và mẫu số phải là số")
    if den == 0 and item.zero_denominator == "not_applicable":
        if num == 0:  # nothing arose this year: "không phát sinh"
            return Outcome(None, "not_applicable")
        return _invalid(
            "ratio_invalid",
            f"mẫu số bằng 0 (không phát sinh) thì tử số cũng phải bằng 0 (nhận được {fmt(num)})",
        )
    if den <= 0:
        return _invalid("ratio_invalid", f"mẫu số phải > 0 (nhận được {fmt(den)})")
    if num < 0 or num > den:
        return _invalid(
            "ratio_invalid", f"tử số phải từ 0 đến mẫu số {fmt(den)} (nhận được {fmt(num)})"
        )
    return Outcome(ratio_points(item, Fraction(num) / Fraction(den)), "answered")


def ratio_points(item: Item, ratio: Fraction) -> Decimal:
    """Points of a "ratio" item for an exact ratio (0 to 1): by thresholds, stepwise from a
    starting threshold (both compared in percent, exactly), or in proportion, rounded once."""
    percent = ratio * 100
    if item.thresholds:
        # Listed from the highest threshold down (check_rubric): the first one reached counts.
        return next((t.points for t in item.thresholds if percent >= t.at_least), ZERO)
    steps = item.ratio_steps
    if steps is not None:
        if percent < steps.start:
            return ZERO
        until = Fraction(steps.start if steps.flat_until is None else steps.flat_until)
        full = (percent - until) // Fraction(steps.every) if percent > until else 0
        return min(steps.points + steps.add * int(full), item.max)
    assert item.rounding is not None  # guaranteed by check_rubric
    return round_to(ratio * Fraction(item.max), item.rounding)


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


def score_stage(
    rubric: Rubric,
    stage: str,
    answers: dict[str, Any],
    conditions: dict[str, Any],
    unit_type: str | None,
    evidence: dict[str, Any] | None = None,
    appraised: frozenset[str] = frozenset(),
    attached: frozenset[str] = frozenset(),
) -> tuple[StageResult, list[Problem]]:
    """Score one stage's answers; return the stage result and its problems.

    With `evidence` (the self stage, and the final stage for the answers it takes from the
    self stage), a self-score is checked against its item's evidence rule (EvidenceStrength):
    "required" without documents counts 0, "expected" warns. Items in `appraised` took the
    appraisal team's score, which is not checked.
    """
    problems: list[Problem] = []
    known = {i.id for c in rubric.criteria for i in c.items}
    for key in answers:
        if key not in known:
            problems.append(
                _problem(stage, key, "unknown_item", "mã mục không có trong thang điểm")
            )
    override_ids = {o.id for o in rubric.overrides if o.when is None}  # asked ones only
    for key in conditions:
        if key not in override_ids:
            problems.append(
                _problem(stage, key, "unknown_condition", "mã điều kiện không có trong thang điểm")
            )
    criteria: list[CriterionResult] = []
    counts = {"answered": 0, "missing": 0, "invalid": 0}
    applicable_max = ZERO
    sections = {"base": ZERO, "bonus": ZERO, "penalty": ZERO}
    for crit in rubric.criteria:
        items: list[ItemResult] = []
        crit_points = ZERO
        crit_max = ZERO
        top = criterion_max(crit, unit_type)
        for item in (item_for(i, unit_type) for i in crit.items):
            answer = answers.get(item.id)
            if _excluded(item, unit_type):
                outcome = Outcome(None, "excluded")
            elif stage == "self" and item.given_by != "unit":
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
            if (
                evidence is not None
                and outcome.points is not None
                and outcome.points > 0
                and item.id not in appraised
            ):
                missing = _missing_evidence(
                    rubric, item, evidence.get(item.id), item.id in attached
                )
                if missing is not None:
                    if missing["code"] == "evidence_required":
                        outcome = Outcome(ZERO, outcome.status)
                    if stage == "self":
                        problems.append(missing)
            if outcome.points is not None:
                crit_points += outcome.points
            items.append(
                {
                    "id": item.id,
                    "points": outcome.points,
                    "max": item.max,
                    "status": outcome.status,
                }
            )
        if crit.section == "base":
            if crit.capped:  # "tối đa N điểm" below the items' sum, also when some do not apply
                crit_points = min(crit_points, top)
                crit_max = min(crit_max, top)
            applicable_max += crit_max
            score = crit_points
            shown_max = crit_max
        else:
            score = min(crit_points, top)
            shown_max = top
        sections[crit.section] += score
        criteria.append(
            {
                "id": crit.id,
                "title": crit.title,
                "section": crit.section,
                "score": score,
                "max": shown_max,
                "raw_score": score,
                "applicable_max": shown_max,
                "rescaled": False,
                "items": items,
            }
        )
    raw = sections["base"]
    base, exact, rescaled, fields = rescale_stage(rubric, criteria, unit_type)
    added = sections["bonus"] - sections["penalty"]
    top = top_total(rubric, unit_type)
    total = min(max(base + added, ZERO), top)
    exact_total = min(max(exact + Fraction(added), Fraction(0)), Fraction(top))
    index = index_of(rubric, exact_total, applicable_max)
    on_index = rubric.index is not None and rubric.index.bands
    shown = (index if index is not None else ZERO) if on_index else total
    band, reasons, note = classify(rubric, shown, conditions, criteria)
    result: StageResult = {
        "stage": stage,
        "total": total,
        "max": top,
        "raw_total": raw,
        "applicable_max": applicable_max,
        "rescaled": rescaled,
        "base": base,
        "bonus": sections["bonus"],
        "penalty": sections["penalty"],
        "index": index,
        "band": None if band is None else {"id": band.id, "name": band.name},
        "classified": band is not None,
        "reasons": reasons,
        "note": note,
        "fields": fields,
        "criteria": criteria,
        "answered": counts["answered"],
        "missing": counts["missing"],
        "invalid": counts["invalid"],
        "complete": counts["missing"] == 0 and counts["invalid"] == 0,
    }
    return result, problems


def _missing_evidence(rubric: Rubric, item: Item, given: Any, attached: bool) -> Problem | None:
    """The problem of a self-score above 0 whose evidence falls short of the item's rule: no
    evidence documents named, and no file attached."""
    strength = evidence_strength(rubric, item)
    if strength == "none" or attached:
        return None
    record = given if isinstance(given, dict) else {}
    texts = {k: v.strip() if isinstance(v := record.get(k), str) else "" for k in EVIDENCE_KEYS}
    if texts["documents"]:
        return None
    if strength == "required":
        return _problem(
            "self",
            item.id,
            "evidence_required",
            "có điểm nhưng chưa có tài liệu kiểm chứng; thang điểm yêu cầu tài liệu kiểm chứng"
            " (không có thì không được tính điểm), nên mục này được tính 0 điểm",
        )
    if texts["explanation"]:
        return None
    return _problem(
        "self",
        item.id,
        "missing_evidence",
        "có điểm nhưng chưa có tài liệu kiểm chứng; khi không có tài liệu, phải ghi giải trình",
        "warning",
    )


def _problem(
    stage: str, item: str, code: str, message: str, severity: str | None = None
) -> Problem:
    if severity is None:
        severity = "warning" if code == "missing_answer" else "error"
    return {
        "stage": stage,
        "item": item,
        "code": code,
        "severity": severity,
        "message": f"{STAGE_NAMES[stage].capitalize()}, mục {item}: {message}",
    }


def rubric_changed(rubric: Rubric, doc: dict[str, Any]) -> Problem | None:
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
            f"Tài liệu được lập theo một nội dung khác của thang điểm {rubric.short_name}"
            f" phiên bản {quoted(rubric.version)} (mã kiểm tra khác): thang điểm đã được sửa"
            " mà không đổi phiên bản. Hãy kiểm tra lại từng câu trả lời trước khi dùng kết quả."
        ),
    }


def final_answers(rubric: Rubric, doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Merge the stages: the appraisal's answer where given, else the self-score.

    An item that only the appraisal team or the superior scores takes its value from the
    appraisal alone: what the unit wrote for it is never counted (the self stage reports it).
    """
    own = doc["stages"]["self"]
    appraisal = doc["stages"]["appraisal"]
    reserved = {i.id for c in rubric.criteria for i in c.items if i.given_by != "unit"}
    answers = {k: v for k, v in own["answers"].items() if k not in reserved}
    answers.update({k: v for k, v in appraisal["answers"].items() if v is not None})
    conditions = dict(own["conditions"])
    conditions.update(
        {k: v for k, v in appraisal["conditions"].items() if v.get("value") is not None}
    )
    return answers, conditions


def disputed_items(rubric: Rubric, doc: dict[str, Any]) -> list[str]:
    """The items the unit scores whose appraisal answer differs from the unit's own (an
    unanswered self-score included), in the rubric's order."""
    own = doc["stages"]["self"]["answers"]
    team = doc["stages"]["appraisal"]["answers"]
    return [
        i.id
        for c in rubric.criteria
        for i in c.items
        if i.given_by == "unit" and team.get(i.id) is not None and team[i.id] != own.get(i.id)
    ]


def has_appraisal(doc: dict[str, Any]) -> bool:
    """Whether the appraisal team has begun: an answer, a condition decided or a note typed."""
    appraisal = doc["stages"]["appraisal"]
    return any(v is not None for v in appraisal["answers"].values()) or any(
        v.get("value") is not None or v.get("note", "").strip()
        for v in appraisal["conditions"].values()
    )


def appraisal_progress(stage: StageResult) -> Progress:
    """How many of the items that apply to the unit the appraisal has scored validly."""
    items = [i for c in stage["criteria"] for i in c["items"] if i["status"] != "excluded"]
    done = sum(1 for i in items if i["status"] in ("answered", "not_applicable"))
    return {"done": done, "of": len(items)}


def _pending(stage: StageResult, progress: Progress) -> StageResult:
    """A stage whose appraisal is unfinished: its running total stands, its band is withheld."""
    text = f"Đang thẩm định: {progress['done']}/{progress['of']} mục"
    return stage | {
        "band": None,
        "classified": False,
        "note": {"code": "appraising", "text": text},
    }


def score_document(rubric: Rubric, doc: dict[str, Any]) -> Result:
    """Score a validated, normalised document: every stage, the final result and problems.

    The final result is the self-assessment until the appraisal team begins, then the merged
    answers (see final_answers). An appraisal is finished when every item that applies to the
    unit has a valid appraisal answer (a score, a level, "không phát sinh"); until then both the
    appraisal and the final stage keep their running totals but get no band ("Đang thẩm định:
    12/28 mục"), and `status` is "appraising".
    """
    unit_type = doc["unit"].get("type")
    problems: list[Problem] = []
    attached = frozenset(k for k, files in doc.get("attachments", {}).items() if files)

    def scored(stage: str) -> StageResult:
        body = doc["stages"][stage]
        evidence = doc["evidence"] if stage == "self" else None
        result, found = score_stage(
            rubric,
            stage,
            body["answers"],
            body["conditions"],
            unit_type,
            evidence,
            attached=attached,
        )
        problems.extend(found)
        return result

    own = scored("self")
    appraisal = scored("appraisal") if has_appraisal(doc) else None
    progress: Progress | None = None
    status: Status = "self"
    if appraisal is None:
        final: StageResult = own | {"stage": "final"}
    else:
        answers, conditions = final_answers(rubric, doc)
        appraised = frozenset(
            k for k, v in doc["stages"]["appraisal"]["answers"].items() if v is not None
        )
        final, _ = score_stage(
            rubric, "final", answers, conditions, unit_type, doc["evidence"], appraised, attached
        )
        progress = appraisal_progress(appraisal)
        status = "appraised" if progress["done"] == progress["of"] else "appraising"
        if status == "appraising":
            appraisal = _pending(appraisal, progress)
            final = _pending(final, progress)
    stages: ResultStages = {"self": own, "appraisal": appraisal, "final": final}
    disputed = disputed_items(rubric, doc)
    comments = doc.get("review", {}).get("items", {})
    for item_id in disputed:
        if not comments.get(item_id, {}).get("comment", "").strip():
            problems.append(
                _problem(
                    "appraisal",
                    item_id,
                    "reason_required",
                    "điểm thẩm định khác điểm tự chấm; đoàn thẩm định phải ghi lý do ở ô nhận xét",
                    "warning",  # the scores stand; the papers lack the reason
                )
            )
    changed = rubric_changed(rubric, doc)
    if changed is not None:
        problems.insert(0, changed)
    return {
        "format": RESULT_FORMAT,
        "rubric": {"id": rubric.id, "version": rubric.version, "hash": rubric_hash(rubric)},
        "unit": {"name": doc["unit"]["name"], "type": unit_type, "year": doc["unit"]["year"]},
        "code": content_code(doc),
        "status": status,
        "appraisal_progress": progress,
        "total": final["total"],
        "max": final["max"],
        "index": final["index"],
        "band": final["band"]["name"] if final["band"] else None,
        "band_id": final["band"]["id"] if final["band"] else None,
        "classified": final["classified"],
        "reasons": final["reasons"],
        "note": final["note"],
        "proposed_band": doc.get("proposed_band", ""),
        "review_state": doc.get("review", {}).get("state", "self"),
        "disputed": disputed,
        "fields": final["fields"],
        "criteria": [
            {"id": c["id"], "title": c["title"], "score": c["score"], "max": c["max"]}
            for c in final["criteria"]
        ],
        "stages": stages,
        "problems": problems,
    }
