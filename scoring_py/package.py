"""The package (gói hồ sơ, .zip): an assessment document with its attached files, as a unit
sends it to the appraisal team and the team sends it back, by e-mail or the office system.

A package holds:

- `danh-gia.json`: the assessment document (its `attachments` name each file);
- `files/<item id>/<sha256>/<name>`: each attached file's bytes, once per item;
- `manifest.json`: {"format": "thangdiem-package", "version": 1, "document": "danh-gia.json",
  "files": [{"path", "item", "name", "size", "sha256"}, …]}.

Reading a package trusts nothing in it: the number and the declared and real sizes of its
entries, their names (no absolute path, no "..", no backslash, no link), their compression
ratio (a zip bomb), and each file's size and SHA-256 against the manifest and the document are
checked before anything is returned. Any fault is a PackageError with a Vietnamese message, and
nothing is half-read.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from .problems import DocumentError, describe
from .shapes import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    MAX_FILE_BYTES,
    MAX_PACKAGE_BYTES,
    megabytes,
)

PACKAGE_FORMAT = "thangdiem-package"
"""The `format` of a package's manifest."""
PACKAGE_VERSION = 1
DOCUMENT_NAME = "danh-gia.json"
MANIFEST_NAME = "manifest.json"
FILES_DIR = "files"
MAX_ENTRIES = MAX_ATTACHMENTS + 2
"""Most entries a package may hold: every attached file, the document and the manifest."""
MAX_RATIO = 200
"""Highest compression ratio of an entry larger than RATIO_FLOOR bytes (a zip bomb's is in the
thousands; text documents compress to about 10:1)."""
RATIO_FLOOR = 1024 * 1024
BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    OverflowError,
    KeyError,
    IndexError,
)
"""What the standard library's zip reader raises on damaged bytes (a bad header, a bad
compressed stream, an unknown method or version); UnicodeDecodeError is a ValueError."""
ZIP_MAGIC = b"PK\x03\x04"
"""How a zip file begins (a package, as opposed to a JSON document)."""
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
"""Every entry's time: the same document and files always make the same bytes."""


class PackageError(DocumentError):
    """A package that cannot be opened, with a Vietnamese message."""

    def __init__(self, message: str) -> None:
        super().__init__(f"Gói hồ sơ không mở được: {message}", "invalid_package")


@dataclass(frozen=True, slots=True)
class Unpacked:
    """A package read and checked: its document's JSON text and each attached file's bytes by
    SHA-256."""

    document: str
    files: dict[str, bytes]


def is_package(data: bytes) -> bool:
    """Whether bytes are a zip file (a package) rather than a JSON document."""
    return data[:4] == ZIP_MAGIC


def entry_path(item: str, sha256: str, name: str) -> str:
    """Where an attached file lies in a package."""
    return f"{FILES_DIR}/{item}/{sha256}/{name}"


