"""codec.dumps, written by the C encoder, gives the reference writer's text for every input."""

from __future__ import annotations

import collections
import enum
import json
import shutil
import subprocess
import sys
from decimal import Decimal, InvalidOperation
from typing import Any

import codec_cases
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from scoring_py import codec

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LAYOUTS = [(None, True), (None, False), (2, True), (2, False), (0, True)]

exponents = st.integers(-40, 40) | st.sampled_from([-999999, 999999])
decimals = (
    st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
        st.integers(0, 1),
        st.lists(st.integers(0, 9), min_size=1, max_size=30),
        exponents,
    )
    | st.sampled_from([Decimal(d) for d in codec_cases.DECIMALS])
    | st.decimals(allow_nan=True, allow_infinity=True).filter(lambda d: not d.is_snan())
)  # a signaling NaN cannot be written: see test_unsupported_values_fail_the_same_way
strings = (
    st.text()
    | st.text(st.sampled_from(codec_cases.CHARACTERS))
    | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))  # lone surrogates
    | st.sampled_from(codec_cases.TRICKY)
)
leaves = decimals | strings | st.integers() | st.booleans() | st.none()
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(strings, inner, max_size=5)
    ),
    max_leaves=40,
)
# What the fast writer leaves to the reference one: floats, keys that are not str.
odd_leaves = leaves | st.floats() | st.sampled_from([1e16, -0.0, 0.1, 2.0])
odd_keys = strings | st.integers() | st.booleans() | st.none() | decimals | st.floats()
odd_values = st.recursive(
    odd_leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_keys, inner, max_size=4),
    max_leaves=20,
)


def same_everywhere(data: Any) -> None:
    """Both writers give the same text, or the same error, in every layout."""
    for indent, sort_keys in LAYOUTS:
        ours = codec_cases.outcome(codec.dumps, data, indent, sort_keys)
        assert ours == codec_cases.outcome(codec.dumps_python, data, indent, sort_keys)


@SETTINGS
@given(values)
def test_same_text_as_the_reference(data: Any) -> None:
    """Decimals of every sign and exponent, hard strings, nesting: the same text, and written
    by the C encoder (not by falling back, unless a string is the placeholder)."""
    assert codec._c_encodes(data, None)
    fast, reference = codec._dumps_c(data, None, True), codec.dumps_python(data)
    assert fast == reference or (fast is None and codec._PLACEHOLDER_JSON in reference)
    same_everywhere(data)


@SETTINGS
@given(st.lists(decimals, max_size=8))
def test_numbers_written_as_format_decimal(numbers: list[Decimal]) -> None:
    """format_decimals writes each number as format_decimal, with or without its fast path."""
    assert codec.format_decimals(numbers) == [codec.format_decimal(n) for n in numbers]


@pytest.mark.parametrize(
    "texts",
    [
        ["1.50", "1.5", "1.500", "-0", "0", "0E-7"],
        ["0", "0E-20", "-0E+30"],
        ["0E-20", "0", "1"],
        ["1E+11", "100000000000.0", "-1E+11"],
        ["1E+11", "1E+12"],
        ["NaN", "1", "1.0"],
        [],
    ],
)
def test_equal_numbers_written_as_format_decimal(texts: list[str]) -> None:
    """Equal numbers written differently, zeros of every exponent, the edges of MAX_EXPONENT."""
    numbers = [Decimal(t) for t in texts]
    assert codec.format_decimals(numbers) == [codec.format_decimal(n) for n in numbers]


@SETTINGS
@given(odd_values)
def test_same_text_or_error_for_what_is_left_to_the_reference(data: Any) -> None:
    """Floats and keys that are not strings: the same text, or the same error."""
    same_everywhere(data)


def test_random_cases_as_in_pyodide() -> None:
    """The stdlib-only cases that tests/test_codec_writer.py also runs inside Pyodide."""
    report = codec_cases.compare(seed=20, count=300)
    assert report["mismatches"] == []
    assert report["fast"] > report["cases"]


@pytest.mark.parametrize(
    "data",
    [
        {1, 2},
        {"a": [object()]},
        b"bytes",
        {"x": {"y": bytearray(b"z")}},
        {"n": Decimal("sNaN")},
        complex(1, 2),
        [10**5000],
    ],
    ids=["set", "object", "bytes", "bytearray", "signaling-nan", "complex", "huge-int"],
)
def test_unsupported_values_fail_the_same_way(data: Any) -> None:
    """A value JSON cannot hold raises the reference writer's error."""
    error: type[Exception] = TypeError
    if isinstance(data, dict) and "n" in data:
        error = InvalidOperation
    elif isinstance(data, list):
        error = ValueError  # more digits than int's conversion to text allows
    for indent, sort_keys in LAYOUTS:
        with pytest.raises(error) as ours:
            codec.dumps(data, indent, sort_keys=sort_keys)
        with pytest.raises(error) as reference:
            codec.dumps_python(data, indent, sort_keys=sort_keys)
        assert str(ours.value) == str(reference.value)


