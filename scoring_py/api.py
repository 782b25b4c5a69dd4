"""The JSON-in/JSON-out API that the browser (Pyodide) and the command line call.

Each function takes JSON text and returns JSON text: {"ok": true, ...} or
{"ok": false, "error": {"code": ..., "message": ...}}. None of them raises on bad input.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from . import carry, codec, document, engine, package, shapes, summary, tables, workbook
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


def _ok_document(**payload: Any) -> str:
    """An answer that holds a document: written in the document's reading order
    (shapes.Document), the order of a file the page exports."""
    return codec.dumps({"ok": True, **payload}, sort_keys=False)


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
    """Check and upgrade a document; answer with its normalised form and the warnings to
    give before it is used (a document made with another text of the rubric's version)."""
    rubric = load_rubric(rubric_json)
    doc = read_document(rubric, document_json)
    changed = engine.rubric_changed(rubric, doc)
    return _ok_document(document=doc, warnings=[] if changed is None else [changed["message"]])


@_guard
def carry_document(rubric_json: str, document_json: str) -> str:
    """Check a document that may name another version of the same rubric id and answer with
    it re-targeted at this rubric: {"document": ..., "carry": null, "warnings": [...]} (as
    validate_document) when it names this version, else "carry" lists what was carried and
    what was not (see carry.carry_over). A document of another rubric id is refused
    (other_rubric)."""
    rubric = load_rubric(rubric_json)
    doc, report = carry.carry_over(rubric, document.parse_document_text(document_json))
    changed = engine.rubric_changed(rubric, doc)
    warnings = [] if changed is None else [changed["message"]]
    return _ok_document(document=doc, carry=report, warnings=warnings)


def pack(rubric_json: str, document_json: str, files: Mapping[str, Any]) -> bytes | str:
    """A document's package (scoring_py.package): the document as given, with the bytes of
    each file it attaches, by SHA-256 (bytes or a buffer: the page's Uint8Arrays). Answers the
    package's bytes, or an error's JSON text (as every call here answers one)."""
    try:
        rubric = load_rubric(rubric_json)
        doc = read_document(rubric, document_json)
        return package.write(doc, document_json, {k: bytes(v) for k, v in files.items()})
    except DocumentError as exc:
        return _error(exc.code, exc.message)
    except RubricError:
        return _error("invalid_rubric", "Thang điểm không hợp lệ.")


def unpack(data: Any) -> tuple[str, dict[str, bytes]]:
    """Open a package's bytes (scoring_py.package.read: every entry, the manifest and each
    file checked): (the JSON text {"ok": true, "document": its document's JSON text, to be
    imported as any document file is, "files": [sha256, …]}, or an error's; the attached
    files' bytes by SHA-256, none on an error)."""
    try:
        unpacked = package.read(bytes(data))
        package.check_files(document.parse_document_text(unpacked.document), unpacked)
    except DocumentError as exc:
        return _error(exc.code, exc.message), {}
    return _ok(document=unpacked.document, files=sorted(unpacked.files)), unpacked.files


def contract() -> str:
    """The constants the pages share with scoring_py (shapes.contract), as JSON text."""
    return codec.dumps(shapes.contract())


@_guard
def check_rubric(rubric_json: str) -> str:
    """Check a rubric's canonical JSON: {"ok": true}, or the rubric's problems (what the
    scoring worker asks before it says it is ready)."""
    load_rubric(rubric_json)
    return _ok()


@_guard
def template(rubric_json: str, name: str = "", unit_type: str | None = None) -> str:
    """Return an empty document for the rubric."""
    rubric = load_rubric(rubric_json)
    return _ok_document(document=document.template(rubric, name=name, unit_type=unit_type))


def _chosen(prefer_json: str) -> list[str]:
    """The file names a JSON list chose to count for their units (anything else is ignored)."""
    prefer = document.parse_document_text(prefer_json)
    return [p for p in prefer if isinstance(p, str)] if isinstance(prefer, list) else []


def _summary_answer(batch: summary.Batch, prefer_json: str) -> str:
    result = batch.summary(_chosen(prefer_json))
    return _ok(summary=result, tables=tables.tables(result), csv=tables.to_csv(result))


@_guard
def aggregate(rubric_json: str, files_json: str, prefer_json: str = "[]") -> str:
    """Summarise many documents, given as a JSON list of {"name": ..., "text": ...}.

    An entry may carry {"name": ..., "error": {"code": ..., "message": ...}} instead of a text:
    a file its caller could not read (too large, not UTF-8); it is listed as rejected with
    that reason, in its place among the others. `prefer_json` lists file names chosen to count
    for their unit over its other files.
    """
    files = document.parse_document_text(files_json)
    if not isinstance(files, list):
        raise DocumentError("Danh sách tệp phải là một mảng JSON.")
    batch = SummaryBatch(rubric_json)
    for index, entry in enumerate(files):
        name = entry.get("name") if isinstance(entry, dict) else None
        label = name if isinstance(name, str) else f"tệp {index + 1}"
        text = entry.get("text") if isinstance(entry, dict) else None
        error = entry.get("error") if isinstance(entry, dict) else None
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            code = error.get("code")
            batch.refuse(label, code if isinstance(code, str) else "unreadable", error["message"])
        elif isinstance(text, str):
            batch.add(label, text)
        else:
            batch.refuse(label, "invalid_document", "Không đọc được nội dung tệp.")
    answer: str = batch.result(prefer_json)
    return answer


class SummaryBatch:
    """A summary built file by file (the browser's worker hands each file's text on its own, so
    that many large files are never joined into one string)."""

    def __init__(self, rubric_json: str) -> None:
        self.batch = summary.Batch(load_rubric(rubric_json))

    def add(self, name: str, text: str) -> None:
        """Add one file's text."""
        if not self.batch.reserve(name, len(text.encode("utf-8", "surrogatepass"))):
            return
        try:
            self.batch.add(name, document.parse_document_text(text))
        except DocumentError as exc:
            self.batch.refuse(name, exc)

    def refuse(self, name: str, code: str, message: str) -> None:
        """List a file its caller could not read, with the reason."""
        self.batch.refuse(name, DocumentError(message, code))

    def at(self, order: int) -> None:
        """Say where the next file stands among all the files (see summary.Batch.at)."""
        self.batch.at(order)

    def export(self) -> str:
        """This batch's files, scored, as text for another batch to `adopt` (the browser's two
        workers each summarise half of a large choice of files)."""
        import base64
        import pickle

        return base64.b64encode(pickle.dumps(self.batch.part())).decode("ascii")

    def adopt(self, text: str) -> None:
        """Take in the files of another batch's `export`."""
        self.batch.merge(_read_part(text))

    @_guard
    def result(self, prefer_json: str = "[]") -> str:
        """The summary answer of every file so far, as `aggregate` answers."""
        return _summary_answer(self.batch, prefer_json)

    @_guard
    def page(self, prefer_json: str = "[]") -> str:
        """What the summary page shows of every file so far: its tables, the overview, the
        rubric's notes and the units with several files (not each unit's details; the CSV
        only when asked for, see `csv`)."""
        result = self.batch.summary(_chosen(prefer_json))
        answer = {
            "ok": True,
            "overview": tables.overview(result),
            "notes": result["notes"],
            "duplicates": result["duplicates"],
            "tables": tables.tables(result),
            "charts": tables.charts(result),
        }
        # Only texts, whole numbers and flags (the tables' cells are written for a reader, the
        # charts' values are decimal texts), so
        # the standard library's C writer serves: exact-number JSON (codec.dumps) is written in
        # Python and took most of the time of this answer for many files. ASCII escapes keep
        # any half character of a file name from reaching the page unencodable.
        return json.dumps(answer, separators=(",", ":"))

    def csv(self, prefer_json: str = "[]") -> str:
        """The units' table as `thangdiem aggregate --csv` writes it, with the same choices."""
        return tables.to_csv(self.batch.summary(_chosen(prefer_json)))

    def xlsx(self, prefer_json: str = "[]") -> bytes:
        """The summary as the workbook `thangdiem aggregate --xlsx` writes, with the same
        choices (XlsxWriter must be importable: the page's worker installs it first)."""
        return workbook.workbook(self.batch.summary(_chosen(prefer_json)))


def _read_part(text: str) -> Any:
    """Unpickle an `export`, allowing only the types a batch's part is made of."""
    import base64
    import io
    import pickle

    allowed = {
        ("decimal", "Decimal"),
        ("datetime", "datetime"),
        ("datetime", "timezone"),
        ("datetime", "timedelta"),
        ("scoring_py.summary", "_File"),
    }

    class Part(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) not in allowed:
                raise pickle.UnpicklingError(f"{module}.{name} is not part of a summary")
            return super().find_class(module, name)

    return Part(io.BytesIO(base64.b64decode(text))).load()


def open_batch(rubric_json: str) -> SummaryBatch:
    """Start a summary of many files for a rubric (already checked by its caller)."""
    return SummaryBatch(rubric_json)
