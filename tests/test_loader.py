"""Tests of generator.loader: the invalid-rubric corpus, the seed rubrics, and garbage input."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import loader
from generator.loader import RubricFileError, load_file, load_text, rubric_files

ROOT = Path(__file__).resolve().parent.parent
INVALID_DIR = Path("tests/data/invalid")
INVALID = sorted(p.relative_to(ROOT) for p in (ROOT / INVALID_DIR).glob("*.yaml"))
VALID = sorted(p.relative_to(ROOT) for p in rubric_files(ROOT / "rubrics"))
VALID_TEXTS = [(ROOT / p).read_text(encoding="utf-8") for p in VALID]

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

# Fragments that garbage is built from.
YAML_TOKENS = [
    "\n",
    "  ",
    "    ",
    "- ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "'",
    '"',
    "#",
    "|",
    ">-",
    "&a ",
    "*a",
    "<<: ",
    "!tag ",
    "!!str ",
    "!!null ",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!timestamp ",
    "!!binary ",
    "!!python/object:os.system ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "format",
    "id",
    "total",
    "criteria",
    "items",
    "max",
    "kind",
    "levels",
    "bands",
    "1",
    "-1",
    "0.5",
    "1e400",
    ".nan",
    ".inf",
    "0x1F",
    "null",
    "true",
    "yes",
    "~",
    "2020-01-08",
    "Tiêu chí",
    "\t",
    "\ufeff",
]


def expected_output(result: RubricFileError) -> str:
    """Render problems the way the .expected files hold them: one str() per line."""
    return "".join(f"{problem}\n" for problem in result.problems)


def assert_only_rubric_errors(text: str) -> None:
    """Load text and fail on any exception other than RubricFileError."""
    try:
        load_text(text, "fuzz.yaml")
    except RubricFileError as exc:
        assert exc.problems, "RubricFileError without problems"
        for problem in exc.problems:
            assert problem.line >= 1
            assert problem.column >= 1
            assert problem.message


def test_corpus_is_large_enough() -> None:
    """The invalid corpus holds at least 30 cases, each with its .expected sidecar."""
    assert len(INVALID) >= 30
    yaml_stems = {p.stem for p in INVALID}
    expected_stems = {p.stem for p in (ROOT / INVALID_DIR).glob("*.expected")}
    assert yaml_stems == expected_stems


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_rubric_reports_expected_problems(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading an invalid rubric reports exactly the lines of its .expected file."""
    monkeypatch.chdir(ROOT)
    expected = path.with_suffix(".expected").read_text(encoding="utf-8")
    with pytest.raises(RubricFileError) as info:
        load_file(path)
    assert expected_output(info.value) == expected


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_rubric_loads(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rubric in rubrics/ loads without a problem and carries its file's name as id."""
    monkeypatch.chdir(ROOT)
    rubric = load_file(path)
    assert rubric.id == path.stem


def test_there_are_valid_rubrics() -> None:
    """The valid-rubric test has rubrics to check."""
    assert VALID


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_give_only_rubric_errors(data: bytes) -> None:
    """Random bytes in a rubric file raise RubricFileError, never another exception."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        with pytest.raises(RubricFileError):
            load_file(path)


@FUZZ
@given(st.text(max_size=2000))
def test_random_text_gives_only_rubric_errors(text: str) -> None:
    """Random text raises RubricFileError or loads, never another exception."""
    assert_only_rubric_errors(text)


@FUZZ
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=80).map("".join))
def test_yaml_like_garbage_gives_only_rubric_errors(text: str) -> None:
    """Garbage made of YAML punctuation and rubric words raises only RubricFileError."""
    assert_only_rubric_errors(text)


@FUZZ
@given(st.sampled_from(VALID_TEXTS), st.data())
def test_truncated_valid_rubric_gives_only_rubric_errors(text: str, data: st.DataObject) -> None:
    """A valid rubric cut at any point raises only RubricFileError (or still loads)."""
    cut = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert_only_rubric_errors(text[:cut])


@FUZZ
@given(st.sampled_from(VALID_TEXTS), st.data())
def test_spliced_valid_rubric_gives_only_rubric_errors(text: str, data: st.DataObject) -> None:
    """A valid rubric with a slice removed or replaced raises only RubricFileError."""
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=min(len(text), start + 200)))
    filler = data.draw(st.sampled_from(["", *YAML_TOKENS]))
    assert_only_rubric_errors(text[:start] + filler + text[end:])


TRICKY = {
    "int-tag-bad-value": "total: !!int abc\n",
    "int-tag-empty-hex": "total: !!int 0x\n",
    "int-tag-empty": "total: !!int ''\n",
    "float-tag-bad-value": "total: !!float abc\n",
    "float-tag-empty": "total: !!float ''\n",
    "bool-tag-bad-value": "evidence_required: !!bool maybe\n",
    "timestamp-tag-bad-value": "legal: {date: !!timestamp hôm-qua}\n",
    "int-tag-bad-key": "!!int abc: 1\n",
    "tagged-mapping-key": "? !!python/object:os.system {}\n: 1\n",
    "deep-flow-nesting": "[" * 1000 + "]" * 1000 + "\n",
    "deep-block-nesting": "".join(" " * i + "a:\n" for i in range(1000)),
    "deep-alias-nesting": "a: &a [1]\n" + "".join(f"b{i}: &b{i} [*a]\n" for i in range(50)),
    "nul-character": "format: 1\x00\n",
    "two-documents": "format: 1\n---\nformat: 1\n",
    "byte-order-mark-only": "\ufeff",
}


@pytest.mark.parametrize("text", TRICKY.values(), ids=list(TRICKY))
def test_tricky_input_gives_only_rubric_errors(text: str) -> None:
    """Explicit core tags with bad values, deep nesting and odd documents raise RubricFileError."""
    with pytest.raises(RubricFileError):
        load_text(text, "tricky.yaml")


def _tree(node: Any, seen: set[int]) -> Iterator[tuple[Any, ...]]:
    """Every node of a YAML tree with its tag, value and position (aliases once)."""
    if node is None:
        yield ("empty",)
        return
    if id(node) in seen:
        yield ("alias",)
        return
    seen.add(id(node))
    start, end = node.start_mark, node.end_mark
    value = node.value if isinstance(node, yaml.ScalarNode) else None
    yield (type(node).__name__, node.tag, value, start.line, start.column, end.line, end.column)
    children = node.value if isinstance(node, yaml.SequenceNode) else []
    if isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    for child in children:
        yield from _tree(child, seen)


def test_libyaml_and_pyyaml_compose_the_same_tree() -> None:
    """The fast composer gives the very nodes, tags and positions of PyYAML's own, for every
    rubric of the project and every invalid case that parses."""
    example = ROOT / "site_src" / "huong-dan-soan-thang-diem" / "vi-du-thang-diem.yaml"
    paths = [*(ROOT / "rubrics").glob("*.yaml"), example]
    paths += sorted((ROOT / "tests" / "data" / "invalid").glob("*.yaml"))
    compared = 0
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            slow = list(_tree(yaml.compose(text, Loader=yaml.SafeLoader), set()))
        except (yaml.YAMLError, RecursionError):
            continue
        assert list(_tree(loader.compose(text), set())) == slow, path
        compared += 1
    assert compared >= 80


def test_deep_or_odd_text_is_composed_by_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deep nesting and characters PyYAML refuses never reach libyaml."""
    used: list[str] = []
    real = yaml.compose

    def spy(text: str, Loader: Any) -> Any:
        used.append(Loader.__name__)
        return real(text, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", spy)
    loader.compose("a: 1\n")
    loader.compose("a:\n" + " " * 600 + "b: 1\n")
    with pytest.raises(RecursionError):
        loader.compose("a: " + "[" * 501 + "]" * 501 + "\n")
    with pytest.raises(yaml.reader.ReaderError):
        loader.compose("a: '\x07'\n")
    expected = ["CSafeLoader"] if loader.FAST_LOADER is not None else ["SafeLoader"]
    assert used == [*expected, "SafeLoader", "SafeLoader", "SafeLoader"]
