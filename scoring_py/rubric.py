"""Read a rubric from plain data (canonical JSON or parsed YAML), check it, and fingerprint it."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from . import codec
from .model import (
    Band,
    Criterion,
    EvidenceStrength,
    Field,
    Item,
    Rubric,
)
from .problems import Problem, RubricError


def parse_rubric(data: Any) -> Rubric:
    """Decode and check a rubric; raise RubricError listing every problem."""
    rubric, problems = codec.decode(Rubric, data)
    if rubric is not None:
        problems += check_rubric(rubric)
    if problems or rubric is None:
        raise RubricError(problems)
    return rubric


def load_rubric_json(text: str) -> Rubric:
    """Read a rubric from its canonical JSON text."""
    try:
        data = codec.loads(text)
    except codec.JSONError as exc:
        raise RubricError([Problem((), f"không phải JSON hợp lệ: {exc}")]) from None
    return parse_rubric(data)


def canonical(rubric: Rubric) -> dict[str, Any]:
    """Return the canonical plain-data form of a rubric (every field present)."""
    data: dict[str, Any] = codec.encode(rubric)
    return data


def canonical_json(rubric: Rubric) -> str:
    """Return the canonical JSON text: sorted keys, no spaces, exact numbers."""
    return codec.dumps(canonical(rubric))


_HASHES: dict[int, tuple[Rubric, str]] = {}
"""Fingerprints of the rubrics in use, by identity: hashing a frozen rubric (as a cache key
would) walks its whole tree, which cost more than scoring a document."""


def rubric_hash(rubric: Rubric) -> str:
    """Return "sha256:<hex>" of the canonical JSON: the rubric's content fingerprint (keys
    added to the format later are left out of it at their defaults: see model.ADDED)."""
    known = _HASHES.get(id(rubric))
    if known is not None and known[0] is rubric:
        return known[1]
    value = "sha256:" + hashlib.sha256(canonical_json(rubric).encode("utf-8")).hexdigest()
    if len(_HASHES) >= 32:
        _HASHES.clear()
    _HASHES[id(rubric)] = (rubric, value)  # the rubric is kept, so its id is not reused
    return value


def check_rubric(rubric: Rubric) -> list[Problem]:
    """Return every semantic problem of a decoded rubric (sums, numbering, bands, references:
    scoring_py/checks.py)."""
    from .checks import Checker  # it uses this module's helpers

    checker = Checker(rubric)
    checker.run()
    return checker.problems


def base_criteria(rubric: Rubric) -> Iterable[Criterion]:
    """Yield the criteria that count towards the rubric's total."""
    return (c for c in rubric.criteria if c.section == "base")


def criterion_ids(rubric: Rubric) -> list[str]:
    """The criteria's ids as the numbering expects them, in order: "1", "2", … or, numbered by
    fields, "1.1", "1.2", "2.1", … (criterion n of field f is "f.n")."""
    if rubric.numbering != "fields":
        return [str(i + 1) for i in range(len(rubric.criteria))]
    return [
        f"{fi + 1}.{k + 1}"
        for fi, fld in enumerate(rubric.fields)
        for k in range(len(fld.criteria))
    ]


def field_max(rubric: Rubric, fld: Field, unit_type: str | None = None) -> Decimal:
    """A field's maximum (for a unit of this type): the sum of the maxima of its base criteria
    (a declared `max` is checked equal to the sum for no type)."""
    inside = set(fld.criteria)
    return sum(
        (criterion_max(c, unit_type) for c in base_criteria(rubric) if c.id in inside), Decimal(0)
    )


def item_for(item: Item, unit_type: str | None) -> Item:
    """The item as it stands for a unit of this type: its variant's maximum and points where it
    has one for the type (ItemVariant), else itself."""
    if not item.by_unit_type or unit_type is None:
        return item
    variant = next((v for v in item.by_unit_type if unit_type in v.unit_types), None)
    if variant is None:
        return item
    points = {lp.id: lp.points for lp in variant.levels}
    return dataclasses.replace(
        item,
        max=variant.max,
        levels=tuple(
            dataclasses.replace(level, points=points.get(level.id, level.points))
            for level in item.levels
        ),
        per_unit=item.per_unit if variant.per_unit is None else variant.per_unit,
        thresholds=variant.thresholds or item.thresholds,
        ratio_steps=item.ratio_steps if variant.ratio_steps is None else variant.ratio_steps,
        by_unit_type=(),
    )


def criterion_max(crit: Criterion, unit_type: str | None) -> Decimal:
    """A criterion's maximum for a unit of this type (CriterionVariant), else its `max`."""
    if unit_type is not None:
        for variant in crit.by_unit_type:
            if unit_type in variant.unit_types:
                return variant.max
    return crit.max


def varied_types(rubric: Rubric) -> list[str]:
    """The unit types, in the rubric's order, that some item or criterion scores otherwise."""
    named = {t for c in rubric.criteria for v in c.by_unit_type for t in v.unit_types}
    named.update(
        t for c in rubric.criteria for i in c.items for v in i.by_unit_type for t in v.unit_types
    )
    return [t.id for t in rubric.unit_types if t.id in named]


def item_step(rubric: Rubric, item: Item) -> Decimal:
    """The scoring step of a free-score item: its own, else the rubric's default."""
    return item.step if item.step is not None else rubric.default_step


def _strength(strength: EvidenceStrength | None, required: bool | None) -> EvidenceStrength:
    if strength is not None:
        return strength
    return "expected" if required else "none"


def evidence_strength(rubric: Rubric, item: Item) -> EvidenceStrength:
    """How strongly a score of this item needs evidence: the item says, else the rubric."""
    ev = item.evidence
    if ev is not None and (ev.strength is not None or ev.required is not None):
        return _strength(ev.strength, ev.required)
    return _strength(rubric.evidence, rubric.evidence_required)


def needs_evidence(rubric: Rubric, item: Item) -> bool:
    """Whether a score of this item asks for evidence at all ("required" or "expected")."""
    return evidence_strength(rubric, item) != "none"


def top_total(rubric: Rubric, unit_type: str | None = None) -> Decimal:
    """The highest total a unit (of this type) can reach: bonus points may lift it above
    `total`."""
    if not rubric.bonus_above_total:
        return rubric.total
    bonus = (criterion_max(c, unit_type) for c in rubric.criteria if c.section == "bonus")
    return rubric.total + sum(bonus, Decimal(0))


def band_order(rubric: Rubric) -> list[Band]:
    """Return the bands from lowest to highest (an open-ended band sorts last among equals).

    Bands that share a range (their thresholds are not stated) keep the file's order read from
    the bottom, so that the highest-first lists of the pages show them as the source lists them.
    """
    index = {id(b): i for i, b in enumerate(rubric.bands)}
    return sorted(rubric.bands, key=lambda b: (b.min, b.max is None, b.max or 0, -index[id(b)]))


def shared_range(rubric: Rubric, band: Band) -> list[Band]:
    """The bands whose thresholds are not stated and that lie in the same range as `band`
    (itself included), highest first as the source lists them; empty for a stated band."""
    if band.stated:
        return []
    return [
        b
        for b in reversed(band_order(rubric))
        if not b.stated and (b.min, b.max) == (band.min, band.max)
    ]
