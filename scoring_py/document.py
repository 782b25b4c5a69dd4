"""The assessment document: a unit's answers, evidence and report texts for one rubric.

Documents come from users' files, so everything here is checked; a document that cannot be
used raises DocumentError with a Vietnamese message, never anything else.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn, cast

from . import codec
from .model import Rubric
from .problems import DocumentError, describe, format_path, quoted, shown
from .rubric import rubric_hash
from .shapes import (
    ATTACHMENT_KEYS,
    ATTACHMENT_TYPES,
    EVIDENCE_KEYS,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_HISTORY,
    MAX_ITEM_ATTACHMENTS,
    MAX_NAME,
    MAX_PACKAGE_BYTES,
    NAME_FORBIDDEN,
    NAME_HIDDEN,
    PAPER_KEYS,
    REPORT_KEYS,
    REVIEW_ITEM_KEYS,
    REVIEW_STATES,
    REVIEW_STEP_KEYS,
    TOP_KEYS,
    UNIT_KEYS,
    Condition,
    Document,
    Evidence,
    Paper,
    Report,
    ReviewItem,
    StageAnswers,
    megabytes,
)
from .shapes import FORMAT as FORMAT
from .shapes import NOT_APPLICABLE as NOT_APPLICABLE
from .shapes import STAGES as STAGES
from .shapes import VERSION as VERSION

MAX_TEXT = 100_000
"""Longest accepted text, in characters."""
MAX_KEYS = 5_000
"""Most entries accepted in one mapping of a document."""


def _add_paper(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 → 2: the papers' texts (heading, date, addressee, signature), all blank."""
    upgraded = {}
    for key, value in data.items():
        upgraded[key] = 2 if key == "version" else value
        if key == "unit":
            upgraded["paper"] = dict.fromkeys(PAPER_KEYS, "")
    upgraded.setdefault("paper", dict.fromkeys(PAPER_KEYS, ""))
    return upgraded


