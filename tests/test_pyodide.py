"""The scoring API gives the same answers in real Pyodide (CPython 3.14 in WebAssembly, under
Node.js) as on this CPython: every call of a large batch is run on both and compared as text.

Pyodide runs the site's runtime (generator/stdlib.py): the standard library and the scoring_py
wheel compiled to bytecode at build time, and the minimal lock file. The same run derives the
list of standard-library modules compiled (generator/stdlib_modules.txt).
"""

from __future__ import annotations

import base64
import json
import os
import pathlib
import random
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import pytest

import casegen  # tests/ is on sys.path: pytest puts a test file's folder there
import pyodide_calls
from conftest import make_rubric
from generator import assets, stdlib
from hostile_packages import FILES, HOSTILE, attached_doc
from scoring_py import api
from scoring_py.rubric import canonical_json, parse_rubric

pytestmark = pytest.mark.pyodide

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tests" / "pyodide_runner.mjs"
SEED = 20240917
RANDOM_RUBRICS = 80


@dataclass
class Call:
    """One API call: a label for messages, the function's name and its string arguments."""

    label: str
    fn: str
    args: list[str]


@dataclass
class Run:
    """The calls with the results of both interpreters."""

    calls: list[Call]
    cpython: list[str]
    pyodide: list[str]
    pyodide_version: str
    seconds: float
    stdlib: list[str]
    """The standard library's modules that Pyodide imported from its archive."""


def run_cpython(call: Call) -> str:
    """Run one call on this interpreter, recording an escaping exception like the runner does."""
    try:
        function = pyodide_calls.CALLS.get(call.fn) or getattr(api, call.fn)
        result: str = function(*call.args)
    except Exception as exc:
        result = f"!exception {type(exc).__name__}: {exc}"
    return result


def document_calls(label: str, rubric_json: str, document_json: str) -> list[Call]:
    """Score and validate one document; carry it over, as it is and as of an older version."""
    calls = [
        Call(f"{label}/score", "score", [rubric_json, document_json]),
        Call(f"{label}/validate_document", "validate_document", [rubric_json, document_json]),
        Call(f"{label}/carry_document", "carry_document", [rubric_json, document_json]),
    ]
    try:
        doc = json.loads(document_json)
    except (ValueError, RecursionError):
        return calls  # a hostile text: carried as it is above
    if isinstance(doc, dict) and isinstance(doc.get("rubric"), dict):
        doc["rubric"]["version"] = "0"
        older = json.dumps(doc, ensure_ascii=False)
        calls.append(Call(f"{label}/carry_document/older", "carry_document", [rubric_json, older]))
    return calls


def files_json(*texts: tuple[Any, Any]) -> str:
    """A JSON list of {"name", "text"} entries, as the aggregate call takes."""
    return json.dumps([{"name": name, "text": text} for name, text in texts], ensure_ascii=False)


def named(document_json: str) -> str:
    """Files of one unit named composed, decomposed and spaced out, and two unreadable files."""
    doc = json.loads(document_json)
    entries: list[dict[str, Any]] = []
    for n, name in enumerate(
        ("UBND xã Đông Hòa", "UBND xa\u0303 Đông Hoa\u0300", " ubnd XÃ ĐÔNG HÒA")
    ):
        doc["unit"]["name"] = name
        entries.append({"name": f"{n}.json", "text": json.dumps(doc, ensure_ascii=False)})
    entries.insert(1, {"name": "lon.json", "error": {"code": "too_large", "message": "Quá lớn."}})
    entries.append({"name": "ma.json", "error": {"message": "Không phải UTF-8."}})
    return json.dumps(entries, ensure_ascii=False)


