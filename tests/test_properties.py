"""Property tests: random valid rubrics and answers keep the invariants; junk never crashes."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casegen import random_document, random_rubric
from scoring_py import api, classify, codec, document, engine
from scoring_py.model import Rubric
from scoring_py.problems import DocumentError, RubricError
from scoring_py.rubric import band_order, canonical_json, criterion_max, parse_rubric, rubric_hash

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
randoms = st.randoms(use_true_random=False)


def rubric_and_doc(rng: random.Random) -> tuple[Rubric, dict[str, Any] | None]:
    """A random rubric and a random document for it (None when the envelope was broken)."""
    rubric = parse_rubric(random_rubric(rng))
    data = random_document(rng, rubric)
    try:
        return rubric, document.validate(
            rubric, json.loads(json.dumps(codec.encode(data), default=str))
        )
    except DocumentError:
        return rubric, None


@SETTINGS
@given(randoms)
def test_canonical_json_round_trip(rng: random.Random) -> None:
    """A rubric read back from its canonical JSON is equal, with the same hash."""
    rubric = parse_rubric(random_rubric(rng))
    again = parse_rubric(codec.loads(canonical_json(rubric)))
    assert again == rubric
    assert rubric_hash(again) == rubric_hash(rubric)


@SETTINGS
@given(randoms)
def test_totals_are_sums_within_bounds(rng: random.Random) -> None:
    """Criterion scores sum their items (capped where the criterion says so), totals sum
    criteria, and 0 ≤ total ≤ max."""
    rubric, doc = rubric_and_doc(rng)
    if doc is None:
        return
    result = engine.score_document(rubric, doc)
    for stage in (s for s in result["stages"].values() if s is not None):
        assert Decimal(0) <= stage["total"] <= stage["max"]
        base = Decimal(0)
        for crit, model in zip(stage["criteria"], rubric.criteria, strict=True):
            points = sum((i["points"] or Decimal(0) for i in crit["items"]), Decimal(0))
            top = criterion_max(model, result["unit"]["type"])  # the unit type's maximum
            if model.section == "base":
                if model.capped:
                    points = min(points, top)
                assert crit["raw_score"] == points <= crit["applicable_max"]
                if not crit["rescaled"]:  # else shown rescaled (NotApplicableRule.scope)
                    assert crit["score"] == points
                base += points
            else:
                assert crit["score"] == min(points, top)
            for item in crit["items"]:
                assert item["points"] is None or Decimal(0) <= item["points"] <= item["max"]
        assert stage["raw_total"] == base
        if not stage["rescaled"] and stage["bonus"] == stage["penalty"] == 0:
            assert stage["total"] == base


@SETTINGS
@given(randoms, st.lists(st.decimals(min_value=0, max_value=1000, places=2), min_size=2))
def test_bands_are_monotone_in_the_score(rng: random.Random, totals: list[Decimal]) -> None:
    """Without overrides, a higher total never gets a lower band."""
    rubric = parse_rubric(random_rubric(rng))
    if not rubric.bands:
        return
    rank = {b.id: i for i, b in enumerate(band_order(rubric))}
    ranks = []
    for total in sorted(t for t in totals if t <= rubric.total):
        band, _classified, _ = classify.classify(rubric, total, {})
        by_bounds = next(
            b for b in band_order(rubric) if b.min <= total and (b.max is None or total < b.max)
        )
        assert band is None or band == by_bounds
        ranks.append(rank[by_bounds.id])
    assert ranks == sorted(ranks)


@SETTINGS
@given(randoms)
def test_document_round_trip(rng: random.Random) -> None:
    """A document written to JSON text and read back is the same normalised document."""
    rubric, doc = rubric_and_doc(rng)
    if doc is None:
        return
    text = codec.dumps(doc)
    assert codec.dumps(document.validate(rubric, codec.loads(text))) == text
    assert json.loads(api.score(canonical_json(rubric), text))["ok"] is True


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=30,
)


@SETTINGS
@given(randoms, st.text() | json_values.map(json.dumps))
def test_junk_documents_get_an_answer_never_a_traceback(rng: random.Random, text: str) -> None:
    """Any text given as a document gives an ok answer or an error with a message."""
    rubric_json = canonical_json(parse_rubric(random_rubric(rng)))
    for call in (api.score, api.validate_document):
        answer = json.loads(call(rubric_json, text))
        assert answer["ok"] or answer["error"]["message"]


@SETTINGS
@given(randoms, st.data())
def test_damaged_documents_never_crash(rng: random.Random, data: st.DataObject) -> None:
    """A valid document with one part replaced by junk is scored or refused with a message."""
    rubric = parse_rubric(random_rubric(rng))
    doc = codec.encode(document.template(rubric))
    section = data.draw(st.sampled_from(sorted(doc)))
    doc[section] = data.draw(json_values)
    answer = json.loads(api.score(canonical_json(rubric), json.dumps(doc, default=str)))
    assert answer["ok"] or answer["error"]["message"]


@SETTINGS
@given(json_values)
def test_junk_rubrics_raise_only_rubric_errors(data: Any) -> None:
    """Any plain data given as a rubric is refused with problems, never another exception."""
    try:
        parse_rubric(data)
    except RubricError as exc:
        assert exc.problems


@SETTINGS
@given(randoms, st.data())
def test_damaged_rubrics_list_their_problems(rng: random.Random, data: st.DataObject) -> None:
    """A valid rubric with one key replaced by junk is accepted or refused with problems."""
    raw = random_rubric(rng)
    key = data.draw(st.sampled_from(sorted(raw)))
    raw[key] = data.draw(json_values)
    try:
        parse_rubric(raw)
    except RubricError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


def _old_check_depth(text: str) -> bool:
    """The token-by-token check that codec.check_depth replaced (True: accepted)."""
    import re

    depth = 0
    for match in re.finditer(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > codec.MAX_DEPTH:
                return False
        elif token in "]}":
            depth -= 1
    return True


def _nested(draw: Any, depth: int) -> Any:
    if depth == 0:
        return draw(st.sampled_from([1, "a[", ']}\\"{', None]))
    children = [_nested(draw, depth - 1) for _ in range(draw(st.integers(1, 2)))]
    leaves = draw(st.lists(st.sampled_from([0, "[", "{}"]), max_size=2))
    if draw(st.booleans()):
        return [*leaves, *children]
    return {f"k{i}": child for i, child in enumerate([*leaves, *children])}


@st.composite
def nested_texts(draw: Any) -> str:
    depth = draw(st.integers(0, 90))
    chain = _nested(draw, min(depth, 3))
    for _ in range(depth):
        chain = [chain] if draw(st.booleans()) else {"x": chain, "y": [1]}
    text = json.dumps(chain)
    if draw(st.booleans()):  # damaged: cut short, or a bracket dropped
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] if draw(st.booleans()) else text[:cut] + text[cut + 1 :]
    return text


@settings(max_examples=400, deadline=None)
@given(nested_texts())
def test_depth_check_agrees_with_counting_tokens(text: str) -> None:
    """The bracket-pair check accepts and refuses what counting tokens one by one does, on
    valid and damaged JSON, strings holding brackets included."""
    try:
        codec.check_depth(text)
        accepted = True
    except codec.JSONError:
        accepted = False
    if accepted != _old_check_depth(text):
        # Only damaged text may differ, and then JSON itself refuses it.
        with pytest.raises(ValueError):
            json.loads(text)
