"""The `thangdiem` command, run as a user runs it: a real process, real files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator ARGS` and capture its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def template(rubric: str = "hung-yen-2020", *extra: str) -> dict[str, Any]:
    """An empty document from `thangdiem template`."""
    done = run("template", rubric, *extra)
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def write(tmp_path: Path, name: str, data: Any) -> str:
    """Write JSON to a file and return its path."""
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_check_all_bundled_rubrics() -> None:
    """`check` with no argument validates rubrics/ and exits 0."""
    done = run("check")
    assert done.returncode == 0, done.stderr
    assert "rubrics/hung-yen-2020.yaml: hợp lệ — 8 tiêu chí, 28 mục, 100 điểm" in done.stdout


def test_check_reports_every_problem_and_fails(tmp_path: Path) -> None:
    """A bad rubric prints file:line:col: path: message lines and exits 1."""
    text = (ROOT / "rubrics" / "hung-yen-2020.yaml").read_text(encoding="utf-8")
    bad = text.replace("total: 100", "total: 99") + "titel: Thang điểm\n"
    path = tmp_path / "hung-yen-2020.yaml"
    path.write_text(bad, encoding="utf-8")
    done = run("check", str(path))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert (
        f"{path}:43:1: total: phải bằng tổng điểm tối đa của các tiêu chí = 100 (nhận được 99)"
        in lines
    )
    assert any(
        ln.endswith(": titel: khóa không được phép; có phải ý bạn là 'title'?") for ln in lines
    )
    assert lines[-1] == "1/1 tệp có lỗi."
    assert "Traceback" not in done.stderr


def test_template_lists_every_item() -> None:
    """`template` prints an empty document with all 28 items unanswered."""
    doc = template("hung-yen-2020", "--name", "UBND xã Long Hưng")
    answers = doc["stages"]["self"]["answers"]
    assert len(answers) == 28 and set(answers.values()) == {None}
    assert doc["unit"]["name"] == "UBND xã Long Hưng"


def test_score_prints_the_result(tmp_path: Path) -> None:
    """`score` prints JSON with total, max, band, criteria, stages and problems."""
    doc = template()
    answers = doc["stages"]["self"]["answers"]
    for key in answers:
        answers[key] = 1
    answers.update({"4.1": "4.1.1", "4.4": "4.4.2", "5.2": "5.2.1", "8.2": "8.2.3", "1.5": 5.5})
    for key in answers:
        doc["evidence"][key]["documents"] = f"Văn bản {key}"
    done = run("score", "hung-yen-2020", write(tmp_path, "a.json", doc))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {"total", "max", "band", "criteria", "stages", "problems"} <= set(result)
    # 24 free items at 1 point, 1.5 at 5.5 instead of 1, levels 7 + 3 + 5 + 0.
    assert result["total"] == 23 + 5.5 + 15
    assert result["max"] == 100
    assert result["band"] is None
    assert [c["id"] for c in result["criteria"]] == [str(n) for n in range(1, 9)]
    assert result["criteria"][0] == {
        "id": "1",
        "max": 14,
        "score": 9.5,
        "title": result["criteria"][0]["title"],
    }
    assert result["problems"] == []


def test_score_text_table(tmp_path: Path) -> None:
    """`score --text` prints the official table's columns with comma decimals."""
    doc = template()
    doc["stages"]["self"]["answers"]["1.1"] = 1.5
    done = run("score", "hung-yen-2020", write(tmp_path, "a.json", doc), "--text")
    assert done.returncode == 0, done.stderr
    assert "Thang điểm" in done.stdout and "Tự chấm" in done.stdout and "Thẩm định" in done.stdout
    assert any(line.startswith(" 1 ") and " 1,5 " in line for line in done.stdout.splitlines())
    assert "Tổng điểm" in done.stdout


def test_score_text_table_marks_a_capped_criterion(tmp_path: Path) -> None:
    """`score --text` on the authors' example: the ratio rules give their points, and criterion
    1.1, whose items add up to 41, shows its cap of 40 marked and explained under the table."""
    example = str(ROOT / "site_src" / "huong-dan-soan-thang-diem" / "vi-du-thang-diem.yaml")
    doc = template(example, "--type", "so-nganh")
    doc["stages"]["self"]["answers"] |= {
        "1.1.1": 10,
        "1.1.2": "1.1.2.1",
        "1.1.3": True,
        "1.1.4": {"numerator": 9, "denominator": 10},  # 13,5
        "1.1.5": {"numerator": 4, "denominator": 5},  # 80 %: 1 point
        "1.1.6": {"numerator": 33, "denominator": 100},  # 33 %: 1,5 points
    }
    # Evidence is required or expected for each of these items.
    for item in ("1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6"):
        doc["evidence"][item]["documents"] = "Kế hoạch số 1/KH-UBND"
    done = run("score", example, write(tmp_path, "a.json", doc), "--text")
    assert done.returncode == 0, done.stderr
    rows = {line[:8].rstrip(): line.split() for line in done.stdout.splitlines()[4:12]}
    assert rows["1"][-4:] == ["40", "40", "—", "40"]  # field 1 holds criterion 1.1 alone
    assert rows["1.1"][-4:] == ["40*", "40", "—", "40"]
    assert rows[" 1.1.5"][-3:] == ["1", "—", "1"] and rows[" 1.1.6"][-3:] == ["1,5", "—", "1,5"]
    assert (
        "(*) Tiêu chí 1.1 được tối đa 40 điểm, dù các mục cộng lại tối đa 44 điểm: tổng điểm các"
        " mục vượt 40 thì chỉ tính 40.\n" in done.stdout
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{not json",
            "Lỗi: Tệp không phải JSON hợp lệ: lỗi cú pháp ở dòng 1.\n",
        ),
        ("[1, 2]", "Lỗi: Tệp không phải là tài liệu chấm điểm của thangdiem"),
        (b"\xff\xfe{", "Lỗi: Tệp phải được mã hóa UTF-8."),
    ],
)
def test_score_bad_document(tmp_path: Path, content: str | bytes, message: str) -> None:
    """A bad document gives a clear message and exit 1, never a traceback."""
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    done = run("score", "hung-yen-2020", str(path))
    assert done.returncode == 1
    assert done.stderr.startswith(message)
    assert "Traceback" not in done.stderr


