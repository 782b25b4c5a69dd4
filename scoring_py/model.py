"""The rubric model: one frozen dataclass per concept of a rubric file (rubrics/*.yaml).

The field names are the keys of the YAML format and of the canonical JSON; each field's
docstring is its documentation (the JSON Schema and the authors' guide are generated from it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

FORMAT_VERSION = 1
"""Version of the rubric format that this module reads and writes."""

ItemKind = Literal["score", "choice", "yesno", "ratio", "steps", "deduction"]
GivenBy = Literal["unit", "appraiser", "superior", "survey"]
Section = Literal["base", "bonus", "penalty"]
OverrideEffect = Literal["force", "cap", "unclassifiable"]
DocumentStatus = Literal["in_force", "replaced", "draft"]
RoundingMode = Literal["half_up", "half_even", "down", "up"]
RescaleMethod = Literal["proportional", "none"]
RescaleScope = Literal["total", "field", "criterion"]
"""Where a "proportional" rule rescales when items do not apply:

- "total": the base criteria's total, over the maximum of the items that apply;
- "criterion": each criterion, over the maximum of its items that apply (a criterion with none
  is left out, and the total is rescaled over the criteria that remain);
- "field": each field (lĩnh vực) likewise, over its criteria's; the total then over the fields
  that remain.
"""
Numbering = Literal["criteria", "fields"]
"""How the rubric numbers its entries:

- "criteria": criteria 1, 2, … and items "n.k" (the dân vận tables, and fields if any only
  group them);
- "fields": three levels as CCHC indexes print them: lĩnh vực 1, 2, …; tiêu chí "f.n" (criterion
  n of field f); tiêu chí thành phần "f.n.k". Needs `fields`, numbered "1", "2", … in order, and
  the criteria listed field by field.
"""
ZeroDenominator = Literal["invalid", "not_applicable"]
"""What a denominator of 0 means in a "ratio" item: "invalid" (an error: there is nothing to
divide) or "not_applicable" (the source counts it as "không phát sinh": the item is left out of
the maximum, as a unit's "không phát sinh", and the rubric's `not_applicable` rule applies)."""
EvidenceStrength = Literal["required", "expected", "none"]
"""How strongly a score needs tài liệu kiểm chứng (evidence), as the source asks:

- "required": no evidence, no points. A self-score above 0 without evidence documents counts 0
  points (an error says why); a written explanation does not stand in for the documents. An
  appraisal score is the team's own judgement of the evidence and is never set to 0.
