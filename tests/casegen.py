"""Deterministic generators of rubrics and assessment documents (for cross-runtime tests).

All randomness comes from the `random.Random` passed in. Numbers are Decimals (multiples of
0.25 or 0.5): write documents with `to_json`."""

from __future__ import annotations

import math
import pathlib
import random
from decimal import Decimal
from typing import Any

from generator.loader import load_file
from scoring_py import codec, document
from scoring_py.model import Item, Rubric
from scoring_py.rubric import canonical_json, parse_rubric

ROOT = pathlib.Path(__file__).resolve().parent.parent
QUARTER = Decimal("0.25")
KINDS = ("score", "choice", "yesno", "ratio", "steps", "deduction")
MODES = ("half_up", "half_even", "down", "up")
STEPS = (Decimal("0.25"), Decimal("0.5"), Decimal(1))
UNIT_TYPES = (("xa", "UBND xã"), ("huyen", "UBND huyện"), ("so-nganh", "Sở, ban, ngành"))
# Highest band first, as the sources list them.
BAND_IDS = ("xuat-sac", "tot", "kha", "trung-binh", "yeu")
BAND_NAMES = ("Hoàn thành xuất sắc", "Hoàn thành tốt", "Khá", "Trung bình", "Yếu")
TEXTS = (
    "",
    "Đã triển khai đầy đủ, đúng hạn.",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)"> & "trích dẫn" ‘đơn’',
    "Dòng 1\nDòng 2\tcó tab\r\n",
    '=HYPERLINK("http://x")',
    "😀 ổn \u200b",
    "Hạn chế: " + "rất dài " * 60,
)


def to_json(data: Any) -> str:
    """Write plain data (Decimals allowed) as JSON text."""
    return codec.dumps(data)


def _quarters(rng: random.Random, low: int, high: int) -> Decimal:
    return QUARTER * rng.randint(low, high)


def _rounding(rng: random.Random, of: Decimal) -> dict[str, Any]:
    """A rounding rule whose step divides `of` (rounded points must land on the maximum)."""
    steps = (Decimal("0.01"), Decimal("0.1"), QUARTER, Decimal("0.5"), Decimal(1))
    step = rng.choice([s for s in steps if of % s == 0])
    return {"step": step, "mode": rng.choice(MODES)}


def _thresholds(rng: random.Random, top: Decimal) -> list[dict[str, Any]]:
    """Thresholds from the highest down (whole, half or odd percents), one of them giving top."""
    percents = sorted(
        rng.sample([Decimal(p) for p in range(0, 101)] + [Decimal("33.3"), Decimal("66.7")], 4)
    )
    chosen = sorted(rng.sample(percents, rng.randint(1, 4)), reverse=True)
    points = [_quarters(rng, 0, int(top * 4)) for _ in chosen]
    points[rng.randrange(len(points))] = top
    return [{"at_least": p, "points": v} for p, v in zip(chosen, points, strict=True)]


