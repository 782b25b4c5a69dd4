"""The not-applicable rule applied to a stage's base criteria: rescaled per criterion, field or
in total (NotApplicableRule.scope), rounded once from the exact parts; each field's subtotal;
and the result as an index in percent (Rubric.index)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .model import Rounding, Rubric
from .points import round_to
from .rubric import criterion_max, field_max
from .shapes import CriterionResult, FieldResult

ZERO = Decimal(0)


def field_results(rubric: Rubric, criteria: list[CriterionResult]) -> list[FieldResult]:
    """Each field's subtotal: the scores and maxima of its base criteria."""
    out: list[FieldResult] = []
    for fld in rubric.fields:
        inside = [c for c in criteria if c["id"] in fld.criteria and c["section"] == "base"]
        score = sum((c["score"] for c in inside), ZERO)
        top = sum((c["max"] for c in inside), ZERO)
        out.append(
            {
                "id": fld.id,
                "title": fld.title,
                "score": score,
                "max": top,
                "raw_score": score,
                "applicable_max": top,
                "rescaled": False,
                "criteria": list(fld.criteria),
            }
        )
    return out


def rescale_stage(
    rubric: Rubric, criteria: list[CriterionResult], unit_type: str | None
) -> tuple[Decimal, Fraction, bool, list[FieldResult]]:
    """Apply the not-applicable rule to a stage's base criteria: (the base total, the same
    exact before its one rounding, whether anything was rescaled, the fields' results).

    A "proportional" rule rescales where its scope says (NotApplicableRule.scope): each
    criterion or field whose items apply only in part gets its points × its maximum ÷ the
    maximum that applies (shown rounded, counted exact); one where nothing applies is left out;
    then the total, over the maximum of what remains, unless that is `total` already. The base
    total is rounded once, from the exact sum.
    """
    raw = sum((c["score"] for c in criteria if c["section"] == "base"), ZERO)
    rule = rubric.not_applicable
    if rule is None or rule.method != "proportional":
        return raw, Fraction(raw), False, field_results(rubric, criteria)
    assert rule.rounding is not None  # guaranteed by check_rubric
    parts: list[tuple[CriterionResult | FieldResult, Decimal]] = []
    if rule.scope == "criterion":
        models = {c.id: c for c in rubric.criteria}
        parts = [
            (c, criterion_max(models[c["id"]], unit_type))
            for c in criteria
            if c["section"] == "base"
        ]
    fields = field_results(rubric, criteria)  # after the criteria's rescale, below
    exact = Fraction(0)
    counted = ZERO
    rescaled = False
    for part, full in parts:
        got, counted_part, changed = _rescale_part(part, full, rule.rounding)
        exact, counted, rescaled = exact + got, counted + counted_part, rescaled or changed
    if rule.scope == "criterion":
        fields = field_results(rubric, criteria)
    elif rule.scope == "field" and rubric.fields:
        for fld, model in zip(fields, rubric.fields, strict=True):
            got, counted_part, changed = _rescale_part(
                fld, field_max(rubric, model, unit_type), rule.rounding
            )
            exact, counted, rescaled = exact + got, counted + counted_part, rescaled or changed
    else:
        exact = Fraction(raw)
        counted = sum((c["max"] for c in criteria if c["section"] == "base"), ZERO)
    if counted != rubric.total:
        rescaled = True
        exact = exact * Fraction(rubric.total) / Fraction(counted) if counted else Fraction(0)
    if not rescaled:
        return raw, exact, False, fields
    return round_to(exact, rule.rounding), exact, True, fields


def _rescale_part(
    part: CriterionResult | FieldResult, full: Decimal, rounding: Rounding
) -> tuple[Fraction, Decimal, bool]:
    """Rescale one criterion or field onto its full maximum, in place: (its exact points, the
    maximum it counts for above it, whether it changed). Nothing applicable: it counts for
    nothing, and the level above rescales over what remains."""
    points, applicable = Fraction(part["raw_score"]), part["applicable_max"]
    if applicable == full:
        return points, full, False
    if applicable == 0:
        return Fraction(0), ZERO, True
    exact = points * Fraction(full) / Fraction(applicable)
    part["score"] = round_to(exact, rounding)
    part["max"] = full
    part["rescaled"] = True
    return exact, full, True


def index_of(rubric: Rubric, exact_total: Fraction, applicable_max: Decimal) -> Decimal | None:
    """The result as an index in percent (Rubric.index), rounded once from the exact total:
    over `total` when a "proportional" rule has rescaled it onto `total`, else over the maximum
    of the items that apply. None without an index rule, or when nothing applies."""
    if rubric.index is None:
        return None
    rule = rubric.not_applicable
    proportional = rule is not None and rule.method == "proportional"
    over = rubric.total if proportional and applicable_max > 0 else applicable_max
    if over == 0:
        return None
    return round_to(exact_total * 100 / Fraction(over), rubric.index.rounding)
