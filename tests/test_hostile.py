"""Hostile and broken input through the command line and scoring_py.api: every file gets a
clear Vietnamese message naming its problem (or is read with the problem listed), nothing
crashes and no input file is changed. Each test writes its section of KIEM-THU-AN-TOAN.md
(see tests/hardening.py)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import re
import resource
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import hardening
import hostile
import pytest
from hardening import Tally

from generator import cli
from scoring_py import api, codec, document
from scoring_py.rubric import canonical_json

RUBRIC_JSON = canonical_json(hostile.HUNG_YEN)
INVALID = sorted((hostile.ROOT / "tests" / "data" / "invalid").glob("*.yaml"))
SEED = 20261121
FUZZ_EACH = 400
"""Random mutations of each sort (bytes, JSON) through scoring_py.api."""
FUZZ_CLI_EACH = 60
"""Of those, how many of each sort also go through `thangdiem score` (it reads the rubric's
YAML on every run)."""


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `thangdiem ARGS` in this process; (exit code, stdout, stderr). Any exception (a
    traceback for the user) propagates and fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(list(args), out=out)
    return code, out.getvalue(), err.getvalue()


def digest(path: Path) -> str:
    """A file's SHA-256 (its size for a sparse huge file: reading 50 MB of zeros is waste)."""
    if path.stat().st_size > hostile.LIMIT:
        return f"size {path.stat().st_size}"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def api_answer(text: str) -> dict[str, Any]:
    """validate_document's answer; score must agree with it."""
    checked: dict[str, Any] = json.loads(api.validate_document(RUBRIC_JSON, text))
    scored = json.loads(api.score(RUBRIC_JSON, text))
    assert scored["ok"] == checked["ok"]
    if not checked["ok"]:
        assert scored["error"] == checked["error"]
        assert checked["error"]["message"] and "Traceback" not in checked["error"]["message"]
    return checked


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the project's folder, as `thangdiem` finds rubrics/ there."""
    monkeypatch.chdir(hostile.ROOT)


def test_hostile_documents_through_the_command_line(tmp_path: Path, at_root: None) -> None:
    """`thangdiem score` refuses each broken file with its message (or scores it, listing the
    problem), never changes it; scoring_py.api answers the same."""
    tallies: dict[str, Tally] = {}
    for case in hostile.cases():
        tally = tallies.setdefault(case.kind, Tally(case.kind, scripts=None))
        path = hostile.materialise(case, tmp_path)
        before = digest(path)
        code, out, err = run_cli("score", "hung-yen-2020", str(path))
        says = case.cli_says or case.says
        assert "Decimal(" not in out + err, case.name
        if case.refused:
            assert (code, out) == (1, ""), case.name
            assert err.startswith("Lỗi: ") and says in err, (case.name, err)
        else:
            assert code == 0, (case.name, err)
            assert says in out, (case.name, out[:500])
        tally.add(case.refused)
        tally.lost = (tally.lost or 0) + (digest(path) != before)
        text = hostile.decode(case.data)
        if not case.size and text is not None:
            # The browser's worker calls the same API: the same verdict and message.
            checked = api_answer(text)
            assert checked["ok"] != case.refused, case.name
            if case.refused:
                assert err == f"Lỗi: {checked['error']['message']}\n", case.name
    hardening.check_section("tep-danh-gia-dong-lenh", list(tallies.values()))


def html_rubric() -> str:
    """The Hưng Yên rubric with HTML and script in its texts (valid: texts are text)."""
    yaml = (hostile.ROOT / "rubrics" / "hung-yen-2020.yaml").read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", yaml, re.MULTILINE)
    assert title
    return yaml.replace(title.group(0), f"title: '{hostile.SCRIPT} {hostile.HOSTILE}'", 1)


