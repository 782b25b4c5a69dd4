"""The worked example of each rubric's scoring page: a sample assessment with fixed answers,
scored by scoring_py during the build, so that the page shows what the engine really does.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from scoring_py import document, engine, model
from scoring_py.model import Criterion, Item, Rubric
from scoring_py.rubric import item_step, needs_evidence
from scoring_py.shapes import Result

from .markup import vn_number
from .output import SiteError


def _example_score(rubric: Rubric, item: Item) -> Decimal:
    step = item_step(rubric, item)
    return (item.max * Decimal("0.8") / step).to_integral_value(rounding=ROUND_FLOOR) * step


def example_answer(rubric: Rubric, item: Item) -> Any:
    """A fixed, plausible answer to an item, for the worked example."""
    if item.kind == "score":
        return _example_score(rubric, item)
    if item.kind == "choice":
        return item.levels[1 if len(item.levels) > 1 else 0].id
    if item.kind == "yesno":
        return True
    if item.kind == "ratio":
        return {"numerator": 9, "denominator": 10}
    if item.kind == "steps":
        return 2
    return 1  # deduction


def describe_answer(item: Item, answer: Any) -> str:
    """An answer in words."""
    if answer is None:
        return "—"
    if answer == document.NOT_APPLICABLE:
        return "Không phát sinh"
    if item.kind == "choice":
        # Levels are named by their place in the item, as on screen (the printout's rows
        # follow the source's own numbering: item 4's second level is row 4.2).
        ids = [level.id for level in item.levels]
        return f"Mức {ids.index(answer) + 1}" if answer in ids else f"Mức {answer}"
    if item.kind == "yesno":
        return "Có" if answer else "Không"
    if item.kind == "ratio":
        den = f" {item.denominator}" if item.denominator else ""
        return f"{answer['numerator']}/{answer['denominator']}{den}"
    if item.kind in ("steps", "deduction"):
        return f"{answer} {item.counts or 'lần'}"
    return f"{vn_number(Decimal(answer))} điểm"


@dataclass(frozen=True, slots=True)
class ExampleRow:
    """One item of the worked example."""

    item: Item
    own: str
    """The self-assessment's answer, in words."""
    appraisal: str
    """The appraisal's answer, in words."""
    points: Decimal | None
    """Points of the final result."""
    status: str


@dataclass(frozen=True, slots=True)
class ExampleCriterion:
    """One criterion of the worked example."""

    number: int
    criterion: Criterion
    rows: list[ExampleRow]
    score: Decimal
    max: Decimal


@dataclass(frozen=True, slots=True)
class Example:
    """The worked example: a sample assessment scored by scoring_py during the build."""

    unit_name: str
    unit_type: str | None
    criteria: list[ExampleCriterion]
    result: Result
    band: model.Band | None
    base: Decimal
    """Total of the base criteria, after rescaling when items did not apply."""


def worked_example(rubric: Rubric) -> Example:
    """Fill a sample document with fixed answers and score it with scoring_py."""
    uses_types = any(i.applies_to for c in rubric.criteria for i in c.items)
    unit_type = rubric.unit_types[0].id if uses_types and rubric.unit_types else None
    doc = document.template(rubric, name="Đơn vị minh họa", unit_type=unit_type)
    own = doc["stages"]["self"]["answers"]
    appraisal = doc["stages"]["appraisal"]["answers"]
    marked_na = False
    corrected = False
    for crit in rubric.criteria:
        for item in crit.items:
            if item.applies_to and unit_type is not None and unit_type not in item.applies_to:
                continue
            answer: Any = example_answer(rubric, item)
            if item.may_be_not_applicable and not marked_na:
                answer, marked_na = document.NOT_APPLICABLE, True
            if item.given_by != "unit":
                appraisal[item.id] = answer
                continue
            own[item.id] = appraisal[item.id] = answer  # the team re-scores every item
            if needs_evidence(rubric, item):
                doc["evidence"][item.id]["documents"] = "Tài liệu kiểm chứng kèm theo báo cáo"
            if (
                not corrected
                and crit.section == "base"
                and item.kind == "score"
                and isinstance(answer, Decimal)
                and answer > 0
            ):
                appraisal[item.id] = answer - item_step(rubric, item)
                corrected = True
    for stage in (doc["stages"]["self"], doc["stages"]["appraisal"]):
        for cond in stage["conditions"].values():
            cond["value"] = False
    result = engine.score_document(rubric, document.validate(rubric, doc))
    errors = [p["message"] for p in result["problems"] if p["severity"] == "error"]
    if errors:  # pragma: no cover - would mean the example answers are wrong
        raise SiteError([f"{rubric.id}: ví dụ tính điểm không hợp lệ: {m}" for m in errors])
    final = result["stages"]["final"]
    criteria = []
    for ci, crit in enumerate(rubric.criteria):
        rows = []
        for ii, item in enumerate(crit.items):
            outcome = final["criteria"][ci]["items"][ii]
            rows.append(
                ExampleRow(
                    item,
                    describe_answer(item, own.get(item.id)),
                    describe_answer(item, appraisal.get(item.id)),
                    outcome["points"],
                    outcome["status"],
                )
            )
        part = final["criteria"][ci]
        criteria.append(ExampleCriterion(ci + 1, crit, rows, part["score"], part["max"]))
    band = None
    if result["band_id"] is not None:
        band = next(b for b in rubric.bands if b.id == result["band_id"])
    type_name = next((t.name for t in rubric.unit_types if t.id == unit_type), None)
    return Example("Đơn vị minh họa", type_name, criteria, result, band, final["base"])
