"""Hostile and broken input through the command line and scoring_py.api: every file gets a
clear Vietnamese message naming its problem (or is read with the problem listed), nothing
crashes and no input file is changed. Each test writes its section of KIEM-THU-AN-TOAN.md
(see tests/hardening.py)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import random
import re
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
    hardening.check_section("thang-diem-dong-lenh", [corpus, extra])


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


def test_check_depth_tokenises_as_before() -> None:
    """The faster token pattern of codec.check_depth (string bodies as runs between escapes)
    finds exactly the tokens of the former one (one character at a time), on seeded texts."""
    former = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
    rng = random.Random(SEED)
    for _ in range(3000):
        text = "".join(rng.choice('[]{}"\\a ') for _ in range(rng.randint(0, 200)))
        found = [m.group() for m in codec._TOKENS.finditer(text)]
        assert found == [m.group() for m in former.finditer(text)], text


def test_a_file_with_a_byte_order_mark_is_read(tmp_path: Path, at_root: None) -> None:
    """A UTF-8 file saved with a byte order mark (as some Windows editors do) is read by the
    command line, as the browser reads it."""
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + hostile.text(document.template(hostile.HUNG_YEN)))
    code, out, err = run_cli("score", "hung-yen-2020", str(path))
    assert code == 0, err
    assert json.loads(out)["stages"]
