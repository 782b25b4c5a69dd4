"""Random data for comparing `codec.dumps` with the reference writer `codec.dumps_python`.

Standard library only: the same cases run under CPython (tests/test_codec_writer.py) and
inside Pyodide under Node.js (tests/pyodide_python.mjs), where hypothesis is not installed.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from scoring_py import codec

DECIMALS = [
    "0", "-0", "0E-7", "0E+5", "1", "-1", "1.50", "-2.250", "1E+3", "-1E+3", "1E+11", "1E+12",
    "123456789012.5", "1E-12", "1E-13", "0.000000000001", "5E-20", "9.99E+30", "1E+999999",
    "-1E-999999", "NaN", "-NaN", "Infinity", "-Infinity", "0.1", "33.333333333333333333",
]  # fmt: skip
"""Decimals of every sign and exponent: zeros with exponents, the edges of MAX_EXPONENT,
huge and tiny (written as str), quiet NaN and infinities (written as today)."""

CHARACTERS = '"\\/\x00\x01\x1f\x7f\b\f\n\r\t \u00e0\u1ebf\u2028\u2029\ufeff\ue000\ud800\udfff😀'
"""Characters JSON escapes or that break naive writers: quotes, backslashes, controls, line
separators, a BOM, the placeholder's private-use character, lone surrogates, an emoji."""

TRICKY = [codec._PLACEHOLDER, codec._PLACEHOLDER_JSON, f"x{codec._PLACEHOLDER}", "true", "1"]
"""Strings that look like what the fast writer puts in or takes out of its text."""


def text(rng: random.Random) -> str:
    """A short string of troublesome and ordinary characters, sometimes a tricky one."""
    if rng.random() < 0.1:
        return rng.choice(TRICKY)
    pool = CHARACTERS + "abcxyz019"
    return "".join(rng.choice(pool) for _ in range(rng.randrange(6)))


def key(rng: random.Random) -> Any:
    """A dict key: a string, rarely an int, a bool, None or a Decimal (written with str(),
    and failing to sort among strings, the same way with both writers)."""
    if rng.random() < 0.02:
        return rng.choice([1, True, None, Decimal("1.50")])
    return text(rng)


def scalar(rng: random.Random) -> Any:
    """One leaf value: a Decimal, a string, an int, a bool or None; rarely a float (which
    the fast writer leaves to the reference one)."""
    if rng.random() < 0.02:
        return rng.choice([0.5, -0.0, 1e16, 1e-7, 2.0])
    kind = rng.randrange(6)
    if kind <= 1:
        return Decimal(rng.choice(DECIMALS))
    if kind == 2:
        return text(rng)
    if kind == 3:
        return rng.choice([0, -1, 7, 10**20, -(10**30)])
    return rng.choice([True, False, None])


def value(rng: random.Random, depth: int = 0) -> Any:
    """A random nested value: dicts, lists, tuples (empty ones too) and leaves."""
    kind = rng.randrange(5) if depth < 5 else 4
    if kind == 0:
        return {key(rng): value(rng, depth + 1) for _ in range(rng.randrange(5))}
    if kind == 1:
        return [value(rng, depth + 1) for _ in range(rng.randrange(5))]
    if kind == 2:
        return tuple(value(rng, depth + 1) for _ in range(rng.randrange(3)))
    return scalar(rng)


def outcome(write: Any, data: Any, indent: int | None, sort_keys: bool) -> tuple[str, str]:
    """What a writer gives: ("ok", text), or ("error", the exception's type and message)."""
    try:
        return "ok", write(data, indent, sort_keys=sort_keys)
    except Exception as exc:
        return "error", f"{type(exc).__name__}: {exc}"


def compare(seed: int, count: int) -> dict[str, Any]:
    """Write count random values both ways, in both key orders, compact and indented (by 2
    and by 0: newlines only)."""
    rng = random.Random(seed)
    mismatches: list[str] = []
    fast = 0
    for _ in range(count):
        data = value(rng)
        for indent in (None, 2, 0):
            for sort_keys in (True, False):
                ours = outcome(codec.dumps, data, indent, sort_keys)
                if ours != outcome(codec.dumps_python, data, indent, sort_keys):
                    mismatches.append(repr((data, indent, sort_keys)))
                fast += codec._c_encodes(data, indent)
    return {"cases": count, "fast": fast, "mismatches": mismatches[:5]}