def hostile_calls(rubric_json: str, document_json: str) -> list[Call]:
    """Broken, foreign and oversized inputs, for the document and for the rubric."""
    doc = json.loads(document_json)
    answered = json.dumps(doc, ensure_ascii=False)
    first = next(iter(doc["stages"]["self"]["answers"]))

    def edited(old: str, new: str) -> str:
        text = answered.replace(old, new, 1)
        assert text != answered, f"{old!r} is not in the document"
        return text

    def answer(number: str) -> str:
        return edited(f'"{first}": null', f'"{first}": {number}')

    texts = {
        "not-json": "đây không phải JSON",
        "truncated": document_json[: len(document_json) // 2],
        "empty": "",
        "trailing-comma": '{"format": "thangdiem-assessment", "version": 1,}',
        "trailing-comma-array": "[1, 2,]",
        "single-quotes": "{'format': 'thangdiem-assessment'}",
        "control-character": '{"format": "thang\tdiem"}',
        "bad-escape": '{"format": "\\x"}',
        "extra-data": "{} {}",
        "array": "[]",
        "null": "null",
        "string": '"thangdiem-assessment"',
        "nan": '{"format": "thangdiem-assessment", "version": 1, "x": NaN}',
        "infinity": "[Infinity, -Infinity]",
        "nested-500": "[" * 500 + "]" * 500,
        "nested-2000": "[" * 2000 + "]" * 2000,
        "nested-10000": "[" * 10000 + "]" * 10000,
        "unclosed-10000": "[" * 10000,
        "bom": "\ufeff" + document_json,
        "big-int": '{"format": ' + "9" * 5000 + "}",
        "newer": '{"format": "thangdiem-assessment", "version": 99}',
        "foreign": '{"format": "khac", "version": 1}',
        "lone-surrogate": edited('"name": ""', '"name": "\\ud800 <b>x</b>"'),
        "answer-1e5000": answer("1e5000"),
        "answer-1e999999999999999999": answer("1E+999999999999999999"),
        "answer-1e-5000": answer("1e-5000"),
        "answer-31-digits": answer("0.1234567890123456789012345678901"),
    }
    calls = []
    for name, text in texts.items():
        calls += document_calls(f"hostile/{name}", rubric_json, text)
    rubric = json.loads(rubric_json)
    broken = dict(rubric, total=rubric["total"] + 1, id="Sai Mã", bands=[], bands_note=None)
    item_max = json.loads(rubric_json)
    item_max["criteria"][0]["items"][0]["max"] = 10**50
    rubric_texts = {
        "rubric-not-json": "xin chào",
        "rubric-empty-object": "{}",
        "rubric-array": "[]",
        "rubric-broken": json.dumps(broken),
        "rubric-nested-10000": "[" * 10000 + "]" * 10000,
        "rubric-item-max-1e50": json.dumps(item_max),
        "rubric-total-1e5000": json.dumps(dict(rubric, total="T")).replace('"T"', "1e5000"),
    }
    for name, text in rubric_texts.items():
        calls.append(Call(f"hostile/{name}/template", "template", [text]))
        calls.append(Call(f"hostile/{name}/check_rubric", "check_rubric", [text]))
    return calls


def build_calls() -> list[Call]:
    """Fixed cases, seeded random rubrics and documents, aggregates and hostile inputs."""
    calls: list[Call] = []
    fixed = casegen.fixed_cases()
    for label, rubric_json, document_json in fixed:
        calls += document_calls(label, rubric_json, document_json)
    for label, rubric_json, _ in fixed[::3]:
        name = label.split("/")[0]
        calls.append(Call(f"{name}/template", "template", [rubric_json]))
        calls.append(Call(f"{name}/check_rubric", "check_rubric", [rubric_json]))
        calls.append(Call(f"{name}/template-name", "template", [rubric_json, "Xã <b>A</b>"]))
        calls.append(Call(f"{name}/template-type", "template", [rubric_json, "Xã A", "xa"]))
        texts = [(f"{lbl}.json", doc) for lbl, rj, doc in fixed if rj == rubric_json]
        other = [(f"khac-{lbl}.json", doc) for lbl, rj, doc in fixed if rj != rubric_json][:1]
        junk = [("hong.json", "không phải JSON"), (7, None), ("mang.json", "[]")]
        calls.append(
            Call(f"{name}/aggregate", "aggregate", [rubric_json, files_json(*texts, *other, *junk)])
        )
        calls.append(Call(f"{name}/xlsx", "xlsx", [rubric_json, files_json(*texts, *other)]))
        calls.append(Call(f"{name}/batch", "batch", [rubric_json, files_json(*texts, *other)]))
    rng = random.Random(SEED)
    for n in range(RANDOM_RUBRICS):
        rubric = parse_rubric(casegen.random_rubric(rng))
        rubric_json = canonical_json(rubric)
        docs = [casegen.to_json(casegen.random_document(rng, rubric)) for _ in range(2)]
        for d, document_json in enumerate(docs):
            calls += document_calls(f"random-{n}/doc-{d}", rubric_json, document_json)
        unit_type = rng.choice([None, "khong-co", *(t.id for t in rubric.unit_types)])
        args = [rubric_json, f"Đơn vị {n}"] + ([unit_type] if unit_type else [])
        calls.append(Call(f"random-{n}/template", "template", args))
        if n % 20 == 0:
            more = [casegen.to_json(casegen.random_document(rng, rubric)) for _ in range(4)]
            entries = [(f"don-vi-{i}.json", text) for i, text in enumerate(docs + more)]
            calls.append(
                Call(f"random-{n}/aggregate", "aggregate", [rubric_json, files_json(*entries)])
            )
    _, rubric_json, empty_doc = next(case for case in fixed if case[0].endswith("/trong"))
    calls.append(
        Call("aggregate-read-errors-and-names", "aggregate", [rubric_json, named(empty_doc)])
    )
    for name, text in (("not-list", "{}"), ("not-json", "xin chào"), ("empty", "[]")):
        calls.append(Call(f"aggregate-{name}", "aggregate", [rubric_json, text]))
    calls += hostile_calls(rubric_json, empty_doc)
    calls += package_calls()
    return calls


def package_calls() -> list[Call]:
    """A package written and opened again, and the hostile packages opened
    (tests/hostile_packages.py, made for the base test rubric)."""
    rubric = make_rubric()
    rubric_json = canonical_json(rubric)
    doc = attached_doc(rubric)
    files = {sha: base64.b64encode(body).decode("ascii") for sha, body in FILES.items()}
    args = [rubric_json, json.dumps(doc, ensure_ascii=False), json.dumps(files)]
    calls = [Call("package/attached", "package", args)]
    for case, make in HOSTILE.items():
        data = base64.b64encode(make(rubric)).decode("ascii")
        calls.append(Call(f"package/hostile/{case}", "unpack", [data]))
    return calls


def run_pyodide(calls: list[Call], tmp: pathlib.Path) -> tuple[str, list[str], float, list[str]]:
    """Run every call in one Node process on the site's runtime; return Pyodide's sys.version,
    the results, the seconds and the standard library's modules imported."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed: the Pyodide tests need `node` on PATH")
    if not (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        pytest.fail("node_modules/pyodide is missing: run `npm install` in the repository")
    in_path, out_path = tmp / "in.json", tmp / "out.json"
    payload = {"calls": [{"fn": c.fn, "args": c.args} for c in calls]}
    in_path.write_text(json.dumps(payload), encoding="utf-8")
    # UPDATE_STDLIB=1 derives the list on the npm package's whole archive (on the site's, an
    # import outside the list fails).
    runtime = stdlib.build()
    derive = [str(ROOT / "node_modules" / "pyodide" / stdlib.STDLIB)]
    xlsx_name, xlsx = assets.xlsx_wheel()
    (tmp / xlsx_name).write_bytes(xlsx)
    start = time.perf_counter()
    proc = subprocess.run(
        [
            node,
            str(RUNNER),
            str(in_path),
            str(out_path),
            str(runtime.stdlib.parent),
            str(tmp / xlsx_name),
            *(derive if os.environ.get("UPDATE_STDLIB") == "1" else []),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0 or not out_path.is_file():
        pytest.fail(f"the Pyodide runner failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    output = json.loads(out_path.read_text(encoding="utf-8"))
    return output["python"], output["results"], seconds, output["stdlib"]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Every call, run on CPython here and on Pyodide in one Node process."""
    calls = build_calls()
    cpython = [run_cpython(call) for call in calls]
    version, pyodide, seconds, modules = run_pyodide(calls, tmp_path_factory.mktemp("pyodide"))
    return Run(calls, cpython, pyodide, version, seconds, modules)


def test_pyodide_is_python_314(run: Run) -> None:
    """The runner really used Pyodide's CPython 3.14."""
    assert run.pyodide_version.startswith("3.14"), run.pyodide_version


API_CALLS = {
    "score",
    "validate_document",
    "carry_document",
    "template",
    "check_rubric",
    "aggregate",
}
"""The calls of one scoring_py.api function, which answer {"ok": …}."""


def test_batch_is_large_and_varied(run: Run) -> None:
    """The batch is big and holds successes, problems and errors, so it cannot pass vacuously."""
    assert len(run.calls) >= 300
    assert {c.fn for c in run.calls} == API_CALLS | set(pyodide_calls.CALLS)
    assert len(run.pyodide) == len(run.calls)
    answers = [r for c, r in zip(run.calls, run.cpython, strict=True) if c.fn in API_CALLS]
    parsed = [json.loads(r) for r in answers if not r.startswith("!")]
    scored = [p["result"] for p in parsed if p["ok"] and "result" in p]
    assert sum(1 for p in parsed if p["ok"]) >= 200
    assert sum(1 for p in parsed if not p["ok"]) >= 20
    assert sum(1 for s in scored if s["problems"]) >= 50
    assert sum(1 for s in scored if not s["problems"]) >= 3
    assert sum(1 for s in scored if s["band"] is not None) >= 20
    assert {s["status"] for s in scored} == {"self", "appraising", "appraised"}
    assert sum(1 for s in scored if s["stages"]["appraisal"] is not None) >= 30


def test_labels_are_unique(run: Run) -> None:
    """Each call has its own label, so a mismatch names exactly one call."""
    labels = [c.label for c in run.calls]
    assert len(set(labels)) == len(labels)


def test_same_results_as_cpython(run: Run) -> None:
    """Every call returns the same text on Pyodide as on CPython, and none raises."""
    compared = 0
    for call, ours, theirs in zip(run.calls, run.cpython, run.pyodide, strict=True):
        compared += 1
        missing = "ModuleNotFoundError" in theirs or "unknown encoding" in theirs
        assert ours == theirs, (
            f"first differing call: {call.label} ({call.fn})\n"
            + (
                "a module outside generator/stdlib_modules.txt: derive the list again with"
                " UPDATE_STDLIB=1 and review the diff\n"
                if missing
                else ""
            )
            + f"CPython {sys.version.split()[0]}: {ours[:3000]}\nPyodide: {theirs[:3000]}"
        )
        assert not ours.startswith("!"), f"{call.label}: exception escaped api.{call.fn}: {ours}"
    assert compared >= 300


def test_compiled_modules_are_derived(run: Run) -> None:
    """generator/stdlib_modules.txt lists exactly the standard library's modules that Pyodide's
    start and the whole corpus import. The corpus runs on the site's archive, which holds only
    those: an import outside the list fails its call above; here, a module listed but no longer
    imported fails. With UPDATE_STDLIB=1 the run uses the npm package's whole archive and
    rewrites the list (after a Pyodide upgrade or a change of scoring_py's imports)."""
    assert len(run.stdlib) >= 100 and {"decimal", "json", "csv", "difflib"} <= set(run.stdlib)
    header = [
        line for line in stdlib.MODULES.read_text(encoding="utf-8").splitlines() if line[:1] == "#"
    ]
    if os.environ.get("UPDATE_STDLIB") == "1":
        text = "\n".join([*header, *run.stdlib]) + "\n"
        stdlib.MODULES.write_text(text, encoding="utf-8", newline="\n")
    assert stdlib.modules() == run.stdlib, (
        f"{stdlib.MODULES.name} differs from the modules this run imported; if the change is"
        " right, run the test again with UPDATE_STDLIB=1 and review the diff"
    )
