"""Carrying an assessment document over to another version of its rubric: what still fits is
kept, everything else is dropped and listed with a Vietnamese message (the caller keeps the
original)."""

from __future__ import annotations

from typing import Any

from . import codec
from .document import upgrade, validate
from .model import Rubric
from .problems import plain_number, quoted, shown
from .rubric import rubric_hash
from .shapes import NOT_APPLICABLE

CARRY_STAGE_NAMES = {"self": "tự chấm", "appraisal": "thẩm định"}
"""The stages as the carry-over notice names them."""


def carry_over(rubric: Rubric, data: Any) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Re-target a document of another version of the same rubric id.

    Return the normalised document, now naming `rubric`, and what was done: None when the
    document already names this version (another text of it is not carried: it is read as
    it is, and the engine warns about it, see engine.rubric_changed), else {"from": {...},
    "to": {...},
    "message": ..., "added": [item ids new in `rubric`], "dropped": [{"code", "path",
    "message"}, ...]}. An answer is carried when its item still exists and the answer still
    fits it (a level that still exists, a value of the item's kind and range); everything else
    (answers, conditions, evidence and report texts of ids the rubric no longer has, a unit type
    it no longer has) is dropped from the returned document and listed, with a Vietnamese
    message, so that the caller keeps the original. A document of another rubric id, or one that
    is not valid apart from its version, raises DocumentError as validate() does.
    """
    data = upgrade(data)
    ref = data.get("rubric")
    target = {"id": rubric.id, "version": rubric.version, "hash": rubric_hash(rubric)}
    if not isinstance(ref, dict) or ref.get("id") != rubric.id:
        return validate(rubric, data), None  # refused there, with the usual message
    if ref.get("version") == rubric.version:
        return validate(rubric, data), None
    origin = {"version": ref.get("version"), "hash": ref.get("hash")}
    carried, dropped, added = _Carrier(rubric).carry({**data, "rubric": target})
    doc = validate(rubric, carried)
    message = (
        f"Phiếu này được chấm theo phiên bản {_quoted(origin['version'])} của thang điểm"
        f" {rubric.id}; đã chuyển sang phiên bản hiện hành {_quoted(rubric.version)}."
    )
    report = {
        "from": origin,
        "to": {"version": rubric.version, "hash": target["hash"]},
        "message": message,
        "added": added,
        "dropped": dropped,
    }
    return doc, report


def _quoted(value: Any) -> str:
    return quoted(value if isinstance(value, str) else codec.dumps(value))


def _answer_text(value: Any) -> str:
    """An answer as a user would write it."""
    if isinstance(value, bool):
        return "'có'" if value else "'không'"
    if isinstance(value, str):
        return "'không phát sinh'" if value == NOT_APPLICABLE else _quoted(value)
    if isinstance(value, dict):
        parts = (value.get("numerator"), value.get("denominator"))
        return "/".join(_answer_text(part) for part in parts)
    number = codec.to_decimal(value)
    if number is None:
        return _quoted(value)
    return plain_number(number).replace(".", ",")


class _Carrier:
    """Keeps what still fits the rubric, lists what does not."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.items = {i.id: i for c in rubric.criteria for i in c.items}
        self.criteria = {c.id for c in rubric.criteria}
        self.conditions = {o.id for o in rubric.overrides}
        self.dropped: list[dict[str, Any]] = []

    def drop(self, code: str, path: tuple[str, ...], message: str) -> None:
        self.dropped.append({"code": code, "path": list(path), "message": message})

    def carry(self, data: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
        data = dict(data)
        seen: set[str] = set()
        unit = data.get("unit")
        if isinstance(unit, dict):
            kind = unit.get("type")
            if kind is not None and kind not in {t.id for t in self.rubric.unit_types}:
                data["unit"] = {**unit, "type": None}
                self.drop(
                    "unit_type_removed",
                    ("unit", "type"),
                    f"Loại đơn vị {_answer_text(kind)} không còn trong phiên bản này; hãy chọn"
                    " lại loại đơn vị.",
                )
        stages = data.get("stages")
        if isinstance(stages, dict):
            data["stages"] = {
                stage: self.stage(stage, body, seen) if isinstance(body, dict) else body
                for stage, body in stages.items()
            }
        data["evidence"] = self.texts(data.get("evidence"), "evidence", self.items, "mục")
        data["attachments"] = self.texts(data.get("attachments"), "attachments", self.items, "mục")
        review = data.get("review")
        if isinstance(review, dict):
            items = self.texts(review.get("items"), "review", self.items, "mục")
            data["review"] = {**review, "items": items}
        data["report"] = self.texts(data.get("report"), "report", self.criteria, "tiêu chí")
        added = [item for item in self.items if item not in seen]
        return data, self.dropped, added

    def stage(self, stage: str, body: dict[str, Any], seen: set[str]) -> dict[str, Any]:
        from .engine import item_outcome  # the engine imports this module

        name = CARRY_STAGE_NAMES.get(stage, stage)
        body = dict(body)
        answers = body.get("answers")
        if isinstance(answers, dict):
            kept: dict[str, Any] = {}
            for key, value in answers.items():
                seen.add(key)
                path = ("stages", stage, "answers", key)
                if value is None:
                    if key in self.items:
                        kept[key] = value
                    continue
                said = _answer_text(value)
                item = self.items.get(key)
                if item is None:
                    self.drop(
                        "unknown_item",
                        path,
                        f"Mục {shown(key)} ({name}): mục này không còn trong phiên bản này; câu trả"
                        f" lời {said} không được chuyển sang.",
                    )
                    continue
                outcome = item_outcome(self.rubric, item, value, None)
                if outcome.status != "invalid":
                    kept[key] = value
                    continue
                code = {"wrong_type": "kind_changed", "unknown_level": "level_removed"}.get(
                    outcome.code or "", "answer_not_fit"
                )
                why = {
                    "kind_changed": "cách chấm của mục này đã thay đổi",
                    "level_removed": "mức này không còn",
                }.get(code, f"câu trả lời không còn hợp lệ ({outcome.message})")
                self.drop(
                    code,
                    path,
                    f"Mục {shown(key)} ({name}): {why}; câu trả lời {said} không được chuyển sang.",
                )
            body["answers"] = kept
        conditions = body.get("conditions")
        if isinstance(conditions, dict):
            kept_conditions: dict[str, Any] = {}
            for key, cond in conditions.items():
                if key in self.conditions:
                    kept_conditions[key] = cond
                    continue
                given = isinstance(cond, dict) and (
                    cond.get("value") is not None or cond.get("note") not in (None, "")
                )
                if given or not isinstance(cond, dict):
                    self.drop(
                        "condition_removed",
                        ("stages", stage, "conditions", key),
                        f"Điều kiện {_quoted(key)} ({name}) không còn trong phiên bản này; câu"
                        " trả lời và ghi chú của điều kiện đó không được chuyển sang.",
                    )
            body["conditions"] = kept_conditions
        return body

    def texts(self, entries: Any, section: str, known: Any, noun: str) -> Any:
        """Evidence or report texts: those of ids the rubric no longer has are dropped."""
        if not isinstance(entries, dict):
            return entries
        kept: dict[str, Any] = {}
        part = {
            "evidence": "tài liệu kiểm chứng",
            "attachments": "tệp đính kèm",
            "review": "nhận xét thẩm định và giải trình",
        }.get(section, "nội dung báo cáo")
        for key, entry in entries.items():
            if key in known:
                kept[key] = entry
                continue
            written = (
                bool(entry)
                if isinstance(entry, list)
                else not isinstance(entry, dict)
                or any(text not in (None, "") for text in entry.values())
            )
            if written:
                self.drop(
                    f"{section}_removed",
                    (section, key),
                    f"{part.capitalize()} của {noun} {shown(key)} không được chuyển sang:"
                    f" {noun} này không còn trong phiên bản này.",
                )
        return kept
