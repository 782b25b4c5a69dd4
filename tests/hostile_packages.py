"""Hostile packages (gói hồ sơ, .zip) and the good package they are made from: the corpus
that the command line and API tests (tests/test_package.py) and the form's import
(e2e/test_package.py) both try. Each builder takes the rubric the package's document is of."""

from __future__ import annotations

import hashlib
import io
import stat
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

from scoring_py import codec, document, package
from scoring_py.model import Rubric

PDF = b"%PDF-1.4\n% a plan\n" + bytes(range(256)) * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 500


def attachment(name: str, body: bytes) -> dict[str, Any]:
    kind = {"pdf": "application/pdf", "png": "image/png"}[name.rsplit(".", 1)[1].lower()]
    return {
        "name": name,
        "size": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
        "type": kind,
    }


def attached_doc(rubric: Rubric) -> dict[str, Any]:
    """A document with a plan (PDF) on item 1.1 and a photo (PNG) on item 2.2."""
    doc = document.template(rubric, name="UBND xã Nghĩa Trụ")
    doc["stages"]["self"]["answers"].update({"1.1": 20, "2.2": 2})
    doc["attachments"]["1.1"] = [attachment("Kế hoạch 12-KH.pdf", PDF)]
    doc["attachments"]["2.2"] = [attachment("Ảnh hội nghị.png", PNG)]
    return document.validate(rubric, codec.loads(codec.dumps(doc)))


FILES = {hashlib.sha256(b).hexdigest(): b for b in (PDF, PNG)}


def packed(rubric: Rubric) -> tuple[dict[str, Any], bytes]:
    doc = attached_doc(rubric)
    text = codec.dumps(doc, indent=2, sort_keys=False)
    return doc, package.write(doc, text, FILES)


def raw_zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():  # a name written twice is one of the hostile cases
        warnings.simplefilter("ignore", UserWarning)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, body in entries:
                archive.writestr(info, body)
    return out.getvalue()


def good_entries(rubric: Rubric) -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    _, data = packed(rubric)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def with_entry(rubric: Rubric, info: zipfile.ZipInfo | str, body: bytes) -> bytes:
    return raw_zip([*good_entries(rubric), (info, body)])


def replaced(rubric: Rubric, name: str, body: bytes) -> bytes:
    return raw_zip(
        [
            (info, body if getattr(info, "filename", info) == name else old)
            for info, old in good_entries(rubric)
        ]
    )


def link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def manifest_of(rubric: Rubric) -> dict[str, Any]:
    _, data = packed(rubric)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest: dict[str, Any] = codec.loads(archive.read("manifest.json").decode())
    return manifest


HOSTILE: dict[str, Callable[[Rubric], bytes]] = {
    "not a zip": lambda r: b"PK\x03\x04 not really",
    "cut short": lambda r: packed(r)[1][:-200],
    "climbs out": lambda r: with_entry(r, "../../etc/passwd", b"x"),
    "absolute": lambda r: with_entry(r, "/etc/passwd", b"x"),
    "backslash": lambda r: with_entry(r, "files\\..\\x.pdf", b"x"),
    "drive": lambda r: with_entry(r, "C:/x.pdf", b"x"),
    "twice": lambda r: with_entry(r, "danh-gia.json", b"{}"),
    "a link": lambda r: with_entry(r, link("files/1.1/x"), b"/etc/passwd"),
    "a folder": lambda r: with_entry(r, "files/extra/", b""),
    "not listed": lambda r: with_entry(r, "files/1.1/abc/evil.pdf", b"x"),
    "a bomb": lambda r: with_entry(r, "files/2.1/z/z.pdf", b"\x00" * (8 * 1024 * 1024)),
    "no manifest": lambda r: raw_zip(
        [e for e in good_entries(r) if e[0].filename != "manifest.json"]
    ),
    "no document": lambda r: raw_zip(
        [e for e in good_entries(r) if e[0].filename != "danh-gia.json"]
    ),
    "manifest not json": lambda r: replaced(r, "manifest.json", b"{nope"),
    "foreign manifest": lambda r: replaced(r, "manifest.json", b'{"format": "other"}'),
    "changed file": lambda r: replaced(
        r, f"files/1.1/{hashlib.sha256(PDF).hexdigest()}/Kế hoạch 12-KH.pdf", PDF[::-1]
    ),
    "file dropped": lambda r: raw_zip(
        [e for e in good_entries(r) if not e[0].filename.endswith(".png")]
    ),
    "size lies": lambda r: replaced(
        r,
        "manifest.json",
        codec.dumps(
            manifest_of(r) | {"files": [f | {"size": 3} for f in manifest_of(r)["files"]]}
        ).encode(),
    ),
    "too many entries": lambda r: raw_zip(
        [*good_entries(r), *((f"files/1.1/{n}/x.pdf", b"") for n in range(package.MAX_ENTRIES))]
    ),
}
