"""The shapes of a summary (format "thangdiem-summary", shapes.SUMMARY_FORMAT): what
scoring_py.summary answers for many units' files (api.aggregate's `summary`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, TypedDict

from .shapes import Note, Progress, Reason, RubricRef, Status


class StageBrief(TypedDict):
    """A stage of a unit in the summary."""

    total: Decimal
    index: Decimal | None
    """The stage's index in percent (Rubric.index), or None."""
    band: str | None
    band_id: str | None
    classified: bool
    reasons: list[Reason]
    note: Note | None
    criteria: dict[str, Decimal]
    """Each criterion's score in this stage, by the criterion's id."""
    fields: dict[str, Decimal]
    """Each field's subtotal in this stage, by the field's id; empty without fields."""


class SummaryUnit(TypedDict):
    """One unit in the summary: the file that counts for it, and why that one."""

    file: str
    code: str
    """The file's content code (document.content_code), as its papers print it."""
    name: str
    type: str | None
    year: int | None
    updated: str | None
    status: Status
    progress: Progress | None
    self: StageBrief
    appraisal: StageBrief | None
    final: StageBrief
    difference: Decimal | None
    """The appraisal's total less the unit's own, once the appraisal is finished."""
    errors: int
    review: list[str]
    """Why a reviewer must look at the file before it may be ranked (empty: it may)."""
    warnings: list[str]
    complete: bool
    proposed_band: str
    missing_evidence: int
    """How many items the unit scored without the evidence the rubric requires or expects
    (no documents; where expected, no explanation either)."""
    review_state: str
    """Where the file's appraisal round trip stands (REVIEW_STATES)."""
    disputed: list[str]
    """The items the appraisal scored otherwise than the unit."""
    chosen_because: str
    superseded: list[str]
    """The unit's other files of the same year, which do not count."""
    state: Literal["self", "appraising", "appraised", "review"]
    rank: int | None
    type_name: str | None


class BandCount(TypedDict):
    id: str
    name: str
    count: int


class Averages(TypedDict):
    count: int
    appraised: int
    appraising: int
    self: Decimal | None
    appraisal: Decimal | None
    final: Decimal | None
    difference: Decimal | None


class TypeAverages(Averages):
    type: str | None
    name: str


class NoteCount(TypedDict):
    text: str
    count: int


class Refused(TypedDict):
    file: str
    code: str
    reason: str


class DuplicateFile(TypedDict):
    file: str
    status: str
    updated: str | None
    chosen: bool


class Duplicate(TypedDict):
    """Several files of one unit and year, and the one that counts."""

    name: str
    year: int | None
    count: int
    chosen: str
    because: str
    files: list[DuplicateFile]


class SummaryCriterion(TypedDict):
    """One of the rubric's criteria, as the summary's per-criterion table heads it."""

    id: str
    title: str
    section: Literal["base", "bonus", "penalty"]
    max: Decimal


class SummaryField(TypedDict):
    """One of the rubric's fields (lĩnh vực), as the summary's per-criterion table heads it."""

    id: str
    title: str
    max: Decimal
    criteria: list[str]


class ScoreBin(TypedDict):
    """Units whose final total is from `low` to under `high` (the last bin: up to `high`)."""

    low: Decimal
    high: Decimal
    count: int


class CriterionAverage(TypedDict):
    """A criterion's average final score over the ranked units, and its share of the
    criterion's maximum in percent (None when the criterion has no positive maximum)."""

    id: str
    title: str
    max: Decimal
    average: Decimal | None
    percent: Decimal | None


class UnitDifference(TypedDict):
    """An appraised unit's own total beside the appraisal's."""

    name: str
    file: str
    self: Decimal
    appraisal: Decimal
    difference: Decimal


class QuotaMove(TypedDict):
    name: str
    file: str


class QuotaGroup(TypedDict):
    """The limit applied in one group of units (a unit type, or all)."""

    type: str | None
    name: str
    counted: int
    """The units rated the counted band or higher."""
    limit: int
    """The most units the limited band may hold: percent of `counted`, rounded down."""
    rated: int
    """The units the scores rated the limited band, before the limit."""
    moved: list[QuotaMove]
    """The units moved to the band below, in the ranking's order."""


class QuotaReport(TypedDict):
    """What the rubric's limit on a band (model.BandQuota) did in the summary."""

    band: str
    of: str
    to: str
    percent: Decimal
    text: str
    groups: list[QuotaGroup]


class Summary(TypedDict):
    """Many units' files summarised (api.aggregate's `summary`)."""

    format: str
    rubric: RubricRef
    index: bool
    """Whether the rubric's result is an index in percent (Rubric.index): the units are ranked
    by their final index, then total."""
    criteria: list[SummaryCriterion]
    fields: list[SummaryField]
    files: int
    units: list[SummaryUnit]
    review: list[SummaryUnit]
    band_counts: list[BandCount]
    by_type: list[TypeAverages]
    overall: Averages
    distribution: list[ScoreBin]
    """The ranked units' final totals in ten equal bins from 0 to the rubric's total (a total
    outside falls in the nearest bin)."""
    criterion_averages: list[CriterionAverage]
    differences: list[UnitDifference]
    """The appraised units, the most over-scored by themselves first (lowest difference)."""
    notes: list[NoteCount]
    quota: QuotaReport | None
    """None when the rubric sets no limit on a band."""
    rejected: list[Refused]
    duplicates: list[Duplicate]