- "expected": evidence should back the score (as Hà Nội's plan 307/KH-UBND asks). A self-score
  above 0 without evidence documents keeps its points, gives a warning, and then needs a written
  explanation (giải trình) of why there is none; the warning stays until one is written.
- "none": no evidence asked.

The older key `required: true` (item) or `evidence_required: true` (rubric) reads as "expected",
which is what it always did; `false` reads as "none".
"""

ADDED = MappingProxyType({"omit_default": True})
"""Metadata of a key added after the format's first release: the canonical JSON leaves it out
while it holds its default, so that a rubric which does not use it keeps its fingerprint and the
assessment documents made with it stay matched to it."""


@dataclass(frozen=True, slots=True)
class LegalDocument:
    """The legal document that issues the rubric."""

    number: str
    """Số hiệu văn bản, e.g. "02/2020/QĐ-UBND"."""
    title: str
    """Trích yếu: the document's title as issued."""
    issuer: str
    """Cơ quan ban hành, e.g. "UBND tỉnh Hưng Yên"."""
    status: DocumentStatus
    """"in_force" (còn hiệu lực), "replaced" (đã được thay thế) or "draft" (dự thảo)."""
    source: str
    """Where the rubric's text was taken from: a file name or an address."""
    date: str | None = None
    """Ngày ban hành, YYYY-MM-DD; null when the source does not state it."""
    effective: str | None = None
    """Ngày có hiệu lực, YYYY-MM-DD; null when the source does not state it."""
    replaces: str | None = None
    """The document this one replaces, as cited by the source."""
    replaced_by: str | None = None
    """The document that replaced this one, where known."""


@dataclass(frozen=True, slots=True)
class Rounding:
    """How a computed number of points is rounded."""

    step: Decimal
    """Round to a multiple of this number of points, e.g. 0.01 or 0.5."""
    mode: RoundingMode = "half_up"
    """"half_up" (5 rounds up), "half_even", "down" (towards 0) or "up" (away from 0)."""


@dataclass(frozen=True, slots=True)
class UnitType:
    """A kind of assessed unit (loại đơn vị), for items that apply to some kinds only."""

    id: str
    """Short identifier used in `applies_to` and in assessment documents, e.g. "xa"."""
    name: str
    """Name shown to users, e.g. "UBND xã, phường, thị trấn"."""


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a "choose one of N levels" item."""

    id: str
    """"n.k.j": level j of item n.k, as numbered in the source."""
    text: str
    """The level's full text."""
    points: Decimal
    """Points given when this level is chosen (0 to the item's maximum)."""


@dataclass(frozen=True, slots=True)
class Threshold:
    """One threshold of a "ratio" item scored by thresholds (đạt từ … % được … điểm)."""

    at_least: Decimal
    """The lowest ratio that earns these points, in percent (inclusive): 80 means 80 %."""
    points: Decimal
    """Points given from this threshold up to the next higher one (exclusive)."""


@dataclass(frozen=True, slots=True)
class RatioSteps:
    """Stepwise points of a "ratio" item from a starting threshold ("từ 10 % đến 20 % được
    1 điểm; mỗi 5 % tiếp theo cộng 0,25"), capped at the item's maximum."""

    start: Decimal
    """The lowest ratio that earns points, in percent (inclusive); below it the item scores 0."""
    points: Decimal
    """Points given from `start` up to `flat_until`."""
    every: Decimal
    """Size of a step, in percent: each further full step above `flat_until` adds `add`."""
    add: Decimal
    """Points added for each further full step of `every` percent."""
    flat_until: Decimal | None = None
    """The ratio, in percent (inclusive), up to which `points` stands and from which the steps
    are counted; null means `start`."""


@dataclass(frozen=True, slots=True)
class LevelPoints:
    """The points of one level of a "choice" item for some unit types (see ItemVariant)."""

    id: str
    """The level's id, as in the item's `levels`."""
    points: Decimal
    """Points given when this level is chosen by a unit of these types."""


@dataclass(frozen=True, slots=True)
class ItemVariant:
    """Other points of an item for some unit types, where the source gives the same item a
    different maximum (xã 2 điểm, phường 1 điểm). What a variant does not set is the item's."""

    unit_types: tuple[str, ...]
    """Ids of the unit types (unit_types) these points are for; a type is in one variant only."""
    max: Decimal
    """Điểm tối đa of the item for these unit types."""
    levels: tuple[LevelPoints, ...] = ()
    """For "choice": every level's points for these unit types, in the item's level order."""
    per_unit: Decimal | None = None
    """For "steps" and "deduction": points per occurrence for these unit types."""
    thresholds: tuple[Threshold, ...] = ()
    """For a "ratio" item scored by thresholds: its thresholds for these unit types."""
    ratio_steps: RatioSteps | None = None
    """For a "ratio" item scored stepwise: its steps for these unit types."""


@dataclass(frozen=True, slots=True)
class CriterionVariant:
    """Another maximum of a criterion for some unit types, when its items' maxima differ by
    unit type (see ItemVariant) and the source prints the criterion's maximum per type."""

    unit_types: tuple[str, ...]
    """Ids of the unit types this maximum is for."""
    max: Decimal
    """Điểm tối đa of the criterion for these unit types."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Tài liệu kiểm chứng: what must back a score."""

    strength: EvidenceStrength | None = field(default=None, metadata=ADDED)
    """"required", "expected" or "none" (see EvidenceStrength); give this or `required`."""
    required: bool | None = None
    """Older form of `strength`: true reads as "expected", false as "none"."""
    prepare: tuple[str, ...] = ()
    """Documents to prepare, one per entry."""


@dataclass(frozen=True, slots=True)
class Item:
    """A scored item (tiêu chí thành phần)."""

    id: str
    """"n.k": item k of criterion n, as numbered in the source."""
    text: str
    """The item's full text, as in the source."""
    max: Decimal
    """Điểm tối đa (thang điểm) of the item."""
    kind: ItemKind = "score"
    """"score" (free score 0..max in steps), "choice" (one of `levels`), "yesno" (max or 0),
    "ratio" (numerator/denominator × max, or by `thresholds` or `ratio_steps`), "steps"
    (`per_unit` per occurrence, capped at max) or "deduction" (max minus `per_unit` per
    occurrence, floored at 0)."""
    step: Decimal | None = None
    """For "score": the smallest increment accepted; null takes the rubric's `default_step`."""
    levels: tuple[Level, ...] = ()
    """For "choice": the levels, in the source's order."""
    per_unit: Decimal | None = None
    """For "steps" and "deduction": points per occurrence."""
    counts: str | None = None
    """For "steps", "deduction" and "ratio": what is counted, e.g. "vụ vi phạm"."""
    denominator: str | None = None
    """For "ratio": what the denominator counts, e.g. "hồ sơ tiếp nhận"."""
    rounding: Rounding | None = None
    """For "ratio" with neither `thresholds` nor `ratio_steps`: how numerator/denominator × max
    is rounded (required then)."""
    thresholds: tuple[Threshold, ...] = field(default=(), metadata=ADDED)
    """For "ratio": points by thresholds of the ratio instead of in proportion, highest threshold
    first (one of them gives `max`); a ratio below the lowest threshold scores 0."""
    ratio_steps: RatioSteps | None = field(default=None, metadata=ADDED)
    """For "ratio": stepwise points from a starting threshold instead of in proportion."""
    zero_denominator: ZeroDenominator = field(default="invalid", metadata=ADDED)
    """For "ratio": what 0 out of 0 means, "invalid" or "not_applicable" (see ZeroDenominator);
    a numerator above 0 over 0 is always an error."""
    given_by: GivenBy = "unit"
    """Who scores the item: "unit" (self-assessment), or only "appraiser", "superior" or
    "survey" (points the province enters from a survey, điều tra xã hội học or SIPAS, in the
    appraisal column: neither the unit nor the appraisal team scores them)."""
    applies_to: tuple[str, ...] = ()
    """Unit type ids the item applies to; empty means every unit type."""
    by_unit_type: tuple[ItemVariant, ...] = field(default=(), metadata=ADDED)
    """Other maxima and points for some unit types (see ItemVariant); the item's own `max` and
    points are for every other type."""
    may_be_not_applicable: bool = False
    """Whether a unit may mark the item "không phát sinh" (nothing to assess this year)."""
    evidence: Evidence | None = None
    """Evidence rule of the item; null takes the rubric's `evidence`."""
    guidance: str | None = None
    """What the report should say about this item."""
    note: str | None = None
    """A remark on the source (e.g. what it leaves unstated)."""


@dataclass(frozen=True, slots=True)
class Criterion:
    """A criterion (tiêu chí) grouping items."""

    id: str
    """"n": the criterion's number in the source."""
    title: str
    """The criterion's full title."""
    max: Decimal
    """Điểm tối đa: for "base", the sum of its items' maxima (unless `capped`); for
    "bonus"/"penalty", the cap."""
    items: tuple[Item, ...]
    """The items, in the source's order."""
    section: Section = "base"
    """"base" (counts towards `total`), "bonus" (added) or "penalty" (subtracted), capped at max."""
    capped: bool = field(default=False, metadata=ADDED)
    """For "base": `max` is below the sum of the items' maxima and caps the criterion's score
    (the source says "tối đa N điểm")."""
    by_unit_type: tuple[CriterionVariant, ...] = field(default=(), metadata=ADDED)
    """The criterion's maximum for some unit types, where its items' maxima differ by type;
    for every other type its maximum is `max`."""
    guidance: tuple[str, ...] = ()
    """What the report should cover for this criterion (đề cương), one point per entry, quoted
    exactly as the source words it."""
    report_help: str | None = field(default=None, metadata=ADDED)
    """Advice of the rubric's authors on the report, not the source's words: the guide shows it
    apart from `guidance`, marked as the tool's own."""
    note: str | None = None
    """A remark on the source."""


@dataclass(frozen=True, slots=True)
class Field:
    """An optional grouping level above criteria (lĩnh vực)."""

    id: str
    """Identifier of the field, e.g. "A"."""
    title: str
    """The field's title."""
    criteria: tuple[str, ...]
    """Ids of the criteria in this field."""
    max: Decimal | None = field(default=None, metadata=ADDED)
    """Điểm tối đa of the field, as the source prints it: must equal the sum of the maxima of its
    "base" criteria; null takes that sum. The field's subtotal is the sum of the scores of its
    "base" criteria (bonus and penalty criteria count in the total only)."""


@dataclass(frozen=True, slots=True)
class Band:
    """A classification band (mức xếp loại): lower bound inclusive, upper bound exclusive."""

    id: str
    """Short identifier, e.g. "tot"."""
    name: str
    """Name as in the source, e.g. "Hoàn thành tốt"."""
    min: Decimal
    """Lower bound, inclusive."""
    max: Decimal | None = None
    """Upper bound, exclusive; null for the top band (which includes the maximum)."""
    stated: bool = True
    """False when the source does not state this band's threshold (or states a range and no band
    for it): `min` and `max` then give only the range the band lies in, which the bands whose
    thresholds are not stated may share (e.g. "trung bình" and "yếu", both below 75, with no
    figure between them). A total in that range is not classified; no figure is invented."""
    note: str | None = None
    """What the source says of this band (e.g. conditions for emulation titles)."""


@dataclass(frozen=True, slots=True)
class Trigger:
    """What makes an override hold by itself, from the scores: a criterion or an item below a
    share of its maximum, or an item at or under some points. Give `criterion` or `item`, and
    `below_percent` or `at_most`. A band that also needs a criterion's share ("xuất sắc" needs
    criterion 3 at 80 % or more) is written as such an override: effect "cap" at the band below
    it, when criterion 3 is below 80 %."""

    criterion: str | None = None
    """The id of the criterion whose score is compared."""
    item: str | None = None
    """The id of the item whose points are compared."""
    below_percent: Decimal | None = None
    """Holds when the score is under this share of its maximum, in percent (80 means 80 %);
    the maximum is what applies to the unit."""
    at_most: Decimal | None = None
    """Holds when the points are at most this (0: the item scored nothing). For an item only."""


@dataclass(frozen=True, slots=True)
class Override:
    """A condition that changes the classification whatever the total: a yes/no question
    answered by the unit and the appraisal team, or a rule on the scores (`when`)."""

    id: str
    """Short identifier, used as a key in assessment documents."""
    effect: OverrideEffect
    """"force" (the band is `band`), "cap" (at best `band`) or "unclassifiable"
    (không đủ điều kiện xếp loại)."""
    reason: str
    """The reason shown with the result when the condition holds."""
    question: str | None = None
    """The yes/no question, as asked of the unit; give this or `when`."""
    band: str | None = None
    """For "force" and "cap": the band id."""
    when: Trigger | None = field(default=None, metadata=ADDED)
    """The rule on the scores that makes the override hold, instead of a question: it holds
    once every item it looks at is answered, and nobody answers it."""


@dataclass(frozen=True, slots=True)
class BandQuota:
    """A limit on the top band across units, applied when the province summarises them, as
    the national rule for the "hoàn thành xuất sắc" rating does: "không vượt quá 20% số được
    xếp loại hoàn thành tốt". Within each group, the units over the limit (the lowest totals
    rated `band`) move to the next band below; units tied at the limit all move, since
    nothing tells them apart (the summary names them)."""

    band: str
    """The id of the band limited (e.g. "xuat-sac")."""
    percent: Decimal
    """At most this share, in percent, of the units counted (`of`), rounded down to a whole
    number of units."""
    of: str
    """The id of the band the share is counted on: the units rated this band or higher
    (those rated `band` among them)."""
    text: str
    """The rule as its source states it, and which document states it."""
    by_type: bool = True
    """Counted in each group of unit type (true), or over all the units of the summary."""


@dataclass(frozen=True, slots=True)
class NotApplicableRule:
    """How the total is computed when items do not apply or are "không phát sinh"."""

    method: RescaleMethod
    """"proportional": total × maximum ÷ applicable maximum; "none": those items score 0."""
    text: str
    """The rule as the source states it (or that the source does not state it)."""
    rounding: Rounding | None = None
    """For "proportional": how the rescaled total is rounded (once, at the end; a rescaled
    criterion or field shows its points rounded so too)."""
    scope: RescaleScope = field(default="total", metadata=ADDED)
    """For "proportional": rescale the total, each field or each criterion (see RescaleScope)."""


@dataclass(frozen=True, slots=True)
class IndexRule:
    """The result as an index (chỉ số) in percent of the maximum that applies to the unit, as
    CCHC indexes are published: the total ÷ the maximum of the items that apply × 100 (with a
    "proportional" not-applicable rule, the rescaled total ÷ `total` × 100)."""

    rounding: Rounding
    """How the index is rounded, in percentage points (e.g. step 0.01), once, from the exact
    quotient."""
    bands: bool = False
    """Whether the bands' bounds are indexes in percent (0 to 100) instead of points."""


@dataclass(frozen=True, slots=True)
class WorkflowStep:
    """One step of the yearly cycle (tự đánh giá, thẩm định, quyết định, tổng hợp)."""

    title: str
    """What happens, e.g. "Tự đánh giá, chấm điểm"."""
    who: str
    """Who does it."""
    deadline: str | None = None
    """The deadline as the source states it, e.g. "trước ngày 15/11/2022"; null if not stated."""
    text: str | None = None
    """Details."""
    source: str | None = None
    """The document that sets this step."""


@dataclass(frozen=True, slots=True)
class Rubric:
    """An official rubric (bộ tiêu chí, thang điểm) and what the source says around it."""

    format: int
    """Version of the rubric format; must be 1."""
    id: str
    """Identifier: the file's name without ".yaml", e.g. "hung-yen-2020"."""
    version: str
    """Version of this rubric's data, e.g. "2022.1"; assessments record it."""
    title: str
    """Title shown to users."""
    province: str
    """Tỉnh, thành phố issuing the rubric."""
    legal: LegalDocument
    """The legal document that issues the rubric."""
    scope: str
    """Who is assessed (đối tượng đánh giá)."""
    total: Decimal
    """Maximum of the base criteria (usually 100)."""
    criteria: tuple[Criterion, ...]
    """The criteria, in the source's order."""
    purpose: str | None = None
    """Why units are assessed (mục đích)."""
    subject: str = field(default="công tác dân vận chính quyền", metadata=ADDED)
    """What is assessed, as the printouts say it after "Kết quả thực hiện" and "Tự đánh giá,
    xếp loại", e.g. "công tác dân vận chính quyền" or "công tác cải cách hành chính"."""
    table_title: str = field(default="BẢNG CHẤM ĐIỂM", metadata=ADDED)
    """Title of the printed scoring table, as the source prints it."""
    report_title: str = field(default="BÁO CÁO", metadata=ADDED)
    """Title of the printed self-assessment report, as the source prints it."""
    unit_types: tuple[UnitType, ...] = ()
    """Kinds of assessed units; needed when an item has `applies_to`."""
    default_step: Decimal = Decimal("0.5")
    """Smallest increment of a free score where the item sets none."""
    evidence: EvidenceStrength | None = field(default=None, metadata=ADDED)
    """Evidence rule of every item that sets none: "required", "expected" or "none" (see
    EvidenceStrength); null takes `evidence_required`."""
    evidence_required: bool = False
    """Older form of `evidence`: true reads as "expected", false as "none"."""
    fields: tuple[Field, ...] = ()
    """Optional grouping of criteria into fields."""
    numbering: Numbering = field(default="criteria", metadata=ADDED)
    """"criteria" (tiêu chí 1, 2, …; mục "n.k") or "fields" (three levels: lĩnh vực "f", tiêu
    chí "f.n", tiêu chí thành phần "f.n.k"); see Numbering."""
    bands: tuple[Band, ...] = ()
    """Classification bands covering 0..total; empty when the source states none."""
    bands_note: str | None = None
    """What the source says, or does not say, about bands (required when `bands` is empty)."""
    overrides: tuple[Override, ...] = ()
    """Conditions that force, cap or prevent a classification."""
    quota: BandQuota | None = field(default=None, metadata=ADDED)
    """A limit on how many units of a group a band may hold, applied in the summary."""
    not_applicable: NotApplicableRule | None = None
    """Rescaling rule; required when an item may not apply."""
    index: IndexRule | None = field(default=None, metadata=ADDED)
    """Show the result as an index in percent too (see IndexRule); null shows points only."""
    bonus_above_total: bool = False
    """Whether bonus points may lift the total above `total` (otherwise it is capped there)."""
    workflow: tuple[WorkflowStep, ...] = ()
    """The yearly cycle with its deadlines."""
    references: tuple[str, ...] = ()
    """Other documents the source cites."""
    source_gaps: tuple[str, ...] = ()
    """What the source does not state, said plainly (shown on the rubric's pages)."""

    @property
    def short_name(self) -> str:
        """How pages and messages name the rubric to a reader: "Hưng Yên (02/2020/QĐ-UBND)"."""
        return f"{self.province} ({self.legal.number})"
