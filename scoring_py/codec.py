"""Decode plain data into the model's dataclasses, and write canonical JSON.

The decoder is driven by the dataclasses' type hints, so the model alone defines the format:
every problem is collected with its path, unknown keys get a "did you mean" hint.
"""

from __future__ import annotations

import dataclasses
import json
import json.encoder
import math
import re
import types
import typing
from decimal import Decimal
from itertools import chain, repeat
from typing import Any, Literal, TypeVar, Union

from .problems import Path, Problem, describe, quoted

T = TypeVar("T")

_HINTS: dict[type, dict[str, Any]] = {}


def type_hints(cls: type) -> dict[str, Any]:
    """Return the resolved type hints of a dataclass, cached."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = typing.get_type_hints(cls)
        _HINTS[cls] = hints
    return hints


def is_optional(tp: Any) -> tuple[bool, Any]:
    """Split `X | None` into (True, X); anything else into (False, tp)."""
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return True, args[0]
    return False, tp


def suggest(word: str, choices: list[str]) -> str:
    """Return "; có phải ý bạn là 'x'?" for the closest choice, or ""."""
    # Imported here, on the first mistake: importing difflib takes about a fifth of the time
    # scoring_py takes to import in the browser (Pyodide), where most pages never need it.
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; có phải ý bạn là {quoted(close[0])}?" if close else ""


def expected_name(tp: Any) -> str:
    """Name a type the way messages say it, in Vietnamese."""
    optional, inner = is_optional(tp)
    if optional:
        return f"{expected_name(inner)} hoặc null"
    if tp is str:
        return "một chuỗi"
    if tp is bool:
        return "true hoặc false"
    if tp is int:
        return "một số nguyên"
    if tp is Decimal:
        return "một số"
    if typing.get_origin(tp) is Literal:
        return "một trong " + ", ".join(describe(a) for a in typing.get_args(tp))
    if typing.get_origin(tp) is tuple:
        return "một danh sách"
    return "một bảng khóa–giá trị"


MAX_EXPONENT = 12
"""Numbers of points are below 10**12 and finer than 10**-12; anything else is not a score."""


def to_decimal(value: Any) -> Decimal | None:
    """Return value as a sane finite Decimal, or None when it is not one (bools are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = Decimal(repr(value)) if math.isfinite(value) else None
    elif isinstance(value, int):
        if abs(value) >= 10**MAX_EXPONENT:
            return None
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    if value and not -MAX_EXPONENT <= value.adjusted() < MAX_EXPONENT:
        return None
    return value


class Decoder:
    """Collects problems while turning plain data into dataclasses."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: Path, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(path, message))

    def decode(self, tp: Any, value: Any, path: Path) -> Any:
        """Decode value as type tp; on a problem, record it and return None."""
        optional, inner = is_optional(tp)
        if value is None:
            if not optional:
                self.fail(path, f"phải là {expected_name(inner)} (nhận được null)")
            return None
        tp = inner
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            return self.decode_dataclass(tp, value, path)
        origin = typing.get_origin(tp)
        if origin is tuple:
            if not isinstance(value, list | tuple):
                self.fail(path, f"phải là một danh sách (nhận được {describe(value)})")
                return None
            (elem,) = typing.get_args(tp)[:1]
            return tuple(self.decode(elem, v, (*path, i)) for i, v in enumerate(value))
        if origin is Literal:
            choices = typing.get_args(tp)
            if value in choices and type(value) is type(choices[0]):
                return value
            hint = suggest(value, [str(c) for c in choices]) if isinstance(value, str) else ""
            self.fail(path, f"phải là {expected_name(tp)} (nhận được {describe(value)}){hint}")
            return None
        if tp is Decimal:
            number = to_decimal(value)
            if number is None:
                self.fail(path, f"phải là một số (nhận được {describe(value)})")
            return number
        if tp is bool:
            if not isinstance(value, bool):
                self.fail(path, f"phải là true hoặc false (nhận được {describe(value)})")
                return None
            return value
        if tp is int:
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(path, f"phải là một số nguyên (nhận được {describe(value)})")
                return None
            return value
        if tp is str:
            if not isinstance(value, str):
                self.fail(path, f"phải là một chuỗi (nhận được {describe(value)})")
                return None
            if not value.strip():
                self.fail(path, "phải là một chuỗi khác rỗng (nhận được '')")
                return None
            return value
        raise TypeError(f"unsupported type in the model: {tp!r}")  # pragma: no cover

    def decode_dataclass(self, cls: type[T], value: Any, path: Path) -> T | None:
        """Decode a mapping into dataclass cls, checking unknown and missing keys."""
        if not isinstance(value, dict):
            self.fail(path, f"phải là một bảng khóa–giá trị (nhận được {describe(value)})")
            return None
        hints = type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        names = list(fields)
        ok = True
        for key in value:
            # An unknown key is reported but does not stop the object being built, so that
            # the semantic checks still run and every problem is shown at once.
            if key not in fields:
                if isinstance(key, str):
                    hint = suggest(key, names)
                    self.fail((*path, key), f"khóa không được phép{hint}")
                else:
                    self.fail(path, f"tên khóa phải là một chuỗi (nhận được {describe(key)})")
        kwargs: dict[str, Any] = {}
        for name, f in fields.items():
            if name in value:
                before = len(self.problems)
                decoded = self.decode(hints[name], value[name], (*path, name))
                if len(self.problems) != before:
                    ok = False
                kwargs[name] = decoded
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                ok = False
                self.fail((*path, name), f"thiếu khóa bắt buộc {quoted(name)}")
        if not ok:
            return None
        return cls(**kwargs)


def decode(cls: type[T], data: Any, path: Path = ()) -> tuple[T | None, list[Problem]]:
    """Decode data as dataclass cls; return the object (None on a problem) and all problems."""
    decoder = Decoder()
    obj = decoder.decode_dataclass(cls, data, path)
    return obj, decoder.problems


def encode(obj: Any) -> Any:
    """Turn a dataclass tree into plain data (dicts, lists, Decimals), every field present
    but those marked "omit_default" (keys added to the format later) while at their default."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: encode(getattr(obj, f.name))
            for f in dataclasses.fields(obj)
            if not (f.metadata.get("omit_default") and getattr(obj, f.name) == f.default)
        }
    if isinstance(obj, list | tuple):
        return [encode(v) for v in obj]
    if isinstance(obj, dict):
        return {k: encode(v) for k, v in obj.items()}
    return obj


