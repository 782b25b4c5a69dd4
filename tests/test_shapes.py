"""The declared JSON shapes (scoring_py/shapes.py) are the shapes scoring_py writes: the same
keys, in the same order, all the way down, for documents, results and summaries."""

from __future__ import annotations

import json
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import FULL, ROOT
from generator.loader import load_file
from scoring_py import api, codec, document, engine, shapes, summary, summary_shapes
from scoring_py.model import Rubric

SEEDS = sorted((ROOT / "rubrics").glob("*.yaml"))


def conforms(value: Any, hint: Any, path: str = "$") -> None:
    """Fail unless `value` has the shape `hint` declares (TypedDict keys in declared order)."""
    origin = typing.get_origin(hint)
    if typing.is_typeddict(hint):
        assert isinstance(value, dict), path
        hints = typing.get_type_hints(hint)
        assert list(value) == list(hints), path
        for key, inner in hints.items():
            conforms(value[key], inner, f"{path}.{key}")
    elif origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return
        [chosen] = [o for o in options if o is not type(None)] or [Any]
        conforms(value, chosen, path)
    elif origin is list:
        assert isinstance(value, list), path
        for index, inner in enumerate(value):
            conforms(inner, typing.get_args(hint)[0], f"{path}[{index}]")
    elif origin is dict:
        assert isinstance(value, dict), path
        for key, inner in value.items():
            conforms(inner, typing.get_args(hint)[1], f"{path}.{key}")
    elif origin is typing.Literal:
        assert value in typing.get_args(hint), (path, value)
    elif hint is Decimal:
        assert isinstance(value, Decimal), (path, value)
    elif hint in (str, bool):
        assert isinstance(value, hint), (path, value)
    elif hint is int:
        assert isinstance(value, int) and not isinstance(value, bool), (path, value)
    else:
        assert hint is Any, (path, hint)


def appraised(rubric: Rubric, name: str, *, finished: bool) -> dict[str, Any]:
    """A document whose appraisal is begun, or has an answer for every item."""
    unit_type = next((t.id for t in rubric.unit_types), None)
    doc = document.template(rubric, name=name, unit_type=unit_type)
    doc_any: dict[str, Any] = dict(doc)
    answers = doc_any["stages"]["appraisal"]["answers"]
    for key in answers:
        answers[key] = shapes.NOT_APPLICABLE if finished else None
    first = next(iter(answers))
    answers[first] = shapes.NOT_APPLICABLE
    return doc_any


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_every_seed_rubric_writes_the_declared_shapes(path: Path) -> None:
    """Template, result (self only, appraisal begun) and summary follow shapes.py."""
    rubric = load_file(path)
    template = document.template(rubric, name="Sở A")
    conforms(template, shapes.Document)
    results = [engine.score_document(rubric, document.validate(rubric, template))]
    for finished in (False, True):
        doc = appraised(rubric, "Sở B", finished=finished)
        results.append(engine.score_document(rubric, document.validate(rubric, doc)))
    for result in results:
        conforms(result, shapes.Result)
    assert [r["stages"]["appraisal"] is None for r in results] == [True, False, False]
    batch = summary.Batch(rubric)
    batch.add("a.json", template)
    batch.add("b.json", appraised(rubric, "Sở B", finished=True))
    batch.add("c.json", appraised(rubric, "Sở C", finished=False))
    batch.add("d.json", {"format": "khác"})
    batch.add("e.json", document.template(rubric, name="Sở A"))
    conforms(batch.summary(), summary_shapes.Summary)


def test_a_finished_document_fits_the_shapes(rubric: Rubric) -> None:
    """A full self-score with a condition decided: its result fits Result to the leaves."""
    doc: dict[str, Any] = dict(document.template(rubric, name="Sở A"))
    doc["stages"]["self"]["answers"].update(FULL)
    result = engine.score_document(rubric, document.validate(rubric, doc))
    assert result["classified"] and result["status"] == "self"
    conforms(result, shapes.Result)


def test_the_declared_orders_are_the_ones_the_pages_use() -> None:
    """The stages and a document's top keys come from the declarations, in reading order."""
    assert shapes.STAGES == ("self", "appraisal")
    assert shapes.RESULT_STAGES == ("self", "appraisal", "final")
    assert shapes.TOP_KEYS[:4] == ("format", "version", "rubric", "unit")
    assert set(shapes.STAGE_LABELS) == set(shapes.RESULT_STAGES)


def test_the_contract_is_what_the_pages_read() -> None:
    """api.contract() is JSON with the stages, the limits and the shared refusal."""
    contract = json.loads(api.contract())
    assert contract == {
        "format": "thangdiem-assessment",
        "version": shapes.VERSION,
        "stages": [
            {"id": "self", "label": "Tự chấm", "answers": True},
            {"id": "appraisal", "label": "Thẩm định", "answers": True},
            {"id": "final", "label": "Kết quả cuối cùng", "answers": False},
        ],
        "not_applicable": "na",
        "max_file_bytes": 50 * 1024 * 1024,
        "max_depth": codec.MAX_DEPTH,
        "attachments": {
            "types": shapes.ATTACHMENT_TYPES,
            "max_bytes": 20 * 1024 * 1024,
            "max_package_bytes": 200 * 1024 * 1024,
            "max_per_item": 20,
            "max_files": 500,
            "max_name": 200,
            "forbidden": shapes.NAME_FORBIDDEN,
            "hidden": ["Cc", "Cf", "Zl", "Zp"],
        },
        "messages": {"too_large": "Tệp lớn quá 50 MB."},
        "paper": shapes.PAPER_LABELS,
        "review": {
            "states": shapes.REVIEW_STATES,
            "steps": {k: list(v) for k, v in shapes.REVIEW_STEPS.items()},
        },
    }
    assert list(shapes.PAPER_LABELS) == list(shapes.PAPER_KEYS)


@pytest.mark.parametrize(
    ("size", "text"), [(50 * 1024 * 1024, "50 MB"), (1024 * 1024 * 3 // 2, "1,5 MB")]
)
def test_sizes_are_written_with_a_decimal_comma(size: int, text: str) -> None:
    """The one writer of a size in MB."""
    assert shapes.megabytes(size) == text
