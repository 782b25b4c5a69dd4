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


CALLS = {"xlsx": xlsx, "package": package, "unpack": unpack}