def test_cycles_fail_the_same_way() -> None:
    """A list holding itself is not written (the walk stops at MAX_DEPTH, not in a loop)."""
    loop: list[Any] = [Decimal(1)]
    loop.append(loop)
    loop.append(loop)
    assert not codec._c_encodes(loop, None)
    with pytest.raises(RecursionError):
        codec.dumps(loop)


def test_deep_data_is_left_to_the_reference() -> None:
    """Nesting deeper than MAX_DEPTH is written as before, by the reference writer."""
    deep: Any = Decimal("0.5")
    for _ in range(codec.MAX_DEPTH):
        deep = [deep]
    assert codec._c_encodes(deep, None)
    assert not codec._c_encodes([deep], None)
    assert codec.dumps([deep]) == codec.dumps_python([deep])


class Level(enum.IntEnum):
    HIGH = 2


class Text(str):
    def __str__(self) -> str:
        return "other"


@pytest.mark.parametrize(
    "data",
    [
        collections.OrderedDict([("b", Decimal(1)), ("a", 2)]),
        {"a": Text("x"), Text("k"): Decimal("2.0")},
        {"level": Level.HIGH, Level.HIGH: 1},
        [True, False, None, 0, -(10**40)],
        {"f": 1.0, "g": 1e16, "h": float("nan")},
        {1: "a", 2.5: "b"},
        {True: 1, None: 2},
    ],
    ids=["ordered-dict", "str-subclass", "int-enum", "literals", "floats", "int-keys", "bool-keys"],
)
def test_subclasses_and_odd_keys(data: Any) -> None:
    """Subclasses, floats and keys that are not str give the reference writer's text."""
    same_everywhere(data)


def test_a_string_equal_to_the_placeholder() -> None:
    """User text that is the placeholder, as a value or a key, stays text; a Decimal next to
    it is still a number."""
    data = {codec._PLACEHOLDER: [codec._PLACEHOLDER, Decimal("1.50"), codec._PLACEHOLDER_JSON]}
    assert codec._dumps_c(data, None, True) is None
    assert codec.dumps(data) == codec.dumps_python(data)
    assert json.loads(codec.dumps(data)) == {
        codec._PLACEHOLDER: [codec._PLACEHOLDER, 1.5, codec._PLACEHOLDER_JSON]
    }


def test_without_the_c_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where json has no C encoder, the reference writer writes everything."""
    data = {"b": [Decimal("1E+3"), "x"], "a": None}
    expected = codec.dumps(data, 2)
    monkeypatch.setattr(codec, "_C_MAKE_ENCODER", None)
    assert not codec._c_encodes(data, None)
    assert codec.dumps(data, 2) == expected == codec.dumps_python(data, 2)


def test_indent_uses_the_c_encoder_only_where_it_lays_out() -> None:
    """CPython 3.11's C encoder ignores indent, so indented JSON is left to the reference."""
    laid_out = sys.version_info >= (3, 14)
    assert codec._c_indents() is laid_out or sys.version_info[:2] in ((3, 12), (3, 13))
    assert codec._c_encodes({"a": 1}, 2) is codec._c_indents()
    assert not codec._c_encodes({"a": 1}, True)  # type: ignore[arg-type]


@pytest.mark.pyodide
def test_same_text_inside_pyodide(tmp_path: Any) -> None:
    """The random cases give the reference text inside Pyodide's CPython 3.14 too, where the
    C encoder also writes indented JSON."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed: the Pyodide tests need `node` on PATH")
    script = tmp_path / "compare.py"
    script.write_text(
        "import json, sys\nimport codec_cases\nfrom scoring_py import codec\n"
        "report = codec_cases.compare(seed=20, count=400)\n"
        "report.update(python=sys.version, indents=codec._c_indents())\n"
        "json.dumps(report)\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [node, str(ROOT / "tests" / "pyodide_python.mjs"), str(script)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["python"].startswith("3.14")
    assert report["indents"] is True
    assert report["mismatches"] == []
    assert report["fast"] > report["cases"]