def format_decimal(value: Decimal) -> str:
    """Write a Decimal in plain notation without trailing zeros: 2, 0.5, 12.25."""
    if value == 0:
        return "0"
    if not value.is_finite() or not -MAX_EXPONENT <= value.adjusted() < MAX_EXPONENT:
        return str(value)  # only ever shown in a message about a value that was refused
    return format(value.normalize(), "f")


def format_decimals(values: list[Decimal]) -> list[str]:
    """Write each Decimal as format_decimal does.

    When all are finite and within MAX_EXPONENT, as scores are, each distinct number is
    written once, with C calls: equal numbers (1.50 and 1.5, 0 and -0) give the same text
    there. A number takes almost a microsecond to write in the browser, and a result holds
    hundreds, mostly the same few.
    """
    unique = dict.fromkeys(values)
    if all(map(Decimal.is_finite, unique)):
        adjusted = list(map(Decimal.adjusted, unique))
        if min(adjusted, default=0) >= -MAX_EXPONENT and max(adjusted, default=0) < MAX_EXPONENT:
            normal = map(format, map(Decimal.normalize, unique), repeat("f"))
            texts = dict(zip(unique, normal, strict=True))
            for number, text in texts.items():
                if text == "-0":  # normalize keeps the sign of a zero; format_decimal writes 0
                    texts[number] = "0"
            return list(map(texts.__getitem__, values))
    return list(map(format_decimal, values))


def dumps(data: Any, indent: int | None = None, *, sort_keys: bool = True) -> str:
    """Write JSON with UTF-8 text and Decimals as exact numbers; keys sorted (the canonical
    form a hash is taken of), or in their own order with sort_keys=False (a document, whose
    keys are in reading order).

    The text is that of `dumps_python` for every input; it is written by the standard
    library's C encoder when the data holds nothing it would write differently (see
    `_dumps_c`), several times faster in the browser.
    """
    if _c_encodes(data, indent):
        text = _dumps_c(data, indent, sort_keys)
        if text is not None:
            return text
    return dumps_python(data, indent, sort_keys=sort_keys)


