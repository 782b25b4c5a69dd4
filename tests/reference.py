"""An independent reference scorer, written from the rules in README ("Cách tính điểm"), not
from scoring_py: plain loops over the rubric's plain data, exact fractions, one rounding.

It shares no code with scoring_py. The property tests score random rubrics and documents with
both and require the same points, totals, bands and statuses, so that a rule the engine gets
wrong (a quotient cut short, a value taken from the wrong stage) shows as a difference.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

Number = Fraction


def _round(value: Fraction, step: Fraction, mode: str) -> Fraction:
    """Round to a multiple of step: half_up (ties away from 0), half_even, down (toward 0), up."""
    units = value / step
    low = math.floor(units)
    high = math.ceil(units)
    if low == high:
        return units * step
    toward, away = (low, high) if units > 0 else (high, low)
    if mode == "down":
        chosen = toward
    elif mode == "up":
        chosen = away
    elif units - low != Fraction(1, 2):
        chosen = low if units - low < Fraction(1, 2) else high
    elif mode == "half_even":
        chosen = low if low % 2 == 0 else high
    else:
        chosen = away
    return chosen * step


def _number(value: Any) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    return Fraction(value)


def for_type(entry: dict[str, Any], unit_type: str | None) -> dict[str, Any]:
    """An item or criterion as it stands for a unit type: the keys its `by_unit_type` entry
    for that type gives replace its own; a level's points come by its id."""
    for variant in entry.get("by_unit_type") or []:
        if unit_type is not None and unit_type in variant["unit_types"]:
            out = dict(entry)
            for key, value in variant.items():
                if key == "levels":
                    points = {lp["id"]: lp["points"] for lp in value}
                    out["levels"] = [lv | {"points": points[lv["id"]]} for lv in entry["levels"]]
                elif key != "unit_types" and value not in (None, []):
                    out[key] = value
            return out
    return entry


def item_points(
    rubric: dict[str, Any], item: dict[str, Any], answer: Any, unit_type: str | None, stage: str
) -> tuple[Fraction | None, str]:
    """(points, status) of one answer; status as the engine names it."""
    item = for_type(item, unit_type)
    top = Fraction(item["max"])
    kind = item.get("kind", "score")
    applies = item.get("applies_to") or []
    if applies and unit_type is not None and unit_type not in applies:
        return None, "excluded"
    if stage == "self" and item.get("given_by", "unit") != "unit":
        return None, "reserved"
    if answer is None:
        return None, "missing"
    if answer == "na":
        return (None, "not_applicable") if item.get("may_be_not_applicable") else (None, "invalid")
    if kind == "choice":
        for level in item["levels"]:
            if isinstance(answer, str) and level["id"] == answer:
                return Fraction(level["points"]), "answered"
        return None, "invalid"
    if kind == "yesno":
        if not isinstance(answer, bool):
            return None, "invalid"
        return (top if answer else Fraction(0)), "answered"
    if kind == "ratio":
        if not isinstance(answer, dict):
            return None, "invalid"
        num = _number(answer.get("numerator"))
        den = _number(answer.get("denominator"))
        if num == den == 0 and item.get("zero_denominator") == "not_applicable":
            return None, "not_applicable"  # 0 out of 0: "không phát sinh"
        if num is None or den is None or den <= 0 or num < 0 or num > den:
            return None, "invalid"
        return _ratio_points(item, num, den), "answered"
    if kind in ("steps", "deduction"):
        count = _number(answer)
        if count is None or count.denominator != 1 or count < 0:
            return None, "invalid"
        per = Fraction(item["per_unit"])
        if kind == "steps":
            return min(per * count, top), "answered"
        return max(top - per * count, Fraction(0)), "answered"
    value = _number(answer)
    step = Fraction(item.get("step") or rubric.get("default_step", Decimal("0.5")))
    if value is None or value < 0 or value > top or (value / step).denominator != 1:
        return None, "invalid"
    return value, "answered"


def _ratio_points(item: dict[str, Any], num: Fraction, den: Fraction) -> Fraction:
    """A ratio's points: by thresholds, stepwise from a starting threshold, or num/den × max."""
    top = Fraction(item["max"])
    percent = num / den * 100
    thresholds = item.get("thresholds") or []
    if thresholds:
        # The highest threshold the ratio reaches, whatever order they are written in.
        reached = [t for t in thresholds if percent >= Fraction(t["at_least"])]
        if not reached:
            return Fraction(0)
        return Fraction(max(reached, key=lambda t: Fraction(t["at_least"]))["points"])
    steps = item.get("ratio_steps")
    if steps:
        if percent < Fraction(steps["start"]):
            return Fraction(0)
        flat = steps.get("flat_until")
        level = Fraction(steps["start"] if flat is None else flat) + Fraction(steps["every"])
        points = Fraction(steps["points"])
        while level <= percent:  # one more full step reached
            points += Fraction(steps["add"])
            level += Fraction(steps["every"])
        return min(points, top)
    rounding = item["rounding"]
    return _round(num * top / den, Fraction(rounding["step"]), rounding.get("mode", "half_up"))


