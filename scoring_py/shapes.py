"""The JSON shapes scoring_py reads and writes, declared once.

Three documents cross the line between Python and the browser: the assessment document (a
unit's answers, kept in the browser and exported as a file), the score result (api.score) and
the summary (api.aggregate). Each is declared here as TypedDicts whose keys are listed in the
order a reader meets them: `document.template` writes a document in that order, and the page
exports a document with its keys in the order of the template it embeds, so one order holds
everywhere. The constants the page needs before Python has loaded (stages and their labels,
"không phát sinh", the file limits, the refusal of a file too large) are gathered by
`contract()`, which the generator embeds in the scoring and summary pages as JSON: the scripts
read them from there and never restate them.

Numbers are Decimals in Python and exact number texts in JSON (codec.dumps).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, TypedDict

from .codec import MAX_DEPTH

FORMAT = "thangdiem-assessment"
"""The `format` value that marks an assessment document."""
VERSION = 4
"""The document version this module writes (2 added `paper`, 3 `attachments`, 4 `review`;
document.MIGRATIONS upgrades older ones)."""
RESULT_FORMAT = "thangdiem-result"
"""The `format` value of a score result."""
SUMMARY_FORMAT = "thangdiem-summary"
"""The `format` value of a summary."""
NOT_APPLICABLE = "na"
"""The answer that marks an item "không phát sinh"."""
MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest assessment file accepted, in bytes, by the command line and the pages alike."""
TOO_LARGE = "Tệp lớn quá {limit}."
"""The refusal of a file larger than MAX_FILE_BYTES; {limit} is the limit in MB."""


def megabytes(size: int) -> str:
    """A size in MB as the pages write it (one decimal when not whole, a decimal comma)."""
    value = Decimal(size) / (1024 * 1024)
    text = f"{value:.0f}" if value == value.to_integral_value() else f"{value:.1f}"
    return f"{text.replace('.', ',')} MB"


def too_large() -> str:
    """The one wording of the refusal of a file that is too large."""
    return TOO_LARGE.format(limit=megabytes(MAX_FILE_BYTES))


# --------------------------------------------------------------------------------------------
# The assessment document (format "thangdiem-assessment")


class RubricRef(TypedDict):
    """Which rubric a document or result belongs to."""

    id: str
    version: str
    hash: str


class Unit(TypedDict):
    """The unit that scores itself."""

    name: str
    type: str | None
    """The id of one of the rubric's unit types, or None when the rubric has none."""
    year: int | None


class Condition(TypedDict):
    """The answer to one of the rubric's overrides ("có vi phạm … không?")."""

    value: bool | None
    note: str


class StageAnswers(TypedDict):
    """One stage's answers: per item, a number, a level id, true/false, {numerator,
    denominator}, NOT_APPLICABLE or None (not answered yet); per override, a condition."""

    answers: dict[str, Any]
    conditions: dict[str, Condition]


class DocumentStages(TypedDict):
    """The stages a document holds answers for, in order."""

    self: StageAnswers
    """The unit's own scores."""
    appraisal: StageAnswers
    """The appraisal team's (or the superior's) scores."""


class Evidence(TypedDict):
    """What proves one item's score."""

    documents: str
    explanation: str


class Attachment(TypedDict):
    """A file attached to an item as its evidence (a scanned decision, a plan, a report). The
    document names it; its bytes travel in the package (scoring_py.package) and, in the
    browser, are kept in IndexedDB by their SHA-256."""

    name: str
    """The file's name as the unit gave it, e.g. "Kế hoạch 12-KH.pdf"."""
    size: int
    """Its size in bytes."""
    sha256: str
    """Its SHA-256, 64 lower-case hex digits: what the package's manifest checks."""
    type: str
    """Its media type, from its name's extension (ATTACHMENT_TYPES)."""


ATTACHMENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
"""The files an item may have attached, by extension (lower case): PDF, images, Word, Excel and
OpenDocument files."""
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
"""Largest attached file, in bytes."""
MAX_PACKAGE_BYTES = 200 * 1024 * 1024
"""Largest package (its files and document together, uncompressed), in bytes."""
MAX_ITEM_ATTACHMENTS = 20
"""Most files attached to one item."""
MAX_ATTACHMENTS = 500
"""Most files attached to one document."""
MAX_NAME = 200
"""Longest attached file's name, in characters."""
NAME_FORBIDDEN = r'[\x00-\x1f\x7f/\\:*?"<>|]'
"""What an attached file's name may not hold (a regular expression both Python and
JavaScript read): control characters, path separators and the characters Windows refuses in a
file name."""
NAME_HIDDEN = ("Cc", "Cf", "Zl", "Zp")
"""Unicode categories an attached file's name may not hold either: characters that show
nothing or reorder what follows (a right-to-left override makes "x\u202efdp.exe" read as
"xexe.pdf")."""


class ReviewItem(TypedDict):
    """What the appraisal team and the unit say about one item's appraisal."""

    comment: str
    """The appraisal team's comment; required where its score differs from the unit's."""
    explanation: str
    """The unit's explanation (giải trình) of an item the team scored otherwise."""


class ReviewStep(TypedDict):
    """One step of the appraisal round trip, as it was taken."""

    state: str
    """The state the document was put in (REVIEW_STATES)."""
    by: str
    """Who took the step, as they typed their name."""
    at: str
    """When, as an ISO 8601 date and time."""
    note: str
    """What else was done (e.g. the unit's part unlocked in appraisal mode)."""


class Review(TypedDict):
    """The appraisal round trip: where the document stands, how it got there, and the
    comments and explanations per item."""

    state: str
    """One of REVIEW_STATES."""
    history: list[ReviewStep]
    """Every step taken, oldest first."""
    items: dict[str, ReviewItem]
    """Per item id (every item)."""


REVIEW_STATES: dict[str, str] = {
    "self": "Tự chấm",
    "sent": "Đã gửi",
    "appraising": "Đang thẩm định",
    "appraised": "Đã thẩm định",
    "explained": "Đơn vị đã giải trình",
    "reappraising": "Đang thẩm định lại",
    "final": "Kết quả",
}
"""The states of the appraisal round trip, in order, with their names."""
REVIEW_STEPS: dict[str, tuple[str, ...]] = {
    "self": ("sent",),
    "sent": ("appraising",),
    "appraising": ("appraised",),
    "appraised": ("explained", "final"),
    "explained": ("reappraising",),
    "reappraising": ("appraised", "final"),
    "final": (),
}
"""From each state, the states it may go to: tự chấm → đã gửi → đang thẩm định → đã thẩm định
→ (giải trình của đơn vị → thẩm định lại →) kết quả."""
MAX_HISTORY = 200
"""Most steps a document's history holds."""


class Report(TypedDict):
    """The report's texts for one criterion."""

    done_well: str
    shortcomings: str


class Paper(TypedDict):
    """What the submitted papers say around the scores, as Nghị định 30/2020/NĐ-CP lays a
    document out: the heading, the place and date, the addressee and the signature. A blank
    one prints as a dotted line to fill in by hand."""

    superior: str
    """The superior body, printed above the unit's name ("UBND HUYỆN VĂN GIANG")."""
    number: str
    """The document's number and symbol ("25/BC-UBND")."""
    place: str
    """The place name of the date line ("Văn Giang")."""
    date: str
    """The date signed, as YYYY-MM-DD, or ""."""
    recipient: str
    """Kính gửi."""
    authority: str
    """The signer's authority ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), or ""."""
    title: str
    """The signer's title ("CHỦ TỊCH")."""
    signer: str
    """The signer's full name."""
    copies: str
    """Nơi nhận, one per line; "" prints the forms' "- Như trên;" and "- Lưu: VT."."""


PAPER_LABELS: dict[str, str] = {
    "superior": "Cơ quan chủ quản cấp trên",
    "number": "Số, ký hiệu văn bản",
    "place": "Địa danh",
    "date": "Ngày ký",
    "recipient": "Kính gửi",
    "authority": "Quyền hạn người ký",
    "title": "Chức vụ người ký",
    "signer": "Họ tên người ký",
    "copies": "Nơi nhận",
}
"""The form's label of each of Paper's texts, which the pages also name places by."""


