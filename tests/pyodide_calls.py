"""Calls of the differential corpus that are not one scoring_py.api function, run the same way
on this CPython (tests/test_pyodide.py) and inside Pyodide (tests/pyodide_runner.mjs loads this
file), so that their imports count in the derived list of the standard library's modules."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile

from scoring_py import api


def xlsx(rubric_json: str, files_json: str) -> str:
    """The summary's workbook as the summary page's worker writes it (XlsxWriter imported from
    its wheel): a digest of each part's bytes once unzipped (two builds of zlib may deflate the
    same bytes differently)."""
    batch = api.open_batch(rubric_json)
    for entry in json.loads(files_json):
        batch.add(entry["name"], entry["text"])
    with zipfile.ZipFile(io.BytesIO(batch.xlsx())) as book:
        parts = {name: hashlib.sha256(book.read(name)).hexdigest() for name in book.namelist()}
    return json.dumps(dict(sorted(parts.items())))


def package(rubric_json: str, document_json: str, files_json: str) -> str:
    """A document's package written (api.pack, the files' bytes in base64 by SHA-256) and opened
    again (api.unpack): what the opening answers, and a digest of each file it gives back."""
    files = {sha: base64.b64decode(body) for sha, body in json.loads(files_json).items()}
    data = api.pack(rubric_json, document_json, files)
    if isinstance(data, str):
        return data
    return unpack(base64.b64encode(data).decode("ascii"))


def unpack(package_b64: str) -> str:
    """api.unpack of a package's bytes (base64): its answer, and a digest of each file."""
    text, files = api.unpack(base64.b64decode(package_b64))
    digests = {sha: hashlib.sha256(body).hexdigest() for sha, body in sorted(files.items())}
    return json.dumps([text, digests], ensure_ascii=False)


def batch(rubric_json: str, files_json: str) -> str:
    """The summary page's way with many files: split over two workers' batches (each file
    placed with `at`, one refused as unreadable), the second's part exported and adopted by
    the first; then the page's answer, the result with a unit's file chosen, and the CSV."""
    entries = json.loads(files_json)
    first, second = api.open_batch(rubric_json), api.open_batch(rubric_json)
    for order, entry in enumerate(entries):
        target = first if order < len(entries) // 2 else second
        target.at(order)
        target.add(entry["name"], entry["text"])
    second.at(len(entries))
    second.refuse("hong.json", "unreadable", "Không đọc được tệp.")
    first.adopt(second.export())
    chosen = json.dumps([entry["name"] for entry in entries[-1:]])
    return json.dumps([first.page(), first.result(chosen), first.csv(chosen)], ensure_ascii=False)


CALLS = {"xlsx": xlsx, "package": package, "unpack": unpack, "batch": batch}