def _ratio_steps(rng: random.Random, top: Decimal) -> dict[str, Any]:
    """Stepwise points that reach top by 100 %."""
    start = Decimal(rng.choice((0, 5, 10, 20, 50)))
    flat = rng.choice((None, start, start + 10))
    until = start if flat is None else flat
    first = _quarters(rng, 1, int(top * 4))
    add = rng.choice((QUARTER, Decimal("0.5"), Decimal(1)))
    room = 100 - until
    needed = max(math.ceil((top - first) / add), 1)
    every = Decimal(rng.choice([d for d in (1, 2, 5, 10) if room // d >= needed] or [1]))
    if (room // every) * add + first < top:
        first = top  # no room to climb: the flat points are the maximum
    steps: dict[str, Any] = {"start": start, "points": first, "every": every, "add": add}
    if flat is not None:
        steps["flat_until"] = flat
    return steps


def _item(rng: random.Random, item_id: str, default_step: Decimal, types: list[str]) -> dict:
    kind = rng.choice(KINDS)
    item: dict[str, Any] = {"id": item_id, "text": f"Nội dung mục {item_id}", "kind": kind}
    if kind == "score":
        step = rng.choice((None, *STEPS))
        if step is not None:
            item["step"] = step
        item["max"] = (step or default_step) * rng.randint(1, 12)
    elif kind == "choice":
        item["max"] = top = _quarters(rng, 1, 40)
        item["levels"] = [
            {"id": f"{item_id}.{j}", "text": f"Mức {j}", "points": _quarters(rng, 0, int(top * 4))}
            for j in range(1, rng.randint(2, 4) + 1)
        ]
    elif kind == "yesno":
        item["max"] = _quarters(rng, 1, 40)
    elif kind == "ratio":
        item["max"] = top = _quarters(rng, 1, 40)
        way = rng.random()
        if way < 0.25:
            item["thresholds"] = _thresholds(rng, top)
        elif way < 0.5:
            item["ratio_steps"] = _ratio_steps(rng, top)
        else:
            item["rounding"] = _rounding(rng, top)
        item["denominator"] = "hồ sơ tiếp nhận"
        item["counts"] = "hồ sơ đúng hạn"
        if rng.random() < 0.3:
            item["zero_denominator"] = "not_applicable"
    else:
        item["per_unit"] = per_unit = _quarters(rng, 1, 8)
        item["max"] = per_unit * rng.randint(1, 6) if rng.random() < 0.7 else _quarters(rng, 1, 40)
        item["counts"] = "vụ việc"
    if types and rng.random() < 0.3:
        item["applies_to"] = rng.sample(types, rng.randint(1, len(types)))
    if rng.random() < 0.2:
        item["may_be_not_applicable"] = True
    if rng.random() < 0.12:
        item["given_by"] = rng.choice(("appraiser", "superior", "survey"))
    if rng.random() < 0.25:
        item["evidence"] = {"required": rng.random() < 0.6, "prepare": ["Báo cáo", "Biên bản"]}
    return item


VARIED_KINDS = ("yesno", "choice", "steps", "deduction")
"""Kinds whose maximum can move by any quarter (no step or rounding to land on)."""


def _variant(rng: random.Random, item: dict[str, Any], types: list[str], top: Decimal) -> dict:
    """Other points of an item for some unit types, with the maximum `top`."""
    allowed = item.get("applies_to") or types
    variant: dict[str, Any] = {"unit_types": rng.sample(allowed, rng.randint(1, len(allowed)))}
    variant["max"] = top
    if item["kind"] == "choice":
        variant["levels"] = [
            {"id": lv["id"], "points": _quarters(rng, 0, int(top * 4))} for lv in item["levels"]
        ]
    elif item["kind"] in ("steps", "deduction") and rng.random() < 0.5:
        variant["per_unit"] = _quarters(rng, 1, 8)
    elif item.get("thresholds"):
        variant["thresholds"] = _thresholds(rng, top)
    elif item.get("ratio_steps"):
        variant["ratio_steps"] = _ratio_steps(rng, top)
    return variant


def _vary(rng: random.Random, items: list[dict[str, Any]], types: list[str]) -> None:
    """Now and then, points by unit type: one item's maximum moves up by some quarters for some
    types and another's down as much (the criterion's sum stays), or a ratio scored by
    thresholds or steps gets its own for some types."""
    if not types:
        return
    movable = [i for i in items if i["kind"] in VARIED_KINDS and not i.get("applies_to")]
    if len(movable) >= 2 and rng.random() < 0.35:
        up, down = rng.sample(movable, 2)
        if down["max"] > QUARTER:
            delta = _quarters(rng, 1, int(down["max"] * 4) - 1)
            first = _variant(rng, up, types, up["max"] + delta)
            second = _variant(rng, down, types, down["max"] - delta)
            second["unit_types"] = first["unit_types"]
            up["by_unit_type"], down["by_unit_type"] = [first], [second]
    for item in items:
        if (item.get("thresholds") or item.get("ratio_steps")) and rng.random() < 0.3:
            item["by_unit_type"] = [_variant(rng, item, types, item["max"])]


def _criterion(rng: random.Random, number: int, section: str, default_step: Decimal, types):
    cid = str(number)
    items = [_item(rng, f"{cid}.{k}", default_step, types) for k in range(1, rng.randint(1, 4) + 1)]
    _vary(rng, items, types)
    item_sum = sum((i["max"] for i in items), Decimal(0))
    top = item_sum if section == "base" else _quarters(rng, 1, int(item_sum * 4))
    crit = {"id": cid, "title": f"Tiêu chí {cid}", "max": top, "items": items, "section": section}
    if section == "base" and item_sum > QUARTER and rng.random() < 0.2:
        crit.update(max=_quarters(rng, 1, int(item_sum * 4) - 1), capped=True)
    if section != "base" and types and rng.random() < 0.3:  # a cap of its own for some types
        crit["by_unit_type"] = [
            {"unit_types": [rng.choice(types)], "max": _quarters(rng, 1, int(item_sum * 4))}
        ]
    return crit


def _bands(rng: random.Random, total: Decimal) -> list[dict[str, Any]]:
    candidates = [Decimal(i) / 2 for i in range(1, int(total * 2) + 1)]
    count = rng.randint(1, min(len(BAND_NAMES), len(candidates) + 1))
    lows = [Decimal(0), *sorted(rng.sample(candidates, count - 1))]
    highs = [*lows[1:], None]
    named = zip(BAND_IDS[:count][::-1], BAND_NAMES[:count][::-1], strict=True)  # lowest first
    bands = [
        {"id": band_id, "name": name, "min": low, "max": high}
        for (band_id, name), low, high in zip(named, lows, highs, strict=True)
    ]
    if count > 1 and rng.random() < 0.3:
        rng.choice(bands).update(stated=False, note="Văn bản không nêu ngưỡng của mức này.")
    return bands[::-1]


def _overrides(
    rng: random.Random, bands: list[dict[str, Any]], criteria: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    stated = [b["id"] for b in bands if b.get("stated", True)]
    effects = ("force", "cap", "unclassifiable") if stated else ("unclassifiable",)
    items = [i for c in criteria for i in c["items"]]
    overrides = []
    for n in range(1, rng.randint(1, 3) + 1):
        effect = rng.choice(effects)
        ovr: dict[str, Any] = dict(id=f"dk-{n}", effect=effect, reason=f"Lý do {n}")
        if rng.random() < 0.5:
            ovr["question"] = f"Điều kiện {n}?"
        elif rng.random() < 0.5:  # a rule on a criterion's share of its maximum
            share = rng.choice((Decimal(50), Decimal(80), Decimal(100), Decimal("33.3")))
            ovr["when"] = {"criterion": rng.choice(criteria)["id"], "below_percent": share}
        else:  # a rule on an item's points
            item = rng.choice(items)
            rule: dict[str, Any] = {"item": item["id"]}
            if rng.random() < 0.5:
                rule["at_most"] = rng.choice((Decimal(0), item["max"] / 2))
            else:
                rule["below_percent"] = rng.choice((Decimal(50), Decimal(100)))
            ovr["when"] = rule
        if effect != "unclassifiable":
            ovr["band"] = rng.choice(stated)
        overrides.append(ovr)
    return overrides


def random_rubric(rng: random.Random) -> dict[str, Any]:
    """Return a valid rubric as plain data (it passes `parse_rubric`)."""
    default_step = rng.choice(STEPS)
    types = [t for t in UNIT_TYPES if rng.random() < 0.7] if rng.random() < 0.4 else []
    type_ids = [t[0] for t in types]
    extra = rng.randint(0, 5)
    sections = ["base", *(rng.choice(("base", "base", "bonus", "penalty")) for _ in range(extra))]
    criteria = [_criterion(rng, n, s, default_step, type_ids) for n, s in enumerate(sections, 1)]
    total = sum((c["max"] for c in criteria if c["section"] == "base"), Decimal(0))
    data: dict[str, Any] = {
        "format": 1,
        "id": f"ngau-nhien-{rng.randint(1, 9999)}",
        "version": f"2024.{rng.randint(1, 9)}",
        "title": "Thang điểm ngẫu nhiên <i>thử</i>",
        "province": "Tỉnh Thử",
        "legal": {
            "number": "01/2024/QĐ-UBND",
            "title": "Quy định thử",
            "issuer": "UBND tỉnh Thử",
            "status": rng.choice(("in_force", "replaced", "draft")),
            "source": "casegen",
            "date": rng.choice((None, "2024-01-08")),
        },
        "scope": "Các cơ quan, đơn vị",
        "total": total,
        "default_step": default_step,
        "evidence_required": rng.random() < 0.3,
        "bonus_above_total": rng.random() < 0.3,
        "criteria": criteria,
        "unit_types": [{"id": i, "name": n} for i, n in types],
    }
    if rng.random() < 0.8:
        data["bands"] = _bands(rng, total)
    else:
        data["bands_note"] = "Văn bản nguồn không quy định mức xếp loại."
    items = [i for c in criteria for i in c["items"]]
    needs_rule = any(
        i.get("applies_to") or i.get("may_be_not_applicable") or i.get("zero_denominator")
        for i in items
    )
    if needs_rule or rng.random() < 0.2:
        rule = {"method": "none", "text": "Mục không áp dụng được 0 điểm"}
        if rng.random() < 0.6:
            rule = {"method": "proportional", "text": "Tỷ lệ", "rounding": _rounding(rng, total)}
        data["not_applicable"] = rule
    if rng.random() < 0.4:
        _group_into_fields(rng, data)
    rule = data.get("not_applicable")
    if rule and rule["method"] == "proportional" and rng.random() < 0.5:
        rule["scope"] = rng.choice(("criterion", "field") if data.get("fields") else ("criterion",))
    if rng.random() < 0.3:  # the result as an index in percent, sometimes with bands on it
        data["index"] = {
            "rounding": {
                "step": rng.choice((*STEPS[:1], Decimal("0.01"))),
                "mode": rng.choice(MODES),
            }
        }
        if "bands" in data and rng.random() < 0.5:
            data["index"]["bands"] = True
            data["bands"] = _bands(rng, Decimal(100))
    if rng.random() < 0.5:  # after the renumbering: rules name criteria and items by id
        data["overrides"] = _overrides(rng, data.get("bands", []), criteria)
    parse_rubric(data)  # fail here, not in the tests, if the generator breaks a rule
    return data


def _renumber(entry: dict[str, Any], old: str, new: str) -> None:
    """Give an entry and everything under it ids starting with `new` instead of `old`."""
    entry["id"] = new + entry["id"][len(old) :]
    points = (lp for v in entry.get("by_unit_type", ()) for lp in v.get("levels", ()))
    for child in (*entry.get("items", ()), *entry.get("levels", ()), *points):
        _renumber(child, old, new)


def _group_into_fields(rng: random.Random, data: dict[str, Any]) -> None:
    """Put the criteria into fields (lĩnh vực), numbered in three levels or not, sometimes with
    the field's maximum declared."""
    criteria = data["criteria"]
    cuts = sorted(rng.sample(range(1, len(criteria)), rng.randint(0, len(criteria) - 1)))
    groups = [criteria[a:b] for a, b in zip([0, *cuts], [*cuts, len(criteria)], strict=True)]
    nested = rng.random() < 0.7
    fields = []
    for fi, group in enumerate(groups, 1):
        if nested:
            for k, crit in enumerate(group, 1):
                _renumber(crit, crit["id"], f"{fi}.{k}")
        fld: dict[str, Any] = {
            "id": str(fi) if nested else "ABCDEFG"[fi - 1],
            "title": f"Lĩnh vực {fi}",
            "criteria": [c["id"] for c in group],
        }
        if rng.random() < 0.5:
            base = [c["max"] for c in group if c["section"] == "base"]
            if base:
                fld["max"] = sum(base, Decimal(0))
        fields.append(fld)
    data["fields"] = fields
    if nested:
        data["numbering"] = "fields"


def valid_answer(rng: random.Random, rubric: Rubric, item: Item) -> Any:
    """A random answer within the item's rules."""
    if item.kind == "score":
        step = item.step or rubric.default_step
        return step * rng.randint(0, int(item.max / step))
    if item.kind == "choice":
        return rng.choice(item.levels).id
    if item.kind == "yesno":
        return rng.random() < 0.6
    if item.kind == "ratio":
        if item.zero_denominator == "not_applicable" and rng.random() < 0.2:
            return {"numerator": 0, "denominator": 0}  # "không phát sinh"
        den = rng.randint(1, 40)
        return {"numerator": rng.randint(0, den), "denominator": den}
    return rng.choice((0, 1, 2, 3, 5, 9, Decimal("2.0")))


def _invalid_answer(rng: random.Random, rubric: Rubric, item: Item) -> Any:
    step = (item.step or rubric.default_step) if item.kind == "score" else QUARTER
    common = [item.max + step, -step, "mười", True, "na"]
    by_kind: dict[str, list[Any]] = {
        "score": [step / 2, Decimal("1e-9"), {"numerator": 1, "denominator": 2}],
        "choice": ["9.9.9", f"{item.id}.0", 1],
        "yesno": [1, "có", None],
        "ratio": [
            *({"numerator": n, "denominator": d} for n, d in ((5, 0), (7, 3), (-1, 2), ("a", 2))),
            *({}, Decimal("0.5")),
        ],
        "steps": [-1, Decimal("1.5"), "hai", 10**12],
        "deduction": [-3, Decimal("0.5"), "ba", 10**12],
    }
    return rng.choice(common + by_kind[item.kind])


def _answers(rng: random.Random, rubric: Rubric, answers: dict[str, Any], fill: float) -> None:
    for item in (i for c in rubric.criteria for i in c.items):
        roll = rng.random()
        if roll < fill:
            answers[item.id] = valid_answer(rng, rubric, item)
        elif roll < fill + 0.12:
            answers[item.id] = _invalid_answer(rng, rubric, item)
        elif roll < fill + 0.2:
            answers[item.id] = "na"
        # else: left unanswered (null)
    if rng.random() < 0.1:
        answers["99.1"] = 1  # unknown item id
    if rng.random() < 0.02:
        answers[rng.choice(list(answers))] = rng.choice(([1, 2], {"numerator": 1, "x": 2}))


def random_document(rng: random.Random, rubric: Rubric) -> dict[str, Any]:
    """Return a template document filled with valid, missing and invalid answers."""
    type_ids = [t.id for t in rubric.unit_types]
    unit_type = rng.choice([None, *type_ids]) if type_ids else None
    doc = document.template(rubric, name=rng.choice(TEXTS[1:4]), unit_type=unit_type)
    doc["unit"]["year"] = rng.choice((None, 2023, 2024))
    stages = doc["stages"]
    _answers(rng, rubric, stages["self"]["answers"], rng.uniform(0.4, 0.9))
    if rng.random() < 0.65:
        _answers(rng, rubric, stages["appraisal"]["answers"], rng.uniform(0.1, 0.9))
    for stage in stages.values():
        for cond in stage["conditions"].values():
            cond["value"] = rng.choice((None, True, False, False))
            cond["note"] = rng.choice(TEXTS)
        if rng.random() < 0.05:
            stage["conditions"]["khong-co"] = {"value": True, "note": ""}
    for ev in doc["evidence"].values():
        if rng.random() < 0.5:
            ev.update(documents=rng.choice(TEXTS), explanation=rng.choice(TEXTS))
    for rep in doc["report"].values():
        rep.update(done_well=rng.choice(TEXTS), shortcomings=rng.choice(TEXTS))
    doc["proposed_band"] = rng.choice(("", "Tốt", "<script>alert(1)</script>"))
    _break_envelope(rng, doc)
    return doc


def _break_envelope(rng: random.Random, doc: dict[str, Any]) -> None:
    """Now and then, damage a part other than the answers (the document is then rejected)."""
    breaks = [
        lambda: doc["unit"].update(type="khong-co"),
        lambda: doc["unit"].update(year=rng.choice((1800, "2024", True))),
        lambda: doc["rubric"].update(version="0.0"),
        lambda: doc.update(extra=1),
        lambda: next(iter(doc["report"].values())).update(done_well="x" * (document.MAX_TEXT + 1)),
        lambda: doc["stages"]["self"]["conditions"].update(x={"value": "có", "note": ""}),
        lambda: doc["rubric"].update(hash=None),
    ]
    if rng.random() < 0.1:
        rng.choice(breaks)()


def full_marks(rubric: Rubric, item: Item) -> Any:
    """The answer that gives an item its maximum."""
    if item.kind == "score":
        return item.max
    if item.kind == "choice":
        return max(item.levels, key=lambda level: level.points).id
    if item.kind == "yesno":
        return True
    if item.kind == "ratio":
        best = next((t for t in item.thresholds if t.points == item.max), None)
        if best is not None:  # the threshold that gives the maximum (not always the highest)
            return {"numerator": best.at_least, "denominator": 100}
        return {"numerator": 1, "denominator": 1}
    if item.kind == "steps":
        return math.ceil(item.max / (item.per_unit or 1))
    return 0


def fixed_cases() -> list[tuple[str, str, str]]:
    """Return (label, rubric JSON, document JSON) for each rubric of rubrics/ and some documents."""
    cases = []
    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        rubric = load_file(path)
        rubric_json = canonical_json(rubric)
        first_type = rubric.unit_types[0].id if rubric.unit_types else None
        full = document.template(rubric, name="Đơn vị đạt điểm tối đa", unit_type=first_type)
        for item in (i for c in rubric.criteria for i in c.items):
            answer = full_marks(rubric, item)
            if item.given_by == "unit":
                full["stages"]["self"]["answers"][item.id] = answer
            full["stages"]["appraisal"]["answers"][item.id] = answer
        rng = random.Random(path.stem)
        mixed = random_document(rng, rubric)
        cases += [
            (f"{path.stem}/day-du", rubric_json, to_json(full)),
            (f"{path.stem}/hon-hop", rubric_json, to_json(mixed)),
            (f"{path.stem}/trong", rubric_json, to_json(document.template(rubric))),
        ]
    return cases