class Document(TypedDict):
    """An assessment document, keys in reading order."""

    format: str
    version: int
    rubric: RubricRef
    unit: Unit
    paper: Paper
    stages: DocumentStages
    evidence: dict[str, Evidence]
    attachments: dict[str, list[Attachment]]
    """Each item's attached files, by item id (every item, most often none)."""
    review: Review
    report: dict[str, Report]
    proposed_band: str
    created: str | None
    updated: str | None


REVIEW_ITEM_KEYS: tuple[str, ...] = tuple(ReviewItem.__annotations__)
REVIEW_STEP_KEYS: tuple[str, ...] = tuple(ReviewStep.__annotations__)
ATTACHMENT_KEYS: tuple[str, ...] = tuple(Attachment.__annotations__)
"""What a document says of each attached file."""
EVIDENCE_KEYS: tuple[str, ...] = tuple(Evidence.__annotations__)
"""The texts kept per item as its evidence."""
REPORT_KEYS: tuple[str, ...] = tuple(Report.__annotations__)
"""The report's texts per criterion (a new text is one line in Report, one text area in the
form and one line in the printout)."""
UNIT_KEYS: tuple[str, ...] = tuple(Unit.__annotations__)
PAPER_KEYS: tuple[str, ...] = tuple(Paper.__annotations__)
"""The texts of a document's papers, in the order the form asks for them."""
STAGES: tuple[str, ...] = tuple(DocumentStages.__annotations__)
"""The stages a document holds answers for: the unit's own and the appraisal team's."""
TOP_KEYS: tuple[str, ...] = tuple(Document.__annotations__)
"""A document's keys in reading order."""


# --------------------------------------------------------------------------------------------
# The score result (format "thangdiem-result")


class Reason(TypedDict):
    """Why a band was decided or lowered: the override that holds, and its text."""

    override: str
    text: str


class Note(TypedDict):
    """Why a stage has no band when no override is the cause."""

    code: Literal["no_bands", "band_unstated", "outside_bands", "appraising"]
    text: str


class BandRef(TypedDict):
    id: str
    name: str


ItemStatus = Literal["answered", "missing", "invalid", "not_applicable", "excluded", "reserved"]
"""How an item fared: answered, not answered, wrongly answered, "không phát sinh", not for
this unit's type, or scored by someone else in this stage."""


class ItemResult(TypedDict):
    id: str
    points: Decimal | None
    max: Decimal
    status: ItemStatus


class CriterionResult(TypedDict):
    id: str
    title: str
    section: Literal["base", "bonus", "penalty"]
    score: Decimal
    """The criterion's points: its items' (capped), or, rescaled (`rescaled`), those points
    × max ÷ applicable_max, rounded by the not-applicable rule for display."""
    max: Decimal
    raw_score: Decimal
    """The points of its items (capped where the criterion says so), before any rescale."""
    applicable_max: Decimal
    """The maximum of its items that apply to the unit (capped likewise)."""
    rescaled: bool
    """Whether the not-applicable rule rescaled this criterion (scope "criterion")."""
    items: list[ItemResult]


class FieldResult(TypedDict):
    """A field's (lĩnh vực's) subtotal: the scores of its base criteria, out of their maxima
    (what applies to the unit, before the not-applicable rescale of the total)."""

    id: str
    title: str
    score: Decimal
    max: Decimal
    raw_score: Decimal
    """The sum of its base criteria's points before the field's own rescale."""
    applicable_max: Decimal
    """The sum of its base criteria's maxima that apply, before the field's own rescale."""
    rescaled: bool
    """Whether the not-applicable rule rescaled this field (scope "field")."""
    criteria: list[str]


Status = Literal["self", "appraising", "appraised"]
"""How far a document has come: self-scored, appraisal under way, appraisal finished."""


class StageResult(TypedDict):
    """One stage scored: its total, band and criteria, and how many items are answered."""

    stage: str
    total: Decimal
    max: Decimal
    raw_total: Decimal
    applicable_max: Decimal
    rescaled: bool
    base: Decimal
    """The base criteria's total after the not-applicable rescale (raw_total when not
    rescaled): what the rows add up to before bonus and penalty points."""
    bonus: Decimal
    penalty: Decimal
    index: Decimal | None
    """The result as an index in percent (Rubric.index), or None: the rubric has no index, or
    nothing applies to the unit."""
    band: BandRef | None
    classified: bool
    reasons: list[Reason]
    note: Note | None
    fields: list[FieldResult]
    """Per field, its subtotal; empty when the rubric has no fields."""
    criteria: list[CriterionResult]
    answered: int
    missing: int
    invalid: int
    complete: bool