def attachments_of(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(item id, attachment) for every file a (validated) document names, in its order."""
    return [(item, entry) for item, files in doc["attachments"].items() for entry in files]


def write(doc: dict[str, Any], document_text: str, files: dict[str, bytes]) -> bytes:
    """The package of a validated document (`document_text` is its JSON) and the bytes of the
    files it names, by SHA-256. A file it names that is missing, or whose bytes do not match,
    is a PackageError: a package never goes out incomplete."""
    manifest: list[dict[str, Any]] = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _put(archive, DOCUMENT_NAME, document_text.encode("utf-8"))
        for item, entry in attachments_of(doc):
            data = files.get(entry["sha256"])
            if data is None:
                raise PackageError(f"thiếu nội dung tệp {describe(entry['name'])} của mục {item}.")
            if len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise PackageError(f"tệp {describe(entry['name'])} của mục {item} đã bị thay đổi.")
            path = entry_path(item, entry["sha256"], entry["name"])
            _put(archive, path, data)
            manifest.append(
                {
                    "path": path,
                    "item": item,
                    "name": entry["name"],
                    "size": entry["size"],
                    "sha256": entry["sha256"],
                }
            )
        head = {
            "format": PACKAGE_FORMAT,
            "version": PACKAGE_VERSION,
            "document": DOCUMENT_NAME,
            "files": manifest,
        }
        text = json.dumps(head, ensure_ascii=False, indent=2) + "\n"
        _put(archive, MANIFEST_NAME, text.encode("utf-8"))
    return out.getvalue()


def _put(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.flag_bits |= 0x800  # the name is UTF-8
    archive.writestr(info, data)


def read(data: bytes) -> Unpacked:
    """Open a package: check every entry, the manifest and each file, and return the
    document's JSON text and the files' bytes. The document itself is checked by the caller
    (document.validate), which then checks its attachments against `files` (check_files)."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError(f"gói lớn quá {megabytes(MAX_PACKAGE_BYTES)}.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except BROKEN as exc:
        raise PackageError(f"không phải tệp .zip hợp lệ ({exc}).") from None
    with archive:
        infos = archive.infolist()
        _check_entries(infos)
        by_name = {info.filename: info for info in infos}
        for required in (MANIFEST_NAME, DOCUMENT_NAME):
            if required not in by_name:
                raise PackageError(f"thiếu {required}.")
        manifest = _manifest(_read_entry(archive, by_name[MANIFEST_NAME], MAX_FILE_BYTES))
        raw = _read_entry(archive, by_name[DOCUMENT_NAME], MAX_FILE_BYTES)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise PackageError(f"{DOCUMENT_NAME} không phải văn bản UTF-8.") from None
        listed = {entry["path"] for entry in manifest}
        for name in by_name:
            if name not in listed and name not in (MANIFEST_NAME, DOCUMENT_NAME):
                raise PackageError(f"có tệp {describe(name)} không có trong manifest.json.")
        files: dict[str, bytes] = {}
        for entry in manifest:
            info = by_name.get(entry["path"])
            if info is None:
                raise PackageError(
                    f"thiếu tệp {describe(entry['name'])} của mục {describe(entry['item'])}."
                )
            body = _read_entry(archive, info, entry["size"])
            if len(body) != entry["size"]:
                raise PackageError(f"tệp {describe(entry['name'])} không đúng kích thước đã ghi.")
            if hashlib.sha256(body).hexdigest() != entry["sha256"]:
                raise PackageError(
                    f"tệp {describe(entry['name'])} của mục {describe(entry['item'])} không"
                    " khớp mã SHA-256 đã ghi (tệp đã bị sửa hoặc hỏng)."
                )
            files[entry["sha256"]] = body
    return Unpacked(text, files)


def _check_entries(infos: list[zipfile.ZipInfo]) -> None:
    """The entries' count, names, kinds and declared sizes, before any is read."""
    if len(infos) > MAX_ENTRIES:
        raise PackageError(f"có quá nhiều tệp ({len(infos)} > {MAX_ENTRIES}).")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        shown = describe(name)
        if name in seen:
            raise PackageError(f"tên {shown} xuất hiện hai lần.")
        seen.add(name)
        parts = name.split("/")
        if (
            not name
            or name.startswith("/")
            or "\\" in name
            or "\x00" in name
            or ":" in parts[0]
            or any(part in ("", ".", "..") for part in parts)
        ):
            raise PackageError(f"tên {shown} không được phép (đường dẫn ra ngoài gói).")
        # A Unix zip keeps the file's type in its high bits: only a regular file may be there
        # (a link would point outside the package). Other zips keep permission bits or none.
        kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
        if info.is_dir() or kind not in (0, stat.S_IFREG):
            raise PackageError(f"{shown} không phải một tệp thường (thư mục hay liên kết).")
        if info.flag_bits & 0x1:
            raise PackageError(f"{shown} được mã hóa bằng mật khẩu.")
        if info.file_size > MAX_PACKAGE_BYTES:
            raise PackageError(f"{shown} lớn quá {megabytes(MAX_PACKAGE_BYTES)}.")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageError(f"{shown} nén bất thường (có thể là “bom zip”).")
        total += info.file_size
        if total > MAX_PACKAGE_BYTES:
            raise PackageError(f"các tệp cộng lại lớn quá {megabytes(MAX_PACKAGE_BYTES)}.")


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """An entry's bytes, reading at most limit + 1 (its declared size may lie)."""
    if info.file_size > limit:
        raise PackageError(f"{describe(info.filename)} lớn hơn kích thước đã ghi.")
    try:
        with archive.open(info) as stream:
            body = stream.read(limit + 1)
    except BROKEN as exc:
        raise PackageError(f"{describe(info.filename)} hỏng ({exc}).") from None
    if len(body) > limit:
        raise PackageError(f"{describe(info.filename)} lớn hơn kích thước đã ghi.")
    return body


def _manifest(raw: bytes) -> list[dict[str, Any]]:
    """The manifest's files, each with its place, item, name, size and SHA-256 checked."""
    try:
        head = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PackageError(f"{MANIFEST_NAME} không phải JSON hợp lệ.") from None
    if not isinstance(head, dict) or head.get("format") != PACKAGE_FORMAT:
        raise PackageError(f"{MANIFEST_NAME} không phải của một gói hồ sơ thangdiem.")
    if head.get("version") != PACKAGE_VERSION or head.get("document") != DOCUMENT_NAME:
        raise PackageError(f"{MANIFEST_NAME} có phiên bản hay tên tài liệu lạ.")
    files = head.get("files")
    if not isinstance(files, list) or len(files) > MAX_ATTACHMENTS:
        raise PackageError(f"danh sách tệp trong {MANIFEST_NAME} không hợp lệ.")
    out = []
    for entry in files:
        keys = {"path", "item", "name", "size", "sha256"}
        if not isinstance(entry, dict) or set(entry) != keys:
            raise PackageError(f"một tệp trong {MANIFEST_NAME} không hợp lệ.")
        size, digest = entry["size"], entry["sha256"]
        if not all(isinstance(entry[k], str) for k in ("path", "item", "name", "sha256")):
            raise PackageError(f"một tệp trong {MANIFEST_NAME} không hợp lệ.")
        if (
            isinstance(size, bool)
            or not isinstance(size, int)
            or not 0 <= size <= MAX_ATTACHMENT_BYTES
        ):
            raise PackageError(f"kích thước tệp {describe(entry['name'])} không hợp lệ.")
        if entry["path"] != entry_path(entry["item"], digest, entry["name"]):
            raise PackageError(f"chỗ của tệp {describe(entry['name'])} không hợp lệ.")
        out.append(entry)
    return out


def check_files(data: Any, unpacked: Unpacked) -> None:
    """The files a package's document names (its `attachments`, as parsed, before the
    document is validated) are those the package holds: each one's bytes, of the size it
    names, and no other file."""
    named: set[str] = set()
    sections = data.get("attachments") if isinstance(data, dict) else None
    for item, files in sections.items() if isinstance(sections, dict) else ():
        for entry in files if isinstance(files, list) else ():
            if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
                continue  # the document's own check refuses it, with its place
            body = unpacked.files.get(entry["sha256"])
            if body is None or len(body) != entry.get("size"):
                raise PackageError(f"thiếu tệp {describe(entry.get('name'))} của mục {item}.")
            named.add(entry["sha256"])
    if set(unpacked.files) - named:
        raise PackageError("có tệp không được tài liệu đánh giá nhắc đến.")
