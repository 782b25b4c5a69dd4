"""The package (gói hồ sơ): a document with its attached files in one .zip, written and read by
scoring_py.package, scored by the command line like a JSON file; and the attachments' entries
in the document (document version 3)."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from pathlib import Path
from typing import Any

import hardening
import pytest
from hardening import Tally
from test_cli import run

from conftest import make_rubric
from hostile_packages import (
    FILES,
    HOSTILE,
    PDF,
    attached_doc,
    attachment,
    packed,
    replaced,
)
from scoring_py import api, codec, document, engine, package
from scoring_py.model import Rubric
from scoring_py.problems import DocumentError
from scoring_py.rubric import canonical_json


def test_a_package_holds_the_document_and_its_files(rubric: Rubric) -> None:
    doc, data = packed(rubric)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    sha = hashlib.sha256(PDF).hexdigest()
    assert names[0] == "danh-gia.json" and names[-1] == "manifest.json"
    assert f"files/1.1/{sha}/Kế hoạch 12-KH.pdf" in names
    unpacked = package.read(data)
    assert unpacked.files == FILES
    again = document.validate(rubric, document.parse_document_text(unpacked.document))
    package.check_files(codec.loads(unpacked.document), unpacked)
    assert again == doc
    assert package.write(doc, unpacked.document, FILES) == data  # the same bytes every time


def test_a_file_named_but_missing_or_changed_is_never_packed(rubric: Rubric) -> None:
    doc = attached_doc(rubric)
    text = codec.dumps(doc)
    with pytest.raises(package.PackageError, match="thiếu nội dung tệp"):
        package.write(doc, text, {k: v for k, v in FILES.items() if v is PDF})
    changed = {k: (v + b"x" if v is PDF else v) for k, v in FILES.items()}
    with pytest.raises(package.PackageError, match="đã bị thay đổi"):
        package.write(doc, text, changed)


def test_the_command_line_scores_a_package_as_its_document(rubric: Rubric, tmp_path: Path) -> None:
    doc, data = packed(rubric)
    rubric_file = tmp_path / "thu-nghiem.yaml"  # JSON is YAML
    rubric_file.write_text(canonical_json(rubric), encoding="utf-8")
    (tmp_path / "a.zip").write_bytes(data)
    (tmp_path / "a.json").write_text(codec.dumps(doc), encoding="utf-8")
    from_zip = run("score", str(rubric_file), str(tmp_path / "a.zip"))
    from_json = run("score", str(rubric_file), str(tmp_path / "a.json"))
    assert from_zip.returncode == 0, from_zip.stderr
    assert from_zip.stdout == from_json.stdout
    summary = run("aggregate", str(rubric_file), str(tmp_path / "a.zip"))
    assert summary.returncode == 0, summary.stderr
    assert codec.loads(summary.stdout)["units"][0]["name"] == "UBND xã Nghĩa Trụ"


def test_an_attached_file_is_evidence(tmp_path: Path) -> None:
    """An item that requires evidence keeps its points with a file attached and no document
    named (a scanned decision is the evidence)."""
    rubric = make_rubric(evidence="required")
    doc = document.template(rubric)
    doc["stages"]["self"]["answers"]["1.1"] = 20
    bare = engine.score_document(rubric, document.validate(rubric, codec.loads(codec.dumps(doc))))
    assert bare["stages"]["self"]["criteria"][0]["items"][0]["points"] == 0
    doc["attachments"]["1.1"] = [attachment("Quyết định.pdf", PDF)]
    filed = engine.score_document(rubric, document.validate(rubric, codec.loads(codec.dumps(doc))))
    assert filed["stages"]["self"]["criteria"][0]["items"][0]["points"] == 20
    assert not [p for p in filed["problems"] if p["item"] == "1.1"]


def test_the_api_packs_and_unpacks_bytes(rubric: Rubric) -> None:
    """What the browser's worker calls: the files' bytes (buffers) by SHA-256 in, the
    package's bytes out; and back."""
    doc = attached_doc(rubric)
    text = codec.dumps(doc, sort_keys=False)
    buffers = {k: memoryview(v) for k, v in FILES.items()}
    data = api.pack(canonical_json(rubric), text, buffers)
    assert isinstance(data, bytes) and package.is_package(data)
    answer, files = api.unpack(memoryview(data))
    opened = codec.loads(answer)
    assert opened["ok"], opened
    assert opened["document"] == text
    assert files == FILES and opened["files"] == sorted(FILES)
    missing = api.pack(canonical_json(rubric), text, {})
    assert isinstance(missing, str)
    assert codec.loads(missing)["error"]["code"] == "invalid_package"
    refused, none = api.unpack(b"PK\x03\x04 not a zip")
    assert codec.loads(refused)["error"]["message"].startswith("Gói hồ sơ không mở được")
    assert none == {}