def _add_attachments(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 → 3: the items' attached files, none (after `evidence`)."""
    upgraded = {}
    for key, value in data.items():
        upgraded[key] = 3 if key == "version" else value
        if key == "evidence":
            upgraded["attachments"] = {}
    upgraded.setdefault("attachments", {})
    return upgraded


def _add_review(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 → 4: the appraisal round trip, not begun (after `attachments`)."""
    upgraded = {}
    blank = {"state": "self", "history": [], "items": {}}
    for key, value in data.items():
        upgraded[key] = 4 if key == "version" else value
        if key == "attachments":
            upgraded["review"] = blank
    upgraded.setdefault("review", blank)
    return upgraded


# Upgrades from older versions: version → function returning the next version's data.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _add_paper,
    2: _add_attachments,
    3: _add_review,
}

_SHA256 = re.compile(r"[0-9a-f]{64}")
_BAD_NAME = re.compile(NAME_FORBIDDEN)


def attachment_name_problem(name: str) -> str | None:
    """Why a name cannot be an attached file's (in Vietnamese), or None when it can."""
    if not name.strip() or name.strip(". ") == "":
        return "tên tệp trống"
    if len(name) > MAX_NAME:
        return f"tên tệp dài quá {MAX_NAME} ký tự"
    if _BAD_NAME.search(name) or any(unicodedata.category(ch) in NAME_HIDDEN for ch in name):
        return 'tên tệp có ký tự không được phép (/, \\, :, *, ?, ", <, >, | hoặc ký tự điều khiển)'
    if name != name.strip() or name.endswith("."):
        return "tên tệp không được bắt đầu, kết thúc bằng khoảng trắng hay kết thúc bằng dấu chấm"
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        kinds = ", ".join(ATTACHMENT_TYPES)
        return f"loại tệp {quoted(extension or name)} không được nhận (chỉ nhận {kinds})"
    return None


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def template(rubric: Rubric, *, name: str = "", unit_type: str | None = None) -> Document:
    """Return an empty document for the rubric: every item present, unanswered, its keys in
    reading order (shapes.Document)."""
    items = [i for c in rubric.criteria for i in c.items]
    answers = {i.id: None for i in items}

    def stage() -> StageAnswers:
        conditions: dict[str, Condition] = {
            o.id: {"value": None, "note": ""} for o in rubric.overrides if o.when is None
        }
        return {"answers": dict(answers), "conditions": conditions}

    return {
        "format": FORMAT,
        "version": VERSION,
        "rubric": {"id": rubric.id, "version": rubric.version, "hash": rubric_hash(rubric)},
        "unit": {"name": name, "type": unit_type, "year": None},
        "paper": cast(Paper, dict.fromkeys(PAPER_KEYS, "")),
        "stages": {"self": stage(), "appraisal": stage()},
        "evidence": {i.id: cast(Evidence, dict.fromkeys(EVIDENCE_KEYS, "")) for i in items},
        "attachments": {i.id: [] for i in items},
        "review": {
            "state": "self",
            "history": [],
            "items": {i.id: cast(ReviewItem, dict.fromkeys(REVIEW_ITEM_KEYS, "")) for i in items},
        },
        "report": {c.id: cast(Report, dict.fromkeys(REPORT_KEYS, "")) for c in rubric.criteria},
        "proposed_band": "",
        "created": None,
        "updated": None,
    }


def content_code(doc: dict[str, Any]) -> str:
    """A short code of what a document says ("7F3A-92C1"): the start of the SHA-256 of its
    normalised content, the times it was created and exported left out. Printed on the papers
    and shown beside each file in the summary, it lets the province match a signed paper with
    the file it received; the same content gives the same code on every computer."""
    content = {key: value for key, value in doc.items() if key not in ("created", "updated")}
    text = json.dumps(_plain_numbers(content), sort_keys=True, ensure_ascii=False, default=str)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest().upper()
    return f"{digest[:4]}-{digest[4:8]}"


def _plain_numbers(value: Any) -> Any:
    """The value with each number written one way (10, 10.0 and 1E+1 alike: 10; 9.50: 9.5),
    so that the content code depends on the numbers, not on how a file wrote them."""
    if isinstance(value, dict):
        return {key: _plain_numbers(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_plain_numbers(inner) for inner in value]
    if isinstance(value, Decimal) and value.is_finite():
        if value == value.to_integral_value() and value.adjusted() < 100:
            return int(value)
        return format(value.normalize(), "f")
    return value


def parse_document_text(text: str) -> Any:
    """Parse a document's JSON text; raise DocumentError with a clear message."""
    try:
        return codec.loads(text)
    except codec.DuplicateKey as exc:
        raise DocumentError(
            f"Tệp có khóa {quoted(exc.key)} xuất hiện hai lần trong cùng một đối tượng JSON:"
            " không biết giá trị nào là đúng. Hãy sửa tệp để mỗi khóa chỉ có một lần.",
            "duplicate_key",
        ) from None
    except codec.JSONError as exc:
        raise DocumentError(f"Tệp không phải JSON hợp lệ: {exc}.", "not_json") from None


def upgrade(data: Any) -> dict[str, Any]:
    """Check the envelope (format, version) and upgrade an older document to VERSION."""
    if not isinstance(data, dict):
        raise DocumentError(
            "Tệp không phải là tài liệu chấm điểm của thangdiem (nội dung không phải một đối tượng"
            " JSON).",
            "foreign",
        )
    if data.get("format") != FORMAT:
        raise DocumentError(
            "Tệp không phải là tài liệu chấm điểm của thangdiem (thiếu hoặc sai trường"
            f" 'format', cần {quoted(FORMAT)}).",
            "foreign",
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise DocumentError(
            f"Trường 'version' phải là một số nguyên ≥ 1 (nhận được {describe(version)}).",
            "bad_version",
        )
    if version > VERSION:
        raise DocumentError(
            f"Tài liệu được tạo bởi phiên bản mới hơn (định dạng {version}); phiên bản này chỉ"
            f" đọc được đến định dạng {VERSION}. Hãy dùng bản thangdiem mới nhất.",
            "newer",
        )
    while version < VERSION:
        data = MIGRATIONS[version](data)
        version = data["version"]
    upgraded: dict[str, Any] = data
    return upgraded


def validate(rubric: Rubric, data: Any) -> dict[str, Any]:
    """Return the normalised document, or raise DocumentError naming the first fault."""
    data = upgrade(data)
    # The walk below is exact but slow; the text of the data says in one C pass whether a
    # string may hold a surrogate at all (repr writes one as \udXXX, and a real backslash
    # as two, which only sends a rare document on the exact walk).
    if "\\ud" in repr(data):
        refuse_broken_text(data, ())
    _Envelope(rubric).check(data)
    return normalise(rubric, data)


def _real_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return 1945 <= int(text[:4]) <= 2200


_SURROGATE = re.compile("[\ud800-\udfff]")


def refuse_broken_text(value: Any, path: tuple[str | int, ...]) -> None:
    """Raise DocumentError at the first key or text holding a lone surrogate ("\\ud800" in
    the JSON): it is half of a character, which no file, screen or printer can write."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        if found:
            raise DocumentError(
                f"{format_path(path)}: có ký tự hỏng ({shown(found.group())}, một nửa của một"
                " ký tự UTF-16 đứng riêng); hãy gõ lại đoạn chữ này.",
                "invalid_document",
            )
    elif isinstance(value, dict):
        for key, inner in value.items():
            refuse_broken_text(key, (*path, key))
            refuse_broken_text(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            refuse_broken_text(inner, (*path, index))


def normalise(rubric: Rubric, data: dict[str, Any]) -> dict[str, Any]:
    """Fill absent optional parts so that every key of the template is present."""
    doc = cast(dict[str, Any], template(rubric))
    doc["rubric"] = dict(data["rubric"])
    doc["unit"].update(data.get("unit", {}))
    doc["paper"].update(data.get("paper", {}))
    for stage in STAGES:
        given = data.get("stages", {}).get(stage, {})
        doc["stages"][stage]["answers"].update(given.get("answers", {}))
        for key, cond in given.get("conditions", {}).items():
            doc["stages"][stage]["conditions"][key] = {"value": None, "note": "", **cond}
    for key, ev in data.get("evidence", {}).items():
        doc["evidence"][key] = {**dict.fromkeys(EVIDENCE_KEYS, ""), **ev}
    for key, files in data.get("attachments", {}).items():
        doc["attachments"][key] = [dict(f) for f in files]
    review = data.get("review", {})
    doc["review"]["state"] = review.get("state", "self")
    doc["review"]["history"] = [dict(step) for step in review.get("history", [])]
    for key, entry in review.get("items", {}).items():
        doc["review"]["items"][key] = {**dict.fromkeys(REVIEW_ITEM_KEYS, ""), **entry}
    for key, rep in data.get("report", {}).items():
        doc["report"][key] = {**dict.fromkeys(REPORT_KEYS, ""), **rep}
    for key in ("proposed_band", "created", "updated"):
        if key in data:
            doc[key] = data[key]
    return doc


class _Envelope:
    """Checks the parts of a document other than the answers' values."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric

    def fail(self, path: tuple[str | int, ...], message: str) -> NoReturn:
        raise DocumentError(f"{format_path(path)}: {message}", "invalid_document")

    def mapping(
        self, value: Any, path: tuple[str | int, ...], keys: tuple[str, ...] | None
    ) -> None:
        if not isinstance(value, dict):
            self.fail(path, f"phải là một đối tượng JSON (nhận được {describe(value)})")
        if len(value) > MAX_KEYS:
            self.fail(path, f"có quá nhiều mục ({len(value)} > {MAX_KEYS})")
        if keys is not None:
            for key in value:
                if key not in keys:
                    hint = codec.suggest(key, list(keys))
                    self.fail((*path, key), f"khóa không được phép{hint}")

    def text(self, value: Any, path: tuple[str | int, ...], *, nullable: bool = False) -> None:
        if value is None and nullable:
            return
        if not isinstance(value, str):
            self.fail(path, f"phải là một chuỗi (nhận được {describe(value)})")
        if len(value) > MAX_TEXT:
            self.fail(path, f"dài quá {MAX_TEXT} ký tự ({len(value)})")

    def check(self, data: dict[str, Any]) -> None:
        r = self.rubric
        self.mapping(data, (), TOP_KEYS)
        ref = data.get("rubric")
        if not isinstance(ref, dict):
            self.fail(("rubric",), f"phải là một đối tượng JSON (nhận được {describe(ref)})")
        self.mapping(ref, ("rubric",), ("id", "version", "hash"))
        if ref.get("id") != r.id:
            raise DocumentError(
                "Tài liệu được chấm theo một thang điểm khác (mã trong tệp:"
                f" {describe(ref.get('id'))}), không phải thang điểm {r.short_name}.",
                "other_rubric",
            )
        if ref.get("version") != r.version:
            raise DocumentError(
                f"Tài liệu được chấm theo phiên bản {describe(ref.get('version'))} của thang điểm"
                f" {r.short_name}; phiên bản hiện hành là {quoted(r.version)}.",
                "other_version",
            )
        self.text(ref.get("hash"), ("rubric", "hash"), nullable=True)
        unit = data.get("unit", {})
        self.mapping(unit, ("unit",), UNIT_KEYS)
        self.text(unit.get("name", ""), ("unit", "name"))
        unit_type = unit.get("type")
        self.text(unit_type, ("unit", "type"), nullable=True)
        known = [t.id for t in r.unit_types]
        if unit_type is not None and unit_type not in known:
            names = ", ".join(quoted(k) for k in known) or "(thang điểm không phân loại đơn vị)"
            self.fail(
                ("unit", "type"), f"phải là một trong {names} (nhận được {describe(unit_type)})"
            )
        year = unit.get("year")
        if year is not None and (
            isinstance(year, bool) or not isinstance(year, int) or not 1945 <= year <= 2200
        ):
            self.fail(
                ("unit", "year"), f"phải là một năm từ 1945 đến 2200 (nhận được {describe(year)})"
            )
        paper = data.get("paper", {})
        self.mapping(paper, ("paper",), PAPER_KEYS)
        for key, text in paper.items():
            self.text(text, ("paper", key))
        signed = paper.get("date", "")
        if signed and not (_DATE.fullmatch(signed) and _real_date(signed)):
            self.fail(
                ("paper", "date"),
                f"phải là ngày dạng YYYY-MM-DD, hoặc để trống (nhận được {describe(signed)})",
            )
        stages = data.get("stages", {})
        self.mapping(stages, ("stages",), STAGES)
        for stage, body in stages.items():
            self.mapping(body, ("stages", stage), ("answers", "conditions"))
            self.mapping(body.get("answers", {}), ("stages", stage, "answers"), None)
            self.answers(body.get("answers", {}), ("stages", stage, "answers"))
            conditions = body.get("conditions", {})
            self.mapping(conditions, ("stages", stage, "conditions"), None)
            for key, cond in conditions.items():
                cpath = ("stages", stage, "conditions", key)
                self.mapping(cond, cpath, ("value", "note"))
                value = cond.get("value")
                if value is not None and not isinstance(value, bool):
                    self.fail(
                        (*cpath, "value"),
                        f"phải là true, false hoặc null (nhận được {describe(value)})",
                    )
                self.text(cond.get("note", ""), (*cpath, "note"))
        self.texts(data, "evidence", EVIDENCE_KEYS)
        self.attachments(data.get("attachments", {}))
        self.review(data.get("review", {}))
        self.texts(data, "report", REPORT_KEYS)
        self.text(data.get("proposed_band", ""), ("proposed_band",))
        for key in ("created", "updated"):
            self.text(data.get(key), (key,), nullable=True)

    def review(self, review: Any) -> None:
        """Check the round trip: a known state, the steps taken (each a known state, who and
        when), the last of them the state; per known item, the team's comment and the unit's
        explanation."""
        self.mapping(review, ("review",), ("state", "history", "items"))
        state = review.get("state", "self")
        if not isinstance(state, str) or state not in REVIEW_STATES:
            names = ", ".join(quoted(s) for s in REVIEW_STATES)
            self.fail(
                ("review", "state"), f"phải là một trong {names} (nhận được {describe(state)})"
            )
        history = review.get("history", [])
        if not isinstance(history, list) or len(history) > MAX_HISTORY:
            self.fail(("review", "history"), f"phải là danh sách tối đa {MAX_HISTORY} bước")
        for index, step in enumerate(history):
            path: tuple[str | int, ...] = ("review", "history", index)
            self.mapping(step, path, REVIEW_STEP_KEYS)
            for key in REVIEW_STEP_KEYS:
                if key not in step:
                    self.fail((*path, key), "thiếu khóa bắt buộc")
                self.text(step[key], (*path, key))
            if step["state"] not in REVIEW_STATES:
                self.fail((*path, "state"), f"trạng thái lạ {describe(step['state'])}")
        last = history[-1]["state"] if history else "self"
        if last != state:
            self.fail(
                ("review", "state"),
                f"phải là trạng thái của bước cuối cùng trong history ({quoted(last)})",
            )
        items = {i.id for c in self.rubric.criteria for i in c.items}
        entries = review.get("items", {})
        self.mapping(entries, ("review", "items"), None)
        for key, entry in entries.items():
            if key not in items:
                self.fail(("review", "items", key), "mã mục không có trong thang điểm")
            self.mapping(entry, ("review", "items", key), REVIEW_ITEM_KEYS)
            for part, text in entry.items():
                self.text(text, ("review", "items", key, part))

    def attachments(self, entries: Any) -> None:
        """Check the attached files: known items, within the limits, each named, sized and
        hashed (shapes.Attachment); the same file (name and content) at most once per item."""
        self.mapping(entries, ("attachments",), None)
        items = {i.id for c in self.rubric.criteria for i in c.items}
        count = total = 0
        for key, files in entries.items():
            path: tuple[str | int, ...] = ("attachments", key)
            if key not in items:
                self.fail(path, "mã mục không có trong thang điểm")
            if not isinstance(files, list):
                self.fail(path, f"phải là một danh sách tệp (nhận được {describe(files)})")
            if len(files) > MAX_ITEM_ATTACHMENTS:
                self.fail(path, f"quá {MAX_ITEM_ATTACHMENTS} tệp đính kèm cho một mục")
            seen: set[tuple[str, str]] = set()
            for index, entry in enumerate(files):
                fpath = (*path, index)
                self.mapping(entry, fpath, ATTACHMENT_KEYS)
                for part in ATTACHMENT_KEYS:
                    if part not in entry:
                        self.fail((*fpath, part), "thiếu khóa bắt buộc")
                name, size, digest, kind = (entry[k] for k in ATTACHMENT_KEYS)
                self.text(name, (*fpath, "name"))
                problem = attachment_name_problem(name)
                if problem is not None:
                    self.fail((*fpath, "name"), f"{problem} (nhận được {describe(name)})")
                if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                    self.fail((*fpath, "size"), f"phải là số byte (nhận được {describe(size)})")
                if size > MAX_ATTACHMENT_BYTES:
                    self.fail(
                        (*fpath, "size"),
                        f"tệp lớn quá {megabytes(MAX_ATTACHMENT_BYTES)} ({megabytes(size)})",
                    )
                if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
                    self.fail(
                        (*fpath, "sha256"),
                        f"phải là mã SHA-256, 64 chữ số hệ 16 viết thường (nhận được"
                        f" {describe(digest)})",
                    )
                wanted = ATTACHMENT_TYPES["." + name.rsplit(".", 1)[-1].lower()]
                if kind != wanted:
                    self.fail(
                        (*fpath, "type"), f"phải là {quoted(wanted)} (nhận được {describe(kind)})"
                    )
                if (name, digest) in seen:
                    self.fail(fpath, f"tệp {quoted(name)} đã đính kèm ở mục này")
                seen.add((name, digest))
                count += 1
                total += size
        if count > MAX_ATTACHMENTS:
            self.fail(("attachments",), f"quá {MAX_ATTACHMENTS} tệp đính kèm ({count})")
        if total > MAX_PACKAGE_BYTES:
            self.fail(
                ("attachments",),
                f"các tệp đính kèm cộng lại lớn quá {megabytes(MAX_PACKAGE_BYTES)}"
                f" ({megabytes(total)})",
            )

    def texts(self, data: dict[str, Any], section: str, parts: tuple[str, ...]) -> None:
        """Check a section mapping ids to texts, e.g. evidence: {"1.1": {"documents": "…"}}."""
        entries = data.get(section, {})
        self.mapping(entries, (section,), None)
        for key, entry in entries.items():
            self.mapping(entry, (section, key), parts)
            for part, text in entry.items():
                self.text(text, (section, key, part))

    def answers(self, answers: dict[str, Any], path: tuple[str | int, ...]) -> None:
        """Answers' values are checked by the engine; only refuse what cannot be an answer."""
        for key, value in answers.items():
            if isinstance(value, list):
                self.fail((*path, key), "không được là một danh sách")
            if isinstance(value, dict):
                self.mapping(value, (*path, key), ("numerator", "denominator"))
                for part, number in value.items():
                    if isinstance(number, dict | list):
                        self.fail(
                            (*path, key, part), f"phải là một số (nhận được {describe(number)})"
                        )
            if isinstance(value, str):
                self.text(value, (*path, key))