def test_hostile_rubrics_through_the_command_line(tmp_path: Path, at_root: None) -> None:
    """`thangdiem check` reports each broken rubric with file:line:col and its exact problems
    (the 90 files of tests/data/invalid and more), and never changes the file."""
    corpus = Tally("Thang điểm: các tệp lỗi mẫu (tests/data/invalid)", scripts=None)
    for path in INVALID:
        before = digest(path)
        rel = path.relative_to(hostile.ROOT).as_posix()
        code, out, err = run_cli("check", rel)
        expected = path.with_suffix(".expected").read_text(encoding="utf-8")
        assert (code, out, err) == (1, "", f"{expected}1/1 tệp có lỗi.\n"), rel
        corpus.add(refused=True)
        corpus.lost = (corpus.lost or 0) + (digest(path) != before)
    extra = Tally("Thang điểm: quá lớn, bị cắt cụt, có HTML", scripts=None)
    links = Tally(
        "Thang điểm: liên kết tượng trưng (tệp, văn bản nguồn, thư mục nguồn)", scripts=None
    )
    good = (hostile.ROOT / "rubrics" / "hung-yen-2020.yaml").read_text(encoding="utf-8")
    huge = tmp_path / "lon" / "hung-yen-2020.yaml"
    huge.parent.mkdir()
    with huge.open("wb") as handle:
        handle.truncate(5_000_001)
    cut = tmp_path / "cut" / "hung-yen-2020.yaml"
    cut.parent.mkdir()
    cut.write_text(good[: len(good) // 2], encoding="utf-8")
    html = tmp_path / "html" / "hung-yen-2020.yaml"
    html.parent.mkdir()
    html.write_text(html_rubric(), encoding="utf-8")
    for path, says in [
        (huge, f"{huge}:1:1: (gốc): tệp lớn quá 5000000 byte"),
        (cut, f"{cut}:"),
        (html, f"{html}: hợp lệ — 8 tiêu chí, 28 mục, 100 điểm"),
    ]:
        before = digest(path)
        code, out, err = run_cli("check", str(path))
        refused = path != html
        assert code == int(refused), err
        assert says in (err if refused else out), (err, out)
        extra.add(refused)
        extra.lost = (extra.lost or 0) + (digest(path) != before)
    for path, says in linked_rubrics(tmp_path):
        before = digest(path)
        code, out, err = run_cli("check", str(path))
        assert (code, out) == (1, ""), (path, out)
        assert says in err and SECRET not in err, err
        links.add(refused=True)
        links.lost = (links.lost or 0) + (digest(path) != before)
    hardening.check_section("thang-diem-dong-lenh", [corpus, extra, links])


SECRET = "MAT_KHAU=bi-mat-cua-may-dung"
"""What a link points to (as /proc/self/environ would hold): never read, never shown."""


def linked_rubrics(folder: Path) -> list[tuple[Path, str]]:
    """Rubric folders where a link leads out: the rubric file itself, its source text, the
    folder of source texts. Each: (the rubric file to check, what its refusal says)."""
    good = (hostile.ROOT / "rubrics" / "hung-yen-2020.yaml").read_text(encoding="utf-8")
    source = hostile.HUNG_YEN.legal.source
    secret = folder / "ngoai" / "bi-mat.txt"
    secret.parent.mkdir()
    # Read as YAML, this text would be quoted in the loader's message ("giá trị '…' không hợp
    # lệ với thẻ YAML '!!int'").
    secret.write_text(f"!!int {SECRET}\n", encoding="utf-8")
    out: list[tuple[Path, str]] = []
    for case in ("tep", "nguon", "thu-muc-nguon"):
        rubrics = folder / case
        (rubrics / "sources").mkdir(parents=True)
        path = rubrics / "hung-yen-2020.yaml"
        if case == "tep":
            path.symlink_to(secret)
            out.append((path, f"{path}:1:1: (gốc): là một liên kết tượng trưng (symlink)"))
            continue
        path.write_text(good, encoding="utf-8")
        if case == "nguon":
            (rubrics / "sources" / source).symlink_to(secret)
            says = f"legal.source: tệp nguồn 'sources/{source}' là một liên kết tượng trưng"
        else:
            (rubrics / "sources").rmdir()
            (rubrics / "sources").symlink_to(secret.parent, target_is_directory=True)
            (secret.parent / source).write_text(SECRET, encoding="utf-8")
            says = f"legal.source: tệp nguồn 'sources/{source}' nằm ngoài thư mục thang điểm"
        out.append((path, says))
    return out


def verdict(text: str) -> bool:
    """True when scoring_py refuses the text (with a message), False when it reads it."""
    return not api_answer(text)["ok"]


def test_seeded_mutations_never_crash(tmp_path: Path, at_root: None) -> None:
    """Random byte and JSON mutations of a valid file (seeded): scoring_py.api answers each
    with ok or a message, never raises; `thangdiem score` and `aggregate` agree with it."""
    rng = random.Random(SEED)
    good = hostile.text(hostile.base())
    kinds = {
        "bytes": "Ngẫu nhiên (seed cố định): đột biến byte",
        "json": "Ngẫu nhiên (seed cố định): đột biến cấu trúc JSON",
    }
    api_tallies = {
        k: Tally(f"{label} → scoring_py.api", scripts=None, lost=None) for k, label in kinds.items()
    }
    cli_tallies = {
        k: Tally(f"{label} → thangdiem score", scripts=None) for k, label in kinds.items()
    }
    files: list[dict[str, str]] = []
    for sort in kinds:
        for index in range(FUZZ_EACH):
            if sort == "bytes":
                data = hostile.mutate_bytes(rng, good)
            else:
                data = hostile.text(hostile.mutate_json(rng, hostile.base()))
            text = hostile.decode(data)  # None: refused before scoring_py sees it
            api_text = data.decode("utf-8", "replace") if text is None else text
            refused = verdict(api_text)
            api_tallies[sort].add(refused)
            files.append({"name": f"{sort}-{index}.json", "text": api_text})
            if index >= FUZZ_CLI_EACH:
                continue
            path = tmp_path / f"{sort}-{index}.json"
            path.write_bytes(data)
            code, _, err = run_cli("score", "hung-yen-2020", str(path))
            assert code == int(text is None or refused), (sort, index, err)
            assert code == 0 or err.startswith("Lỗi: "), err
            cli_tallies[sort].add(code == 1)
            cli_tallies[sort].lost = (cli_tallies[sort].lost or 0) + (path.read_bytes() != data)
    # All of them at once, as the summary page sends them: each is ranked or rejected.
    summary = json.loads(api.aggregate(RUBRIC_JSON, codec.dumps(files)))
    assert summary["ok"], summary
    rejected = {entry["file"] for entry in summary["summary"]["rejected"]}
    assert rejected == {f["name"] for f in files if verdict(f["text"])}
    together = Tally(
        "Ngẫu nhiên: tất cả cùng lúc → scoring_py.api.aggregate", scripts=None, lost=None
    )
    for entry in files:
        together.add(entry["name"] in rejected)
    hardening.check_section("ngau-nhien", [*api_tallies.values(), *cli_tallies.values(), together])


def test_check_depth_finds_strings_as_before() -> None:
    """The string pattern of codec.check_depth (string bodies as runs between escapes) finds
    exactly the strings of the former token pattern (one character at a time), on seeded
    texts of brackets, quotes and backslashes."""
    former = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
    rng = random.Random(SEED)
    for _ in range(3000):
        text = "".join(rng.choice('[]{}"\\a ') for _ in range(rng.randint(0, 200)))
        found = [m.group() for m in codec._STRINGS.finditer(text)]
        strings = [m.group() for m in former.finditer(text) if m.group().startswith('"')]
        assert found == strings, text


def test_a_file_with_a_byte_order_mark_is_read(tmp_path: Path, at_root: None) -> None:
    """A UTF-8 file saved with a byte order mark (as some Windows editors do) is read by the
    command line, as the browser reads it."""
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + hostile.text(document.template(hostile.HUNG_YEN)))
    code, out, err = run_cli("score", "hung-yen-2020", str(path))
    assert code == 0, err
    assert json.loads(out)["stages"]


# --------------------------------------------------------------------------------------------
# The command line's surroundings: consoles, devices, pipes, file names (a real process each)

ENVIRONMENT = "dong-lenh-moi-truong"
"""The section of KIEM-THU-AN-TOAN.md written by the tests below, one row each."""


def run_process(
    *args: str, env: dict[str, str] | None = None, cwd: Path = hostile.ROOT
) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m generator ARGS` as a user runs it, its address space bounded (1 GB) so
    that reading without a bound fails at once instead of filling the machine's memory."""

    def bound() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(hostile.ROOT), **(env or {})},
        preexec_fn=bound,
        timeout=120,
        check=False,
    )


def no_crash(done: subprocess.CompletedProcess[bytes]) -> tuple[str, str]:
    """Its output as UTF-8 text (it must be UTF-8), with no traceback."""
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert "Traceback" not in err and done.returncode in (0, 1), err
    return out, err


def test_a_legacy_console_gets_utf8(tmp_path: Path) -> None:
    """With the console's encoding cp1258 (a Vietnamese Windows console), `score --text`,
    `aggregate --csv` and a refusal on stderr write UTF-8 instead of crashing on "Hạng"."""
    tally = Tally("Dòng lệnh: cửa sổ lệnh mã cp1258 (Windows)", scripts=None)
    doc = tmp_path / "a.json"
    doc.write_bytes(hostile.text(hostile.base()))
    bad = tmp_path / "b.json"
    bad.write_bytes(b"{")
    legacy = {"PYTHONIOENCODING": "cp1258"}
    runs = [
        (("score", "hung-yen-2020", "--text", str(doc)), "Tự chấm", 0),
        (("aggregate", "hung-yen-2020", "--csv", str(doc)), "Hạng;Đơn vị", 0),
        (("score", "hung-yen-2020", str(bad)), "Lỗi: Tệp không phải JSON hợp lệ", 1),
    ]
    before = doc.read_bytes(), bad.read_bytes()
    for args, says, code in runs:
        done = run_process(*args, env=legacy)
        out, err = no_crash(done)
        assert done.returncode == code, err
        assert says in (out if code == 0 else err), (out, err)
        tally.add(refused=code == 1)
    tally.lost = int((doc.read_bytes(), bad.read_bytes()) != before)
    hardening.check_row(ENVIRONMENT, "cp1258", tally)


def test_devices_and_pipes_are_read_up_to_the_limit(tmp_path: Path) -> None:
    """/dev/zero, a pipe that never ends and a growing file say nothing true of their size:
    the command line reads at most 50 MB and one byte of them, then refuses; a pipe carrying
    a valid file (process substitution) is scored."""
    tally = Tally(
        "Tệp đánh giá: /dev/zero, ống dẫn (FIFO) vô tận hoặc hợp lệ", scripts=None, lost=None
    )
    done = run_process("score", "hung-yen-2020", "/dev/zero")
    _, err = no_crash(done)
    assert (done.returncode, err) == (1, "Lỗi: Tệp lớn quá 50 MB.\n")
    tally.add(refused=True)
    for content, code in (
        (b"{" + b" " * (hostile.LIMIT + 10), 1),
        (hostile.text(hostile.base()), 0),
    ):
        fifo = tmp_path / f"ong-{code}.json"
        os.mkfifo(fifo)

        def feed(path: Path = fifo, data: bytes = content) -> None:
            with contextlib.suppress(BrokenPipeError), path.open("wb") as handle:
                handle.write(data)

        writer = threading.Thread(target=feed)
        writer.start()
        done = run_process("score", "hung-yen-2020", str(fifo))
        writer.join(timeout=60)
        out, err = no_crash(done)
        assert done.returncode == code, err
        if code:
            assert err == "Lỗi: Tệp lớn quá 50 MB.\n"
        else:
            assert json.loads(out)["format"] == "thangdiem-result"
        tally.add(refused=code == 1)
    hardening.check_row(ENVIRONMENT, "thiet-bi-ong-dan", tally)


def test_odd_file_names_never_stop_aggregate(tmp_path: Path) -> None:
    """A file name with a byte that is not UTF-8, with a right-to-left override or with a NUL:
    `aggregate` lists each (the byte as \\x80, in JSON and CSV) and the valid files with it;
    `check` and `score` name them without letting them reorder the message."""
    tally = Tally("Tên tệp lạ: byte không phải UTF-8, ký tự đảo chiều, NUL", scripts=None)
    good = hostile.text(hostile.base())
    odd = os.fsdecode(b"xa-\x80\xff.json")
    (tmp_path / odd).write_bytes(good)
    (tmp_path / "bao-cao-\u202enosj.json").write_bytes(good)
    names = [odd, "bao-cao-\u202enosj.json", "a\x00b.json"]
    code, out, err = run_cli("aggregate", "hung-yen-2020", *[str(tmp_path / n) for n in names])
    assert code == 0, err
    summary = json.loads(out)
    # The two files are one unit's: one counts, the other is listed as superseded.
    files = [Path(f).name for u in summary["units"] for f in (u["file"], *u["superseded"])]
    assert sorted(files) == ["bao-cao-\u202enosj.json", "xa-\\x80\\xff.json"]
    (rejected,) = summary["rejected"]
    assert rejected["reason"] == "Không đọc được tệp: tên tệp không hợp lệ."
    tally.add(refused=False)
    tally.add(refused=False)
    tally.add(refused=True)
    code, out, err = run_cli("aggregate", "hung-yen-2020", "--csv", str(tmp_path / odd))
    assert code == 0 and "xa-\\x80\\xff.json" in out, err
    code, out, err = run_cli("score", "hung-yen-2020", str(tmp_path / "a\x00b.json"))
    assert (code, err) == (1, "Lỗi: Không đọc được tệp: tên tệp không hợp lệ.\n")
    rubric = tmp_path / "\u202ehung-yen-2020.yaml"
    rubric.write_bytes((hostile.ROOT / "rubrics" / "hung-yen-2020.yaml").read_bytes())
    code, out, err = run_cli("check", str(rubric))
    assert code == 1 and "\u202e" not in err and "\\u202ehung-yen-2020.yaml:" in err, err
    tally.add(refused=True)
    tally.lost = sum((tmp_path / n).read_bytes() != good for n in names[:2])
    hardening.check_row(ENVIRONMENT, "ten-tep-la", tally)


def test_one_file_that_breaks_the_reader_is_listed_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at_root: None
) -> None:
    """Should reading one file ever fail in a way nobody foresaw, `aggregate` lists it as
    refused with a message and summarises the others (the failure is injected)."""
    good = tmp_path / "a.json"
    good.write_bytes(hostile.text(hostile.base()))
    broken = tmp_path / "b.json"
    broken.write_bytes(hostile.text(hostile.base()))
    read = cli.read_json

    def failing(name: str) -> Any:
        if name == str(broken):
            raise RuntimeError("injected")
        return read(name)

    monkeypatch.setattr(cli, "read_json", failing)
    code, out, err = run_cli("aggregate", "hung-yen-2020", str(good), str(broken))
    assert code == 0, err
    summary = json.loads(out)
    assert [u["file"] for u in summary["units"]] == [str(good)]
    assert summary["rejected"] == [
        {
            "file": str(broken),
            "code": "unexpected",
            "reason": "Không đọc được tệp do một lỗi không lường trước (RuntimeError).",
        }
    ]


def test_a_changed_rubric_text_is_told_before_scoring(tmp_path: Path, at_root: None) -> None:
    """A document made with another text of the same rubric version is scored (the user's
    work stays usable), with a warning first in its problems and on stderr."""
    doc = hostile.base()
    doc["rubric"]["hash"] = "0" * 64
    path = tmp_path / "khac.json"
    path.write_bytes(hostile.text(doc))
    code, out, err = run_cli("score", "hung-yen-2020", str(path))
    assert code == 0
    assert err.startswith(f"Cảnh báo: {hostile.RUBRIC_CHANGED}"), err
    first = json.loads(out)["problems"][0]
    assert (first["code"], first["severity"]) == ("rubric_changed", "warning")
    code, out, err = run_cli("aggregate", "hung-yen-2020", str(path))
    assert code == 0 and f"Cảnh báo: {path}: {hostile.RUBRIC_CHANGED}" in err
    assert json.loads(out)["units"][0]["errors"] == 0
    same = tmp_path / "cung.json"
    same.write_bytes(hostile.text(hostile.base()))
    code, out, err = run_cli("score", "hung-yen-2020", str(same))
    assert (code, err) == (0, "")
    answer = json.loads(api.validate_document(RUBRIC_JSON, path.read_text(encoding="utf-8")))
    assert answer["warnings"][0].startswith(hostile.RUBRIC_CHANGED)


def test_messages_say_numbers_and_texts_as_written(tmp_path: Path, at_root: None) -> None:
    """No message shows a Python repr: numbers in plain notation (comma decimals in the form's
    messages), texts in plain quotes."""
    path = tmp_path / "nho.json"
    path.write_bytes(hostile.with_raw_answer("1e-13"))
    code, out, _ = run_cli("score", "hung-yen-2020", str(path))
    assert code == 0 and "phải là một số điểm (nhận được 0,0000000000001)" in out
    huge = tmp_path / "lon.json"
    huge.write_bytes(hostile.with_raw_answer("1e40"))
    code, out, _ = run_cli("score", "hung-yen-2020", str(huge))
    assert code == 0 and "(nhận được một số quá lớn)" in out
    version = tmp_path / "phien-ban.json"
    version.write_bytes(hostile.text(hostile.base() | {"version": Decimal("1.5")}))
    code, _, err = run_cli("score", "hung-yen-2020", str(version))
    assert err == "Lỗi: Trường 'version' phải là một số nguyên ≥ 1 (nhận được 1.5).\n"
    for output in (out, err):
        assert "Decimal(" not in output
