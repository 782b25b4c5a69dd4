"""The JSON-in/JSON-out API that the browser (Pyodide) and the command line call.

Each function takes JSON text and returns JSON text: {"ok": true, ...} or
{"ok": false, "error": {"code": ..., "message": ...}}. None of them raises on bad input.
"""

from __future__ import annotations

import functools
from typing import Any

from . import codec, document, engine, summary
from .model import Rubric
from .problems import DocumentError, RubricError, format_path
from .rubric import load_rubric_json

API_VERSION = 1
"""Version of this API's JSON shapes."""


@functools.lru_cache(maxsize=8)
def load_rubric(rubric_json: str) -> Rubric:
    """Read and check a rubric's canonical JSON (cached: the browser sends the same text)."""
    return load_rubric_json(rubric_json)


def _ok(**payload: Any) -> str:
    return codec.dumps({"ok": True, **payload})


def _error(code: str, message: str, **extra: Any) -> str:
    return codec.dumps({"ok": False, "error": {"code": code, "message": message, **extra}})


def _guard(func: Any) -> Any:
    """Turn the expected failures into an error answer, with the rubric's problems listed."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> str:
        try:
            result: str = func(*args, **kwargs)
        except DocumentError as exc:
            return _error(exc.code, exc.message)
        except RubricError as exc:
            problems = [f"{format_path(p.path)}: {p.message}" for p in exc.problems]
            return _error("invalid_rubric", "Thang điểm không hợp lệ.", problems=problems)
        return result

    return wrapper


def read_document(rubric: Rubric, text: str) -> dict[str, Any]:
    """Parse, upgrade and check a document's JSON text; raise DocumentError."""
    return document.validate(rubric, document.parse_document_text(text))


@_guard
def score(rubric_json: str, document_json: str) -> str:
    """Score a document: per stage, per criterion, total, band and problems."""
    rubric = load_rubric(rubric_json)
    return _ok(result=engine.score_document(rubric, read_document(rubric, document_json)))


@_guard
def validate_document(rubric_json: str, document_json: str) -> str:
    """Check and upgrade a document; answer with its normalised form."""
    rubric = load_rubric(rubric_json)
    return _ok(document=read_document(rubric, document_json))


@_guard
def carry_document(rubric_json: str, document_json: str) -> str:
    """Check a document that may name another version (or another text) of the same rubric
    id and answer with it re-targeted at this rubric: {"document": ..., "carry": null} when
    nothing had to change, else "carry" lists what was carried and what was not (see
    document.carry_over). A document of another rubric id is refused (other_rubric)."""
    rubric = load_rubric(rubric_json)
    doc, report = document.carry_over(rubric, document.parse_document_text(document_json))
    return _ok(document=doc, carry=report)


@_guard
def template(rubric_json: str, name: str = "", unit_type: str | None = None) -> str:
    """Return an empty document for the rubric."""
    rubric = load_rubric(rubric_json)
    return _ok(document=document.template(rubric, name=name, unit_type=unit_type))


@_guard
def aggregate(rubric_json: str, files_json: str) -> str:
    """Summarise many documents, given as a JSON list of {"name": ..., "text": ...}.

    An entry may carry {"name": ..., "error": {"code": ..., "message": ...}} instead of a text:
    a file its caller could not read (too large, not UTF-8); it is listed as rejected with
    that reason, in its place among the others.
    """
    rubric = load_rubric(rubric_json)
    files = document.parse_document_text(files_json)
    if not isinstance(files, list):
        raise DocumentError("Danh sách tệp phải là một mảng JSON.")
    entries: list[tuple[str, Any]] = []
    for index, entry in enumerate(files):
        name = entry.get("name") if isinstance(entry, dict) else None
        text = entry.get("text") if isinstance(entry, dict) else None
        label = name if isinstance(name, str) else f"tệp {index + 1}"
        error = entry.get("error") if isinstance(entry, dict) else None
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            code = error.get("code")
            reason = DocumentError(
                error["message"], code if isinstance(code, str) else "unreadable"
            )
            entries.append((label, reason))
            continue
        if not isinstance(text, str):
            entries.append((label, DocumentError("Không đọc được nội dung tệp.")))
            continue
        try:
            entries.append((label, document.parse_document_text(text)))
        except DocumentError as exc:
            entries.append((label, exc))
    result = summary.aggregate(rubric, entries)
    return _ok(summary=result, csv=summary.to_csv(result))