class ResultStages(TypedDict):
    """The stages of a result, in the order the pages show them."""

    self: StageResult
    appraisal: StageResult | None
    """None until the appraisal team has begun."""
    final: StageResult


class Problem(TypedDict):
    stage: str | None
    item: str | None
    code: str
    severity: str
    """"error" or "warning"."""
    message: str


class Progress(TypedDict):
    done: int
    of: int


class CriterionBrief(TypedDict):
    id: str
    title: str
    score: Decimal
    max: Decimal


class Result(TypedDict):
    """A document scored (api.score's `result`)."""

    format: str
    rubric: RubricRef
    unit: Unit
    code: str
    """document.content_code: the short code of the document scored."""
    status: Status
    appraisal_progress: Progress | None
    total: Decimal
    max: Decimal
    index: Decimal | None
    """The final stage's index in percent (Rubric.index), or None."""
    band: str | None
    band_id: str | None
    classified: bool
    reasons: list[Reason]
    note: Note | None
    proposed_band: str
    review_state: str
    """Where the appraisal round trip stands (REVIEW_STATES), as the document records it."""
    disputed: list[str]
    """The items the appraisal scored otherwise than the unit, in the rubric's order."""
    fields: list[FieldResult]
    criteria: list[CriterionBrief]
    stages: ResultStages
    problems: list[Problem]


RESULT_STAGES: tuple[str, ...] = tuple(ResultStages.__annotations__)
"""The stages of a result: self, appraisal, final."""
STAGE_LABELS: dict[str, str] = {
    "self": "Tự chấm",
    "appraisal": "Thẩm định",
    "final": "Kết quả cuối cùng",
}
"""Each stage's name as the pages and messages write it."""


# --------------------------------------------------------------------------------------------
# What the pages read before Python has loaded


class StageEntry(TypedDict):
    id: str
    label: str
    answers: bool
    """Whether a document holds answers for this stage (the final stage is computed)."""


class AttachmentLimits(TypedDict):
    """What files an item may have attached, and how many and how large (the limits above)."""

    types: dict[str, str]
    max_bytes: int
    max_package_bytes: int
    max_per_item: int
    max_files: int
    max_name: int
    forbidden: str
    hidden: list[str]


class ReviewContract(TypedDict):
    """The round trip's states (REVIEW_STATES) and steps (REVIEW_STEPS), for the page."""

    states: dict[str, str]
    steps: dict[str, list[str]]


class Contract(TypedDict):
    """The constants the scoring and summary pages share with scoring_py."""

    format: str
    version: int
    stages: list[StageEntry]
    not_applicable: str
    max_file_bytes: int
    max_depth: int
    attachments: AttachmentLimits
    messages: dict[str, str]
    paper: dict[str, str]
    """PAPER_LABELS: each paper text's label."""
    review: ReviewContract


def contract() -> Contract:
    """What the pages embed (as JSON) so that their scripts restate none of it."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "stages": [
            {"id": s, "label": STAGE_LABELS[s], "answers": s in STAGES} for s in RESULT_STAGES
        ],
        "not_applicable": NOT_APPLICABLE,
        "max_file_bytes": MAX_FILE_BYTES,
        "max_depth": MAX_DEPTH,
        "attachments": {
            "types": dict(ATTACHMENT_TYPES),
            "max_bytes": MAX_ATTACHMENT_BYTES,
            "max_package_bytes": MAX_PACKAGE_BYTES,
            "max_per_item": MAX_ITEM_ATTACHMENTS,
            "max_files": MAX_ATTACHMENTS,
            "max_name": MAX_NAME,
            "forbidden": NAME_FORBIDDEN,
            "hidden": list(NAME_HIDDEN),
        },
        "messages": {"too_large": too_large()},
        "paper": dict(PAPER_LABELS),
        "review": {
            "states": dict(REVIEW_STATES),
            "steps": {k: list(v) for k, v in REVIEW_STEPS.items()},
        },
    }