def test_score_missing_file() -> None:
    """A file that does not exist is named in a clear message."""
    done = run("score", "hung-yen-2020", "khong-co.json")
    assert done.returncode == 1
    assert done.stderr == "Lỗi: Không đọc được tệp: No such file or directory.\n"


def test_score_document_of_another_rubric(tmp_path: Path) -> None:
    """A document made for another rubric is refused, naming the file's rubric id and this one."""
    doc = template("bac-kan-2017")
    done = run("score", "hung-yen-2020", write(tmp_path, "a.json", doc))
    assert done.returncode == 1
    assert done.stderr == (
        "Lỗi: Tài liệu được chấm theo một thang điểm khác (mã trong tệp: 'bac-kan-2017'),"
        " không phải thang điểm Hưng Yên (02/2020/QĐ-UBND).\n"
    )


def test_aggregate_json_and_csv(tmp_path: Path) -> None:
    """`aggregate` ranks units, counts bands and lists bad files; `--csv` writes the table."""
    files = []
    for name, total, appraised in (("Sở A", 95, 88), ("Sở B", 80, None), ("Sở C", 60, 62)):
        doc = template("hau-giang-2022", "--name", name)
        doc["stages"]["self"]["answers"]["1.1"] = total
        if appraised is not None:
            doc["stages"]["appraisal"]["answers"]["1.1"] = appraised
        files.append(write(tmp_path, f"{name}.json", doc))
    bad = tmp_path / "hong.json"
    bad.write_text("{", encoding="utf-8")
    done = run("aggregate", "hau-giang-2022", *files, str(bad))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    ranking = [(u["rank"], u["name"], u["final"]["total"]) for u in summary["units"]]
    assert ranking == [(1, "Sở A", 88), (2, "Sở B", 80), (3, "Sở C", 62)]
    assert [u["difference"] for u in summary["units"]] == [-7, None, 2]
    counts = {b["name"]: b["count"] for b in summary["band_counts"]}
    assert counts["Hoàn thành tốt"] == 2 and counts["Hoàn thành"] == 1
    assert [r["file"] for r in summary["rejected"]] == [str(bad)]
    done = run("aggregate", "hau-giang-2022", *files, "--csv")
    assert done.stdout.startswith("\ufeff")  # Excel on Windows needs the mark to read UTF-8
    rows = list(csv.reader(io.StringIO(done.stdout[1:]), delimiter=";"))
    assert rows[0][:5] == ["Hạng", "Đơn vị", "Kết quả cuối cùng", "Xếp loại", "Trạng thái"]
    assert [row[:3] for row in rows[1:]] == [
        ["1", "Sở A", "88"],
        ["2", "Sở B", "80"],
        ["3", "Sở C", "62"],
    ]
    assert [row[rows[0].index("Chênh lệch")] for row in rows[1:]] == ["-7", "", "2"]


def test_aggregate_csv_writes_decimal_commas(tmp_path: Path) -> None:
    """Numbers in the CSV have a decimal comma and fields a ";", as Vietnamese Excel reads them."""
    doc = template("hau-giang-2022", "--name", "Sở A")
    doc["stages"]["self"]["answers"]["1.1"] = 87.5
    path = write(tmp_path, "a.json", doc)
    done = run("aggregate", "hau-giang-2022", path, "--csv")
    rows = list(csv.reader(io.StringIO(done.stdout[1:]), delimiter=";"))
    assert rows[1][2] == "87,5" and rows[1][3] == "Hoàn thành tốt"


def test_schema_command_prints_json_schema() -> None:
    """`schema` prints a draft 2020-12 JSON Schema."""
    done = run("schema")
    schema = json.loads(done.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert "criteria" in schema["required"]


def test_unknown_rubric_id() -> None:
    """An unknown rubric id says which file it looked for."""
    done = run("template", "khong-co")
    assert done.returncode == 1
    assert done.stderr.startswith("rubrics/khong-co.yaml:1:1: (gốc): không đọc được tệp")