def dumps_python(data: Any, indent: int | None = None, *, sort_keys: bool = True) -> str:
    """Write what `dumps` writes, one value at a time in Python (the reference writer)."""
    return "".join(_write(data, indent, 0, sort_keys))


# The C encoder writes a Decimal as what `default` returns, always a quoted string: here the
# placeholder below, each one then replaced by the exact number. A string of the data equal
# to the placeholder is found out by counting (see `_dumps_c`), never mistaken for a number.
_PLACEHOLDER = "\ue000thangdiem:decimal\ue000"
_PLACEHOLDER_JSON = json.dumps(_PLACEHOLDER, ensure_ascii=False)
# Types the C encoder writes as `_write` does: exact types only, since a subclass may iterate,
# print or compare otherwise. Floats are left to `_write` (the C encoder uses repr).
_SCALARS = frozenset({str, int, bool, type(None), Decimal})
_NESTED = frozenset({dict, list, tuple})
_WRITABLE = _SCALARS | _NESTED
_KEYS = frozenset({str})
# The C encoder (private to the json package, in CPython 3.11 to 3.14 and Pyodide) and its
# string writer; either is None where the json package is pure Python.
_C_MAKE_ENCODER: Any = getattr(json.encoder, "c_make_encoder", None)
_C_ENCODE_STRING: Any = getattr(json.encoder, "c_encode_basestring", None)
_C_INDENT: bool | None = None


def _c_indents() -> bool:
    """Whether the C encoder lays out indented JSON itself (3.14 does; 3.11 ignores indent)."""
    global _C_INDENT
    if _C_INDENT is None:
        probe = _C_MAKE_ENCODER(None, None, _C_ENCODE_STRING, " ", ": ", ",", False, False, False)
        _C_INDENT = "\n" in "".join(probe([0], 0))
    return _C_INDENT


def _c_encodes(data: Any, indent: int | None) -> bool:
    """Whether the C encoder can write data, nested at most MAX_DEPTH deep, as `_write` does.

    The walk goes one level of nesting at a time: one Python step per container, the types of
    a level's values checked at once (set(map(type, ...)), in C). A container met twice in a
    level is looked into once; a cycle nests without end, so it goes to `_write`, which fails
    on it as it always did.
    """
    if _C_MAKE_ENCODER is None or _C_ENCODE_STRING is None:
        return False
    if indent is not None and (type(indent) is not int or not _c_indents()):
        return False
    if type(data) not in _NESTED:
        return type(data) in _SCALARS
    level: Any = [data]
    for depth in range(MAX_DEPTH):
        values: list[Any] = []
        for node in level:
            if type(node) is dict:
                if not set(map(type, node)) <= _KEYS:
                    return False
                values.extend(node.values())
            else:
                values.extend(node)
        kinds = set(map(type, values))
        if kinds <= _SCALARS:
            return True
        if not kinds <= _WRITABLE or depth == MAX_DEPTH - 1:
            return False
        level = {id(v): v for v in values if type(v) in _NESTED}.values()
    return False  # pragma: no cover (the loop returns)


def _dumps_c(data: Any, indent: int | None, sort_keys: bool) -> str | None:
    """Write data with the C encoder, Decimals through placeholders; None when a string of
    the data is the placeholder or anything fails (`_write` then writes it, or raises)."""
    numbers: list[Decimal] = []

    def default(value: Decimal) -> str:
        numbers.append(value)
        return _PLACEHOLDER

    encoder = _C_MAKE_ENCODER(
        None,
        default,
        _C_ENCODE_STRING,
        None if indent is None else " " * indent,
        ":" if indent is None else ": ",
        ",",
        sort_keys,
        False,
        False,
    )
    try:
        text = "".join(encoder(data, 0))
        if not numbers:
            return text
        parts = text.split(_PLACEHOLDER_JSON)
        if len(parts) != len(numbers) + 1:
            return None  # a string of the data is the placeholder itself
        texts = format_decimals(numbers)
    except Exception:
        return None
    texts.append("")
    return "".join(chain.from_iterable(zip(parts, texts, strict=True)))