def band_of(rubric: dict[str, Any], total: Fraction, conditions: dict[str, Any]) -> str | None:
    """The band id a total gets, with the overrides whose condition is true."""
    held = [
        o
        for o in rubric.get("overrides", [])
        if isinstance(conditions.get(o["id"]), dict) and conditions[o["id"]].get("value") is True
    ]
    if any(o["effect"] == "unclassifiable" for o in held):
        return None
    bands = rubric.get("bands", [])
    if not bands:
        return None
    ordered = sorted(bands, key=lambda b: Fraction(b["min"]))  # lowest first
    found = None
    for band in ordered:
        upper = band.get("max")
        if Fraction(band["min"]) <= total and (upper is None or total < Fraction(upper)):
            found = band
    if found is None:
        return None
    for o in held:
        if o["effect"] == "force":
            return str(o["band"])
    position = [b["id"] for b in ordered]
    for o in held:
        if o["effect"] == "cap" and position.index(o["band"]) < position.index(found["id"]):
            found = ordered[position.index(o["band"])]
    return str(found["id"]) if found.get("stated", True) else None


def score_stage(
    rubric: dict[str, Any],
    answers: dict[str, Any],
    conditions: dict[str, Any],
    unit_type: str | None,
    stage: str,
) -> dict[str, Any]:
    """Points per item, score per criterion, total and band of one stage's answers."""
    items: dict[str, tuple[Fraction | None, str]] = {}
    sections = {"base": Fraction(0), "bonus": Fraction(0), "penalty": Fraction(0)}
    applicable = Fraction(0)
    criteria = {}
    maxima = {}
    for crit in (for_type(c, unit_type) for c in rubric["criteria"]):
        points = Fraction(0)
        counted_max = Fraction(0)
        for item in crit["items"]:
            got, status = item_points(rubric, item, answers.get(item["id"]), unit_type, stage)
            items[item["id"]] = (got, status)
            if status not in ("not_applicable", "excluded"):
                counted_max += Fraction(for_type(item, unit_type)["max"])
            if got is not None:
                points += got
        section = crit.get("section", "base")
        if section == "base" and crit.get("capped"):
            points = min(points, Fraction(crit["max"]))
            counted_max = min(counted_max, Fraction(crit["max"]))
        if section == "base":
            applicable += counted_max
            criteria[crit["id"]] = points
            maxima[crit["id"]] = counted_max
        else:
            criteria[crit["id"]] = min(points, Fraction(crit["max"]))
        sections[section] += criteria[crit["id"]]
    full = Fraction(rubric["total"])
    base = sections["base"]
    exact = base
    rule = rubric.get("not_applicable")
    shown = dict(criteria)  # each criterion's points as shown: rescaled ones rounded
    shown_max = dict(maxima)
    # The fields' (points, applicable maximum, full maximum) before any rescale of theirs.
    field_parts = {
        fld["id"]: [
            c for c in rubric["criteria"] if c["id"] in fld["criteria"] and c["id"] in maxima
        ]
        for fld in rubric.get("fields", [])
    }
    field_shown: dict[str, tuple[Fraction, Fraction]] = {}
    if rule and rule["method"] == "proportional":
        step = Fraction(rule["rounding"]["step"])
        mode = rule["rounding"].get("mode", "half_up")
        scope = rule.get("scope", "total")

        def full_of(crit: dict[str, Any]) -> Fraction:
            return Fraction(for_type(crit, unit_type)["max"])

        # The parts rescaled first, each (points, applicable maximum, full maximum).
        if scope == "criterion":
            parts = {
                c["id"]: (criteria[c["id"]], maxima[c["id"]], full_of(c))
                for c in rubric["criteria"]
                if c["id"] in maxima
            }
        elif scope == "field":
            parts = {
                fid: (
                    sum((criteria[c["id"]] for c in inside), Fraction(0)),
                    sum((maxima[c["id"]] for c in inside), Fraction(0)),
                    sum((full_of(c) for c in inside), Fraction(0)),
                )
                for fid, inside in field_parts.items()
            }
        else:
            parts = {"": (base, applicable, full)}
        changed = False
        exact = Fraction(0)
        counted = Fraction(0)
        for key, (got, of, whole) in parts.items():
            if of == whole:
                exact += got
                counted += whole
                continue
            changed = True
            if of == 0:  # nothing applies: left out
                continue
            exact += got * whole / of
            counted += whole
            if scope == "criterion":
                shown[key] = _round(got * whole / of, step, mode)
                shown_max[key] = whole
            elif scope == "field":
                field_shown[key] = (_round(got * whole / of, step, mode), whole)
        if counted != full:
            changed = True
            exact = exact * full / counted if counted else Fraction(0)
        if changed:
            base = _round(exact, step, mode)
    top = full
    if rubric.get("bonus_above_total"):
        top += sum(
            (
                Fraction(for_type(c, unit_type)["max"])
                for c in rubric["criteria"]
                if c.get("section") == "bonus"
            ),
            Fraction(0),
        )
    added = sections["bonus"] - sections["penalty"]
    total = min(max(base + added, Fraction(0)), top)
    # The index: the exact total over `total` when rescaled onto it, else over what applies.
    index = None
    if rubric.get("index"):
        proportional = bool(rule) and rule["method"] == "proportional"
        over = full if proportional and applicable > 0 else applicable
        if over:
            exact_total = min(max(exact + added, Fraction(0)), top)
            rounding = rubric["index"]["rounding"]
            index = _round(
                exact_total * 100 / over,
                Fraction(rounding["step"]),
                rounding.get("mode", "half_up"),
            )
    # A field's subtotal: its base criteria's scores (as shown) out of their maxima.
    fields = {
        fld["id"]: field_shown.get(
            fld["id"],
            (
                sum((shown[c["id"]] for c in field_parts[fld["id"]]), Fraction(0)),
                sum((shown_max[c["id"]] for c in field_parts[fld["id"]]), Fraction(0)),
            ),
        )
        for fld in rubric.get("fields", [])
    }
    # Overrides asked as questions hold by their answers; those with a rule on the scores
    # ("when") by the scores, once every item they look at is settled.
    asked = {o["id"] for o in rubric.get("overrides", []) if o.get("when") is None}
    holding = {k: v for k, v in conditions.items() if k in asked}
    settled = ("answered", "not_applicable", "excluded")
    for override in rubric.get("overrides", []):
        rule = override.get("when")
        if rule is None:
            continue
        if rule.get("criterion") is not None:
            crit = next(c for c in rubric["criteria"] if c["id"] == rule["criterion"])
            statuses = [items[i["id"]][1] for i in crit["items"]]
            if "answered" not in statuses or any(s not in settled for s in statuses):
                continue
            top = maxima.get(crit["id"], Fraction(for_type(crit, unit_type)["max"]))
            got = criteria[crit["id"]]
        else:
            item = next(
                i for c in rubric["criteria"] for i in c["items"] if i["id"] == rule["item"]
            )
            got, status = items[item["id"]]
            if status != "answered" or got is None:
                continue
            top = Fraction(for_type(item, unit_type)["max"])
        if rule.get("at_most") is not None:
            holds = got <= Fraction(rule["at_most"])
        else:
            holds = top > 0 and got / top < Fraction(rule["below_percent"]) / 100
        if holds:
            holding[override["id"]] = {"value": True}
    on_index = bool(rubric.get("index")) and rubric["index"].get("bands", False)
    return {
        "items": items,
        "criteria": {c: shown.get(c, v) for c, v in criteria.items()},
        "fields": fields,
        "total": total,
        "index": index,
        "band": band_of(rubric, (index or Fraction(0)) if on_index else total, holding),
    }


