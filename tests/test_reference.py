"""The engine against the independent reference scorer (tests/reference.py), on random rubrics
that use every item kind, rounding mode and step, and on every combination of stages.

The older property tests checked invariants (sums, bounds, monotone bands) and recomputed a
ratio the engine's own way, so they shared its bugs. These compare every number with an
exact computation written from the rules, over ratio answers with awkward denominators
(48, 600, 7…) and appraisals that are absent, under way or finished, with the unit having
written values for the items it may not score.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference
from casegen import random_document, random_rubric, valid_answer
from scoring_py import codec, document, engine, points
from scoring_py.model import Item, Rubric
from scoring_py.problems import DocumentError
from scoring_py.rubric import parse_rubric

SETTINGS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AWKWARD = (3, 6, 7, 9, 11, 12, 48, 96, 600, 999, 1000, 4096)


def _ratio(rng: random.Random) -> dict[str, int]:
    if rng.random() < 0.1:  # 0 out of 0, and a numerator over 0
        return {"numerator": rng.choice((0, 0, 3)), "denominator": 0}
    den = rng.choice((*AWKWARD, rng.randint(1, 5000)))
    return {"numerator": rng.randint(0, den), "denominator": den}


def _valid(rng: random.Random, rubric: Rubric, item: Item) -> Any:
    return _ratio(rng) if item.kind == "ratio" else valid_answer(rng, rubric, item)


def _document(rng: random.Random, rubric: Rubric) -> dict[str, Any]:
    """A random document, with wider ratio answers and the three appraisal situations."""
    doc = random_document(rng, rubric)
    items = [i for c in rubric.criteria for i in c.items]
    for stage in ("self", "appraisal"):
        answers = doc["stages"][stage]["answers"]
        for item in items:
            if item.kind == "ratio" and isinstance(answers.get(item.id), dict):
                answers[item.id] = _ratio(rng)
    situation = rng.choice(("none", "under way", "finished", "finished"))
    team = doc["stages"]["appraisal"]
    if situation == "none":
        team["answers"] = dict.fromkeys(team["answers"])
        for cond in team["conditions"].values():
            cond.update(value=None, note="")
    elif situation == "finished":
        for item in items:
            if team["answers"].get(item.id) is None or rng.random() < 0.5:
                team["answers"][item.id] = _valid(rng, rubric, item)
    # The unit writes values for items only the team or the superior may score.
    for item in items:
        if item.given_by != "unit" and rng.random() < 0.7:
            doc["stages"]["self"]["answers"][item.id] = _valid(rng, rubric, item)
    return doc


def _cases(rng: random.Random) -> tuple[dict[str, Any], Rubric, dict[str, Any]] | None:
    data = random_rubric(rng)
    rubric = parse_rubric(data)
    raw = json.loads(codec.dumps(_document(rng, rubric)))
    try:
        doc = document.validate(rubric, codec.loads(json.dumps(raw)))
    except DocumentError:
        return None
    return data, rubric, doc


def _exact(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _same_stage(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    for crit in ours["criteria"]:
        assert _exact(crit["score"]) == theirs["criteria"][crit["id"]], crit["id"]
        for item in crit["items"]:
            expected = theirs["items"][item["id"]]
            assert (_exact(item["points"]), item["status"]) == expected, item["id"]
    fields = {f["id"]: (_exact(f["score"]), _exact(f["max"])) for f in ours["fields"]}
    assert fields == theirs["fields"]
    assert _exact(ours["total"]) == theirs["total"]
    assert _exact(ours["index"]) == theirs["index"]
    assert (ours["band"]["id"] if ours["band"] else None) == theirs["band"]


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_engine_matches_the_reference(rng: random.Random) -> None:
    """Every item's points and status, every criterion, total, band and status agree."""
    case = _cases(rng)
    if case is None:
        return
    data, rubric, doc = case
    ours = engine.score_document(rubric, doc)
    theirs = reference.score(json.loads(codec.dumps(data), parse_float=Decimal), doc)
    assert ours["status"] == theirs["status"]
    _same_stage(ours["stages"]["self"], theirs["self"])
    if theirs["appraisal"] is None:
        assert ours["stages"]["appraisal"] is None
    else:
        _same_stage(ours["stages"]["appraisal"], theirs["appraisal"])
        done, of = theirs["progress"]
        assert ours["appraisal_progress"] == {"done": done, "of": of}
    _same_stage(ours["stages"]["final"], theirs["final"])
    assert _exact(ours["total"]) == theirs["final"]["total"]


@settings(max_examples=500, deadline=None)
@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=10**6),
    st.sampled_from(("0.01", "0.1", "0.25", "0.5", "1")),
    st.sampled_from(("half_up", "half_even", "down", "up")),
    st.decimals(min_value=Decimal("0.25"), max_value=40, places=2),
)
def test_rounding_matches_the_reference(
    num: int, den: int, step: str, mode: str, top: Decimal
) -> None:
    """numbers.round_to of an exact quotient equals the reference's, for every mode and step."""
    from scoring_py.model import Rounding

    exact = Fraction(num) * Fraction(top) / Fraction(den)
    ours = points.round_to(exact, Rounding(step=Decimal(step), mode=mode))  # type: ignore[arg-type]
    assert Fraction(ours) == reference._round(exact, Fraction(Decimal(step)), mode)
    negative = points.round_to(-exact, Rounding(step=Decimal(step), mode=mode))  # type: ignore[arg-type]
    assert Fraction(negative) == reference._round(-exact, Fraction(Decimal(step)), mode)