def _write(data: Any, indent: int | None, level: int, sort: bool) -> typing.Iterator[str]:
    if isinstance(data, dict):
        if not data:
            yield "{}"
            return
        pad, end = _layout(indent, level)
        yield "{"
        for i, key in enumerate(sorted(data) if sort else data):
            yield ("," if i else "") + pad
            yield json.dumps(str(key), ensure_ascii=False) + (": " if indent is not None else ":")
            yield from _write(data[key], indent, level + 1, sort)
        yield end + "}"
    elif isinstance(data, list | tuple):
        if not data:
            yield "[]"
            return
        pad, end = _layout(indent, level)
        yield "["
        for i, value in enumerate(data):
            yield ("," if i else "") + pad
            yield from _write(value, indent, level + 1, sort)
        yield end + "]"
    elif isinstance(data, Decimal):
        yield format_decimal(data)
    elif isinstance(data, bool) or data is None or isinstance(data, int | str):
        yield json.dumps(data, ensure_ascii=False)
    elif isinstance(data, float):
        yield format_decimal(Decimal(repr(data)))
    else:
        raise TypeError(f"cannot write {type(data).__name__} as JSON")


def _layout(indent: int | None, level: int) -> tuple[str, str]:
    if indent is None:
        return "", ""
    return "\n" + " " * (indent * (level + 1)), "\n" + " " * (indent * level)


MAX_DEPTH = 64
"""Deepest nesting of JSON accepted: documents need 4 levels, rubrics 8.

Checked before parsing because Pyodide's stack overflows in `json.loads` long before
Python's recursion limit would raise, which would kill the page's Python.
"""
# A string's body as runs of ordinary characters between escapes ("unrolled"): one step per
# run, not per character, so that a 50 MB text is scanned in a fraction of a second.
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_TOO_DEEP = re.compile(rf"[\[{{]{{{MAX_DEPTH + 1}}}")


class JSONError(ValueError):
    """JSON text that cannot be read; the message is the same on every Python version."""


def check_depth(text: str) -> None:
    """Raise JSONError when brackets outside strings nest deeper than MAX_DEPTH.

    Strings and everything but brackets are dropped first, then innermost pairs ("[]", "{}")
    are removed once per level: after MAX_DEPTH rounds a pair is left only where brackets
    nest deeper. Every step is a scan in C, not a Python step per token (which took a quarter
    of a summary's time in the browser).
    """
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    for _ in range(MAX_DEPTH):
        if _TOO_DEEP.search(brackets):
            break
        inner = brackets.replace("[]", "").replace("{}", "")
        if len(inner) == len(brackets):
            return  # nothing nests further (what is left does not pair: JSON will say so)
        brackets = inner
    else:
        if "[]" not in brackets and "{}" not in brackets and not _TOO_DEEP.search(brackets):
            return
    raise JSONError(f"lồng nhau quá sâu (quá {MAX_DEPTH} cấp)")


def _parse_float(text: str) -> Decimal:
    # Refuse absurd exponents before Decimal sees them: 32-bit WebAssembly and CPython
    # disagree on how far they go, and some take minutes to compare.
    exponent = text.lower().partition("e")[2].lstrip("+-")
    if len(exponent) > 4:
        raise JSONError("có số quá lớn hoặc quá nhỏ")
    return Decimal(text)


def _reject_constant(name: str) -> Any:
    raise JSONError(f"giá trị {name} không được phép")


class DuplicateKey(JSONError):
    """An object with the same key twice: which value is meant cannot be known."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"khóa {quoted(key)} xuất hiện hai lần trong cùng một đối tượng")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # JSON.parse and json.loads keep the last of two equal keys: a file could then say one
    # thing to a reader and another to the scorer, so such a file is refused.
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return out


def loads(text: str) -> Any:
    """Read JSON with exact Decimals for fractions; refuse NaN, Infinity, deep nesting and
    objects with a key twice (DuplicateKey)."""
    check_depth(text)
    try:
        return json.loads(
            text,
            parse_float=_parse_float,
            parse_constant=_reject_constant,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        # Python's own wording and column differ between versions: give the line only.
        raise JSONError(f"lỗi cú pháp ở dòng {exc.lineno}") from None
    except (ValueError, ArithmeticError, RecursionError) as exc:
        if isinstance(exc, JSONError):
            raise
        raise JSONError("có số hoặc giá trị không đọc được") from None