def score(rubric: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """Every stage, the status and the final result of a (normalised) document."""
    unit_type = doc["unit"].get("type")
    own = doc["stages"]["self"]
    team = doc["stages"]["appraisal"]
    result: dict[str, Any] = {
        "self": score_stage(rubric, own["answers"], own["conditions"], unit_type, "self")
    }
    started = any(v is not None for v in team["answers"].values()) or any(
        c.get("value") is not None or c.get("note", "").strip() for c in team["conditions"].values()
    )
    if not started:
        result["appraisal"] = None
        result["final"] = result["self"]
        result["status"] = "self"
        return result
    result["appraisal"] = score_stage(
        rubric, team["answers"], team["conditions"], unit_type, "appraisal"
    )
    reserved = {
        i["id"]
        for c in rubric["criteria"]
        for i in c["items"]
        if i.get("given_by", "unit") != "unit"
    }
    answers = {k: v for k, v in own["answers"].items() if k not in reserved}
    for key, value in team["answers"].items():
        if value is not None:
            answers[key] = value
    conditions = dict(own["conditions"])
    for key, cond in team["conditions"].items():
        if cond.get("value") is not None:
            conditions[key] = cond
    result["final"] = score_stage(rubric, answers, conditions, unit_type, "final")
    statuses = [s for _, s in result["appraisal"]["items"].values() if s != "excluded"]
    done = sum(1 for s in statuses if s in ("answered", "not_applicable"))
    result["progress"] = (done, len(statuses))
    result["status"] = "appraised" if done == len(statuses) else "appraising"
    if result["status"] == "appraising":
        result["appraisal"] = result["appraisal"] | {"band": None}
        result["final"] = result["final"] | {"band": None}
    return result
