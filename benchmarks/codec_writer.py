"""codec.dumps (the C encoder) against the reference writer codec.dumps_python, in one run.

A Hưng Yên assessment (the largest rubric) with every item at full marks is scored by
`api.score`, the worker's call on each change, and its result written alone, with each writer
in turns, on this CPython and inside the pinned Pyodide under Node.js (tests/pyodide_python.mjs).
Prints min / median / max per call of each, and the ratio of the medians (new / old).

Usage: .venv/bin/python benchmarks/codec_writer.py [--repeats 9] [--calls 20]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

TIMING = """
import json, statistics, sys, time
from scoring_py import api, codec, engine

with open(INPUT, encoding="utf-8") as f:
    case = json.load(f)
rubric_json, document_json = case["rubric"], case["document"]
rubric = api.load_rubric(rubric_json)
scored = engine.score_document(rubric, api.read_document(rubric, document_json))
result = {"ok": True, "result": scored}
writers = {"new": codec.dumps, "old": codec.dumps_python}
assert codec.dumps(result) == codec.dumps_python(result) and codec._c_encodes(result, None)


def per_call(run):
    start = time.perf_counter()
    for _ in range(CALLS):
        run()
    return (time.perf_counter() - start) / CALLS * 1000


def score_with(name):
    codec.dumps = writers[name]
    try:
        return per_call(lambda: api.score(rubric_json, document_json))
    finally:
        codec.dumps = writers["new"]


times = {f"{what} {name}": [] for what in ("score", "dumps") for name in writers}
for _ in range(REPEATS):
    for name, write in writers.items():  # in turns, so a slow moment hits both
        times[f"score {name}"].append(score_with(name))
        times[f"dumps {name}"].append(per_call(lambda: write(result)))
report = {"python": sys.version.split()[0], "bytes": len(codec.dumps(result).encode())}
for key, values in times.items():
    report[key] = [min(values), statistics.median(values), max(values)]
json.dumps(report)
"""


def inputs() -> dict[str, str]:
    """The rubric's canonical JSON and a document at full marks in both stages."""
    from casegen import full_marks
    from generator.loader import load_file
    from scoring_py import codec, document
    from scoring_py.rubric import canonical_json

    rubric = load_file(ROOT / "rubrics" / "hung-yen-2020.yaml")
    doc = document.template(rubric, name="UBND xã A")
    for stage in doc["stages"].values():
        for item in (i for c in rubric.criteria for i in c.items):
            stage["answers"][item.id] = full_marks(rubric, item)
    return {"rubric": canonical_json(rubric), "document": codec.dumps(doc, sort_keys=False)}


def show(report: dict) -> None:
    """Print one runtime's figures and the new / old ratios."""
    print(f"Python {report['python']}, result {report['bytes']} bytes (ms per call)")
    for what in ("score", "dumps"):
        for name in ("old", "new"):
            low, mid, high = report[f"{what} {name}"]
            print(f"  {what:5} {name}: {mid:7.3f} ({low:.3f} – {high:.3f})")
        ratio = report[f"{what} new"][1] / report[f"{what} old"][1]
        print(f"  {what:5} new / old: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="repetitions (min, median, max)")
    parser.add_argument("--calls", type=int, default=20, help="calls timed per repetition")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "case.json"
        case.write_text(json.dumps(inputs()), encoding="utf-8")
        params = f"REPEATS = {args.repeats}\nCALLS = {args.calls}\n"
        scope: dict = {}
        exec(params + f"INPUT = {str(case)!r}\n" + TIMING.replace("json.dumps(report)", ""), scope)
        show(scope["report"])
        script = Path(tmp) / "timing.py"
        script.write_text(params + "INPUT = '/tmp/input'\n" + TIMING, encoding="utf-8")
        runner = ROOT / "tests" / "pyodide_python.mjs"
        command = ["node", str(runner), str(script), str(case)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        show(json.loads(done.stdout))


if __name__ == "__main__":
    main()