# --------------------------------------------------------------------------------------------
# Hostile packages: each refused with a message, nothing returned


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_packages_are_refused_with_a_message(rubric: Rubric, case: str) -> None:
    data = HOSTILE[case](rubric)
    with pytest.raises(DocumentError) as caught:
        unpacked = package.read(data)
        package.check_files(codec.loads(unpacked.document), unpacked)
    assert caught.value.message.startswith("Gói hồ sơ không mở được: "), caught.value.message


def test_a_document_naming_a_file_the_package_lacks_is_refused(rubric: Rubric) -> None:
    doc = attached_doc(rubric)
    doc["attachments"]["1.2"] = [attachment("Khác.pdf", PDF + b"!")]
    text = codec.dumps(doc)
    data = replaced(rubric, "danh-gia.json", text.encode())
    unpacked = package.read(data)
    with pytest.raises(package.PackageError, match=r"thiếu tệp 'Khác\.pdf' của mục 1\.2"):
        package.check_files(codec.loads(unpacked.document), unpacked)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "../x.pdf"}, "ký tự không được phép"),
        ({"name": "x\u202efdp.exe"}, "ký tự không được phép"),
        ({"name": "virus.exe"}, "loại tệp '.exe' không được nhận"),
        ({"name": "a" * 300 + ".pdf"}, "tên tệp dài quá 200 ký tự"),
        ({"sha256": "ABC"}, "phải là mã SHA-256"),
        ({"size": -1}, "phải là số byte"),
        ({"size": 21 * 1024 * 1024}, "tệp lớn quá 20 MB"),
        ({"type": "text/html"}, "phải là 'application/pdf'"),
        ({"extra": 1}, "khóa không được phép"),
    ],
)
def test_bad_attachment_entries_are_refused_with_their_place(
    rubric: Rubric, entry: dict[str, Any], message: str
) -> None:
    doc = codec.loads(codec.dumps(attached_doc(rubric)))
    doc["attachments"]["1.1"][0].update(entry)
    with pytest.raises(DocumentError) as caught:
        document.validate(rubric, doc)
    assert caught.value.message.startswith("attachments.1.1[0]")
    assert message in caught.value.message


def test_an_item_holds_a_file_once_and_a_limited_number(rubric: Rubric) -> None:
    doc = codec.loads(codec.dumps(attached_doc(rubric)))
    doc["attachments"]["1.1"].append(dict(doc["attachments"]["1.1"][0]))
    with pytest.raises(DocumentError, match="đã đính kèm ở mục này"):
        document.validate(rubric, doc)
    many = [attachment(f"{n}.pdf", PDF) for n in range(21)]
    doc["attachments"]["1.1"] = many
    with pytest.raises(DocumentError, match="quá 20 tệp đính kèm cho một mục"):
        document.validate(rubric, doc)
    doc["attachments"] = {"9.9": []}
    with pytest.raises(DocumentError, match="mã mục không có trong thang điểm"):
        document.validate(rubric, doc)


def test_a_version_2_file_reads_with_no_attachments(rubric: Rubric) -> None:
    old = codec.loads(codec.dumps(document.template(rubric)))
    del old["attachments"], old["review"]
    old["version"] = 2
    doc = document.validate(rubric, old)
    assert doc["version"] == 4
    assert list(doc).index("attachments") == list(doc).index("evidence") + 1
    assert all(files == [] for files in doc["attachments"].values())


def test_hostile_and_mutated_packages_never_crash(rubric: Rubric, tmp_path: Path) -> None:
    """The table of KIEM-THU-AN-TOAN.md: each hostile package through the API and the command
    line, and seeded byte mutations of a good package: refused with a message, or (a mutation
    that changes nothing that counts) read; never a crash."""
    api_tally = Tally("Gói hồ sơ độc hại → scoring_py.api.unpack", scripts=None, lost=None)
    cli_tally = Tally("Gói hồ sơ độc hại → thangdiem score", scripts=None)
    rubric_file = tmp_path / "thu-nghiem.yaml"
    rubric_file.write_text(canonical_json(rubric), encoding="utf-8")
    for case, make in HOSTILE.items():
        data = make(rubric)
        answer, files = api.unpack(data)
        refused = not codec.loads(answer)["ok"] and files == {}
        api_tally.add(refused)
        path = tmp_path / f"{len(case)}-{abs(hash(case)) % 10_000}.zip"
        path.write_bytes(data)
        done = run("score", str(rubric_file), str(path))
        if "Traceback" in done.stderr:
            cli_tally.crashes += 1
        cli_tally.add(done.returncode != 0 and "Gói hồ sơ không mở được" in done.stderr)
        if path.read_bytes() != data:
            cli_tally.lost = (cli_tally.lost or 0) + 1
    fuzz = Tally(
        "Gói hồ sơ, đột biến byte (seed cố định) → scoring_py.api.unpack", scripts=None, lost=None
    )
    _, good = packed(rubric)
    rng = random.Random(2026)
    for _ in range(300):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            answer, _files = api.unpack(bytes(data))
        except Exception:  # what the table counts
            fuzz.crashes += 1
            continue
        fuzz.add(not codec.loads(answer)["ok"])
    hardening.check_section("goi-ho-so", [api_tally, cli_tally, fuzz])
